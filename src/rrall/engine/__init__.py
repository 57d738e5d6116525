"""The guideline engine: facts, conditions, graphs and walks, for any guideline.

Nothing here knows about R/R ALL; `rrall.rr_all` encodes that text with it.

The folders are the layers, each importing only those before it:

- `model`: facts and their domains, conditions, knowledge, the guideline graph;
- `walk`: results, the walk (`walk_three_valued`, what a walk means), the code compiled
  from the conditions and the bounded cache of the walk (`walk`, `screen`);
- `tools` (verify, diff, report, JSON forms, load, JSON Schemas) and `draw` (render,
  Jupyter drawings), on top.

`exceptions` holds every error. A test (tests/test_layers.py) reads every module's
imports and fails on a circle. `tools` and `draw` load on first use, so that walking
does not pay for drawing or verifying.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import draw, exceptions, tools  # draw and tools: their modules load on first use
from ._lazy import on_first_use
from .exceptions import (
    DiffError,
    GuidelineError,
    InvalidFhir,
    InvalidRecord,
    LoadError,
    Problem,
    ResultError,
    RrallError,
)
from .model import (
    ALWAYS,
    NEVER,
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    Atom,
    Boolean,
    Branch,
    Choice,
    ChoiceDomain,
    Components,
    Condition,
    Contains,
    CountAtLeast,
    Decision,
    Domain,
    Fact,
    GoldenCase,
    Guideline,
    History,
    Implies,
    Integer,
    Is,
    Knowledge,
    Leaf,
    LeafWords,
    Measure,
    MeasureDomain,
    Node,
    Not,
    OptionGroup,
    Provenance,
    Publication,
    RangeDomain,
    Reading,
    Regimen,
    Schema,
    SetDomain,
    Subset,
    SubsetOf,
    Value,
    _display,
    atoms,
    describe,
    evaluate,
    facts_read,
    residual,
)
from .walk import (
    Exclusion,
    Option,
    Record,
    Requirement,
    Step,
    WalkResult,
    compiled,
    record_class,
    record_declaration,
    record_source,
    screen,
    to_json,
    walk,
    walk_json,
    walk_three_valued,
)

if TYPE_CHECKING:
    from .draw import (
        BINARY_FORMATS,
        FORMATS,
        TEXT_FORMATS,
        render,
        to_agraph,
        to_dot,
        to_mermaid,
    )
    from .tools import (
        Change,
        Check,
        Diff,
        Verification,
        converter,
        diff,
        diff_report,
        diff_to_dict,
        guideline_from_dict,
        guideline_to_dict,
        patient_json_schema,
        result_json_schema,
        text_report,
        verification_report,
        verification_to_dict,
        verify,
        walk_result_to_dict,
    )


#: The names of `tools` and `draw`, each imported from its module on first use.
_ON_TOP = {**dict.fromkeys(tools.__all__, ".tools"), **dict.fromkeys(draw.__all__, ".draw")}
__getattr__ = on_first_use(__name__, _ON_TOP, globals())


def _drawing(hook: str) -> Callable[[Any], Any]:
    """A Jupyter hook that loads the drawing layer on first use; that layer sets the real hooks."""

    def load_and_call(item: object) -> Any:
        importlib.import_module(".draw._render", __name__)
        return getattr(_display.DRAWING, hook)(item)

    return load_and_call


if _display.DRAWING.svg is None:
    _display.DRAWING.svg = _drawing("svg")
    _display.DRAWING.bundle = _drawing("bundle")


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "ALWAYS",
    "BINARY_FORMATS",
    "FORMATS",
    "NEVER",
    "TEXT_FORMATS",
    "AllOf",
    "AnyOf",
    "AtLeast",
    "AtMost",
    "Atom",
    "Boolean",
    "Branch",
    "Change",
    "Check",
    "Choice",
    "ChoiceDomain",
    "Components",
    "Condition",
    "Contains",
    "CountAtLeast",
    "Decision",
    "Diff",
    "DiffError",
    "Domain",
    "Exclusion",
    "Fact",
    "GoldenCase",
    "Guideline",
    "GuidelineError",
    "History",
    "Implies",
    "Integer",
    "InvalidFhir",
    "InvalidRecord",
    "Is",
    "Knowledge",
    "Leaf",
    "LeafWords",
    "LoadError",
    "Measure",
    "MeasureDomain",
    "Node",
    "Not",
    "Option",
    "OptionGroup",
    "Problem",
    "Provenance",
    "Publication",
    "RangeDomain",
    "Reading",
    "Record",
    "Regimen",
    "Requirement",
    "ResultError",
    "RrallError",
    "Schema",
    "SetDomain",
    "Step",
    "Subset",
    "SubsetOf",
    "Value",
    "Verification",
    "WalkResult",
    "atoms",
    "compiled",
    "converter",
    "describe",
    "diff",
    "diff_report",
    "diff_to_dict",
    "evaluate",
    "exceptions",
    "facts_read",
    "guideline_from_dict",
    "guideline_to_dict",
    "patient_json_schema",
    "record_class",
    "record_declaration",
    "record_source",
    "render",
    "residual",
    "result_json_schema",
    "screen",
    "text_report",
    "to_agraph",
    "to_dot",
    "to_json",
    "to_mermaid",
    "verification_report",
    "verification_to_dict",
    "verify",
    "walk",
    "walk_json",
    "walk_result_to_dict",
    "walk_three_valued",
]
