"""How fast a record is built from its JSON: `Patient(**json)`, against `PATIENT_SCHEMA.parse`.

    .venv/bin/python benchmarks/bench_records.py [--records 3000] [--repeats 9]

Builds ``--records`` seeded complete patients and as many with 30% of their facts
unknown (benchmarks/patients.py), as parsed JSON, then times, in CPU time and in
the same run, `Patient(**record)` (the generated record class: what
`Patient.from_dict` and `rrall walk` do per line) and `PATIENT_SCHEMA.parse(record)`
(the validation alone, the record's slow path). Prints the medians per record
over ``--repeats`` passes and their ratio; the ratio is what to compare across
runs on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from patients import jsonl_lines

from rrall import RR_ALL, Patient
from rrall.rr_all import PATIENT_SCHEMA


def per_record(
    make: Callable[[dict[str, object]], object], records: list[dict[str, object]], repeats: int
) -> float:
    """The median CPU time of ``make`` per record, in microseconds."""
    passes = []
    for _ in range(repeats):
        start = time.process_time()
        for record in records:
            make(record)
        passes.append((time.process_time() - start) / len(records) * 1e6)
    return statistics.median(passes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    records = [
        json.loads(line)
        for unknown in (0.0, 0.3)
        for line in jsonl_lines(RR_ALL, args.records, seed=7, unknown=unknown)
    ]
    built = per_record(lambda record: Patient(**record), records, args.repeats)  # type: ignore[arg-type]
    parsed = per_record(PATIENT_SCHEMA.parse, records, args.repeats)
    print(f"{len(records)} records (half with 30% of facts unknown), CPU time per record, medians:")
    print(f"  Patient(**json)          {built:6.2f} µs")
    print(f"  PATIENT_SCHEMA.parse     {parsed:6.2f} µs")
    print(f"  Patient ÷ parse          {built / parsed:6.2f}")


if __name__ == "__main__":
    main()
