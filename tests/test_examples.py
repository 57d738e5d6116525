"""Every example runs: each script in examples/, and each patient file through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rrall import RR_ALL, Patient

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))
PATIENTS = sorted((EXAMPLES / "patients").glob("*.json"))


def _run(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
    )


def test_there_is_an_example_script_and_patient_file_to_run() -> None:
    assert SCRIPTS
    assert PATIENTS


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_each_example_script_runs_from_anywhere(script: Path, tmp_path: Path) -> None:
    run = _run(str(script), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip(), f"{script.name} printed nothing"
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("patient", PATIENTS, ids=lambda path: path.name)
def test_each_example_patient_walks_through_the_cli(patient: Path) -> None:
    text = _run("-m", "rrall", "walk", str(patient))
    assert (text.returncode, text.stderr) == (0, "")
    assert RR_ALL.disclaimer.split(" (")[0] in text.stdout
    result = json.loads(_run("-m", "rrall", "walk", "--format", "json", str(patient)).stdout)
    given = Patient.from_dict(json.loads(patient.read_text(encoding="utf-8")))
    assert result["patient"] == given.to_dict()
    offered = {option["id"] for option in result["options"]}
    excluded = {item["id"] for item in result["excluded"]}
    assert offered | excluded == {leaf.id for leaf in RR_ALL.leaves}
    assert not offered & excluded


def test_the_example_cohort_gives_one_line_per_patient_and_reports_its_bad_line() -> None:
    cohort = EXAMPLES / "cohort.jsonl"
    lines = [line for line in cohort.read_text(encoding="utf-8").splitlines() if line.strip()]
    run = _run("-m", "rrall", "walk", str(cohort))
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(records) == len(lines)
    errors = [record for record in records if "error" in record]
    assert run.returncode == (2 if errors else 0)
    for record in errors:
        assert record["error"].startswith("invalid patient: ")
