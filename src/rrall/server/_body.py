"""Reading a request body as JSON, with every failure a `RequestError`.

The JSON itself is read by `rrall._json.read_json`, the reader the command line
uses too, so a body is refused for the same reasons and in the same words as a file.
"""

from __future__ import annotations

from starlette.requests import Request

from .._json import JsonRefused, read_json, size_in_words
from ._errors import RequestError

__all__ = ["MAX_BODY", "parse_json", "read_body", "read_json_body", "too_large"]

#: The largest body accepted (a FHIR Bundle for one patient is far smaller).
MAX_BODY = 2 * 1024 * 1024


def too_large(limit: int) -> str:
    """Why a body over ``limit`` bytes is refused, in words."""
    return f"larger than {size_in_words(limit)}, the most rrall reads for a request body"


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The raw body; 413 when it is larger than ``limit`` bytes (read no further than that)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise RequestError(too_large(limit), field="body", status=413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestError(too_large(limit), field="body", status=413)
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(data: bytes | str, where: str = "body", limit: int = MAX_BODY) -> object:
    """JSON text as a value (`rrall._json.read_json`); 400 naming ``where`` when it is not
    JSON rrall reads, 413 when it is larger than ``limit`` bytes."""
    try:
        return read_json(data, max_bytes=limit, what="a request body")
    except JsonRefused as error:
        status = 413 if error.kind == "too-large" else 400
        raise RequestError(error.problem, field=where, status=status) from None


async def read_json_body(request: Request, limit: int = MAX_BODY) -> object:
    """The body as JSON; 415 unless it is sent as JSON, 400 if it is not valid, 413 if too large."""
    kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if kind != "application/json" and not kind.endswith("+json"):
        raise RequestError(f"send JSON (Content-Type: application/json), not {kind!r}", status=415)
    return parse_json(await read_body(request, limit), limit=limit)
