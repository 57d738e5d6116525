"""Helpers shared by the test modules."""

from __future__ import annotations

import io
import random
import sys

from rrall import RR_ALL
from rrall._cli import main
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


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    """Run the command line in-process; returns (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        try:
            status = main(argv)
        except SystemExit as exit_:
            status = int(exit_.code or 0)
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return status, out.getvalue(), err.getvalue()


def random_facts(guideline: Guideline, rng: random.Random, unknown: float) -> dict[str, Value | None]:
    """A valid patient drawn from the schema, near the guideline's cut points; each
    fact unknown with probability ``unknown``."""
    tested = [a for node in guideline.nodes for b in node.branches for a in atoms(b.when)]
    cuts = {a.fact: [a.bound - 1, a.bound, a.bound + 1] for a in tested if isinstance(a, (AtLeast, AtMost))}
    items = [a.item for a in tested if isinstance(a, Contains)] + ["other"]
    while True:
        raw: dict[str, object] = {}
        for fact in guideline.schema.facts:
            if rng.random() < unknown:
                continue
            if isinstance(fact, Choice):
                raw[fact.name] = rng.choice(fact.values)
            elif isinstance(fact, Integer):
                near = [v for v in cuts.get(fact.name, []) if fact.minimum <= v <= fact.maximum]
                raw[fact.name] = rng.choice(near) if near and rng.random() < 0.7 else rng.randint(0, 30)
            else:
                assert isinstance(fact, Subset)
                pool = fact.universe or tuple(items)
                raw[fact.name] = [item for item in pool if rng.random() < 0.4]
        try:
            return guideline.schema.parse(raw)
        except InvalidRecord:
            continue


def with_history(facts: dict[str, Value | None], rng: random.Random) -> dict[str, Value | None]:
    """``facts`` with induction drugs unknown, none, or drawn from the leaves' drugs and the
    names that count as them ("vincristine" for "vincristine sulfate liposome")."""
    names = [*sorted(RR_ALL.compiled.counts_as), "other"]
    choice = rng.random()
    drugs = None if choice < 0.2 else frozenset(n for n in names if choice > 0.3 and rng.random() < 0.2)
    return {**facts, "induction_drugs": drugs}
