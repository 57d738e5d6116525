"""`rrall walk` on FHIR records: recognised by resourceType, reports say where each fact came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fhir_fixtures import b_all, bcr_abl1, bundle, patient
from helpers import run
from rrall import Patient, walk
from rrall.fhir import read_bundle

FHIR = Path(__file__).resolve().parent.parent / "examples" / "fhir"
EXAMPLES = sorted(FHIR.glob("*.json"))


def write(tmp_path: Path, data: object, name: str = "record.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def test_there_are_example_bundles() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_each_example_record_walks_and_the_report_cites_its_sources(path: Path) -> None:
    status, out, err = run(["walk", str(path), "--as-of", "2026-06-01"])
    assert (status, err) == (0, "")
    assert "Read from FHIR (age as of 2026-06-01)" in out
    assert "←" in out


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_the_json_report_gives_the_walk_of_the_patient_read_and_each_facts_sources(path: Path) -> None:
    import datetime

    status, out, _ = run(["walk", str(path), "--format", "json", "--as-of", "2026-06-01"])
    assert status == 0
    data = json.loads(out)
    reading = read_bundle(path.read_text(encoding="utf-8"), as_of=datetime.date(2026, 6, 1))
    assert data["fhir"] == reading.to_dict()
    if reading.scope == "not-all":
        assert "options" not in data
        assert "not ALL" in data["out_of_scope"]
    else:
        assert [o["id"] for o in data["options"]] == list(walk(reading.patient).option_ids)
        for fact, read in data["fhir"]["facts"].items():
            assert (read["status"] == "known") == (fact in data["patient"])


def test_as_of_fixes_the_date_age_is_worked_out_on(tmp_path: Path) -> None:
    path = write(tmp_path, bundle(patient("1980-06-02")))
    ages = []
    for day in ("2026-06-01", "2026-06-02"):
        _, out, _ = run(["walk", path, "--format", "json", "--as-of", day])
        ages.append(json.loads(out)["patient"]["age"])
    assert ages == [45, 46]


def test_a_bad_as_of_date_exits_2_naming_the_option(tmp_path: Path) -> None:
    status, _, err = run(["walk", write(tmp_path, bundle(patient())), "--as-of", "June 1"])
    assert status == 2
    assert "--as-of" in err


def test_bad_fhir_exits_2_naming_the_resource_and_element(tmp_path: Path) -> None:
    broken = bundle(patient(), {"resourceType": "Observation", "id": "o1", "status": "final"})
    status, out, err = run(["walk", write(tmp_path, broken)])
    assert (status, out) == (2, "")
    assert "invalid FHIR: Observation/o1.code: is required and missing" in err
    assert "Traceback" not in err


def test_a_resource_that_is_not_a_bundle_exits_2(tmp_path: Path) -> None:
    status, _, err = run(["walk", write(tmp_path, patient())])
    assert status == 2
    assert "resourceType" in err
    assert "'Patient'" in err


def test_a_cohort_of_bundles_walks_each_line_and_reports_the_bad_one(tmp_path: Path) -> None:
    good = bundle(patient("1980-05-01"), b_all(), bcr_abl1("pcr", present=False))
    bad = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": {"resourceType": "Condition", "id": "c"}}],
    }
    lines = [json.dumps(good), json.dumps(bad), json.dumps({"ph": "negative", "lineage": "T"}), "{"]
    status, out, _ = run(
        ["walk", write(tmp_path, "\n".join(lines) + "\n", "cohort.jsonl"), "--as-of", "2026-06-01"]
    )
    records = [json.loads(line) for line in out.splitlines()]
    assert status == 2
    assert len(records) == 4
    assert records[0]["patient"] == {"age": 46, "ph": "negative", "lineage": "B", "status": "relapsed"}
    assert records[1] == {"line": 2, "error": "invalid FHIR: Condition/c.subject: is required and missing"}
    assert records[2]["patient"] == Patient(ph="negative", lineage="T").to_dict()
    assert "fhir" not in records[2]
    assert "not valid JSON" in records[3]["error"]


def test_a_cohort_can_be_written_as_fhir_bundles(tmp_path: Path) -> None:
    from fhir.resources.R4B.bundle import Bundle

    line = json.dumps(bundle(patient("1980-05-01"), b_all()))
    status, out, _ = run(["walk", write(tmp_path, line + "\n", "c.jsonl"), "--format", "fhir"])
    assert status == 0
    Bundle.model_validate_json(out.splitlines()[0])


def test_plain_patient_json_still_walks_as_before(tmp_path: Path) -> None:
    status, out, _ = run(
        ["walk", write(tmp_path, {"ph": "negative", "lineage": "T", "age": 40}), "--format", "json"]
    )
    assert status == 0
    assert "fhir" not in json.loads(out)


def test_a_cd20_percentage_is_read_only_with_the_threshold_given(tmp_path: Path) -> None:
    from fhir_fixtures import LNC, concept, observation

    percent = observation(
        "cd20", concept(LNC, "51115-4"), valueQuantity={"value": 30, "unit": "%", "code": "%"}
    )
    path = write(tmp_path, bundle(patient(), percent))
    _, out, _ = run(["walk", path, "--format", "json"])
    assert "cd20" not in json.loads(out)["patient"]
    _, out, _ = run(["walk", path, "--format", "json", "--cd20-threshold", "20"])
    assert json.loads(out)["patient"]["cd20"] == "positive"


def test_a_record_that_is_not_all_is_reported_not_walked_and_not_drawn(tmp_path: Path) -> None:
    path = str(FHIR / "mpal-not-all.json")
    status, out, _ = run(["walk", path])
    assert status == 0
    assert "Not walked: not ALL" in out
    assert "Options offered" not in out
    status, _, err = run(["render", "--patient", path, "-o", str(tmp_path / "route.svg")])
    assert status == 2
    assert "not ALL" in err
    assert not (tmp_path / "route.svg").exists()


def test_import_rrall_loads_no_fhir_library() -> None:
    import subprocess
    import sys

    code = (
        "import sys, rrall; rrall.walk(rrall.Patient(induction_drugs=['VCR']));"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fhir', 'pydantic', 'fhirpathpy')"
        " or m.startswith('rrall.fhir')))"
    )
    run_ = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run_.stdout.strip() == "[]"
