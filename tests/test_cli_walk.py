"""`rrall walk` and `rrall export`: reports, JSON, batches, and clear refusals."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run
from rrall import RR_ALL

EXAMPLES = Path(__file__).parent.parent / "examples"


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_report_shows_options_exclusions_missing_facts_and_citations() -> None:
    status, out, _ = run(["walk", str(EXAMPLES / "patients" / "partly-known.json")])
    assert status == 0
    assert "not medical advice" in out
    assert "Options offered" in out
    assert "Not offered" in out
    assert "Path taken" in out
    assert "Facts that would change the options" in out
    assert "“Ph-Negative ALL … Ph-Positive ALL”" in out  # ph unknown: both branches, both spans


def test_json_format_prints_one_object_with_the_documented_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "p.json", '{"ph": "negative", "lineage": "T", "age": 40}')
    status, out, _ = run(["walk", path, "--format", "json"])
    assert status == 0
    data = json.loads(out)
    assert {"options", "excluded", "missing", "path"} <= set(data)
    assert {"id", "name", "drugs", "conditions"} <= set(data["options"][0])
    assert set(data["excluded"][0]) >= {"id", "reason"}
    nelarabine = next(option for option in data["options"] if option["id"] == "nelarabine")
    assert nelarabine["conditions"] == []


def test_stdin_is_read_with_a_dash() -> None:
    status, out, _ = run(["walk", "-", "--format", "json"], stdin='{"ph": "positive", "tkis_failed": []}')
    assert status == 0
    assert [o["id"] for o in json.loads(out)["options"]][:2] == ["dasatinib", "ponatinib"]


def test_a_jsonl_batch_prints_one_line_per_input_line_and_survives_a_bad_line(tmp_path: Path) -> None:
    lines = ['{"ph": "negative", "lineage": "T"}', '{"age": -1}', "not json", '{"ph": "positive"}']
    path = write(tmp_path, "cohort.jsonl", "\n".join(lines) + "\n")
    status, out, _ = run(["walk", path])
    records = [json.loads(line) for line in out.splitlines()]
    assert status == 2
    assert len(records) == 4
    assert "nelarabine" in [o["id"] for o in records[0]["options"]]
    assert records[1] == {"line": 2, "error": "invalid patient: age: must be from 0 to 120, got -1"}
    assert records[2]["line"] == 3
    assert "not valid JSON" in records[2]["error"]
    assert records[3]["patient"] == {"ph": "positive"}


def test_a_clean_batch_exits_zero(tmp_path: Path) -> None:
    path = write(tmp_path, "c.jsonl", '{"ph": "negative"}\n{"ph": "positive"}\n')
    status, out, _ = run(["walk", path])
    assert status == 0
    assert len(out.splitlines()) == 2


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('{"age": "thirty"}', "age"),
        ('{"ph": "pos"}', "ph"),
        ('{"tkis_received": ["imatinib"], "tkis_failed": ["ponatinib"]}', "tkis_failed"),
        ('{"weight": 70}', "weight"),
        ("[1, 2]", "patient"),
        ("{", "not valid JSON"),
    ],
)
def test_invalid_input_exits_2_with_one_line_naming_the_field(tmp_path: Path, text: str, named: str) -> None:
    status, out, err = run(["walk", write(tmp_path, "bad.json", text)])
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert named in err
    assert err.startswith("rrall: ")


def test_a_missing_file_is_a_one_line_error() -> None:
    status, _, err = run(["walk", "no-such-patient.json"])
    assert status == 2
    assert "cannot read no-such-patient.json" in err


def test_no_traceback_reaches_the_user_of_the_installed_command(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", '{"age": 200, "ph": "maybe"}')
    done = subprocess.run(
        [sys.executable, "-m", "rrall", "walk", bad], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"rrall: {bad}: invalid patient: age: must be from 0 to 120, got 200; "
        "ph: must be one of 'positive', 'negative', got 'maybe'"
    )


def test_export_prints_nodes_with_quotes_and_labelled_edges() -> None:
    status, out, _ = run(["export", "--format", "json"])
    data = json.loads(out)
    assert status == 0
    assert len(data["nodes"]) == len(RR_ALL.nodes)
    assert all({"id", "kind", "label", "quote"} <= set(node) for node in data["nodes"])
    assert {"source", "target", "label"} <= set(data["edges"][0])
    kinds = {node["id"]: node["kind"] for node in data["nodes"]}
    assert kinds["ph-status"] == "decision"
    assert kinds["nelarabine"] == "regimen"
    joins = [edge for edge in data["edges"] if edge["target"] == "ph-negative-regimens"]
    assert {edge["source"] for edge in joins} == {"ph-negative", "ph-positive"}
