"""Unknown is a value: an unknown fact follows every branch it could take, never silently false."""

from __future__ import annotations

import json

from rrall import RR_ALL, Patient, walk
from rrall.engine.tools._serialize import to_json, walk_result_to_dict


def requirement_texts(result_option: object) -> list[str]:
    return [requirement.text for requirement in result_option.conditions]  # type: ignore[attr-defined]


def test_a_patient_with_no_known_facts_is_walked_without_error() -> None:
    result = walk(Patient())
    assert set(result.option_ids) == {leaf.id for leaf in RR_ALL.leaves}
    assert result.excluded == ()
    assert result.missing[0] == "ph"


def test_transplant_and_trial_are_definite_whatever_the_ph_status() -> None:
    """R8: 'Ph-negative or Ph-positive' is no condition at all once Ph status is the only unknown."""
    result = walk(Patient())
    assert [option.id for option in result.definite] == ["allogeneic-sct", "clinical-trial"]


def test_an_option_reachable_only_through_unknown_facts_is_offered_with_its_conditions() -> None:
    result = walk(Patient(ph="negative", age=40))
    nelarabine = result.option("nelarabine")
    assert nelarabine is not None
    assert not nelarabine.definite
    assert requirement_texts(nelarabine) == ["T-cell ALL"]
    assert nelarabine.conditions[0].facts == ("lineage",)


def test_an_option_ruled_out_whatever_the_unknown_facts_is_excluded() -> None:
    """An age of 40 rules tisagenlecleucel out, whatever the lineage."""
    result = walk(Patient(ph="negative", age=40))
    assert result.option("tisagenlecleucel") is None
    exclusion = result.exclusion("tisagenlecleucel")
    assert exclusion is not None
    assert "age ≤ 25" in exclusion.reason


def test_constraints_between_facts_are_used() -> None:
    """With only imatinib received, at most one TKI can have failed: blinatumomab is ruled out."""
    result = walk(Patient(ph="positive", lineage="B", age=30, tkis_received=["imatinib"]))
    assert result.option("blinatumomab") is None
    inotuzumab = result.option("inotuzumab-ozogamicin")
    assert inotuzumab is not None
    assert requirement_texts(inotuzumab) == ["≥ 1 TKIs failed"]


def test_conditions_from_two_routes_are_joined_by_or() -> None:
    """Blinatumomab is reached by Ph-negative disease, or by Ph-positive disease after TKI failure."""
    result = walk(Patient(lineage="B"))
    blinatumomab = result.option("blinatumomab")
    assert blinatumomab is not None
    assert requirement_texts(blinatumomab) == ["Ph-negative ALL or (Ph-positive ALL and ≥ 2 TKIs failed)"]


def test_missing_lists_the_facts_that_would_change_the_options_most_decisive_first() -> None:
    result = walk(Patient(ph="positive", lineage="B", age=30, tkis_received=["imatinib"]))
    assert result.missing == ("tkis_failed", "cd20")


def test_a_known_fact_that_changes_nothing_is_not_missing() -> None:
    result = walk(Patient(ph="positive", tkis_received=["imatinib"], tkis_failed=[]))
    assert result.missing == ()
    assert all(option.definite for option in result.options)


def test_adding_a_fact_settles_or_removes_conditional_options_only() -> None:
    partial = walk(Patient(ph="negative", age=20))
    complete = walk(
        Patient(ph="negative", age=20, lineage="T", cd20="positive", relapses=1, prior_therapies=1)
    )
    assert set(complete.option_ids) <= set(partial.option_ids)
    assert {o.id for o in partial.definite} <= set(complete.option_ids)


def test_the_path_records_each_decision_the_fact_it_read_and_the_branch_taken() -> None:
    result = walk(Patient(ph="positive", tkis_received=["imatinib"], tkis_failed=[]))
    steps = {step.node: step for step in result.path}
    assert steps["ph-status"].read == (("ph", "positive"),)
    assert steps["ph-status"].taken == ("ph-positive",)
    assert steps["ph-positive"].taken == ("different-tki", "also-an-option")
    assert steps["ph-status"].quote == "Ph-Positive ALL"
    assert "ph-negative" not in steps


def test_every_step_and_option_cites_the_source_verbatim() -> None:
    result = walk(Patient(lineage="B"))
    spans = [span for step in result.path for span in step.quote.split(" … ")]
    for quote in spans + [option.quote for option in result.options]:
        assert quote in RR_ALL.source


def test_the_walk_is_deterministic_byte_for_byte() -> None:
    patient = Patient(ph="negative", lineage="B")
    first, second = walk(patient), walk(Patient(**json.loads(json.dumps(patient.to_dict()))))
    assert first == second
    assert to_json(walk_result_to_dict(first)) == to_json(walk_result_to_dict(second))


def test_walk_accepts_the_json_form_directly() -> None:
    assert walk({"ph": "negative", "lineage": "T"}) == walk(Patient(ph="negative", lineage="T"))
