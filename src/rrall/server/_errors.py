"""Errors a request can cause, answered as a 4xx that names the field."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..exceptions import RequestError

__all__ = ["RequestError", "handle_http_error", "handle_request_error"]


def error_body(message: str, field: str = "") -> dict[str, str]:
    """The JSON body of an error answer."""
    return {"error": message, "field": field} if field else {"error": message}


async def handle_request_error(request: Request, error: Exception) -> Response:
    """A `RequestError` as JSON with its status."""
    assert isinstance(error, RequestError)
    return JSONResponse(error_body(error.message, error.field), status_code=error.status)


async def handle_http_error(request: Request, error: Exception) -> Response:
    """Starlette's own 404, 405, ... as JSON like every other error."""
    assert isinstance(error, HTTPException)
    headers = dict(error.headers) if error.headers else None
    return JSONResponse(error_body(str(error.detail)), status_code=error.status_code, headers=headers)
