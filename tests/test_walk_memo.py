"""The walk's memo only remembers: a walk that meets what earlier walks worked out (their
routes, options, path steps, missing facts and reasons) gives what a walk by a guideline
with an empty memo gives, byte for byte, with its shown values marked or not, and when the
memo starts afresh in the middle of the walks."""

from __future__ import annotations

import random

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from patients import random_facts

from rrall import RR_ALL, Patient
from rrall.engine import Value
from rrall.engine.tools._serialize import to_json, walk_result_to_dict
from rrall.engine.walk import _walk
from rrall.engine.walk._walk import walk_three_valued
from rrall.testing import partial_patients, patients

#: One guideline whose memo every example of a run adds to, so that later examples meet it.
WARM = attrs.evolve(RR_ALL)


def _facts(patient: Patient) -> dict[str, Value | None]:
    return dict(RR_ALL.schema.facts_of(patient))


def _marks(facts: dict[str, Value | None]) -> dict[str, str]:
    """A mark for each known fact's shown value, as the fast path's templates mark them."""
    return {name: f"\x00{name}\x00" for name, value in facts.items() if value is not None}


def _same_as_with_an_empty_memo(facts: dict[str, Value | None], *, marked: bool) -> None:
    shown = _marks(facts) if marked else None
    remembered = walk_three_valued(WARM, facts, shown)
    fresh = walk_three_valued(attrs.evolve(RR_ALL), facts, shown)
    assert remembered == fresh
    assert to_json(walk_result_to_dict(remembered)) == to_json(walk_result_to_dict(fresh))


@given(patient=st.one_of(partial_patients(), patients()), marked=st.booleans())
def test_a_walk_meeting_what_earlier_walks_worked_out_is_the_walk_with_an_empty_memo(
    patient: Patient, marked: bool
) -> None:
    facts = _facts(patient)
    walk_three_valued(WARM, facts)  # what this patient's walk works out is now in the memo
    _same_as_with_an_empty_memo(facts, marked=marked)


@given(patients=st.lists(partial_patients(), min_size=2, max_size=6))
def test_walks_across_a_memo_that_starts_afresh_are_the_walks_with_an_empty_memo(
    patients: list[Patient],
) -> None:
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(_walk, "MEMO", 8)  # full after a walk or two: it starts afresh often
        patched.setattr(_walk, "APART", 2)  # and its wide steps are emptied often
        for patient in patients:
            _same_as_with_an_empty_memo(_facts(patient), marked=False)


def test_the_memo_keeps_at_most_its_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo starts afresh once it holds more than `MEMO` entries, and keeps at most
    `APART` steps of nodes that read more than two groups of facts, `APART` starts of a
    group no branch reads, and `APART` leaves' exclusions."""
    monkeypatch.setattr(_walk, "MEMO", 200)
    monkeypatch.setattr(_walk, "APART", 16)
    guideline = attrs.evolve(RR_ALL)
    rng = random.Random(12)
    walk_three_valued(guideline, random_facts(RR_ALL, rng, unknown=0.3))
    met, fresh, wide = [], 0, []
    for _ in range(300):
        memo = _walk._plan(guideline).memo
        size = memo.size
        walk_three_valued(guideline, random_facts(RR_ALL, rng, unknown=0.3))
        if _walk._plan(guideline).memo is memo:
            met.append(size)  # a walk went on with this memo: it was not over its bound
        else:
            fresh += 1
        memo = _walk._plan(guideline).memo
        wide.append(max(len(memo.wide_steps), len(memo.exclusions), *map(len, memo.starts)))
    assert max(met) <= 200
    assert fresh > 1  # it did start afresh
    assert max(wide) <= 16
