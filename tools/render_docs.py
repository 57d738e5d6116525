"""Regenerate the committed flowchart renders under docs/ from the encoded guideline.

    python tools/render_docs.py           # (re)write docs/flowchart.{svg,png,pdf}, docs/patient-route.*
    python tools/render_docs.py --check   # exit 1 if any of them differs from what the code draws

The images are drawn, never edited by hand: tests/test_render.py fails when
they drift from `rrall.render`, and tests/test_fonts.py checks that they come out
byte for byte whatever fonts the machine has. (`make docs-images` runs the first command.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rrall import Patient, WalkResult, render, walk

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

#: The example patient of docs/patient-route.*: Ph-positive B-cell ALL after two failed TKIs,
#: CD20 status unknown, so the route crosses into the Ph-negative regimens and MOpAD is conditional.
EXAMPLE_PATIENT = Patient(
    ph="positive",
    lineage="B",
    age=30,
    status="relapsed",
    relapses=1,
    tkis_received=["imatinib", "dasatinib"],
    tkis_failed=["imatinib", "dasatinib"],
)


def renders() -> dict[Path, bytes]:
    """Every committed render, by path, as the code draws it now."""
    example: WalkResult = walk(EXAMPLE_PATIENT)
    drawings: dict[Path, bytes] = {}
    for fmt in ("svg", "png", "pdf"):
        whole = render(format=fmt)
        route = render(example, format=fmt)
        assert isinstance(whole, bytes)
        assert isinstance(route, bytes)
        drawings[DOCS / f"flowchart.{fmt}"] = whole
        drawings[DOCS / f"patient-route.{fmt}"] = route
    return drawings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a render differs; write nothing")
    args = parser.parse_args(argv)
    stale = []
    for path, data in renders().items():
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(path)
        else:
            path.write_bytes(data)
            print(f"wrote {path.relative_to(ROOT)}")
    for path in stale:
        print(f"{path.relative_to(ROOT)} differs from the code: run `make docs-images`", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
