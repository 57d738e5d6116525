"""Reading a request body as JSON, with every failure a `RequestError`."""

from __future__ import annotations

import json

from starlette.requests import Request

from ._errors import RequestError

__all__ = ["MAX_BODY", "parse_json", "read_body", "read_json"]

#: The largest body accepted (a FHIR Bundle for one patient is far smaller).
MAX_BODY = 2 * 1024 * 1024


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The raw body; 413 when it is larger than ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise RequestError(f"the body is larger than {limit} bytes", status=413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestError(f"the body is larger than {limit} bytes", status=413)
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(data: bytes | str, where: str = "body") -> object:
    """JSON text as a value; 400 naming ``where`` when it is not JSON."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(text)
    except UnicodeDecodeError:
        raise RequestError("not UTF-8 text", field=where) from None
    except json.JSONDecodeError as error:
        raise RequestError(f"not valid JSON ({error.msg} at line {error.lineno})", field=where) from None
    except RecursionError:
        raise RequestError("JSON nested too deeply", field=where) from None


async def read_json(request: Request, limit: int = MAX_BODY) -> object:
    """The body as JSON; 415 unless it is sent as JSON, 400 if it is not valid, 413 if too large."""
    kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if kind != "application/json" and not kind.endswith("+json"):
        raise RequestError(f"send JSON (Content-Type: application/json), not {kind!r}", status=415)
    return parse_json(await read_body(request, limit))
