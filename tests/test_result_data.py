"""Results as data: `WalkResult.to_dict` is the command line's JSON, `from_dict` builds it back,
the shipped JSON Schemas describe what goes in and comes out, and every result names its origin."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given

from helpers import run
from rrall import (
    RR_ALL,
    InvalidRecord,
    Patient,
    Provenance,
    Publication,
    ResultError,
    WalkResult,
    __version__,
    walk,
)
from rrall.engine import patient_json_schema, result_json_schema
from rrall.engine.walk._result import exclusion_to_dict, option_to_dict, step_to_dict
from rrall.rr_all import SOURCE_HEADER, SOURCE_PUBLICATION
from rrall.schemas import KINDS, generated, shipped
from rrall.testing import partial_patients, patients

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "patients"
sys.path.insert(0, str(ROOT / "benchmarks"))
from patients import jsonl_lines  # noqa: E402


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = shipped(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_to_dict_is_exactly_what_walk_format_json_prints(path: Path) -> None:
    status, out, _ = run(["walk", str(path), "--format", "json"])
    assert status == 0
    result = walk(Patient.from_dict(json.loads(path.read_text(encoding="utf-8"))))
    assert out == json.dumps(result.to_dict(), ensure_ascii=False) + "\n"


@given(patients())
def test_from_dict_builds_back_an_equal_result_for_complete_patients(patient: Patient) -> None:
    result = walk(patient)
    data = json.loads(json.dumps(result.to_dict()))
    again = WalkResult.from_dict(data, RR_ALL)
    assert again == result
    assert again.to_dict() == result.to_dict()


@given(partial_patients())
def test_from_dict_builds_back_an_equal_result_for_partly_known_patients(patient: Patient) -> None:
    result = walk(patient)
    assert WalkResult.from_dict(json.loads(json.dumps(result.to_dict())), RR_ALL) == result


@given(partial_patients() | patients())
def test_a_results_json_form_is_each_of_its_parts_json_form(patient: Patient) -> None:
    """`to_dict` writes its options, exclusions and path steps inline, from the one layout that
    `option_to_dict`, `exclusion_to_dict` and `step_to_dict` write them in."""
    result = walk(patient)
    data = result.to_dict()
    assert data["options"] == [option_to_dict(option, *RR_ALL.option_keys) for option in result.options]
    assert data["excluded"] == [exclusion_to_dict(item) for item in result.excluded]
    assert data["path"] == [step_to_dict(step, result.patient) for step in result.path]
    assert [*data] == ["guideline", "patient", "options", "excluded", "missing", "path", "provenance"]


def _containers(data: object, found: list[object]) -> list[object]:
    if isinstance(data, (dict, list)):
        found.append(data)
        for item in data.values() if isinstance(data, dict) else data:
            _containers(item, found)
    return found


@given(partial_patients() | patients())
def test_each_json_form_is_new_so_changing_one_changes_no_other(patient: Patient) -> None:
    """Two forms of one result, or of two walks of one patient, share no list or dict but the
    patient's own JSON form (the result's ``patient``) and the values in it."""
    result = walk(patient)
    patients_own = [id(item) for item in _containers(result.patient, [])]
    forms = [result.to_dict(), result.to_dict(), walk(patient).to_dict()]
    seen = [{id(item) for item in _containers(form, [])} - {*patients_own} for form in forms]
    assert not seen[0] & seen[1]
    assert not seen[0] & seen[2]
    assert not seen[1] & seen[2]
    assert forms[0] == forms[1] == forms[2]
    for item in [*forms[1]["excluded"], *forms[1]["options"], *forms[1]["path"]]:
        item["id" if "id" in item else "node"] = "changed"
    assert result.to_dict() == walk(patient).to_dict() == forms[0]


def test_from_dict_refuses_what_is_not_a_result_naming_the_problem() -> None:
    data = walk(Patient(ph="negative")).to_dict()
    with pytest.raises(ResultError, match="guideline 'other'"):
        WalkResult.from_dict({**data, "guideline": "other"}, RR_ALL)
    with pytest.raises(ResultError, match="fields"):
        WalkResult.from_dict({key: value for key, value in data.items() if key != "path"}, RR_ALL)
    with pytest.raises(ResultError, match="must be an object"):
        WalkResult.from_dict([], RR_ALL)
    broken = {**data, "options": [{**data["options"][0], "drugs": "blinatumomab"}]}
    with pytest.raises(ResultError, match="drugs: must be a list of strings"):
        WalkResult.from_dict(broken, RR_ALL)


def test_every_result_names_the_rrall_version_the_guideline_and_its_source() -> None:
    provenance = walk(Patient(ph="positive")).provenance
    assert provenance == Provenance(__version__, "rr-all", RR_ALL.version, SOURCE_PUBLICATION)
    assert RR_ALL.version
    assert f"Publisher: {SOURCE_PUBLICATION.publisher}" in SOURCE_HEADER
    assert (
        Publication("The Leukemia & Lymphoma Society (LLS)", "Relapsed and Refractory ALL", "2026-11-23")
        == SOURCE_PUBLICATION
    )
    assert walk(Patient()).to_dict()["provenance"] == {
        "rrall": __version__,
        "guideline": {"name": "rr-all", "version": RR_ALL.version},
        "source": {
            "publisher": "The Leukemia & Lymphoma Society (LLS)",
            "title": "Relapsed and Refractory ALL",
            "captured": "2026-11-23",
        },
    }


def test_the_shipped_schemas_are_the_ones_generated_from_the_guideline() -> None:
    for name, text in generated().items():
        kind = name.split(".")[1]
        assert shipped(kind) == json.loads(text), f"{name} is stale: run `python tools/gen_schemas.py`"


@pytest.mark.parametrize("kind", KINDS)
def test_rrall_schema_prints_the_shipped_schema(kind: str) -> None:
    status, out, _ = run(["schema", kind])
    assert status == 0
    assert json.loads(out) == shipped(kind)
    assert json.loads(out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_cli_output_over_a_cohort_validates_against_the_result_schema(tmp_path: Path) -> None:
    results = _validator("result")
    for unknown in (0.0, 0.3, 0.8):
        cohort = tmp_path / f"cohort-{unknown}.jsonl"
        cohort.write_text("".join(jsonl_lines(RR_ALL, 150, seed=5, unknown=unknown)), encoding="utf-8")
        status, out, _ = run(["walk", str(cohort), "--format", "json"])
        assert status == 0
        for line in out.splitlines():
            results.validate(json.loads(line))


def test_every_example_patient_and_its_result_validate() -> None:
    patients_schema, results = _validator("patient"), _validator("result")
    for path in sorted(EXAMPLES.glob("*.json")):
        patients_schema.validate(json.loads(path.read_text(encoding="utf-8")))
        status, out, _ = run(["walk", str(path), "--format", "json"])
        assert status == 0
        results.validate(json.loads(out))


def test_the_patient_schema_refuses_what_the_patient_refuses() -> None:
    patients_schema = _validator("patient")
    bad = [{"age": 17.5}, {"ph": "maybe"}, {"tkis_received": ["aspirin"]}, {"height": 180}, {"age": 121}]
    for record in bad:
        assert list(patients_schema.iter_errors(record)), record
        with pytest.raises(InvalidRecord):
            Patient.from_dict(record)


def test_the_result_schema_refuses_a_result_with_a_field_left_out() -> None:
    data = walk(Patient(ph="negative", lineage="T", age=40)).to_dict()
    results = _validator("result")
    del data["options"][0]["quotes"]
    assert any("quotes" in error.message for error in results.iter_errors(data))


def test_the_generated_schemas_are_valid_draft_2020_12() -> None:
    for schema in (patient_json_schema(RR_ALL), result_json_schema(RR_ALL)):
        jsonschema.Draft202012Validator.check_schema(schema)


def test_what_the_command_line_adds_for_warnings_and_fhir_input_validates_too(tmp_path: Path) -> None:
    results = _validator("result")
    patient = tmp_path / "drug-x.json"
    patient.write_text('{"ph": "negative", "induction_drugs": ["drug x"]}', encoding="utf-8")
    status, out, _ = run(["walk", str(patient), "--format", "json"])
    data = json.loads(out)
    assert (status, "warnings" in data) == (0, True)
    results.validate(data)
    bundle = ROOT / "examples" / "fhir" / "ph-positive-imatinib-failed.json"
    status, out, _ = run(["walk", str(bundle), "--format", "json", "--as-of", "2026-06-01"])
    data = json.loads(out)
    assert (status, "fhir" in data) == (0, True)
    results.validate(data)
    without = {key: value for key, value in data.items() if key not in ("warnings", "fhir")}
    assert WalkResult.from_dict(without, RR_ALL).to_dict() == without
