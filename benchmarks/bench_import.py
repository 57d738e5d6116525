"""How long `import rrall` adds to a bare interpreter start, and rrall's plugin to `import hypothesis`.

    .venv/bin/python benchmarks/bench_import.py [--runs 30]

Starts ``python -c pass`` and ``python -c "import rrall"`` alternately in
fresh processes, and reports the median wall time of each and their
difference (the target is at most 150 ms). Also says whether networkx, the
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
    inherited = {key: value for key, value in os.environ.items() if key != "HYPOTHESIS_NO_PLUGINS"}
    subprocess.run([sys.executable, "-c", code], check=True, env={**inherited, **env})
    wall = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    _start("import rrall")  # warm the file cache and bytecode
    bare, loaded = [], []
    for _ in range(args.runs):
        bare.append(_start("pass"))
        loaded.append(_start("import rrall"))
    probe = "import sys, rrall; print('networkx' in sys.modules)"
    networkx = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    print(f"{args.runs} runs each, medians           wall      CPU (user+sys)")
    for label, runs in (("python -c pass", bare), ("python -c 'import rrall'", loaded)):
        wall, cpu = (statistics.median(run[i] for run in runs) for i in (0, 1))
        print(f"  {label:28s} {wall * 1e3:7.1f} ms {cpu * 1e3:7.1f} ms")
    wall, cpu = (
        statistics.median(a[i] for a in loaded) - statistics.median(b[i] for b in bare) for i in (0, 1)
    )
    print(f"  {'import rrall adds':28s} {wall * 1e3:7.1f} ms {cpu * 1e3:7.1f} ms   (target: at most 150 ms)")
    print(f"  networkx loaded by import rrall: {networkx.stdout.strip()}")
    _hypothesis(args.runs)
    return 0


def _hypothesis(runs: int) -> None:
    """``import hypothesis`` with the plugins and without, and whether rrall's loads rrall."""
    _start("import hypothesis")
    bare, plugged = [], []
    for _ in range(runs):
        bare.append(_start("import hypothesis", HYPOTHESIS_NO_PLUGINS="1"))
        plugged.append(_start("import hypothesis"))
    probe = "import sys, hypothesis; print('rrall' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    print(f"{runs} runs each, medians                      wall      CPU (user+sys)")
    for label, timed in (("HYPOTHESIS_NO_PLUGINS=1", bare), ("plugins on (rrall's)", plugged)):
        wall, cpu = (statistics.median(run[i] for run in timed) for i in (0, 1))
        print(f"  {'import hypothesis, ' + label:39s} {wall * 1e3:7.1f} ms {cpu * 1e3:7.1f} ms")
    wall, cpu = (
        statistics.median(a[i] for a in plugged) - statistics.median(b[i] for b in bare) for i in (0, 1)
    )
    print(f"  {'the plugins add':39s} {wall * 1e3:7.1f} ms {cpu * 1e3:7.1f} ms")
    print(f"  rrall loaded by import hypothesis: {loaded.stdout.strip()}")


if __name__ == "__main__":
    raise SystemExit(main())
