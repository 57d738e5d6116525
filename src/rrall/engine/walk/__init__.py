"""What a walk means (`walk_three_valued`) and its results, the code compiled from a guideline's
conditions, the bounded cache of the walk (`walk`, `screen`), and record classes generated from a
schema (`record_class`). Builds on `..model` only."""

from __future__ import annotations

from ._cache import compiled, screen, walk, walk_json
from ._records import Record, record_class, record_declaration, record_source
from ._result import Exclusion, Option, Requirement, Step, WalkResult, to_json
from ._walk import walk_three_valued

__all__ = [
    "Exclusion",
    "Option",
    "Record",
    "Requirement",
    "Step",
    "WalkResult",
    "compiled",
    "record_class",
    "record_declaration",
    "record_source",
    "screen",
    "to_json",
    "walk",
    "walk_json",
    "walk_three_valued",
]
