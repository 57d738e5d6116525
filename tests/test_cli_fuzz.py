"""The command line on raw bytes: whatever it is given, it answers or refuses in one short line.

For any bytes on stdin or in a file, `rrall walk` exits 0 or 2, never with a
traceback, with at most one bounded line on stderr; in JSON Lines every line
that is not blank gets one answer, in order. Runs in-process through
`rrall._cli.main` (see helpers.run) for speed; test_cli_input.py runs the
installed command on the worst cases.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from helpers import run
from rrall._input import MAX_MESSAGE, MAX_RECORD_BYTES
from rrall.rr_all import PATIENT_SCHEMA

LONGEST_ERROR = len("rrall: \n") + MAX_MESSAGE
BLANK = b" \t\r"

#: Values close to a patient's: its fields, their values, and some that break them.
_values = st.sampled_from(
    ["positive", "negative", "B", "T", "relapsed", "imatinib", "", "\u2028"]
) | st.integers(-2, 130)
_records = st.dictionaries(
    st.sampled_from(PATIENT_SCHEMA.names) | st.text(max_size=4),
    _values | st.lists(_values, max_size=3) | st.none(),
    max_size=5,
).map(lambda record: json.dumps(record, ensure_ascii=False).encode("utf-8"))
#: One line's bytes: raw, text in UTF-8, or a record that may validate.
_lines = st.binary(max_size=40) | st.text(max_size=30).map(lambda text: text.encode("utf-8")) | _records
_inputs = _lines | st.lists(_lines, max_size=5).map(b"\n".join)

#: The cases found by hand (issue 10): each once a traceback, a lost line or a 10 MB error.
_CASES = [
    bytes(range(256)),
    '{"age": 40}'.encode("utf-16"),
    '{"age": 40}'.encode("utf-16-le"),
    b"[" * 100_000,
    b'{"age": 1}\n' + b"[" * 100_000 + b'\n{"age": 2}',
    b'{"ph": "' + b"x" * (MAX_RECORD_BYTES + 1) + b'"}',
    b'{"induction_drugs": ["' + b"x" * (MAX_RECORD_BYTES - 100) + b'"]}',
    b'{"age": ' + b"9" * 5000 + b"}",
    b'{"induction_drugs": ["\\udfff"]}',
    codecs.BOM_UTF8 + b'{"age": 3}',
    b'{"age": 3}\x00',
    b'{"ph": "negative"}\n{"ph": "positive"}\n',
    b'{"ph": "negative"\n{"ph": "positive"}\n',
    b'{"\xff": 1}\n\xff\n\n',
]


def _assert_answered_or_refused_in_one_short_line(status: int, err: str) -> None:
    assert status in (0, 2)
    assert "Traceback" not in err
    assert len(err) <= LONGEST_ERROR, len(err)
    assert err.count("\n") == (0 if status == 0 else 1)


def _cases(*more: object) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Seed a test with each of `_CASES` (followed by the arguments ``more``)."""

    def seeded(test: Callable[..., None]) -> Callable[..., None]:
        for case in _CASES:
            test = example(case, *more)(test)
        return test

    return seeded


@given(_inputs, st.sampled_from(["text", "json"]))
@_cases("json")
@_cases("text")
def test_walk_answers_or_refuses_any_bytes_on_stdin(data: bytes, fmt: str) -> None:
    status, out, err = run(["walk", "--format", fmt, "-"], data)
    _assert_answered_or_refused_in_one_short_line(status, err)
    if fmt == "json" and out:
        assert all(json.loads(line) for line in out.split("\n")[:-1])


@given(_inputs)
@_cases()
def test_walk_jsonl_answers_every_line_that_is_not_blank_in_order(data: bytes) -> None:
    status, out, err = run(["walk", "--jsonl", "-"], data)
    _assert_answered_or_refused_in_one_short_line(status, err)
    numbered = [number for number, line in enumerate(data.split(b"\n"), 1) if line.strip(BLANK)]
    answers = [json.loads(line) for line in out.split("\n")[:-1]]
    assert len(answers) == len(numbered)
    # Each error record stands in its line's place and names it.
    assert [answer.get("line", n) for n, answer in zip(numbered, answers, strict=True)] == numbered
    errors = [answer for answer in answers if "error" in answer]
    assert all(len(answer["error"]) <= MAX_MESSAGE for answer in errors)
    assert status == (2 if errors else 0)


@given(data=_inputs)
@_cases()
def test_render_answers_or_refuses_any_patient_file(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path: Path = tmp_path_factory.mktemp("fuzz") / "patient.json"
    path.write_bytes(data)
    status, out, err = run(["render", "--format", "mermaid", "--patient", str(path)])
    _assert_answered_or_refused_in_one_short_line(status, err)
    assert (status == 0) == out.startswith("flowchart TD")
