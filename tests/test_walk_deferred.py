"""A complete patient's walk builds its options at once and puts the rest in words when
first read: whatever is read, in whatever order, it is the same result as the walk that
builds everything at once."""

from __future__ import annotations

import copy
import itertools
import pickle
import random
import threading

import attrs
import pytest
from patients import random_facts

from helpers import with_history
from rrall import RR_ALL, Patient, walk
from rrall.engine import WalkResult
from rrall.engine._serialize import to_json, walk_result_to_dict
from rrall.engine._walk import _walk_three_valued

FIELDS = [field.name for field in attrs.fields(WalkResult)]


def deferred_and_eager(count: int, seed: int) -> list[tuple[WalkResult, WalkResult]]:
    """Pairs of a fresh walk of a complete patient and the three-valued walk of it."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        facts = with_history(random_facts(RR_ALL, rng, unknown=0.0), rng)
        pairs.append((walk(Patient(**facts)), _walk_three_valued(RR_ALL, facts)))  # type: ignore[arg-type]
    return pairs


def test_a_complete_patients_walk_leaves_the_words_for_later() -> None:
    result = walk(
        Patient(
            age=30,
            ph="negative",
            lineage="B",
            status="refractory",
            relapses=0,
            prior_therapies=1,
            cd20="positive",
            tkis_received=[],
            tkis_failed=[],
        )
    )
    assert result._pending is not None
    assert result.option_ids[:2] == ("blinatumomab", "inotuzumab-ozogamicin")
    assert result._pending is not None  # reading the options puts nothing in words
    assert result.path[0].node == RR_ALL.root
    assert result._pending is None


@pytest.mark.parametrize("first", FIELDS)
def test_whichever_field_is_read_first_every_field_is_the_three_valued_walks(first: str) -> None:
    for deferred, eager in deferred_and_eager(200, seed=len(first)):
        getattr(deferred, first)
        for name in FIELDS:
            assert getattr(deferred, name) == getattr(eager, name), name
        assert to_json(walk_result_to_dict(deferred)) == to_json(walk_result_to_dict(eager))


def test_a_deferred_result_compares_prints_and_converts_as_the_eager_one() -> None:
    for deferred, eager in deferred_and_eager(50, seed=3):
        assert deferred == eager
        assert eager == deferred
    for deferred, eager in deferred_and_eager(50, seed=4):
        assert repr(deferred) == repr(eager)
    for deferred, eager in deferred_and_eager(50, seed=5):
        assert attrs.asdict(deferred) == attrs.asdict(eager)
    for deferred, eager in deferred_and_eager(50, seed=6):
        assert attrs.evolve(deferred, missing=("age",)) == attrs.evolve(eager, missing=("age",))


def test_what_is_left_for_later_is_in_no_field_list_dict_or_repr() -> None:
    documented = ["guideline", "patient", "options", "excluded", "missing", "path", "provenance"]
    deferred, eager = deferred_and_eager(1, seed=7)[0]
    assert [field.name for field in attrs.fields(WalkResult)] == documented
    assert list(attrs.asdict(deferred)) == list(attrs.asdict(eager)) == documented
    assert "pending" not in repr(deferred)


@pytest.mark.parametrize("copied", [copy.copy, copy.deepcopy, lambda r: pickle.loads(pickle.dumps(r))])
def test_a_deferred_result_copies_and_pickles_whole(copied: object) -> None:
    for deferred, eager in deferred_and_eager(50, seed=8):
        twin = copied(deferred)  # type: ignore[operator]
        assert twin == eager
        assert twin._pending is None


def test_threads_reading_one_result_at_once_all_read_the_same() -> None:
    for deferred, eager in deferred_and_eager(30, seed=9):
        seen: list[object] = []

        def read(result: WalkResult, name: str, seen: list[object] = seen) -> None:
            seen.append(getattr(result, name))

        names = itertools.islice(itertools.cycle(FIELDS), 12)
        readers = [threading.Thread(target=read, args=(deferred, name)) for name in names]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join()
        assert len(seen) == 12
        assert deferred == eager


def test_an_attribute_a_result_lacks_is_an_attribute_error_that_names_it() -> None:
    deferred, _ = deferred_and_eager(1, seed=10)[0]
    with pytest.raises(AttributeError, match="'WalkResult' object has no attribute 'opitons'"):
        deferred.opitons  # type: ignore[attr-defined]  # noqa: B018
    assert not hasattr(deferred, "opitons")
    assert deferred._pending is not None  # a wrong name puts nothing in words


def test_a_walk_result_can_be_built_slot_by_slot() -> None:
    """The per-class walk sets two slots instead of calling __init__: right only while
    attrs' __init__ would do nothing but set them."""
    assert all(field.validator is None and field.converter is None for field in attrs.fields(WalkResult))
    assert not hasattr(WalkResult, "__attrs_post_init__")
    assert not hasattr(WalkResult, "__attrs_pre_init__")
