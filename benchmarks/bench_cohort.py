"""`rrall walk` on a JSON Lines cohort: against its floor, and memory as the file grows.

    .venv/bin/python benchmarks/bench_cohort.py [--floor-lines 20000] [--rounds 3]
                                                [--sizes 100000 1000000] [--dir /tmp]

1. The floor, side by side in one run: ``rrall walk FILE --format json`` on
   ``--floor-lines`` seeded random complete patients (benchmarks/patients.py),
   and a floor that only parses each input line with `json` and writes the same
   output lines with `json` (``json.dumps(..., ensure_ascii=False)``, as rrall
   does). The floor's output is rrall's own: its lines are read back (before
   the timing) and written again. They take turns, ``--rounds`` times each, and
   the medians of their CPU times (user + system) are compared. rrall's time is
   the whole command under /usr/bin/time, starting Python and building the
   guideline included; the floor's is its loop alone, so the ratio is, if
   anything, against rrall. The run checks first that rrall's output has one
   line per input line and that the floor writes the same bytes.
2. Memory: ``rrall walk FILE > /dev/null`` for each of ``--sizes`` (cohorts in
   DIR/rrall-cohort-N.jsonl, written unless there already, never into the
   repository): wall and CPU time, patients per second and maximum resident
   memory (/usr/bin/time's %M). The command streams (one line in, one line
   out), so the memory should not grow with the file.

Run it with ``--sizes`` alone (``make bench-cohort`` does both).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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


def _rrall() -> str:
    return shutil.which("rrall", path=os.path.dirname(sys.executable)) or "rrall"


def measure(path: Path, output: Path | None = None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and max RSS (KB) of ``rrall walk path --format json``."""
    command = ["/usr/bin/time", "-f", "%e %U %S %M", _rrall(), "walk", str(path), "--format", "json"]
    with open(output or os.devnull, "wb") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, text=True, check=True)
    wall, user, system, rss = done.stderr.split()[-4:]
    return float(wall), float(user) + float(system), int(rss)


def floor(lines: list[bytes], answers: list[object], output: Path) -> float:
    """CPU seconds to parse each input line with `json` and write the same answers with `json`."""
    dumps = json.dumps
    start = time.process_time()
    with open(output, "w", encoding="utf-8") as out:
        for line, answer in zip(lines, answers, strict=True):
            json.loads(line)
            out.write(dumps(answer, ensure_ascii=False) + "\n")
    return time.process_time() - start


def against_floor(size: int, rounds: int, directory: Path) -> None:
    path = cohort_file(directory, size)
    lines = path.read_bytes().splitlines()
    with tempfile.TemporaryDirectory() as scratch:
        mine, theirs = Path(scratch, "rrall.jsonl"), Path(scratch, "floor.jsonl")
        startup = measure(cohort_file(directory, 1))[1]
        rrall_cpu, floor_cpu = [], []
        for _ in range(rounds):
            rrall_cpu.append(measure(path, mine)[1])
            answers = [json.loads(line) for line in mine.read_bytes().splitlines()]
            if len(answers) != len(lines):
                raise SystemExit(f"rrall wrote {len(answers)} lines for {len(lines)}")
            floor_cpu.append(floor(lines, answers, theirs))
            del answers
            if theirs.read_bytes() != mine.read_bytes():
                raise SystemExit("the floor's output differs from rrall's")
    ours, base = statistics.median(rrall_cpu), statistics.median(floor_cpu)
    print(f"{size:,} seeded complete patients ({path}); {rounds} rounds each, in turns; CPU seconds:")
    print()
    print("| command | median CPU | each round | lines / s (CPU) |")
    print("| --- | ---: | --- | ---: |")
    print(
        f"| floor: `json.loads` each line, `json.dumps` each answer | {base:.2f} s | "
        f"{', '.join(f'{t:.2f}' for t in floor_cpu)} | {size / base:,.0f} |"
    )
    print(
        f"| `rrall walk FILE --format json` (whole command) | {ours:.2f} s | "
        f"{', '.join(f'{t:.2f}' for t in rrall_cpu)} | {size / ours:,.0f} |"
    )
    print()
    print(f"rrall ÷ floor: {ours / base:.2f}x (starting the command, on a 1-line file: {startup:.2f} s CPU)")


def memory(sizes: list[int], directory: Path) -> None:
    print("| patients (lines) | wall | CPU | patients / s (wall) | patients / s (CPU) | max RSS |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        wall, cpu, rss = measure(cohort_file(directory, size))
        rates = f"{size / wall:,.0f} | {size / cpu:,.0f}"
        print(f"| {size:,} | {wall:,.1f} s | {cpu:,.1f} s | {rates} | {rss / 1024:,.1f} MB |", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor-lines", type=int, default=20_000, help="0: no floor comparison")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp"))
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the start")
    print()
    if args.floor_lines:
        against_floor(args.floor_lines, args.rounds, args.dir)
        print()
    if args.sizes:
        memory(args.sizes, args.dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
