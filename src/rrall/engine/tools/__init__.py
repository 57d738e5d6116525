"""What is built on walks: verification, diffs of two guidelines, text reports, JSON forms,
loading a guideline from JSON and JSON Schemas. Builds on `..model` and `..walk`.

Each module loads on first use of one of its names, so that `rrall verify` does not
load the JSON forms (cattrs), nor a walk any of this."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import on_first_use

if TYPE_CHECKING:
    from ._diff import Change, Diff, diff, diff_report, diff_to_dict
    from ._json_schema import patient_json_schema, result_json_schema
    from ._load import guideline_from_dict
    from ._report import text_report
    from ._serialize import converter, guideline_to_dict, to_json, walk_result_to_dict
    from ._verify import Check, Verification, verification_report, verification_to_dict, verify

#: Where each name lives.
_MODULE = {
    "Change": "_diff",
    "Diff": "_diff",
    "diff": "_diff",
    "diff_report": "_diff",
    "diff_to_dict": "_diff",
    "patient_json_schema": "_json_schema",
    "result_json_schema": "_json_schema",
    "guideline_from_dict": "_load",
    "text_report": "_report",
    "converter": "_serialize",
    "guideline_to_dict": "_serialize",
    "to_json": "_serialize",
    "walk_result_to_dict": "_serialize",
    "Check": "_verify",
    "Verification": "_verify",
    "verification_report": "_verify",
    "verification_to_dict": "_verify",
    "verify": "_verify",
}


__getattr__ = on_first_use(__name__, {name: f".{module}" for name, module in _MODULE.items()}, globals())


def __dir__() -> list[str]:
    return sorted(__all__)


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
