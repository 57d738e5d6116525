"""Write src/rrall/rr_all/rxnorm_products.tsv: RxNorm product and brand codes rolled up to ingredients.

Source: the CIBMTR Reporting IG's published RxNorm value sets (nmdp-ig/cibmtr-reporting-ig,
build/fsh-generated/resources/ValueSet-med-*.json, commit d15ab17, 2025-04-09). Each concept there
carries its RxNorm display ("dasatinib 140 MG Oral Tablet", "Sprycel"); a code is kept when its display
names exactly one ingredient (or brand) of rrall's vocabulary, and rolled up to that ingredient.

Usage: python tools/gen_rxnorm_table.py DIR_WITH_VALUESET_JSON
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rrall.rr_all._drugs import DRUGS

OUT = Path(__file__).resolve().parents[1] / "src/rrall/rr_all/rxnorm_products.tsv"
HEADER = (
    "# RxNorm codes (SCD, SBD, BN, SCDF, ...) rolled up to an ingredient rrall names.\n"
    "# Source: CIBMTR Reporting IG RxNorm value sets, nmdp-ig/cibmtr-reporting-ig@d15ab17 (2025-04-09),\n"
    "# build/fsh-generated/resources/ValueSet-med-*.json; regenerate with tools/gen_rxnorm_table.py.\n"
    "# code\tingredient\tRxNorm display\n"
)


def _names() -> list[tuple[re.Pattern[str], str]]:
    patterns = []
    for drug in DRUGS:
        for name in (drug.name, *drug.brands):
            patterns.append((re.compile(rf"(?<![a-z]){re.escape(name.lower())}(?![a-z])"), drug.name))
    return patterns


def main(folder: str) -> None:
    patterns = _names()
    rows: dict[str, tuple[str, str]] = {}
    for path in sorted(Path(folder).glob("ValueSet-med-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for include in data.get("compose", {}).get("include", []):
            if include.get("system") != "http://www.nlm.nih.gov/research/umls/rxnorm":
                continue
            for concept in include.get("concept", []):
                display = concept.get("display") or ""
                found = {drug for pattern, drug in patterns if pattern.search(display.lower())}
                # "vincristine sulfate liposome" also names vincristine: keep the longer name.
                found = {d for d in found if not any(o != d and d in o for o in found)}
                if len(found) == 1:
                    rows.setdefault(concept["code"], (found.pop(), display))
    lines = [
        f"{code}\t{drug}\t{display}\n"
        for code, (drug, display) in sorted(rows.items(), key=lambda r: int(r[0]))
    ]
    OUT.write_text(HEADER + "".join(lines), encoding="utf-8")
    print(f"{len(lines)} codes -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
