"""First sight: `walk(p, fresh).to_dict()` for seeded patients with unknown facts, each
seen once by a fresh guideline (its caches and the walk's memo empty at the start), as
`benchmarks/bench_walk.py` prints it, plus the CPU time per patient over the loop.

    .venv/bin/python benchmarks/first_sight.py [--patients 3000] [--seed 2026] [--unknown 0.3]

To compare two versions side by side, run it in turn against each version's source
(a `git worktree` of main, say): ``PYTHONPATH=/tmp/main/src .venv/bin/python
benchmarks/first_sight.py``, then the same without ``PYTHONPATH``, a few rounds each.
"""

from __future__ import annotations

import argparse
import statistics
import time

import attrs
from patients import cohort

import rrall
from rrall import RR_ALL, Patient, walk
from rrall.engine import walk_result_to_dict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--unknown", type=float, default=0.3)
    args = parser.parse_args(argv)
    records = [Patient(**f) for f in cohort(RR_ALL, args.patients, seed=args.seed, unknown=args.unknown)]  # type: ignore[arg-type]
    fresh = attrs.evolve(RR_ALL)
    times = []
    cpu = time.process_time()
    for patient in records:
        start = time.perf_counter()
        walk_result_to_dict(walk(patient, fresh))
        times.append(time.perf_counter() - start)
    cpu = (time.process_time() - cpu) / len(records)
    print(
        f"{rrall.__file__}: first sight, {args.patients} patients, {args.unknown:.0%} unknown: "
        f"{statistics.median(times) * 1e6:,.1f} µs median, {statistics.mean(times) * 1e6:,.1f} µs mean, "
        f"{cpu * 1e6:,.1f} µs CPU per patient"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
