"""Bad input never crashes rrall: arbitrary JSON is refused with the field named.

Every failure is `InvalidRecord` (a ValueError and a TypeError) naming the
field, or on the command line exit status 2 and one line on stderr, never a
traceback.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from helpers import run
from rrall import InvalidRecord, Patient, walk
from rrall.engine.tools._load import LoadError, guideline_from_dict
from rrall.engine.tools._serialize import guideline_to_dict
from rrall.rr_all import PATIENT_SCHEMA, RR_ALL

FIELDS = PATIENT_SCHEMA.names

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
# Values that are nearly right: real choices, TKI names, counts at and past the bounds.
plausible = (
    st.sampled_from(
        [
            "positive",
            "negative",
            "B",
            "T",
            "relapsed",
            "refractory",
            "imatinib",
            "dasatinib",
            "",
            " ",
            "Positive",
        ]
    )
    | st.sampled_from([0, 1, 2, 18, 25, 99, 100, 120, 121, -1, 1.0, True])
    | st.lists(
        st.sampled_from(["imatinib", "dasatinib", "ponatinib", "nilotinib", "bosutinib", "aspirin", "", 3]),
        max_size=4,
    )
)
# Keys that are names inside Python or rrall: a record may carry any of them.
awkward_keys = st.sampled_from(
    ["self", "cls", "unknown", "_facts", "__facts__", "__class__", "__dict__", "kwargs"]
)
records = st.dictionaries(
    st.sampled_from(FIELDS) | awkward_keys | st.text(max_size=8), json_values | plausible, max_size=6
)
anything = json_values | records


def _assert_names_its_fields(error: InvalidRecord, data: object) -> None:
    assert isinstance(error, ValueError)
    assert isinstance(error, TypeError)
    assert error.fields, "an error names at least one field"
    allowed = {str(key) for key in data} if isinstance(data, dict) else set()
    assert set(error.fields) <= allowed | {"patient"}
    for field in error.fields:
        assert field in str(error)


@given(anything)
def test_patient_from_dict_accepts_a_record_or_names_every_bad_field(data: object) -> None:
    try:
        patient = Patient.from_dict(data)
    except InvalidRecord as error:
        _assert_names_its_fields(error, data)
    else:
        assert Patient.from_dict(patient.to_dict()) == patient
        walk(patient)


@given(records)
@example({"self": "positive"})  # once a TypeError from Python, not an InvalidRecord
def test_patient_keyword_arguments_are_checked_like_json(data: dict[str, Any]) -> None:
    try:
        Patient(**data)
    except InvalidRecord as error:
        _assert_names_its_fields(error, data)


@given(anything, st.sampled_from(["text", "json"]))
def test_rrall_walk_reads_any_json_and_refuses_bad_input_in_one_line(data: object, fmt: str) -> None:
    status, out, err = run(["walk", "--format", fmt, "-"], json.dumps(data))
    assert status in (0, 2)
    if status == 2:
        assert out == ""
        try:
            json.dumps(data, allow_nan=False)
        except ValueError:  # Python writes NaN and Infinity, which are not JSON, and are refused so
            assert err.startswith("rrall: input: not valid JSON (")
        else:
            assert err.startswith("rrall: input: invalid patient: ")
        assert err.count("\n") == 1
        assert "Traceback" not in err


@given(st.text(max_size=40))
def test_rrall_walk_refuses_text_that_is_not_json(text: str) -> None:
    status, _, err = run(["walk", "-"], text)
    assert status in (0, 2)
    if status == 2:
        assert err.count("\n") == 1
        assert err.startswith("rrall: input: ")


@given(st.lists(anything, min_size=1, max_size=4))
def test_rrall_walk_jsonl_answers_every_line_with_a_result_or_its_error(lines: list[object]) -> None:
    status, out, err = run(["walk", "--jsonl", "-"], "\n".join(json.dumps(line) for line in lines))
    answers = [json.loads(line) for line in out.split("\n")[:-1]]  # JSON Lines end each line with \n
    assert len(answers) == len(lines)
    errors = [answer for answer in answers if "error" in answer]
    assert status == (2 if errors else 0)
    # Bad lines are counted in one line on stderr, which names the first.
    if errors:
        assert err.startswith(f"rrall: input: {len(errors)} of {len(lines)} lines invalid")
        assert err.count("\n") == 1
    else:
        assert err == ""
    assert not errors or f"line {errors[0]['line']}: " in err


def test_the_installed_command_refuses_bad_input_without_a_traceback() -> None:
    for text in ('{"age": "forty"}', '{"ph": ["positive"], "tkis_failed": 7}', "[1, 2", '"patient"'):
        done = subprocess.run(
            [sys.executable, "-m", "rrall", "walk", "-"],
            input=text,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2, text
        assert done.stdout == ""
        assert done.stderr.count("\n") == 1, done.stderr
        assert "Traceback" not in done.stderr


# -- Guideline exports (`rrall diff`, `rrall verify FILE`) ------------------------------

EXPORT: dict[str, Any] = json.loads(json.dumps(guideline_to_dict(RR_ALL)))


@given(anything)
def test_loading_any_json_as_a_guideline_fails_only_with_a_load_error(data: object) -> None:
    refused = None
    try:
        guideline_from_dict(data, base=RR_ALL)
    except LoadError as error:
        refused = str(error)
    assert refused is None or refused.strip()


@given(st.sampled_from(["nodes", "edges"]), st.integers(0, 40), json_values, st.data())
def test_an_export_with_one_value_spoilt_loads_or_fails_with_a_load_error(
    part: str, index: int, value: object, data: st.DataObject
) -> None:
    spoilt = copy.deepcopy(EXPORT)
    items = spoilt[part]
    item = items[index % len(items)]
    key = data.draw(st.sampled_from(sorted(item)))
    item[key] = value
    refused = None
    try:
        guideline_from_dict(spoilt)
    except LoadError as error:
        refused = str(error)
    assert refused is None or refused.strip()
