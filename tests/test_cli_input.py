"""No input crashes the command line: each bad input exits 2 with one short line naming it.

Every case here was once a traceback, a lost cohort or a 10 MB error line; the
limits are the ones docs/commands.md documents.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run
from rrall._input import MAX_DEPTH, MAX_MESSAGE, MAX_RECORD_BYTES

EXAMPLES = Path(__file__).parent.parent / "examples"
COHORT = EXAMPLES / "cohort.jsonl"
#: The most stderr may hold for a bad input: "rrall: ", the message, the newline.
LONGEST_ERROR = len("rrall: \n") + MAX_MESSAGE


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def assert_one_short_line(status: int, err: str, *named: str) -> None:
    assert status == 2
    assert err.startswith("rrall: ")
    assert err.count("\n") == 1
    assert len(err) <= LONGEST_ERROR, len(err)
    assert "Traceback" not in err
    for name in named:
        assert name in err, (name, err)


def jsonl(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.split("\n")[:-1]]


# -- one patient --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (bytes(range(256)) * 2, "not UTF-8 text (byte 0x80 at offset 128)"),
        ('{"age": 40}'.encode("utf-16"), "not UTF-8 but UTF-16"),
        ('{"age": 40}'.encode("utf-16-le"), "not UTF-8 but UTF-16"),
        (b"[" * 100_000, f"nested deeper than {MAX_DEPTH} levels"),
        (b'{"induction_drugs": ' + b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1) + b"}", "nested deeper"),
        (b'{"age": ' + b"9" * 5000 + b"}", "age: must be a whole number, got a number of 5,000 digits"),
        (b'{"induction_drugs": ["\\ud800"]}', "a \\u escape in 'induction_drugs' is half a UTF-16 pair"),
        (b'{"ph": "' + b"x" * 10_000_000 + b'"}', "larger than 1 MiB"),
        (b'{"age": -Infinity}', "not valid JSON (-Infinity is not a JSON value)"),
        (b'{"' + b"x" * 60 + b'": "\\ud800"}', "a \\u escape in '" + "x" * 39 + "…' is half a UTF-16 pair"),
    ],
    ids=[
        "random-bytes",
        "utf-16",
        "utf-16-no-bom",
        "deep",
        "deep-field",
        "huge-number",
        "surrogate",
        "10MB",
        "infinity",
        "surrogate-in-a-long-field",
    ],
)
def test_a_bad_file_exits_2_with_one_short_line_naming_it(tmp_path: Path, data: bytes, named: str) -> None:
    path = write(tmp_path, "bad.json", data)
    status, out, err = run(["walk", path])
    assert out == ""
    assert_one_short_line(status, err, f"rrall: {path}: ", named)


def test_a_long_value_is_cut_with_an_ellipsis_and_every_field_still_named() -> None:
    record = {"ph": "x" * 500_000, "lineage": "y" * 500, "age": "z" * 500}
    status, _, err = run(["walk", "-"], json.dumps(record))
    assert_one_short_line(
        status, err, "ph: must be one of", "lineage: must be one of", "age: must be a whole"
    )
    assert "xxx…" in err


def test_a_10_mb_drug_name_is_refused_at_once_in_text_format() -> None:
    status, out, err = run(["walk", "--format", "text", "-"], json.dumps({"induction_drugs": ["x" * 10**7]}))
    assert out == ""
    assert_one_short_line(status, err, "larger than 1 MiB, the most rrall reads for one record")


def test_a_record_at_the_limit_is_read() -> None:
    padding = MAX_RECORD_BYTES - len(json.dumps({"ph": "negative", "induction_drugs": [""]}))
    record = json.dumps({"ph": "negative", "induction_drugs": ["a" * padding]})
    assert len(record) == MAX_RECORD_BYTES
    status, out, _ = run(["walk", "--format", "json", "-"], record)
    assert status == 0
    assert json.loads(out)["patient"]["ph"] == "negative"


def test_a_utf8_byte_order_mark_is_skipped() -> None:
    status, out, _ = run(["walk", "--format", "json", "-"], codecs.BOM_UTF8 + b'{"ph": "negative"}')
    assert status == 0
    assert json.loads(out)["patient"] == {"ph": "negative"}


def test_an_array_of_patients_is_refused_with_a_hint_at_json_lines() -> None:
    status, _, err = run(["walk", "-"], '[{"age": 3}, {"age": 4}]')
    assert_one_short_line(status, err, "must be a JSON object, got list", "one patient per line (JSON Lines)")


def test_usage_errors_are_one_line_too() -> None:
    for argv in (["walk"], ["walk", "-", "--format", "yaml"], [], ["walk", "-", "--no-such-option"]):
        status, out, err = run(argv)
        assert out == ""
        assert_one_short_line(status, err, "--help")


def test_render_and_diff_read_their_input_the_same_way(tmp_path: Path) -> None:
    status, _, err = run(["render", "--patient", "-"], b"\xff\xfe{")
    assert_one_short_line(status, err, "rrall: input: not UTF-8")
    status, _, err = run(["render", "--patient", str(COHORT)])
    assert_one_short_line(status, err, "holds JSON Lines; render draws the route of one patient")
    status, _, err = run(["diff", "rr-all", write(tmp_path, "deep.json", b"[" * 100_000)])
    assert_one_short_line(status, err, "deep.json: nested deeper than")


# -- JSON Lines ---------------------------------------------------------------------------


def test_a_bad_line_of_any_kind_gives_its_error_record_and_every_other_line_is_walked(tmp_path: Path) -> None:
    lines = [
        b'{"ph": "negative", "lineage": "T"}',
        b"\xff\xfe\x00{",
        b"[" * 100_000,
        b'{"ph": "' + b"x" * (MAX_RECORD_BYTES + 10) + b'"}',
        b"",
        b'{"age": 40}',
    ]
    status, out, err = run(["walk", write(tmp_path, "cohort.jsonl", b"\n".join(lines) + b"\n")])
    answers = jsonl(out)
    assert [answer.get("line") for answer in answers] == [None, 2, 3, 4, None]
    assert "not UTF-8" in str(answers[1]["error"])
    assert "nested deeper than" in str(answers[2]["error"])
    assert "larger than 1 MiB" in str(answers[3]["error"])
    assert answers[4]["patient"] == {"age": 40}
    assert all(len(json.dumps(answer)) < 1000 for answer in answers[1:4])
    assert_one_short_line(status, err, "cohort.jsonl: 3 of 5 lines invalid", "line 2: not UTF-8")


def test_a_cohort_piped_to_stdin_is_walked_as_json_lines() -> None:
    status, out, err = run(["walk", "-"], COHORT.read_bytes())
    answers = jsonl(out)
    assert len(answers) == len(COHORT.read_text().splitlines())
    assert answers[2]["line"] == 3  # the example's deliberately invalid line
    assert_one_short_line(status, err, "input: 1 of 4 lines invalid", "line 3: invalid patient")


def test_stdin_whose_first_line_is_bad_is_refused_with_a_hint_at_jsonl() -> None:
    status, _, err = run(["walk", "-"], '{"age": 3}\n{"age": 4}\n'.replace("3}", "3"))
    assert_one_short_line(status, err, "not valid JSON", "give --jsonl")
    status, out, _ = run(["walk", "--jsonl", "-"], '{"age": 3\n{"age": 4}\n')
    assert [answer.get("line") for answer in jsonl(out)] == [1, None]


def test_a_pretty_printed_patient_on_stdin_is_one_patient() -> None:
    status, out, _ = run(
        ["walk", "--format", "json", "-"], json.dumps({"ph": "negative", "age": 3}, indent=2)
    )
    assert status == 0
    assert json.loads(out)["patient"] == {"age": 3, "ph": "negative"}


def test_text_format_for_a_cohort_gives_a_report_per_patient() -> None:
    status, out, err = run(["walk", "--format", "text", str(COHORT)])
    headings = [line for line in out.splitlines() if line.startswith("== line ")]
    assert headings[:2] == ["== line 1", "== line 2"]
    assert headings[2].startswith("== line 3: invalid patient: age: must be from 0 to 120, got -1")
    assert out.count("Options offered") == 3
    assert not out.lstrip().startswith("{")
    assert_one_short_line(status, err, "1 of 4 lines invalid")


# -- the installed command ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("random.json", bytes(range(255, -1, -1))),
        ("utf16.json", '{"age": 40}'.encode("utf-16")),
        ("deep.json", b"[" * 100_000),
        ("deep.jsonl", b'{"age": 1}\n' + b"[" * 100_000 + b'\n{"age": 2}\n'),
        ("huge.json", b'{"ph": "' + b"x" * 10_000_000 + b'"}'),
    ],
)
def test_the_installed_command_refuses_them_without_a_traceback(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = write(tmp_path, name, data)
    done = subprocess.run(
        [sys.executable, "-m", "rrall", "walk", path], capture_output=True, text=True, check=False, timeout=60
    )
    assert_one_short_line(done.returncode, done.stderr, path)
    if name.endswith(".jsonl"):
        assert [record.get("line") for record in jsonl(done.stdout)] == [None, 2, None]
    else:
        assert done.stdout == ""


def test_an_output_encoding_without_the_reports_characters_is_one_line_not_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rrall", "walk", str(EXAMPLES / "patients" / "partly-known.json")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    assert_one_short_line(done.returncode, done.stderr, "cannot encode; use a UTF-8 locale")


def test_a_directory_is_refused_in_one_line(tmp_path: Path) -> None:
    status, _, err = run(["walk", str(tmp_path)])
    assert_one_short_line(status, err, f"cannot read {tmp_path}: Is a directory")
