"""Helpers shared by the test modules."""

from __future__ import annotations

import io
import random
import sys

from rrall import RR_ALL
from rrall._cli import main
from rrall.engine import Value


def run(argv: list[str], stdin: str | bytes = "") -> tuple[int, str, str]:
    """Run the command line in-process; returns (exit status, stdout, stderr).

    ``stdin`` as bytes is read as the raw bytes a pipe would give.
    """
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    given = io.TextIOWrapper(io.BytesIO(stdin)) if isinstance(stdin, bytes) else io.StringIO(stdin)
    sys.stdin, sys.stdout, sys.stderr = given, out, err
    try:
        try:
            status = main(argv)
        except SystemExit as exit_:
            status = int(exit_.code or 0)
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return status, out.getvalue(), err.getvalue()


def with_history(facts: dict[str, Value | None], rng: random.Random) -> dict[str, Value | None]:
    """``facts`` with induction drugs unknown, none, or drawn from the leaves' drugs and the
    names that count as them ("vincristine" for "vincristine sulfate liposome")."""
    drugs = [drug for leaf in RR_ALL.leaves for drug in leaf.drugs]
    names = [*sorted({name for drug in drugs for name in RR_ALL.counted_names(drug)}), "other"]
    choice = rng.random()
    drugs = None if choice < 0.2 else frozenset(n for n in names if choice > 0.3 and rng.random() < 0.2)
    return {**facts, "induction_drugs": drugs}
