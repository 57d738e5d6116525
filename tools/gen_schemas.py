"""Regenerate the JSON Schemas shipped in the package (src/rrall/schemas/) from the encoded guideline.

    python tools/gen_schemas.py           # (re)write them
    python tools/gen_schemas.py --check   # exit 1 if any differs from what the code generates

tests/test_json_schema.py fails when they drift from `rrall schema`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rrall.schemas import generated

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "src" / "rrall" / "schemas"


def main(argv: list[str]) -> int:
    stale = []
    for name, text in generated().items():
        path = SCHEMAS / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if "--check" not in argv:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale and "--check" in argv:
        print(f"out of date: {', '.join(stale)}; run `python tools/gen_schemas.py`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
