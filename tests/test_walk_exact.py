"""The three-valued walk agrees with brute force over every completion of a partial patient.

"An option reachable only through unknown facts is offered with its conditions; one ruled out
whatever the unknown facts are is excluded." The oracle here fills in the unknown facts in every
way the schema allows (every value of a choice, every interval of a count between the thresholds the
graph and the constraints use, every subset of the TKIs) and screens each completion.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from hypothesis import given
from hypothesis import strategies as st

from rrall import RR_ALL, walk
from rrall.engine import Condition, Implies, Subset, Value, atoms, compiled
from rrall.engine.tools._verify import guideline_conditions, patient_classes, record

SCHEMA = RR_ALL.schema
CONDITIONS = guideline_conditions(RR_ALL)
CONSTRAINT_CONDITIONS: list[Condition] = [
    part for c in SCHEMA.constraints if isinstance(c, Implies) for part in (c.when, c.then)
]
ATOMS = [atom for condition in CONDITIONS + CONSTRAINT_CONDITIONS for atom in atoms(condition)]
# Facts the graph reads; the history fact (induction drugs) only annotates options.
READ = [name for name in SCHEMA.names if any(atom.fact == name for atom in ATOMS)]


def every_value(name: str) -> list[Value]:
    fact = SCHEMA.fact(name)
    if isinstance(fact, Subset):
        assert fact.universe is not None
        universe = fact.universe
        return [
            frozenset(chosen)
            for size in range(len(universe) + 1)
            for chosen in itertools.combinations(universe, size)
        ]
    return list(fact.representatives([atom for atom in ATOMS if atom.fact == name]))


VALUES = {name: every_value(name) for name in READ}
# Partial classes with a few unknown facts keep the brute force small (≤ 32 × 32 × 3 × 3 completions).
PARTIAL = [
    facts
    for facts in patient_classes(SCHEMA, CONDITIONS)
    if 1 <= sum(facts[name] is None for name in READ) <= 3
]


def completions(facts: dict[str, Value | None]) -> Iterator[frozenset[str]]:
    unknown = [name for name in READ if facts[name] is None]
    for values in itertools.product(*(VALUES[name] for name in unknown)):
        complete = {**facts, **dict(zip(unknown, values, strict=True))}
        if not SCHEMA._breaches(complete):
            yield frozenset(compiled(RR_ALL).screen(complete))


@given(st.sampled_from(PARTIAL))
def test_the_walk_is_exact_for_partial_patients(facts: dict[str, Value | None]) -> None:
    offered_by = list(completions(facts))
    assert offered_by, "every partial class has a valid completion"
    result = walk(record(facts), RR_ALL)
    for option in result.options:
        count = sum(option.id in offered for offered in offered_by)
        if option.definite:
            assert count == len(offered_by), f"{option.id} is definite but some completion lacks it"
        else:
            assert 0 < count < len(offered_by), (
                f"{option.id} is conditional on {[c.text for c in option.conditions]} "
                f"but {count} of {len(offered_by)} completions offer it"
            )
    for exclusion in result.excluded:
        assert not any(exclusion.id in offered for offered in offered_by), (
            f"{exclusion.id} is offered somewhere"
        )
