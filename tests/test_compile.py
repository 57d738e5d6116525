"""The fast path is a cache of the walk: the compiled screen gives exactly `walk`'s option ids,
and `walk` by the per-class templates exactly `walk_three_valued`'s result, known facts or not."""

from __future__ import annotations

import itertools
import random
from types import SimpleNamespace

import attrs
import pytest
from patients import random_facts

from helpers import with_history
from rrall import RR_ALL, Patient, screen, walk
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
    Integer,
    InvalidRecord,
    Is,
    Not,
    OptionGroup,
    Regimen,
    Schema,
    Subset,
    Value,
    atoms,
    compiled,
)
from rrall.engine.tools._serialize import to_json, walk_result_to_dict
from rrall.engine.walk._walk import walk_three_valued


def test_the_compiled_screen_gives_walks_option_ids_for_every_complete_patient() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        facts = random_facts(RR_ALL, rng, unknown=0.0)
        assert compiled(RR_ALL).screen(facts) == walk(facts).option_ids, facts


@pytest.mark.parametrize("unknown", [0.1, 0.3, 0.7])
def test_a_patient_with_unknown_facts_gets_the_same_option_ids_as_from_walk(unknown: float) -> None:
    rng = random.Random(11)
    for _ in range(300):
        facts = random_facts(RR_ALL, rng, unknown=unknown)
        assert compiled(RR_ALL).screen(facts) == walk(facts).option_ids, facts


@pytest.mark.parametrize("unknown", [0.1, 0.3, 0.6])
def test_a_patient_with_unknown_facts_walked_by_its_class_gets_the_three_valued_walks_result(
    unknown: float,
) -> None:
    """Byte for byte: options with their conditions, exclusions, missing facts, path, patient."""
    rng = random.Random(13)
    patients = [with_history(random_facts(RR_ALL, rng, unknown=unknown), rng) for _ in range(1500)]
    fresh = attrs.evolve(RR_ALL)  # its own, empty, cache
    for facts in patients + patients:  # the second time, every class is in the cache
        expected = walk_three_valued(RR_ALL, facts)
        assert to_json(walk_result_to_dict(walk(facts, fresh))) == to_json(walk_result_to_dict(expected))
        assert walk(facts, fresh) == expected, facts


def test_a_record_that_breaks_a_constraint_gets_the_three_valued_walks_result() -> None:
    """A record object is not validated: its class says the constraint breaks."""
    facts = random_facts(RR_ALL, random.Random(3), unknown=0.0)
    broken = {**facts, "tkis_received": frozenset(), "tkis_failed": frozenset({"imatinib"})}
    record = SimpleNamespace(**broken)
    assert walk(record) == walk_three_valued(RR_ALL, broken)
    assert compiled(RR_ALL).class_key(broken) != compiled(RR_ALL).class_key(
        {**broken, "tkis_failed": frozenset()}
    )


def test_screen_takes_a_patient_or_its_json_form_like_walk() -> None:
    patient = Patient(ph="positive", lineage="B", age=30, tkis_received=["imatinib", "dasatinib"])
    assert screen(patient) == walk(patient).option_ids
    assert screen(patient.to_dict()) == walk(patient).option_ids
    with pytest.raises(InvalidRecord):
        screen({"ph": "maybe"})


def test_the_generated_code_reads_facts_only_from_the_guideline_and_walks_when_one_is_unknown() -> None:
    source = compiled(RR_ALL).source
    compile(source, "<test>", "exec")
    assert "return fallback(facts)" in source
    assert set(compiled(RR_ALL).reads) == {
        a.fact for n in RR_ALL.nodes for b in n.branches for a in atoms(b.when)
    }
    for leaf in RR_ALL.leaves:
        assert repr(leaf.id) in source


# -- any guideline: a toy with a shared subgraph, guards, sets and an inner decision --

TOY_SOURCE = "Pick by arm. Left gets A. Right gets B. Everyone may get C. Some get D. Others get E."
TOY_SCHEMA = Schema(
    (
        Choice("arm", "arm", ("left", "right", "middle")),
        Integer("age", "age", 0, 10),
        Subset("had", "drugs had", ("x", "y", "z")),
    )
)
TOY = Guideline(
    name="toy",
    title="Toy",
    source=TOY_SOURCE,
    schema=TOY_SCHEMA,
    root="arm?",
    nodes=(
        Decision(
            "arm?",
            "Arm?",
            "Pick by arm.",
            (
                Branch("left", Is("arm", "left")),
                Branch("right", AnyOf((Is("arm", "right"), Is("arm", "middle")))),
            ),
        ),
        OptionGroup("left", "Left", "Left gets A.", (Branch("a", AtLeast("age", 3)), Branch("shared"))),
        OptionGroup(
            "right",
            "Right",
            "Right gets B.",
            (Branch("b", Not(Contains("had", "x"))), Branch("shared", CountAtLeast("had", 2))),
        ),
        OptionGroup(
            "shared",
            "Shared",
            "Everyone may get C.",
            (Branch("c"), Branch("age?", AtMost("age", 8))),
        ),
        Decision(
            "age?",
            "Age?",
            "Some get D.",
            (Branch("d", AllOf((AtMost("age", 5),))), Branch("e", AtLeast("age", 6))),
        ),
        Regimen("a", "A", "Left gets A."),
        Regimen("b", "B", "Right gets B."),
        Regimen("c", "C", "Everyone may get C."),
        Regimen("d", "D", "Some get D."),
        Regimen("e", "E", "Others get E."),
    ),
)


def test_any_guideline_compiles_to_the_same_option_ids_as_its_walk_for_every_patient() -> None:
    arms = (None, "left", "right", "middle")
    ages = (None, *range(11))
    sets = (None, *(frozenset(c) for n in range(4) for c in itertools.combinations("xyz", n)))
    for arm, age, had in itertools.product(arms, ages, sets):
        facts: dict[str, Value | None] = {"arm": arm, "age": age, "had": had}
        assert compiled(TOY).screen(facts) == walk(facts, TOY).option_ids, facts


# -- full walks of complete patients, from the per-class templates --


def test_a_complete_patient_walked_by_its_class_gets_the_three_valued_walks_result() -> None:
    """Byte for byte, history known or not, and the same whichever patient of a class came first."""
    rng = random.Random(17)
    patients = [with_history(random_facts(RR_ALL, rng, unknown=0.0), rng) for _ in range(3000)]
    fresh = attrs.evolve(RR_ALL)  # its own, empty, cache
    results = {}
    for facts in reversed(patients):
        results[id(facts)] = to_json(walk_result_to_dict(walk(Patient(**facts), fresh)))  # type: ignore[arg-type]
    for facts in patients:
        slow = to_json(walk_result_to_dict(walk_three_valued(RR_ALL, facts)))
        assert to_json(walk_result_to_dict(walk(facts))) == slow, facts
        assert results[id(facts)] == slow, facts
        assert walk(facts) == walk_three_valued(RR_ALL, facts)


def test_a_patient_keeps_the_same_facts_its_fields_give() -> None:
    rng = random.Random(19)
    for _ in range(500):
        patient = Patient(**with_history(random_facts(RR_ALL, rng, unknown=0.3), rng))  # type: ignore[arg-type]
        fields = SimpleNamespace(**{name: getattr(patient, name) for name in RR_ALL.schema.names})
        assert RR_ALL.schema.facts_of(patient) == RR_ALL.schema.facts_of(fields)
        assert RR_ALL.schema.facts_of(patient) is not RR_ALL.schema.facts_of(patient)  # a copy each time
        assert RR_ALL.schema.facts_view(patient) == RR_ALL.schema.facts_view(fields)
        assert RR_ALL.schema.facts_view(patient) is RR_ALL.schema.facts_view(patient)  # the kept facts


def test_a_walk_or_screen_leaves_the_patients_kept_facts_as_they_were() -> None:
    rng = random.Random(23)
    for _ in range(300):
        patient = Patient(**with_history(random_facts(RR_ALL, rng, unknown=0.2), rng))  # type: ignore[arg-type]
        kept = dict(RR_ALL.schema.facts_view(patient))
        walk(patient).path  # noqa: B018
        screen(patient)
        assert RR_ALL.schema.facts_view(patient) == kept


def test_every_complete_patient_of_any_guideline_gets_the_three_valued_walks_result() -> None:
    for arm, age, had in itertools.product(
        ("left", "right", "middle"),
        range(11),
        (frozenset(c) for n in range(4) for c in itertools.combinations("xyz", n)),
    ):
        facts: dict[str, Value | None] = {"arm": arm, "age": age, "had": had}
        expected = to_json(walk_result_to_dict(walk_three_valued(TOY, facts)))
        assert to_json(walk_result_to_dict(walk(facts, TOY))) == expected, facts
