"""How fast rrall reads FHIR records: `read_bundle` per record, and `rrall walk` on a cohort of Bundles.

    .venv/bin/python benchmarks/bench_fhir.py [--records 2000] [--cohort 10000]

Draws ``--records`` FHIR records of seeded random patients with
`rrall.testing.fhir_records` (every shape: collection, searchset, mCODE bundle,
CDS Hooks prefetch), times `rrall.fhir.read_bundle` on each (median and p99),
then writes ``--cohort`` of them as JSON Lines to a temporary file and times
``rrall walk FILE --as-of 2026-06-01`` on it in a fresh process, and the same
for the patients they encode written as rrall's patient JSON (the difference
is the cost of FHIR; most of both is walking patients with unknown facts).
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rrall.fhir import is_fhir, read_bundle
from rrall.testing import FhirCase, fhir_records

AS_OF = datetime.date(2026, 6, 1)


def _records(count: int) -> list[tuple[dict[str, object], dict[str, object]]]:
    """``count`` seeded FHIR records, each with the patient JSON it encodes."""
    found: list[tuple[dict[str, object], dict[str, object]]] = []

    @settings(max_examples=count, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(fhir_records(as_of=AS_OF), st.just(None))
    def collect(case: FhirCase, _: None) -> None:
        if is_fhir(case.record):  # not a prefetch object whose every key is null
            found.append((case.record, case.patient.to_dict()))

    collect()
    return found


def _walk_cohort(lines: list[dict[str, object]]) -> float:
    """Wall seconds of ``rrall walk`` on ``lines`` as a JSON Lines file, in a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cohort.jsonl"
        path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        begin = time.perf_counter()
        command = [sys.executable, "-m", "rrall", "walk", str(path), "--as-of", AS_OF.isoformat()]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - begin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--cohort", type=int, default=10000)
    args = parser.parse_args(argv)
    pairs = _records(args.records)
    records = [record for record, _ in pairs]
    times = []
    for record in records:
        begin = time.perf_counter()
        read_bundle(record, as_of=AS_OF)
        times.append(time.perf_counter() - begin)
    times.sort()
    resources = statistics.mean(len(json.dumps(r)) for r in records)
    median, p99 = statistics.median(times) * 1e6, times[int(len(times) * 0.99)] * 1e6
    size = f"{len(records)} records, mean {resources:.0f} B"
    print(f"read_bundle: {size}: median {median:.0f} µs, p99 {p99:.0f} µs")
    for name, lines in (
        ("FHIR records", records),
        ("the same patients as patient JSON", [p for _, p in pairs]),
    ):
        wall = _walk_cohort([lines[n % len(lines)] for n in range(args.cohort)])
        print(f"rrall walk: {args.cohort} {name} as JSON Lines: {wall:.1f} s, {args.cohort / wall:.0f}/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
