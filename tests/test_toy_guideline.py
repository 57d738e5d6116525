"""A second guideline, made up (examples/toy_triage: toy fever triage, not medical advice), through
every command with ``--guideline FILE`` and through rrall.testing's strategies: the engine holds
nothing of R/R ALL that a guideline cannot supply, and decimal and true/false facts work."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest
from hypothesis import given

from helpers import run
from rrall import InvalidRecord, WalkResult, walk
from rrall.engine import Guideline, patient_json_schema, result_json_schema
from rrall.engine.tools._load import guideline_from_dict
from rrall.testing import check_all, check_path_satisfiable, partial_patients, paths, patients

TOY_DIR = Path(__file__).resolve().parent.parent / "examples" / "toy_triage"
EXPORT = str(TOY_DIR / "toy-triage.json")
PATIENTS = sorted((TOY_DIR / "patients").glob("*.json"))


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("toy_triage_guideline", TOY_DIR / "guideline.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as an import does: its record class reads its docstring here
    spec.loader.exec_module(module)
    return module


TOY = _module()
TOY_TRIAGE: Guideline = TOY.TOY_TRIAGE
RESULTS = jsonschema.Draft202012Validator(result_json_schema(TOY_TRIAGE))


def test_the_shipped_export_is_the_guideline_as_encoded() -> None:
    assert Path(EXPORT).read_text(encoding="utf-8") == TOY.export(), (
        "run `python examples/toy_triage/guideline.py > examples/toy_triage/toy-triage.json`"
    )
    loaded = guideline_from_dict(json.loads(Path(EXPORT).read_text(encoding="utf-8")))
    assert loaded.schema == TOY_TRIAGE.schema
    assert loaded.nodes == TOY_TRIAGE.nodes
    assert loaded.provenance == TOY_TRIAGE.provenance


def test_it_says_it_is_made_up_and_not_medical_advice() -> None:
    assert "made-up example" in TOY_TRIAGE.source
    assert "not medical advice" in TOY_TRIAGE.source
    assert "not medical advice" in TOY_TRIAGE.disclaimer
    status, out, _ = run(["walk", "--guideline", EXPORT, str(PATIENTS[0])])
    assert status == 0
    assert "not medical advice" in out


def test_a_temperature_of_38_3_is_a_fever_not_an_error_about_whole_numbers() -> None:
    result = walk({"temperature": 38.3, "stiff_neck": True, "age": 30}, TOY_TRIAGE)
    assert result.option_ids == ("emergency",)
    assert walk({"temperature": 37.9, "age": 30}, TOY_TRIAGE).option_ids == ("rest-at-home",)
    assert walk({"temperature": 38, "stiff_neck": False, "age": 30}, TOY_TRIAGE).option_ids == (
        "paracetamol",
    )
    assert result.exclusion("rest-at-home").reason == (  # type: ignore[union-attr]
        "Rest and fluids at home is for temperature < 38.0 °C; this patient: temperature 38.3 °C."
    )


def test_a_true_false_fact_takes_true_or_false_only() -> None:
    with pytest.raises(InvalidRecord, match="stiff_neck: must be true or false, got 'yes'"):
        walk({"stiff_neck": "yes"}, TOY_TRIAGE)
    with pytest.raises(InvalidRecord, match=r"temperature: must be a number \(°C\), got true"):
        walk({"temperature": True}, TOY_TRIAGE)
    with pytest.raises(InvalidRecord, match=r"temperature: must be from 30\.0 °C to 45\.0 °C, got 51\.5"):
        walk({"temperature": 51.5}, TOY_TRIAGE)


def test_an_unknown_temperature_offers_both_sides_of_the_cut_with_their_conditions() -> None:
    result = walk({"stiff_neck": False, "age": 8}, TOY_TRIAGE)
    assert result.option_ids == ("rest-at-home", "paracetamol")
    assert [req.text for req in result.option("rest-at-home").conditions] == ["temperature < 38.0 °C"]  # type: ignore[union-attr]
    assert [req.text for req in result.option("paracetamol").conditions] == ["temperature ≥ 38.0 °C"]  # type: ignore[union-attr]
    assert result.missing == ("temperature",)


@pytest.mark.parametrize("patient", PATIENTS, ids=lambda path: path.name)
def test_walk_with_the_guideline_file_prints_results_that_validate_and_build_back(patient: Path) -> None:
    status, out, err = run(["walk", "--guideline", EXPORT, str(patient), "--format", "json"])
    assert (status, err) == (0, "")
    data = json.loads(out)
    RESULTS.validate(data)
    assert data["provenance"]["guideline"] == {"name": "toy-triage", "version": "1"}
    assert data["provenance"]["source"]["title"] == "Toy fever triage"
    facts = json.loads(patient.read_text(encoding="utf-8"))
    jsonschema.validate(facts, patient_json_schema(TOY_TRIAGE))
    assert WalkResult.from_dict(data, TOY_TRIAGE) == walk(facts, TOY_TRIAGE)


def test_walk_a_cohort_with_the_guideline_file(tmp_path: Path) -> None:
    lines = [p.read_text(encoding="utf-8").strip() for p in PATIENTS] + ['{"temperature": "hot"}']
    cohort = tmp_path / "toy.jsonl"
    cohort.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, out, _ = run(["walk", "--guideline", EXPORT, str(cohort), "--format", "json"])
    assert status == 2  # the last line is invalid; the others are walked
    records = [json.loads(line) for line in out.splitlines()]
    assert records[-1] == {
        "line": len(lines),
        "error": "invalid patient: temperature: must be a number (°C), got 'hot'",
    }
    for record in records[:-1]:
        RESULTS.validate(record)


def test_render_draws_the_toy_guideline_and_a_route_on_it(tmp_path: Path) -> None:
    mermaid = tmp_path / "toy.mmd"
    status, _, _ = run(["render", "--guideline", EXPORT, "-o", str(mermaid)])
    assert status == 0
    assert mermaid.read_text(encoding="utf-8").startswith("flowchart TD")
    assert "Fever (≥ 38.0 °C)?" in mermaid.read_text(encoding="utf-8")
    svg = tmp_path / "route.svg"
    status, _, err = run(["render", "--guideline", EXPORT, "--patient", str(PATIENTS[0]), "-o", str(svg)])
    assert (status, err) == (0, "")
    assert '<g id="same&#45;day&#45;doctor" class="node on&#45;path offered"' in svg.read_text(
        encoding="utf-8"
    )


def test_report_writes_the_page_of_a_toy_patient_citing_the_toy_source(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    status, _, err = run(["report", "--guideline", EXPORT, str(PATIENTS[0]), "-o", str(page)])
    assert (status, err) == (0, "")
    html = page.read_text(encoding="utf-8")
    assert "Doctor the same day" in html  # the child of 3 with a fever and no stiff neck
    assert "not medical advice" in html
    assert TOY_TRIAGE.publication.title in html
    assert TOY_TRIAGE.publication.captured in html
    assert "Leukemia" not in html  # nothing of the R/R ALL text


def test_a_fhir_record_for_another_guideline_is_refused_in_one_line(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.json"
    bundle.write_text('{"resourceType": "Bundle", "type": "collection", "entry": []}', encoding="utf-8")
    for command in (["walk"], ["report"]):
        status, out, err = run([*command, "--guideline", EXPORT, str(bundle)])
        assert (status, out) == (2, "")
        assert err == f"rrall: {bundle}: FHIR records are read for the built-in rr-all guideline only\n"


@pytest.mark.parametrize("thorough", [[], ["--thorough"]], ids=["default", "thorough"])
def test_verify_proves_the_toy_guideline(thorough: list[str]) -> None:
    status, out, _ = run(["verify", "--guideline", EXPORT, "--format", "json", *thorough])
    assert status == 0
    assert json.loads(out)["ok"] is True


def test_diff_finds_the_patients_a_changed_fever_threshold_moves(tmp_path: Path) -> None:
    status, out, _ = run(["diff", "--guideline", EXPORT, EXPORT])
    assert (status, "No difference" in out) == (0, True)
    changed = Path(EXPORT).read_text(encoding="utf-8").replace('"bound": 38.0', '"bound": 37.5')
    lower = tmp_path / "lower-threshold.json"
    lower.write_text(changed, encoding="utf-8")
    status, out, _ = run(["diff", "--guideline", EXPORT, str(lower)])
    assert status == 1
    assert "rest-at-home" in out


def test_export_and_schema_with_the_guideline_file() -> None:
    status, out, _ = run(["export", "--guideline", EXPORT])
    assert (status, out) == (0, Path(EXPORT).read_text(encoding="utf-8"))
    status, out, _ = run(["schema", "result", "--guideline", EXPORT])
    assert (status, json.loads(out)) == (0, result_json_schema(TOY_TRIAGE))
    status, out, _ = run(["schema", "patient", "--guideline", EXPORT])
    assert json.loads(out)["properties"]["stiff_neck"]["type"] == ["boolean", "null"]


@given(patients(guideline=TOY_TRIAGE))
def test_every_drawn_toy_patient_passes_every_check(patient: object) -> None:
    result = check_all(patient, guideline=TOY_TRIAGE)
    RESULTS.validate(result.to_dict())


@given(partial_patients(guideline=TOY_TRIAGE))
def test_every_partly_known_toy_patient_builds_back_from_its_json(patient: object) -> None:
    result = walk(patient, TOY_TRIAGE)
    data = json.loads(json.dumps(result.to_dict()))
    RESULTS.validate(data)
    assert WalkResult.from_dict(data, TOY_TRIAGE) == result


@given(paths(guideline=TOY_TRIAGE))
def test_every_route_of_the_toy_guideline_has_a_patient_who_follows_it(case: object) -> None:
    check_path_satisfiable(case, guideline=TOY_TRIAGE)


@given(patients(guideline=TOY_TRIAGE, reaching="same-day-doctor"))
def test_a_patient_drawn_to_reach_a_leaf_is_offered_it(patient: object) -> None:
    assert "same-day-doctor" in walk(patient, TOY_TRIAGE).option_ids
