"""The guideline engine: facts, conditions, graphs and walks, for any guideline.

Nothing here knows about R/R ALL; `rrall.rr_all` encodes that text with it.
"""

from ._conditions import (
    ALWAYS,
    NEVER,
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    Condition,
    Contains,
    CountAtLeast,
    Is,
    Not,
    atoms,
    describe,
    evaluate,
    facts_read,
    residual,
)
from ._golden import GoldenCase
from ._graph import (
    Branch,
    Decision,
    Guideline,
    GuidelineError,
    History,
    Node,
    OptionGroup,
    Provenance,
    Publication,
    Reading,
    Regimen,
)
from ._json_schema import patient_json_schema, result_json_schema
from ._knowledge import Knowledge
from ._result import Exclusion, Option, Requirement, ResultError, Step, WalkResult
from ._schema import Choice, Fact, Implies, Integer, InvalidRecord, Problem, Schema, Subset, SubsetOf, Value
from ._walk import walk

__all__ = [
    "ALWAYS",
    "NEVER",
    "AllOf",
    "AnyOf",
    "AtLeast",
    "AtMost",
    "Branch",
    "Choice",
    "Condition",
    "Contains",
    "CountAtLeast",
    "Decision",
    "Exclusion",
    "Fact",
    "GoldenCase",
    "Guideline",
    "GuidelineError",
    "History",
    "Implies",
    "Integer",
    "InvalidRecord",
    "Is",
    "Knowledge",
    "Node",
    "Not",
    "Option",
    "OptionGroup",
    "Problem",
    "Provenance",
    "Publication",
    "Reading",
    "Regimen",
    "Requirement",
    "ResultError",
    "Schema",
    "Step",
    "Subset",
    "SubsetOf",
    "Value",
    "WalkResult",
    "atoms",
    "describe",
    "evaluate",
    "facts_read",
    "patient_json_schema",
    "residual",
    "result_json_schema",
    "walk",
]
