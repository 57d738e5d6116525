"""Screen a cohort: which patients does the text offer each option, and on what condition?

    python examples/screen_cohort.py [examples/cohort.jsonl]

Reads one patient per line (JSON Lines), skips and reports invalid lines, and
prints how many patients each option is offered to, definitely or conditionally.
rrall models one published text; it is not medical advice.
"""

import json
import sys
from collections import Counter
from pathlib import Path

from rrall import RR_ALL, InvalidRecord, Patient, walk

path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("cohort.jsonl"))
definite: Counter[str] = Counter()
conditional: Counter[str] = Counter()
walked = 0
for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
    if not line.strip():
        continue
    try:
        result = walk(Patient.from_dict(json.loads(line)))
    except (json.JSONDecodeError, InvalidRecord) as error:
        print(f"line {number}: skipped: {error}")
        continue
    walked += 1
    definite.update(option.id for option in result.definite)
    conditional.update(option.id for option in result.conditional)

print(f"\n{walked} patients walked from {path.name}\n")
print(f"{'option':<28} {'definite':>8} {'if...':>6}")
for leaf in RR_ALL.leaves:
    print(f"{leaf.id:<28} {definite[leaf.id]:>8} {conditional[leaf.id]:>6}")
