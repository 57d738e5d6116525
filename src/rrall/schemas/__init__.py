"""The JSON Schemas (draft 2020-12) of the R/R ALL patient and walk result, shipped as package data.

``rr-all.patient.schema.json`` and ``rr-all.result.schema.json`` are generated
from the encoded guideline (``tools/gen_schemas.py``), and the tests check they
match; ``rrall schema patient`` and ``rrall schema result`` print them, and
`rrall.engine.patient_json_schema` / `rrall.engine.result_json_schema`
generate them for any guideline.
"""

from __future__ import annotations

import json
from typing import Any

from ..engine import Guideline, patient_json_schema, result_json_schema

__all__ = ["KINDS", "generated", "schema_text", "shipped"]

#: The schemas there are, by the name ``rrall schema`` takes.
KINDS = ("patient", "result")


def schema_text(kind: str, guideline: Guideline) -> str:
    """The JSON Schema ``kind`` ("patient" or "result") of ``guideline``, as printed (indented)."""
    make = patient_json_schema if kind == "patient" else result_json_schema
    return json.dumps(make(guideline), ensure_ascii=False, indent=2) + "\n"


def generated() -> dict[str, str]:
    """The shipped files' names and the text the code generates for them now."""
    from ..rr_all import RR_ALL

    return {f"{RR_ALL.name}.{kind}.schema.json": schema_text(kind, RR_ALL) for kind in KINDS}


def shipped(kind: str) -> dict[str, Any]:
    """The shipped JSON Schema ``kind`` of the R/R ALL guideline."""
    from importlib.resources import files  # on use: it imports pathlib, tempfile, shutil

    text = files(__package__).joinpath(f"rr-all.{kind}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]
