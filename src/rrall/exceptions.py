"""Every error rrall raises on purpose, in one module; all derive from `RrallError`.

The engine's errors (bad records, guidelines, results, diffs, FHIR) are defined in
`rrall.engine.exceptions` and re-exported here; the errors of the server and of
`rrall serve`, which sit above the engine, are defined here.
"""

from __future__ import annotations

from .engine.exceptions import (
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
    "CdsError",
    "DiffError",
    "GuidelineError",
    "InvalidFhir",
    "InvalidRecord",
    "LoadError",
    "Problem",
    "RequestError",
    "ResultError",
    "RrallError",
    "ServeError",
    "TrustFileError",
]


class RequestError(RrallError):
    """Bad input from a client: answered with ``status`` and ``{"error", "field"}``.

    Attributes:
        message: What is wrong, in words.
        field: The field, parameter or header at fault ("" when the whole body is).
        status: The HTTP status, a 4xx (400 by default).
    """

    def __init__(self, message: str, *, field: str = "", status: int = 400) -> None:
        if not 400 <= status < 500:
            raise ValueError(f"a RequestError is a client error (4xx), not {status}")
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


class CdsError(RrallError):
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


class TrustFileError(RrallError, ValueError):
    """The trust file is not in the documented shape; the message names the entry and field."""


class ServeError(RrallError):
    """A bad combination of options: reported in one line."""
