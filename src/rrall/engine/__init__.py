"""The guideline engine: facts, conditions, graphs and walks, for any guideline.

Nothing here knows about R/R ALL; `rrall.rr_all` encodes that text with it.

The layers, each importing only those before it: conditions, domains and exceptions;
schema; knowledge; graph; results; the walk (`walk_three_valued`, what a walk means);
the compiled functions and the cache of the walk (`walk`, `screen`); then verify, diff,
render (which also draws guidelines and results in Jupyter), report, serialize and load.
A test (tests/test_layers.py) reads every module's imports and fails on a circle.
"""

from . import exceptions
from ._cache import compiled, screen, walk
from ._conditions import (
    ALWAYS,
    NEVER,
    AllOf,
    AnyOf,
    AtLeast,
    AtMost,
    Atom,
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
from ._diff import Change, Diff, diff, diff_report, diff_to_dict
from ._domains import ChoiceDomain, Domain, MeasureDomain, RangeDomain, SetDomain
from ._golden import GoldenCase
from ._graph import (
    Branch,
    Components,
    Decision,
    Guideline,
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
from ._load import guideline_from_dict
from ._records import Record, record_class, record_declaration, record_source
from ._render import BINARY_FORMATS, FORMATS, TEXT_FORMATS, register, render, to_agraph, to_dot, to_mermaid
from ._report import text_report
from ._result import Exclusion, Option, Requirement, Step, WalkResult
from ._schema import Boolean, Choice, Fact, Implies, Integer, Measure, Schema, Subset, SubsetOf, Value
from ._serialize import converter, guideline_to_dict, to_json, walk_result_to_dict
from ._verify import Check, Verification, verification_report, verification_to_dict, verify
from ._walk import walk_three_valued
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
    "register",
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
    "walk_result_to_dict",
    "walk_three_valued",
]
