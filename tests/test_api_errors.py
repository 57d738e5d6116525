"""The Python API refuses wrong arguments clearly, and shows itself briefly.

A wrong argument type raises `TypeError` naming the type expected; an id that
is no leaf raises `KeyError` naming the nearest ids; a leaf that is not offered
is None from `option` (and has its reason from `exclusion`). Reprs are short
enough to read: a guideline's is one line, a result's fits on a screen.
"""

from __future__ import annotations

import pydoc
import subprocess
import sys

import pytest

import rrall
from rrall import RR_ALL, Patient, render, screen, verify, walk
from rrall.engine import walk as walk_guideline

T_CELL_ADULT = Patient(ph="negative", lineage="T", age=40)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (
            lambda: walk('{"age": 40}'),
            "walk(): patient must be a Patient, or a dict in its JSON form, got str",
        ),
        (lambda: walk(None), "walk(): patient must be a Patient, or a dict in its JSON form, got NoneType"),
        (lambda: walk([("age", 40)]), "got list"),
        (lambda: screen(40), "screen(): patient must be a Patient, or a dict in its JSON form, got int"),
        (lambda: walk(T_CELL_ADULT, "rr-all"), "walk(): guideline must be a Guideline"),  # type: ignore[arg-type]
        (
            lambda: render(T_CELL_ADULT),
            "render(): result must be a WalkResult from walk(), or None, got Patient",
        ),
        (lambda: render(guideline="rr-all"), "render(): guideline must be a Guideline"),  # type: ignore[arg-type]
        (lambda: render(format=None), "render(): format must be a str"),  # type: ignore[arg-type]
        (lambda: verify("rr-all"), "verify(): guideline must be a Guideline, got str"),  # type: ignore[arg-type]
    ],
)
def test_a_wrong_argument_type_raises_type_error_naming_the_type_expected(
    call: object, expected: str
) -> None:
    with pytest.raises(TypeError) as raised:
        call()  # type: ignore[operator]
    assert expected in str(raised.value)
    assert not isinstance(raised.value, AttributeError)


def test_json_text_given_to_walk_is_pointed_at_from_dict() -> None:
    with pytest.raises(TypeError, match=r"use Patient\.from_dict\(json\.loads\(text\)\)"):
        walk('{"age": 40}')


def test_the_engine_walk_names_a_record_without_the_facts() -> None:
    with pytest.raises(TypeError, match="got str \\(no attribute 'age'\\)"):
        walk_guideline("not a record", RR_ALL)


def test_a_record_with_every_fact_as_an_attribute_is_still_walked() -> None:
    class Record:
        def __init__(self, **facts: object) -> None:
            for name in RR_ALL.schema.names:
                setattr(self, name, facts.get(name))

    assert walk(Record(ph="negative", lineage="T", age=40)).option_ids == walk(T_CELL_ADULT).option_ids


def test_a_bad_dict_still_raises_invalid_record_naming_the_field() -> None:
    with pytest.raises(rrall.InvalidRecord, match="age: must be a whole number"):
        walk({"age": "forty"})


@pytest.mark.parametrize(
    ("typed", "nearest"),
    [
        ("Blinatumomab", "'blinatumomab'"),
        ("nelarabin", "'nelarabine'"),
        ("hyper-cvad", "'augmented-hyper-cvad'"),
    ],
)
def test_asking_about_an_id_that_is_no_leaf_raises_key_error_naming_the_nearest(
    typed: str, nearest: str
) -> None:
    result = walk(T_CELL_ADULT)
    for ask in (result.option, result.exclusion):
        with pytest.raises(KeyError) as raised:
            ask(typed)
        assert f"'{typed}' is no leaf of rr-all; the nearest: {nearest}" in str(raised.value)


def test_an_id_far_from_every_leaf_lists_the_leaves() -> None:
    with pytest.raises(KeyError, match="the leaves: alkylator-regimen, allogeneic-sct, augmented-hyper-cvad"):
        walk(T_CELL_ADULT).option("zzz")


def test_a_leaf_not_offered_is_none_from_option_with_its_reason_from_exclusion() -> None:
    """The T-cell adult is not offered blinatumomab (a B-cell option): documented as None."""
    result = walk(T_CELL_ADULT)
    assert result.option("blinatumomab") is None
    exclusion = result.exclusion("blinatumomab")
    assert exclusion is not None
    assert exclusion.reason
    assert result.exclusion("nelarabine") is None
    assert result.option("nelarabine") is not None


def test_a_guideline_repr_names_it_in_one_line() -> None:
    assert repr(RR_ALL) == f"<Guideline 'rr-all': {len(RR_ALL.nodes)} nodes, {len(RR_ALL.leaves)} leaves>"


def test_help_on_walk_is_short() -> None:
    assert len(pydoc.plain(pydoc.render_doc(rrall.walk))) < 3000


@pytest.mark.parametrize(
    "patient",
    [T_CELL_ADULT, Patient(), Patient(induction_drugs=[f"drug {'x' * 500} {n}" for n in range(200)])],
    ids=["complete", "nothing-known", "long-drug-names"],
)
def test_a_result_repr_fits_on_a_screen_and_names_its_ids(patient: Patient) -> None:
    result = walk(patient)
    shown = repr(result)
    assert len(shown) <= 80 * 24
    assert "\n" not in shown
    assert shown.startswith("WalkResult(guideline='rr-all', patient=")
    assert all(repr(option_id) in shown for option_id in result.option_ids)


# -- the Hypothesis plugin --------------------------------------------------------------


def _python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


def test_import_hypothesis_imports_nothing_of_rrall() -> None:
    """The plugin is installed (the entry point), yet loads no module of rrall."""
    probe = (
        "import sys, importlib.metadata as m, hypothesis\n"
        "hooks = [e.value for e in m.entry_points(group='hypothesis')]\n"
        "print('_rrall_hypothesis:setup' in hooks, sorted(n for n in sys.modules if n.startswith('rrall')))"
    )
    assert _python(probe) == "True []"


def test_from_type_patient_works_when_rrall_is_imported_after_hypothesis() -> None:
    code = (
        "import hypothesis.strategies as st, sys\n"
        "import rrall\n"
        "print('rrall.testing' in sys.modules, st.from_type(rrall.Patient).example().unknown)"
    )
    assert _python(code) == "False ()"
