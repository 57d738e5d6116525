"""`rrall walk` on a JSON Lines cohort: patients per second, and memory as the file grows.

    .venv/bin/python benchmarks/bench_cohort.py [--sizes 100000 1000000] [--dir /tmp]

Writes seeded random complete patients (benchmarks/patients.py) to
DIR/rrall-cohort-N.jsonl unless the file is there already (never into the
repository), then runs ``rrall walk FILE > /dev/null`` under /usr/bin/time
for each size and reports wall time, patients per second and maximum
resident memory. The command streams (one line in, one line out), so the
memory should not grow with the file. Each output line is the full walk
(about 8 KB of JSON per patient), so the output goes to /dev/null.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from patients import jsonl_lines

from rrall import RR_ALL


def cohort_file(directory: Path, size: int) -> Path:
    path = directory / f"rrall-cohort-{size}.jsonl"
    if not path.exists():
        with open(path.with_suffix(".part"), "w", encoding="utf-8") as out:
            out.writelines(jsonl_lines(RR_ALL, size, seed=2024))
        path.with_suffix(".part").rename(path)
    return path


def measure(path: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and max RSS (KB) of ``rrall walk path > /dev/null``."""
    rrall = shutil.which("rrall", path=os.path.dirname(sys.executable)) or "rrall"
    command = ["/usr/bin/time", "-f", "%e %U %S %M", rrall, "walk", str(path)]
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    wall, user, system, rss = done.stderr.split()[-4:]
    return float(wall), float(user) + float(system), int(rss)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp"))
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores (os.cpu_count; `nproc` says the same unless limited)")
    print("| patients (lines) | wall | CPU | patients / s (wall) | patients / s (CPU) | max RSS |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        wall, cpu, rss = measure(cohort_file(args.dir, size))
        rates = f"{size / wall:,.0f} | {size / cpu:,.0f}"
        print(f"| {size:,} | {wall:,.1f} s | {cpu:,.1f} s | {rates} | {rss / 1024:,.1f} MB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
