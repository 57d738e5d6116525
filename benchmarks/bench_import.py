"""How long `import rrall` adds to a bare interpreter start, and rrall's plugin to `import hypothesis`.

    .venv/bin/python benchmarks/bench_import.py [--runs 30]

Starts ``python -c pass`` and ``python -c "import rrall"`` alternately in
fresh processes, and reports the median wall time of each and their
difference (issue 12's target: at most 120 ms). Also says whether networkx, the
slowest dependency to import, is loaded by ``import rrall`` (it should not be:
only `Guideline.graph` and the acyclicity check need it).

Then ``python -c "import hypothesis"`` with Hypothesis's plugins (rrall's among
them) and with ``HYPOTHESIS_NO_PLUGINS=1``, alternately: rrall's plugin should
add next to nothing, since it imports nothing of rrall until rrall is imported.
For a per-module breakdown: ``python -X importtime -c "import rrall"``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time


def _start(code: str, **env: str) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of a fresh interpreter running ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    # An installed package has its bytecode: a machine that sets PYTHONDONTWRITEBYTECODE would
    # otherwise time compiling every module from source on each start.
    dropped = {"HYPOTHESIS_NO_PLUGINS", "PYTHONDONTWRITEBYTECODE"}
    inherited = {key: value for key, value in os.environ.items() if key not in dropped}
    subprocess.run([sys.executable, "-c", code], check=True, env={**inherited, **env})
    wall = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


#: A contender: its label, the code a fresh interpreter runs, and environment variables set.
Contender = tuple[str, str, dict[str, str]]


def _side_by_side(runs: int, first: Contender, second: Contender, adds: str, probe: tuple[str, str]) -> None:
    """Time ``first`` and ``second`` alternately; print their medians, the difference and a probe."""
    _start(second[1], **second[2])  # warm the file cache and bytecode
    timed: tuple[list[tuple[float, float]], list[tuple[float, float]]] = ([], [])
    for _ in range(runs):
        for times, (_, code, env) in zip(timed, (first, second), strict=True):
            times.append(_start(code, **env))
    found = subprocess.run([sys.executable, "-c", probe[1]], check=True, capture_output=True, text=True)
    width = max(28, *(len(label) for label, _, _ in (first, second)))
    print(f"{runs} runs each, medians{' ' * (width - 17)}wall      CPU (user+sys)")
    medians = [[statistics.median(run[i] for run in times) for i in (0, 1)] for times in timed]
    for (label, _, _), (wall, cpu) in zip((first, second), medians, strict=True):
        print(f"  {label:{width}s} {wall * 1e3:7.1f} ms {cpu * 1e3:7.1f} ms")
    wall, cpu = (medians[1][i] - medians[0][i] for i in (0, 1))
    print(f"  {adds:{width}s} {wall * 1e3:7.1f} ms {cpu * 1e3:7.1f} ms")
    print(f"  {probe[0]}: {found.stdout.strip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    _side_by_side(
        args.runs,
        ("python -c pass", "pass", {}),
        ("python -c 'import rrall'", "import rrall", {}),
        "import rrall adds",
        ("networkx loaded by import rrall", "import sys, rrall; print('networkx' in sys.modules)"),
    )
    print("  (target for import rrall: at most 120 ms over a bare interpreter)")
    _side_by_side(
        args.runs,
        ("import hypothesis, HYPOTHESIS_NO_PLUGINS=1", "import hypothesis", {"HYPOTHESIS_NO_PLUGINS": "1"}),
        ("import hypothesis, plugins on (rrall's)", "import hypothesis", {}),
        "the plugins add",
        ("rrall loaded by import hypothesis", "import sys, hypothesis; print('rrall' in sys.modules)"),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
