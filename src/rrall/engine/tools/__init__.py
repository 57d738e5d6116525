"""What is built on walks: verification, diffs of two guidelines, text reports, JSON forms,
loading a guideline from JSON and JSON Schemas. Builds on `..model` and `..walk`."""

from __future__ import annotations

from ._diff import Change, Diff, diff, diff_report, diff_to_dict
from ._json_schema import patient_json_schema, result_json_schema
from ._load import guideline_from_dict
from ._report import text_report
from ._serialize import converter, guideline_to_dict, to_json, walk_result_to_dict
from ._verify import Check, Verification, verification_report, verification_to_dict, verify

__all__ = [
    "Change",
    "Check",
    "Diff",
    "Verification",
    "converter",
    "diff",
    "diff_report",
    "diff_to_dict",
    "guideline_from_dict",
    "guideline_to_dict",
    "patient_json_schema",
    "result_json_schema",
    "text_report",
    "to_json",
    "verification_report",
    "verification_to_dict",
    "verify",
    "walk_result_to_dict",
]
