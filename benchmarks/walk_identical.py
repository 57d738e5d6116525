"""Check that a change to the engine leaves `walk`'s output byte-identical.

    python benchmarks/walk_identical.py record /tmp/walk-before.jsonl   # before the change
    python benchmarks/walk_identical.py compare /tmp/walk-before.jsonl  # after it

Walks the same seeded random patients (complete ones, and ones with 20%, 30%
and 60% of their facts unknown) and writes, or compares, one JSON line per walk.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from patients import cohort

from rrall import RR_ALL, walk
from rrall.engine.tools._serialize import to_json, walk_result_to_dict

SIZES = {0.0: 3000, 0.2: 1000, 0.3: 2000, 0.6: 1000}


def lines() -> Iterator[str]:
    for unknown, size in SIZES.items():
        for facts in cohort(RR_ALL, size, seed=99, unknown=unknown):
            yield to_json(walk_result_to_dict(walk(facts, RR_ALL))) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("record", "compare"):
        print(__doc__, file=sys.stderr)
        return 2
    path = Path(argv[1])
    if argv[0] == "record":
        path.write_text("".join(lines()), encoding="utf-8")
        print(f"recorded {sum(SIZES.values())} walks to {path}")
        return 0
    expected = path.read_text(encoding="utf-8").splitlines(keepends=True)
    differ = [n for n, (old, new) in enumerate(zip(expected, lines(), strict=True), 1) if old != new]
    if differ:
        print(f"DIFFERENT: {len(differ)} of {len(expected)} walks, first at line {differ[0]}")
        return 1
    print(f"identical: {len(expected)} walks byte for byte")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
