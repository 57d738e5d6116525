"""A walk's result is a plain value built whole, and the cache that gives it is bounded:
whatever the cache holds, a patient's result is the three-valued walk's."""

from __future__ import annotations

import copy
import json
import pickle
import random
import threading

import attrs
import pytest
from patients import random_facts

from helpers import with_history
from rrall import RR_ALL, Patient, walk
from rrall.engine import Exclusion, Option, Step, WalkResult, walk_json
from rrall.engine.tools._serialize import to_json, walk_result_to_dict
from rrall.engine.walk import _cache
from rrall.engine.walk._walk import walk_three_valued

FIELDS = [field.name for field in attrs.fields(WalkResult)]


def cached_and_defined(count: int, seed: int, unknown: float = 0.0) -> list[tuple[WalkResult, WalkResult]]:
    """Pairs of a walk (from the cache) and the three-valued walk of the same patient."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        facts = with_history(random_facts(RR_ALL, rng, unknown=unknown), rng)
        pairs.append((walk(Patient(**facts)), walk_three_valued(RR_ALL, facts)))  # type: ignore[arg-type]
    return pairs


def test_a_result_has_every_field_set_when_walk_returns() -> None:
    result = walk(Patient(age=30, ph="negative", lineage="B", status="refractory", relapses=0))
    assert not hasattr(WalkResult, "__getattr__")
    for name in FIELDS:
        assert name in dir(result)
        object.__getattribute__(result, name)  # set: no lazy slot, no hook
    assert result.option_ids[:2] == ("blinatumomab", "inotuzumab-ozogamicin")


@pytest.mark.parametrize("unknown", [0.0, 0.3])
def test_a_cached_result_compares_prints_and_converts_as_the_defined_one(unknown: float) -> None:
    for cached, defined in cached_and_defined(100, seed=3, unknown=unknown):
        assert cached == defined
        assert repr(cached) == repr(defined)
        assert attrs.asdict(cached) == attrs.asdict(defined)
        assert to_json(walk_result_to_dict(cached)) == to_json(walk_result_to_dict(defined))
        assert cached.to_dict() == defined.to_dict()


@pytest.mark.parametrize("unknown", [0.0, 0.3, 0.6])
def test_the_json_text_of_a_cached_result_is_the_defined_results_dict_as_json(unknown: float) -> None:
    """`walk_json` fills in the cached parts' texts: the same bytes as `to_json` of the
    definition's `to_dict`, whichever patient of a class came first, and seen again."""
    rng = random.Random(31)
    patients = [with_history(random_facts(RR_ALL, rng, unknown=unknown), rng) for _ in range(300)]
    fresh = attrs.evolve(RR_ALL)
    for facts in [*patients, *reversed(patients)]:
        defined = walk_three_valued(RR_ALL, facts)
        assert walk_json(facts, fresh) == to_json(defined.to_dict())
        assert WalkResult.from_dict(json.loads(walk_json(facts, fresh)), RR_ALL) == defined


def test_a_dict_from_to_dict_is_the_callers_own() -> None:
    """Changing one result's dict form changes no other result's: nothing in it is shared."""
    rng = random.Random(33)
    facts = with_history(random_facts(RR_ALL, rng), rng)
    first = walk(facts).to_dict()
    for option in first["options"]:
        for value in option.values():
            if isinstance(value, list):
                value.append("changed")
    for step in first["path"]:
        step["read"]["changed"] = True
        step["taken"].append("changed")
    first["missing"].append("changed")
    first["provenance"]["guideline"]["name"] = "changed"
    assert walk(facts).to_dict() == walk_three_valued(RR_ALL, facts).to_dict()
    assert walk_json(facts, RR_ALL) == to_json(walk_three_valued(RR_ALL, facts).to_dict())


@pytest.mark.parametrize("copied", [copy.copy, copy.deepcopy, lambda r: pickle.loads(pickle.dumps(r))])
def test_a_result_copies_and_pickles_whole(copied: object) -> None:
    for cached, defined in cached_and_defined(50, seed=8):
        assert copied(cached) == defined  # type: ignore[operator]


def test_the_cache_keeps_at_most_its_bound_of_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_cache, "TEMPLATES", 16)
    monkeypatch.setattr(_cache, "PARTIAL", 8)
    monkeypatch.setattr(_cache, "SEEN", 8)
    monkeypatch.setattr(_cache, "HISTORIES", 2)
    monkeypatch.setattr(_cache, "FILLED", 1)
    monkeypatch.setattr(_cache, "SHARED", 32)
    fresh = attrs.evolve(RR_ALL)  # its own, empty, cache
    rng = random.Random(21)
    for _ in range(400):
        facts = with_history(random_facts(RR_ALL, rng, unknown=rng.choice([0.0, 0.3])), rng)
        defined = walk_three_valued(RR_ALL, facts)
        assert walk(facts, fresh) == defined
        assert walk_json(facts, fresh) == to_json(defined.to_dict())
    cache = _cache._cache(fresh)
    assert len(cache.templates) <= 16
    assert len(cache.partial) <= 8
    assert len(cache.seen) <= 8
    assert len(cache.shared.values) <= 32
    assert len(cache.fragments) <= 32
    assert len(cache.given) <= 32
    assert len(cache.options) <= 32
    for template in [*cache.templates.values(), *cache.partial.values()]:
        assert template is not None
        assert len(template.variants) <= 1
        assert len(template.filled) <= 1
        assert len(template.plain) <= 2
        assert len(template.tokens) == len(template.options)
        parts = [part for part in (*template.excluded, *template.path) if isinstance(part, _cache._Part)]
        assert all(len(part.memo) <= 2 for part in parts)


def test_a_class_with_an_unknown_fact_gets_its_template_when_seen_again() -> None:
    fresh = attrs.evolve(RR_ALL)
    facts = {**random_facts(RR_ALL, random.Random(4), unknown=0.0), "age": None}
    cache = _cache._cache(fresh)
    assert walk(facts, fresh) == walk_three_valued(RR_ALL, facts)
    assert not cache.partial  # first sight: walked by the definition
    assert len(cache.seen) == 1
    assert walk(facts, fresh) == walk_three_valued(RR_ALL, facts)
    assert len(cache.partial) == 1  # second sight: its template
    assert not cache.seen
    assert walk_json(facts, fresh) == to_json(walk_three_valued(RR_ALL, facts).to_dict())


def test_threads_walking_at_once_all_get_the_defined_results() -> None:
    rng = random.Random(9)
    patients = [with_history(random_facts(RR_ALL, rng, unknown=0.2), rng) for _ in range(200)]
    fresh = attrs.evolve(RR_ALL)
    wrong: list[object] = []

    def run(chunk: list[dict[str, object]]) -> None:
        for facts in chunk:
            defined = walk_three_valued(RR_ALL, facts)  # type: ignore[arg-type]
            if walk(facts, fresh) != defined or walk_json(facts, fresh) != to_json(defined.to_dict()):
                wrong.append(facts)

    threads = [threading.Thread(target=run, args=(patients[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_the_result_classes_can_be_built_slot_by_slot() -> None:
    """The cache sets slots instead of calling __init__: right only while attrs' __init__
    would do nothing but set them."""
    for cls in (WalkResult, Option, Exclusion, Step):
        assert all(f.validator is None and f.converter is None for f in attrs.fields(cls))
        assert not hasattr(cls, "__attrs_post_init__")
        assert not hasattr(cls, "__attrs_pre_init__")
