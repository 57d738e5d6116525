"""Errors a request can meet, each answered with a FHIR OperationOutcome naming the problem."""

from __future__ import annotations

from typing import Any

__all__ = ["CdsError", "operation_outcome"]


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


class CdsError(Exception):
    """A request the service refuses: an HTTP status and the OperationOutcome that says why.

    Attributes:
        status: The HTTP status (always 4xx: bad input never gets a 5xx).
        outcome: A short word for the log line, e.g. ``invalid-json`` (never patient data).
        diagnostics: The problem in words, for the OperationOutcome.
        code: The FHIR issue type.
        expression: Where in the request the problem is, if it is in the body.
        headers: Extra response headers (e.g. ``WWW-Authenticate`` on a 401).
    """

    def __init__(
        self,
        status: int,
        outcome: str,
        diagnostics: str,
        *,
        code: str = "invalid",
        expression: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.outcome = outcome
        self.diagnostics = diagnostics
        self.code = code
        self.expression = expression
        self.headers = headers or {}

    def to_outcome(self) -> dict[str, Any]:
        """The OperationOutcome body."""
        return operation_outcome(self.diagnostics, code=self.code, expression=self.expression)
