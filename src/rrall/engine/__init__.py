"""The guideline engine: facts, conditions, graphs and walks, for any guideline.

Nothing here knows about R/R ALL; `rrall.rr_all` encodes that text with it.
"""

from ._cache import walk
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
from ._graph import Branch, Decision, Guideline, GuidelineError, Node, OptionGroup, Reading, Regimen
from ._knowledge import Knowledge
from ._result import Exclusion, Option, Requirement, Step, WalkResult
from ._schema import Choice, Fact, Implies, Integer, InvalidRecord, Problem, Schema, Subset, SubsetOf, Value

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
    "Reading",
    "Regimen",
    "Requirement",
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
    "residual",
    "walk",
]
