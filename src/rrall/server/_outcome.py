"""Errors a request can meet, each answered with a FHIR OperationOutcome naming the problem."""

from __future__ import annotations

from typing import Any

from ..exceptions import CdsError

__all__ = ["CdsError", "operation_outcome", "outcome_of"]


def operation_outcome(
    diagnostics: str, *, code: str = "invalid", expression: str | None = None, severity: str = "error"
) -> dict[str, Any]:
    """A FHIR R4 OperationOutcome with one issue.

    Args:
        diagnostics: The problem in words.
        code: The issue type (http://hl7.org/fhir/issue-type), e.g. ``invalid``, ``structure``,
            ``required``, ``not-found``, ``security``, ``login``, ``too-costly``, ``timeout``.
        expression: Where the problem is, as a path into the request body (e.g. ``context.patientId``).
        severity: ``fatal``, ``error``, ``warning`` or ``information``.
    """
    issue: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression:
        issue["expression"] = [expression]
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def outcome_of(error: CdsError) -> dict[str, Any]:
    """The OperationOutcome body that answers ``error``."""
    return operation_outcome(error.diagnostics, code=error.code, expression=error.expression)
