"""Golden cases: each stored patient is offered exactly the options the text gives them.

The cases live with the guideline (rrall/rr_all/golden.py), as data a clinician
reviews; each test id is the case's sentence.
"""

from __future__ import annotations

import re

import pytest

from rrall import RR_ALL, Patient, walk
from rrall._input import BUILTIN_NAMES
from rrall.engine import Branch, GoldenCase, describe
from rrall.rr_all.golden import GOLDEN

LEAF_IDS = [leaf.id for leaf in RR_ALL.leaves]


@pytest.mark.parametrize("case", GOLDEN, ids=[case.name for case in GOLDEN])
def test_the_text_offers_the_golden_patient_exactly_these_options(case: GoldenCase) -> None:
    result = walk(Patient.from_dict(case.patient))
    assert result.option_ids == case.offered
    assert tuple(option.id for option in result.conditional) == case.conditional
    for leaf in case.not_offered:
        assert result.exclusion(leaf) is not None, f"{leaf} must not be offered"
    assert case.failures(result) == ()


@pytest.mark.parametrize("leaf", LEAF_IDS)
def test_every_leaf_is_offered_to_some_golden_patient(leaf: str) -> None:
    assert any(leaf in case.offered and leaf not in case.conditional for case in GOLDEN)


def test_the_golden_cases_name_only_leaves_of_the_graph_and_never_contradict_themselves() -> None:
    for case in GOLDEN:
        named = {*case.offered, *case.conditional, *case.not_offered}
        assert named <= set(LEAF_IDS), case.name
        assert set(case.conditional) <= set(case.offered), case.name
        assert not set(case.not_offered) & set(case.offered), case.name
        assert list(case.offered) == [leaf for leaf in LEAF_IDS if leaf in case.offered], "text order"


def test_the_guideline_carries_its_golden_cases() -> None:
    assert RR_ALL.golden == GOLDEN
    assert len({case.name for case in GOLDEN}) == len(GOLDEN)


def test_a_golden_case_that_expects_other_options_reports_each_difference() -> None:
    """A golden case fails loudly: a changed text shows up as a named difference."""
    wrong = GoldenCase(
        name="Ph-positive, still responding to TKIs",
        patient={"ph": "positive", "tkis_received": [], "tkis_failed": []},
        offered=("dasatinib", "allogeneic-sct", "clinical-trial"),
        conditional="dasatinib",
        not_offered="ponatinib",
    )
    failures = wrong.failures(walk(wrong.patient))
    assert len(failures) == 3
    assert "expected ['dasatinib', 'allogeneic-sct', 'clinical-trial']" in failures[0]
    assert "expected ['dasatinib']" in failures[1]
    assert "['ponatinib']" in failures[2]


# Words an edge label may use beyond those of its condition: the paraphrases the graph uses
# ("adult" is age ≥ 18, R4; "Ph+" is Ph-positive; "therapies" are prior therapy lines).
PARAPHRASES = {"a", "adult", "if", "ph+", "therapies", "tki", "yet"}
EDGES = [(node.id, branch) for node in RR_ALL.nodes for branch in node.branches if branch.label]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9+]+", text.lower()))


@pytest.mark.parametrize(("node", "branch"), EDGES, ids=[f"{node}->{branch.to}" for node, branch in EDGES])
def test_each_edge_label_says_what_its_condition_tests(node: str, branch: Branch) -> None:
    """An edge's label is shorthand for its condition: no word or number the condition lacks."""
    condition, label = describe(branch.when, RR_ALL.schema), branch.label
    assert _words(label) <= _words(condition) | PARAPHRASES, (label, condition)
    assert set(re.findall(r"\d+", label)) <= set(re.findall(r"\d+", condition)), (label, condition)


def test_the_guideline_is_called_rr_all_the_name_walk_results_and_the_command_line_use() -> None:
    """`rrall diff rr-all FILE` and `rrall verify rr-all` name the built-in text; every walk result
    says which guideline it walked."""
    assert walk(Patient()).guideline == "rr-all"
    assert RR_ALL.name in BUILTIN_NAMES
