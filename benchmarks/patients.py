"""Seeded random patients generated from a guideline's fact schema (no Hypothesis).

Generic: every value comes from the schema (a choice's values, an integer's
range, a set's universe) and from the guideline's own conditions (the cut
points of integer tests, the items tested for), so boundaries are hit often.
Records that break a schema constraint are drawn again.

    python benchmarks/patients.py 1000000 > /tmp/cohort.jsonl    # JSON Lines cohort
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator

from rrall.engine import (
    AtLeast,
    AtMost,
    Choice,
    Contains,
    Guideline,
    Integer,
    InvalidRecord,
    Subset,
    Value,
    atoms,
)

__all__ = ["cohort", "jsonl_lines", "random_facts"]


def _cuts(guideline: Guideline) -> dict[str, list[int]]:
    """For each integer fact, the values either side of every bound a condition tests."""
    cuts: dict[str, set[int]] = {}
    for node in guideline.nodes:
        for branch in node.branches:
            for atom in atoms(branch.when):
                if isinstance(atom, (AtLeast, AtMost)):
                    cuts.setdefault(atom.fact, set()).update({atom.bound - 1, atom.bound, atom.bound + 1})
    return {name: sorted(values) for name, values in cuts.items()}


def _items(guideline: Guideline) -> list[str]:
    """Names for a set fact without a universe: the items conditions test and the leaves' drugs."""
    named = [
        atom.item
        for n in guideline.nodes
        for b in n.branches
        for atom in atoms(b.when)
        if isinstance(atom, Contains)
    ]
    drugs = [drug for leaf in guideline.leaves for drug in leaf.components]
    return list(dict.fromkeys(named + drugs))


def random_facts(
    guideline: Guideline, rng: random.Random, *, unknown: float = 0.0
) -> dict[str, Value | None]:
    """One valid patient's facts; each fact is unknown (None) with probability ``unknown``."""
    schema = guideline.schema
    cuts, pool = _cuts(guideline), _items(guideline)
    while True:
        raw: dict[str, object] = {}
        for fact in schema.facts:
            if rng.random() < unknown:
                continue
            if isinstance(fact, Choice):
                raw[fact.name] = rng.choice(fact.values)
            elif isinstance(fact, Integer):
                near = [v for v in cuts.get(fact.name, []) if fact.minimum <= v <= fact.maximum]
                if near and rng.random() < 0.5:
                    raw[fact.name] = rng.choice(near)
                else:
                    high = min(fact.maximum, fact.minimum + 10) if rng.random() < 0.5 else fact.maximum
                    raw[fact.name] = rng.randint(fact.minimum, high)
            else:
                assert isinstance(fact, Subset)
                universe = list(fact.universe) if fact.universe is not None else pool
                chance = 0.4 if fact.universe is not None else 0.15
                raw[fact.name] = [item for item in universe if rng.random() < chance]
        try:
            return schema.parse(raw)
        except InvalidRecord:
            continue


def cohort(
    guideline: Guideline, size: int, *, seed: int = 2024, unknown: float = 0.0
) -> list[dict[str, Value | None]]:
    """``size`` random patients' facts, the same for the same seed."""
    rng = random.Random(seed)
    return [random_facts(guideline, rng, unknown=unknown) for _ in range(size)]


def jsonl_lines(guideline: Guideline, size: int, *, seed: int = 2024, unknown: float = 0.0) -> Iterator[str]:
    """``size`` random patients as JSON Lines, the same for the same seed."""
    rng = random.Random(seed)
    for _ in range(size):
        facts = random_facts(guideline, rng, unknown=unknown)
        yield json.dumps(guideline.schema.to_json(facts)) + "\n"


if __name__ == "__main__":
    from rrall import RR_ALL

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    share_unknown = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    sys.stdout.writelines(jsonl_lines(RR_ALL, count, unknown=share_unknown))
