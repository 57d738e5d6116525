"""The encoded R/R ALL text is sound under the checks of `rrall.testing`, for any patient.

Every valid patient is offered something; walks are deterministic and
survive a trip through JSON; every leaf is offered or excluded with a reason;
an option's conditions fit the patient; knowing more never adds an option nor
removes a definite one; and every route a patient can follow, the walk takes.
The last section shows that each check does fail when its property fails.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from rrall import RR_ALL, Patient, walk
from rrall._testing import _checks
from rrall.engine import AtLeast, Requirement, WalkResult
from rrall.testing import (
    PathCase,
    check_all,
    check_conditions_hold,
    check_deterministic,
    check_exclusions_have_reasons,
    check_has_options,
    check_path_satisfiable,
    check_refinement,
    check_round_trip,
    completions,
    partial_patients,
    paths,
    patients,
)


def _hide(patient: Patient, hidden: frozenset[str]) -> Patient:
    """``patient`` with the facts in ``hidden`` made unknown."""
    return Patient.from_dict({k: v for k, v in patient.to_dict().items() if k not in hidden})


# -- one patient at a time --------------------------------------------------------------------


@given(patients())
def test_every_complete_patient_passes_every_check(patient: Patient) -> None:
    result = check_all(patient)
    assert result.conditional == ()


@given(partial_patients())
def test_every_partial_patient_passes_every_check(patient: Patient) -> None:
    check_all(patient)


def test_the_patient_who_is_known_for_nothing_passes_every_check() -> None:
    result = check_all(Patient())
    assert result.definite  # transplant and a clinical trial, for every R/R patient (R8)


# -- refinement: knowing more ---------------------------------------------------------------------


@given(patients(), st.data())
def test_hiding_any_facts_of_a_complete_patient_refines(patient: Patient, data: st.DataObject) -> None:
    hidden = data.draw(st.frozensets(st.sampled_from(RR_ALL.schema.names)), label="hidden")
    check_refinement(_hide(patient, hidden), patient)


@given(partial_patients(), st.data())
def test_every_completion_of_a_partial_patient_refines_it(patient: Patient, data: st.DataObject) -> None:
    complete = data.draw(completions(patient), label="completion")
    check_refinement(patient, complete)


@given(partial_patients(), st.data())
def test_learning_some_facts_refines_step_by_step(patient: Patient, data: st.DataObject) -> None:
    """Partial → less partial → complete: each step refines the one before."""
    complete = data.draw(completions(patient), label="completion")
    learned = data.draw(st.frozensets(st.sampled_from(patient.unknown or ("age",))), label="learned")
    middle = _hide(complete, frozenset(patient.unknown) - learned)
    check_refinement(patient, middle)
    check_refinement(middle, complete)


@given(st.data())
def test_a_completion_reaching_any_offered_option_refines(data: st.DataObject) -> None:
    """Each option offered on conditions is offered to some completion, which meets them."""
    patient = data.draw(partial_patients(), label="partial")
    option = data.draw(st.sampled_from(walk(patient).options), label="option")
    complete = data.draw(completions(patient, reaching=option.id), label="completion")
    check_refinement(patient, complete)


@given(st.data())
def test_a_completion_avoiding_a_conditional_option_refines(data: st.DataObject) -> None:
    """Each option offered on conditions is withheld from some completion (else it were definite)."""
    patient = data.draw(partial_patients(), label="partial")
    conditional = walk(patient).conditional
    if conditional:
        option = data.draw(st.sampled_from(conditional), label="option")
        complete = data.draw(completions(patient, avoiding=option.id), label="completion")
        check_refinement(patient, complete)


# -- paths ----------------------------------------------------------------------------------------


@given(paths())
def test_every_path_a_patient_can_follow_is_followed(case: PathCase[Patient]) -> None:
    check_path_satisfiable(case)


# -- each check fails when its property fails -----------------------------------------------------

T_CELL_CHILD = Patient(age=10, ph="negative", lineage="T", status="refractory", relapses=0,
                       prior_therapies=1, cd20="negative", tkis_received=[], tkis_failed=[],
                       induction_drugs=[])  # fmt: skip


def _broken(result: WalkResult, **changes: object) -> WalkResult:
    return evolve(result, **changes)  # type: ignore[arg-type]


def test_check_has_options_fails_on_a_walk_that_offers_nothing() -> None:
    with pytest.raises(AssertionError, match="no option offered"):
        check_has_options(_broken(walk(T_CELL_CHILD), options=()))


def test_check_exclusions_fails_on_a_lost_leaf_or_a_missing_reason() -> None:
    result = walk(T_CELL_CHILD)
    with pytest.raises(AssertionError, match="not partitioned"):
        check_exclusions_have_reasons(_broken(result, excluded=result.excluded[1:]))
    empty = evolve(result.excluded[0], reason=" ")
    with pytest.raises(AssertionError, match="without reason"):
        check_exclusions_have_reasons(_broken(result, excluded=(empty, *result.excluded[1:])))
    elsewhere = evolve(result.excluded[0], node="different-tki")
    with pytest.raises(AssertionError, match="wrong node"):
        check_exclusions_have_reasons(_broken(result, excluded=(elsewhere, *result.excluded[1:])))


def test_check_conditions_fails_on_conditions_that_do_not_fit() -> None:
    complete = walk(T_CELL_CHILD)
    adult = Requirement(AtLeast("age", 18), "age ≥ 18", ("age",))
    option = evolve(complete.options[0], conditions=(adult,))
    with pytest.raises(AssertionError, match="complete patient"):
        check_conditions_hold(T_CELL_CHILD, _broken(complete, options=(option, *complete.options[1:])))
    partial = Patient(age=10)
    result = walk(partial)
    option = evolve(result.options[0], conditions=(adult,))
    with pytest.raises(AssertionError, match="known"):
        check_conditions_hold(partial, _broken(result, options=(option,)))
    never = Requirement(AtLeast("relapses", 100), "relapses ≥ 100", ("relapses",))
    option = evolve(result.options[0], conditions=(never,))
    with pytest.raises(AssertionError, match="unsatisfiable"):
        check_conditions_hold(partial, _broken(result, options=(option,)))
    with pytest.raises(ValueError, match="the result is for"):
        check_conditions_hold(Patient(), result)


def test_check_refinement_fails_when_knowing_more_changes_options_wrongly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    partial = Patient(ph="negative", lineage="T")

    def drops_clofarabine(patient: object, guideline: object) -> WalkResult:
        result = walk(patient)  # type: ignore[arg-type]
        if patient is T_CELL_CHILD:
            return _broken(result, options=tuple(o for o in result.options if o.id != "clofarabine"))
        return result

    monkeypatch.setattr(_checks, "walk", drops_clofarabine)
    with pytest.raises(AssertionError, match="removed a definite option"):
        check_refinement(partial, T_CELL_CHILD)

    def adds_dasatinib(patient: object, guideline: object) -> WalkResult:
        result = walk(patient)  # type: ignore[arg-type]
        if patient is T_CELL_CHILD:
            dasatinib = walk(Patient(ph="positive", tkis_failed=[])).option("dasatinib")
            return _broken(result, options=(*result.options, dasatinib))
        return result

    monkeypatch.setattr(_checks, "walk", adds_dasatinib)
    with pytest.raises(AssertionError, match="added options"):
        check_refinement(partial, T_CELL_CHILD)
    with pytest.raises(ValueError, match="does not extend"):
        check_refinement(Patient(lineage="B"), T_CELL_CHILD)


def test_check_refinement_fails_when_an_option_keeps_conditions_the_facts_refute(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    partial = Patient(ph="negative", lineage="T")  # liposomal vincristine if adult and ...

    def vincristine_regardless(patient: object, guideline: object) -> WalkResult:
        result = walk(patient)  # type: ignore[arg-type]
        if patient is T_CELL_CHILD:
            marqibo = walk(Patient(ph="negative", age=40, relapses=2)).option("vincristine-liposome")
            return _broken(result, options=(*result.options, marqibo))
        return result

    monkeypatch.setattr(_checks, "walk", vincristine_regardless)
    with pytest.raises(AssertionError, match="conditions fail"):
        check_refinement(partial, T_CELL_CHILD)


def test_check_deterministic_and_round_trip_fail_on_a_walk_that_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[object] = []

    def flaky(patient: object, guideline: object) -> WalkResult:
        calls.append(patient)
        result = walk(patient)  # type: ignore[arg-type]
        return _broken(result, missing=("age",) * len(calls))

    monkeypatch.setattr(_checks, "walk", flaky)
    with pytest.raises(AssertionError, match="not deterministic"):
        check_deterministic(T_CELL_CHILD)
    with pytest.raises(AssertionError, match="round trip"):
        check_round_trip(T_CELL_CHILD)


def test_check_path_satisfiable_fails_on_a_patient_off_the_route() -> None:
    route = ("ph-status", "ph-negative", "ph-negative-regimens", "combination-regimens", "nelarabine")
    conditions = tuple(
        RR_ALL.graph.edges[source, target]["branch"].when for source, target in itertools.pairwise(route)
    )
    check_path_satisfiable(PathCase(route, "nelarabine", conditions, T_CELL_CHILD))
    b_cell = Patient.from_dict({**T_CELL_CHILD.to_dict(), "lineage": "B"})
    with pytest.raises(AssertionError, match="leaves the route"):
        check_path_satisfiable(PathCase(route, "nelarabine", conditions, b_cell))
    dead = (*route[:1], "ph-positive", *route[2:4], "vincristine-liposome")
    dead_conditions = tuple(
        RR_ALL.graph.edges[source, target]["branch"].when for source, target in itertools.pairwise(dead)
    )
    with pytest.raises(AssertionError, match="unsatisfiable route"):
        check_path_satisfiable(PathCase(dead, "vincristine-liposome", dead_conditions, T_CELL_CHILD))


# -- a user's own suite -------------------------------------------------------------------------


def test_the_example_user_suite_passes_under_pytest() -> None:
    """examples/test_user_suite.py is outside `testpaths`: it runs here, once, in its own pytest."""
    root = Path(__file__).resolve().parent.parent
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "examples/test_user_suite.py", "-q", "-p", "no:cacheprovider"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"^\d+ passed", run.stdout.splitlines()[-1])
    assert "failed" not in run.stdout
