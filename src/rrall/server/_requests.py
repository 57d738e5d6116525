"""Reading a request body: size limit, JSON, nesting depth; and the structured log line per request."""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._json import MAX_DEPTH as JSON_DEPTH
from .._json import JsonRefused, depth
from .._json import read_json as read_json_text
from ._body import read_body
from ._errors import RequestError
from ._outcome import CdsError

__all__ = ["MAX_BODY", "MAX_DEPTH", "RequestLog", "read_json"]

#: The largest request body accepted (bytes); a larger one gets 413.
MAX_BODY = 1024 * 1024
#: The deepest nesting of arrays and objects accepted in a body (FHIR resources need about 10):
#: the JSON reader's own limit, which a setting may lower but not raise.
MAX_DEPTH = JSON_DEPTH

log = logging.getLogger("rrall.server.requests")


async def read_json(request: Request, *, limit: int = MAX_BODY, max_depth: int = MAX_DEPTH) -> Any:
    """The request body as JSON (`rrall._json.read_json`); `CdsError` (413, 415 or 400) naming
    the problem otherwise."""
    kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if kind and not (kind == "application/json" or kind.endswith("+json")):
        raise CdsError(415, "unsupported-media-type", f"the body must be JSON (application/json), not {kind}")
    try:
        body = await read_body(request, limit)
    except RequestError as error:  # read_body's only refusal: over the limit, said as an OperationOutcome
        raise CdsError(413, "too-large", f"the body is {error.message}", code="too-costly") from None
    if not body.strip():
        raise CdsError(400, "invalid-json", "the body is empty: a JSON object is required", code="structure")
    try:
        data = read_json_text(body, max_bytes=limit, what="a request body")
    except JsonRefused as error:
        outcome, code = _REFUSED[error.kind]
        raise CdsError(
            413 if error.kind == "too-large" else 400, outcome, f"the body is {error.problem}", code=code
        ) from None
    if max_depth < JSON_DEPTH and depth(data, max_depth) > max_depth:
        raise CdsError(400, "too-deep", f"the body nests deeper than {max_depth} levels", code="too-costly")
    return data


#: A refusal of the JSON reader as the service's outcome and OperationOutcome code.
_REFUSED = {
    "too-large": ("too-large", "too-costly"),
    "too-deep": ("too-deep", "too-costly"),
    "invalid": ("invalid-json", "structure"),
}


class RequestLog:
    """ASGI middleware: one JSON log line per HTTP request, and an ``X-Request-ID`` header.

    The line holds the request id, method, route, hook, status, outcome and time taken, and never
    patient data: no body, no query string, no patient id.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            line = {
                "request_id": request_id,
                "method": scope.get("method"),
                "route": state.get("route", "other"),
                "hook": state.get("hook"),
                "status": status,
                "outcome": state.get("outcome", "ok" if status < 400 else "error"),
                "ms": round((time.perf_counter() - started) * 1000, 2),
            }
            log.info(json.dumps({key: value for key, value in line.items() if value is not None}))
