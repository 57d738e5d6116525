"""The strategies of `rrall.testing` draw what they promise, for R/R ALL and for any guideline.

Each strategy is checked against the walk itself: a patient drawn to reach a
leaf is offered it, one drawn to avoid it is not, a complete patient knows
every fact, and every drawn record validates.
"""

from __future__ import annotations

import doctest
import itertools
import subprocess
import sys
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import rrall.testing
from rrall import RR_ALL, Patient, walk
from rrall._testing import _checks, _solve, _strategies
from rrall.engine import (
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    Branch,
    Choice,
    Contains,
    CountAtLeast,
    Decision,
    Guideline,
    Implies,
    Integer,
    Is,
    Not,
    OptionGroup,
    Regimen,
    Schema,
    Subset,
    SubsetOf,
)
from rrall.engine import walk as walk_guideline
from rrall.testing import PathCase, completions, partial_patients, paths, patients

LEAVES = tuple(leaf.id for leaf in RR_ALL.leaves)
#: R8: transplant and a clinical trial apply to every R/R patient, so no patient avoids them.
FOR_EVERY_PATIENT = ("allogeneic-sct", "clinical-trial")
AVOIDABLE = tuple(leaf for leaf in LEAVES if leaf not in FOR_EVERY_PATIENT)
FACTS = RR_ALL.schema.names


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )


# -- packaging: Hypothesis stays optional, and from_type(Patient) is registered ---------------


def test_import_rrall_does_not_import_hypothesis() -> None:
    run = _python("import sys, rrall; rrall.walk(rrall.Patient()); print('hypothesis' in sys.modules)")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


@pytest.mark.parametrize(
    "first", ["import hypothesis", "import rrall.testing"], ids=["hypothesis-first", "rrall-testing-first"]
)
def test_from_type_patient_draws_complete_patients_whichever_is_imported_first(first: str) -> None:
    code = (
        f"{first}\n"
        "from hypothesis import strategies as st\n"
        "from rrall import Patient\n"
        "print(st.from_type(Patient).example().unknown)\n"
    )
    run = _python(code)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "()"


@given(st.from_type(Patient))
def test_from_type_patient_is_the_patients_strategy(patient: Patient) -> None:
    assert patient.unknown == ()


def test_the_docstring_examples_run() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # .example() outside a test warns; here it is the point
        for module in (rrall.testing, _strategies, _checks):
            failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
            assert attempted, module.__name__
            assert not failed, module.__name__


# -- patients(): valid and complete -----------------------------------------------------------


@given(patients())
def test_patients_know_every_fact_and_validate(patient: Patient) -> None:
    assert patient.unknown == ()
    assert Patient.from_dict(patient.to_dict()) == patient
    assert all(option.definite for option in walk(patient).options)


@given(patients(reaching="vincristine-liposome"))
def test_the_relapsed_constraint_holds_in_drawn_patients(patient: Patient) -> None:
    """A relapsed patient has relapsed at least once; TKIs failed are among those received."""
    assert patient.status != "relapsed" or (patient.relapses or 0) >= 1
    assert set(patient.tkis_failed or ()) <= set(patient.tkis_received or ())


# -- reaching and avoiding, leaf by leaf ------------------------------------------------------


@pytest.mark.parametrize("leaf", LEAVES)
@given(data=st.data())
def test_every_patient_drawn_to_reach_a_leaf_is_offered_it(leaf: str, data: st.DataObject) -> None:
    patient = data.draw(patients(reaching=leaf))
    option = walk(patient).option(leaf)
    assert option is not None
    assert option.definite


@pytest.mark.parametrize("leaf", AVOIDABLE)
@given(data=st.data())
def test_no_patient_drawn_to_avoid_a_leaf_is_offered_it(leaf: str, data: st.DataObject) -> None:
    patient = data.draw(patients(avoiding=leaf))
    assert patient.unknown == ()
    assert walk(patient).option(leaf) is None


@pytest.mark.parametrize("leaf", FOR_EVERY_PATIENT)
def test_transplant_and_clinical_trial_cannot_be_avoided(leaf: str) -> None:
    """An allogeneic stem cell transplantation or clinical trial may also be an option (R8: for all)."""
    with pytest.raises(InvalidArgument, match="no complete patient"):
        patients(avoiding=leaf)


@pytest.mark.parametrize("leaf", LEAVES)
@given(data=st.data())
def test_partial_patients_drawn_to_reach_a_leaf_are_offered_it(leaf: str, data: st.DataObject) -> None:
    patient = data.draw(partial_patients(reaching=leaf))
    assert walk(patient).option(leaf) is not None


@pytest.mark.parametrize("leaf", AVOIDABLE)
@given(data=st.data())
def test_partial_patients_drawn_to_avoid_a_leaf_are_never_offered_it(leaf: str, data: st.DataObject) -> None:
    patient = data.draw(partial_patients(avoiding=leaf))
    assert walk(patient).option(leaf) is None


@given(patients(reaching=("dasatinib", "ponatinib")))
def test_reaching_several_leaves_offers_them_all(patient: Patient) -> None:
    """A different TKI: both dasatinib and ponatinib, while neither was received (R2)."""
    assert {"dasatinib", "ponatinib"} <= set(walk(patient).option_ids)
    assert patient.ph == "positive"
    assert not {"dasatinib", "ponatinib"} & set(patient.tkis_received or ())


@given(patients(reaching="blinatumomab", avoiding="inotuzumab-ozogamicin"))
def test_reaching_one_leaf_while_avoiding_another(patient: Patient) -> None:
    """Blinatumomab without inotuzumab ozogamicin: B-cell ALL in a child (R4: adults are 18 or older)."""
    result = walk(patient)
    assert "blinatumomab" in result.option_ids
    assert "inotuzumab-ozogamicin" not in result.option_ids
    assert patient.lineage == "B"
    assert patient.age is not None
    assert patient.age < 18


def test_a_leaf_that_is_not_in_the_guideline_is_an_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="not a leaf"):
        patients(reaching="imatinib")
    with pytest.raises(InvalidArgument, match="no complete patient"):
        patients(reaching="nelarabine", avoiding="nelarabine")
    with pytest.raises(InvalidArgument, match="no complete patient"):
        patients(reaching=("nelarabine", "inotuzumab-mini-hyper-cvd"))  # T-cell ALL, B-cell ALL


@given(patients(reaching="vincristine-liposome", avoiding=("tisagenlecleucel", "mopad")))
def test_a_narrow_request_is_drawn_directly_under_the_health_checks(patient: Patient) -> None:
    """Liposomal vincristine but neither tisagenlecleucel nor plain MOpAD: a Ph-negative adult
    over 25 or with T-cell ALL, CD20-positive, after two relapses or two therapies (R4, R5, R6)."""
    result = walk(patient)
    assert "vincristine-liposome" in result.option_ids
    assert not {"tisagenlecleucel", "mopad"} & set(result.option_ids)
    assert patient.ph == "negative"
    assert patient.cd20 == "positive"
    assert patient.age is not None
    assert patient.age >= 18
    assert patient.lineage == "T" or patient.age > 25
    assert (patient.relapses or 0) >= 2 or (patient.prior_therapies or 0) >= 2


# -- partial patients and completions ---------------------------------------------------------


def test_partial_patients_know_varied_subsets_of_the_facts() -> None:
    subsets: list[frozenset[str]] = []

    @settings(
        max_examples=500,
        database=None,
        derandomize=True,  # a claim about the spread of draws: fixed, so it cannot flake
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(partial_patients())
    def collect(patient: Patient) -> None:
        subsets.append(frozenset(patient.known))

    collect()
    assert len(set(subsets)) >= 100
    assert {len(subset) for subset in subsets} >= set(range(2, len(FACTS) - 1))
    for fact in FACTS:
        assert any(fact in subset for subset in subsets), f"{fact} is never known"
        assert any(fact not in subset for subset in subsets), f"{fact} is always known"


@given(partial_patients())
def test_partial_patients_validate(patient: Patient) -> None:
    assert Patient(**patient.to_dict()) == patient  # type: ignore[arg-type]


@given(partial_patients(), st.data())
def test_completions_keep_every_known_fact_and_know_the_rest(patient: Patient, data: st.DataObject) -> None:
    complete = data.draw(completions(patient))
    assert complete.unknown == ()
    for fact in patient.known:
        assert getattr(complete, fact) == getattr(patient, fact)


@given(st.data())
def test_completions_of_a_partial_patient_can_reach_a_leaf_it_may_be_offered(data: st.DataObject) -> None:
    patient = data.draw(partial_patients())
    result = walk(patient)
    leaf = data.draw(st.sampled_from(result.option_ids))
    complete = data.draw(completions(patient, reaching=leaf))
    assert leaf in walk(complete).option_ids


def test_completions_of_a_patient_cannot_reach_an_excluded_leaf() -> None:
    t_cell = Patient(ph="negative", lineage="T")
    with pytest.raises(InvalidArgument, match="no complete patient"):
        completions(t_cell, reaching="blinatumomab")


# -- paths ------------------------------------------------------------------------------------


@given(paths())
def test_each_drawn_path_is_followed_by_its_patient(case: PathCase[Patient]) -> None:
    assert case.nodes[0] == RR_ALL.root
    assert case.nodes[-1] == case.leaf
    result = walk(case.patient)
    taken = {step.node: step.taken for step in result.path}
    for source, target in itertools.pairwise(case.nodes):
        assert target in taken[source]


def test_every_route_but_the_dead_ones_is_drawn() -> None:
    live = {route.nodes for route in _solve.routes(RR_ALL)} - set(rrall.testing.dead_paths())
    seen: set[tuple[str, ...]] = set()

    @settings(
        max_examples=2000,
        database=None,
        derandomize=True,  # a claim about the spread of draws: fixed, so it cannot flake
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(paths())
    def collect(case: PathCase[Patient]) -> None:
        seen.add(case.nodes)

    collect()
    assert seen == live


def test_the_only_dead_route_is_ph_positive_disease_to_liposomal_vincristine() -> None:
    """R5: a Ph-positive patient sent to the Ph-negative regimens does not qualify for Marqibo."""
    assert rrall.testing.dead_paths() == (
        (
            "ph-status",
            "ph-positive",
            "ph-negative-regimens",
            "combination-regimens",
            "vincristine-liposome",
        ),
    )


# -- any guideline: a toy one with tied sets, an implication and an open set ------------------

TOY_SOURCE = (
    "Which arm? Arm A is for those who failed two drugs but not alpha. "
    "Arm B is for those who had alpha or had no cycles. Arm C is for fewer than three drugs "
    "and a note of zeta. Arm D is for all. Arm E is for grade x. Arm F is for grade y."
)
TOY = Guideline(
    name="toy",
    title="A toy guideline",
    source=TOY_SOURCE,
    schema=Schema(
        facts=(
            Subset("had", "drugs had", ("alpha", "beta", "gamma", "delta")),
            Subset("failed", "drugs failed", ("alpha", "beta", "gamma", "delta")),
            Integer("cycles", "cycles", minimum=0, maximum=5),
            Choice("grade", "grade", ("x", "y")),
            Subset("notes", "notes"),
        ),
        constraints=(
            SubsetOf("failed", "had"),
            Implies(Is("grade", "x"), AtLeast("cycles", 2), field="cycles", message="x needs 2 cycles"),
        ),
    ),
    root="arms",
    nodes=(
        OptionGroup(
            id="arms",
            label="Which arm?",
            quotes="Which arm?",
            branches=(
                Branch("a", AllOf((CountAtLeast("failed", 2), Not(Contains("failed", "alpha"))))),
                Branch("b", AnyOf((Contains("had", "alpha"), AtMost("cycles", 0)))),
                Branch("c", AllOf((Not(CountAtLeast("had", 3)), Contains("notes", "zeta")))),
                Branch("d"),
                Branch("grade"),
            ),
        ),
        Decision(
            id="grade",
            label="Grade?",
            quotes="Arm E is for grade x.",
            branches=(Branch("e", Is("grade", "x")), Branch("f", Is("grade", "y"))),
        ),
        Regimen(id="a", label="A", quotes="Arm A is for those who failed two drugs but not alpha."),
        Regimen(id="b", label="B", quotes="Arm B is for those who had alpha or had no cycles."),
        Regimen(id="c", label="C", quotes="Arm C is for fewer than three drugs and a note of zeta."),
        Regimen(id="d", label="D", quotes="Arm D is for all."),
        Regimen(id="e", label="E", quotes="Arm E is for grade x."),
        Regimen(id="f", label="F", quotes="Arm F is for grade y."),
    ),
)
TOY_LEAVES = tuple(leaf.id for leaf in TOY.leaves)


@pytest.mark.parametrize("leaf", TOY_LEAVES)
@given(data=st.data())
def test_any_guideline_reaching_a_leaf(leaf: str, data: st.DataObject) -> None:
    record = data.draw(patients(guideline=TOY, reaching=leaf))
    assert isinstance(record, dict)
    assert set(record) == set(TOY.schema.names)
    TOY.schema.parse(record)
    assert leaf in walk_guideline(record, TOY).option_ids


@pytest.mark.parametrize("leaf", [leaf for leaf in TOY_LEAVES if leaf != "d"])
@given(data=st.data())
def test_any_guideline_avoiding_a_leaf(leaf: str, data: st.DataObject) -> None:
    record = data.draw(patients(guideline=TOY, avoiding=leaf))
    TOY.schema.parse(record)
    assert leaf not in walk_guideline(record, TOY).option_ids
    partial = data.draw(partial_patients(guideline=TOY, avoiding=leaf))
    assert leaf not in walk_guideline(partial, TOY).option_ids


@given(patients(guideline=TOY, reaching=("a", "c", "e")))
def test_any_guideline_with_tied_sets_reaching_several_leaves(record: dict[str, Any]) -> None:
    """Failed two drugs (not alpha) among fewer than three had, with a zeta note and grade x."""
    TOY.schema.parse(record)
    assert len(record["failed"]) == 2 == len(record["had"])
    assert "zeta" in record["notes"]
    assert record["cycles"] >= 2


@given(paths(guideline=TOY, record=tuple))
def test_any_guideline_paths_take_a_record_builder(case: PathCase[tuple[str, ...]]) -> None:
    assert isinstance(case.patient, tuple)
    assert set(case.patient) == set(TOY.schema.names)


def test_strategies_show_the_call_that_made_them() -> None:
    assert repr(patients(reaching="nelarabine")) == "patients(reaching='nelarabine')"
    assert repr(partial_patients()) == "partial_patients()"
    assert repr(paths(guideline=TOY)) == "paths(guideline=<Guideline 'toy'>)"
