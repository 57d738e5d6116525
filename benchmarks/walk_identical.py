"""Check that a change to the engine leaves `walk`'s output byte-identical.

    python benchmarks/walk_identical.py record /tmp/walk-before.jsonl   # before the change
    python benchmarks/walk_identical.py compare /tmp/walk-before.jsonl  # after it

Walks the same seeded random patients (complete ones, and ones with 20%, 30%
and 60% of their facts unknown) and writes, or compares, one JSON line per walk:
`to_json` of the result's `WalkResult.to_dict`. Comparing also checks, for each
walk, that the text the command line prints (`rrall.engine.walk_json`, made
from the cache's texts) is that same line, and that the result built back from
it (`WalkResult.from_dict`) equals the walk's.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from patients import cohort

from rrall import RR_ALL, walk
from rrall.engine import to_json, walk_result_to_dict

SIZES = {0.0: 3000, 0.2: 1000, 0.3: 2000, 0.6: 1000}


def lines(*, every_form: bool = False) -> Iterator[str]:
    for unknown, size in SIZES.items():
        for facts in cohort(RR_ALL, size, seed=99, unknown=unknown):
            result = walk(facts, RR_ALL)
            line = to_json(walk_result_to_dict(result))
            if every_form:
                _check_forms(facts, result, line)
            yield line + "\n"


def _check_forms(facts: dict[str, object], result: object, line: str) -> None:
    """The command line's text and the result built back from the dict agree with ``line``."""
    import json

    from rrall.engine import WalkResult, walk_json

    if walk_json(facts, RR_ALL) != line:
        raise SystemExit(f"walk_json differs from to_json(to_dict()) for {facts}")
    if WalkResult.from_dict(json.loads(line), RR_ALL) != result:
        raise SystemExit(f"WalkResult.from_dict does not build the walk's result back for {facts}")


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
    differ = [
        n for n, (old, new) in enumerate(zip(expected, lines(every_form=True), strict=True), 1) if old != new
    ]
    if differ:
        print(f"DIFFERENT: {len(differ)} of {len(expected)} walks, first at line {differ[0]}")
        return 1
    print(f"identical: {len(expected)} walks byte for byte")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
