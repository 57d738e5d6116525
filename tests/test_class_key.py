"""The class key is exact: two patients with one key are walked alike but for their own
values, so the template the first one leaves gives the second the definition's result.

The key leaves out what the walk cannot look at (a group of facts no node it may visit
reads, the later parts of a disjunction an earlier part settles), so patients who differ
there share a class: swapping those facts for another patient's must not change the walk.
"""

from __future__ import annotations

from types import SimpleNamespace

import attrs
from hypothesis import given

from rrall import RR_ALL, Patient, walk
from rrall.engine import Value, compiled
from rrall.engine.model._knowledge import components
from rrall.engine.tools._serialize import to_json, walk_result_to_dict
from rrall.engine.walk._walk import walk_three_valued
from rrall.testing import partial_patients, patients

GROUPS = components(RR_ALL.schema)
#: What may be swapped for a donor's: each group of linked facts, each fact alone, everything.
SWAPS = [*GROUPS, *((name,) for name in RR_ALL.schema.names), tuple(RR_ALL.schema.names)]


def _facts(patient: Patient) -> dict[str, Value | None]:
    return dict(RR_ALL.schema.facts_of(patient))


def _swapped(facts: dict[str, Value | None], donor: dict[str, Value | None], group: tuple[str, ...]):
    """``facts`` with the facts ``group`` the donor's (a record: it may break a constraint)."""
    return {**facts, **{name: donor[name] for name in group}}


def _walked_from_template(first: dict[str, Value | None], second: dict[str, Value | None]) -> None:
    """The second patient, walked from the template the first one left, gets the definition's
    result, byte for byte."""
    fresh = attrs.evolve(RR_ALL)  # its own, empty, cache
    assert walk(SimpleNamespace(**first), fresh) == walk_three_valued(RR_ALL, first)
    cached = walk(SimpleNamespace(**second), fresh)
    defined = walk_three_valued(RR_ALL, second)
    assert cached == defined, second
    assert to_json(walk_result_to_dict(cached)) == to_json(walk_result_to_dict(defined))


def _swaps_keep_the_walk(patient: Patient, donor: Patient) -> None:
    """Wherever swapping some of the patient's facts for the donor's keeps the class key, the
    template the patient leaves gives the swapped patient the definition's walk."""
    facts, other = _facts(patient), _facts(donor)
    key = compiled(RR_ALL).class_key(facts)
    for group in SWAPS:
        swapped = _swapped(facts, other, group)
        if compiled(RR_ALL).class_key(swapped) == key:
            _walked_from_template(facts, swapped)


@given(patient=partial_patients(), donor=partial_patients())
def test_a_patient_whose_left_out_facts_are_swapped_keeps_the_class_and_the_walk(
    patient: Patient, donor: Patient
) -> None:
    _swaps_keep_the_walk(patient, donor)


@given(patient=patients(), donor=partial_patients())
def test_a_complete_patient_shares_its_class_with_those_who_differ_only_where_the_walk_does_not_look(
    patient: Patient, donor: Patient
) -> None:
    _swaps_keep_the_walk(patient, donor)


def test_a_ph_negative_patients_tki_history_is_left_out_of_the_class() -> None:
    """Blinatumomab's "Ph-negative, or two TKIs failed": for a Ph-negative B-cell patient the
    TKIs are never read, so their history does not split the class; only whether the TKIs
    failed are known does, which the path step through the Ph-negative regimens shows."""
    base = {"ph": "negative", "lineage": "B", "age": 30, "status": "refractory", "relapses": 0}
    histories = [
        {"tkis_received": [], "tkis_failed": []},
        {"tkis_received": ["imatinib"], "tkis_failed": []},
        {"tkis_received": ["imatinib", "dasatinib"], "tkis_failed": ["dasatinib"]},
        {"tkis_failed": ["imatinib", "dasatinib", "ponatinib"]},
    ]
    first = _facts(Patient(**base, **histories[0]))  # type: ignore[arg-type]
    keys = set()
    for history in histories:
        facts = _facts(Patient(**base, **history))  # type: ignore[arg-type]
        keys.add(compiled(RR_ALL).class_key(facts))
        _walked_from_template(first, facts)
    assert len(keys) == 1
    unknown = _facts(Patient(**base, tkis_received=["imatinib"]))  # type: ignore[arg-type]
    assert compiled(RR_ALL).class_key(unknown) not in keys
    step = walk_three_valued(RR_ALL, unknown).path[2]
    assert ("tkis_failed", "unknown") in step.read


def test_an_unknown_ph_keeps_every_group_read_below_either_status() -> None:
    """With Ph status unknown both sides are walked: the TKI history is read (different TKI),
    so two histories that answer its conditions differently are two classes."""
    base = {"lineage": "B", "age": 30}
    one = _facts(Patient(**base, tkis_received=["imatinib"], tkis_failed=[]))  # type: ignore[arg-type]
    two = _facts(Patient(**base, tkis_received=["dasatinib", "ponatinib"], tkis_failed=[]))  # type: ignore[arg-type]
    assert compiled(RR_ALL).class_key(one) != compiled(RR_ALL).class_key(two)
    assert walk_three_valued(RR_ALL, one).option_ids != walk_three_valued(RR_ALL, two).option_ids


def test_a_record_that_breaks_a_constraint_keeps_every_group_in_its_class() -> None:
    """An inconsistent start (TKIs failed that were not received) walks otherwise: its key
    says so, and keeps every part, so no consistent patient shares its template."""
    patient = Patient(ph="negative", lineage="B", age=30, tkis_received=[], tkis_failed=[])
    broken = {**_facts(patient), "tkis_failed": frozenset({"imatinib"})}
    sound = {**broken, "tkis_failed": frozenset()}
    key = compiled(RR_ALL).class_key(broken)
    assert key[0] is False
    assert key != compiled(RR_ALL).class_key(sound)
    _walked_from_template(sound, broken)
