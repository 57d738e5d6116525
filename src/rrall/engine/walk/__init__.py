"""What a walk means (`walk_three_valued`) and its results, the code compiled from a guideline's
conditions, and the bounded cache of the walk (`walk`, `screen`). Builds on `..model` only."""

from __future__ import annotations

from ._cache import compiled, screen, walk
from ._result import Exclusion, Option, Requirement, Step, WalkResult
from ._walk import walk_three_valued

__all__ = [
    "Exclusion",
    "Option",
    "Requirement",
    "Step",
    "WalkResult",
    "compiled",
    "screen",
    "walk",
    "walk_three_valued",
]
