"""Fetching the prefetch data from the EHR's FHIR server, when the client sent none.

CDS Hooks 2.0: a request may give ``fhirServer`` and ``fhirAuthorization`` (an OAuth 2.0 bearer
``access_token``) instead of, or besides, ``prefetch``; the service then runs its own prefetch
queries against the server. Each query has a timeout, search results are followed through at most
`MAX_PAGES` pages, and a response over `MAX_RESPONSE` bytes is refused.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from .._json import JsonRefused, read_json
from ._outcome import CdsError

__all__ = ["MAX_PAGES", "MAX_RESPONSE", "fetch_prefetch", "render_template"]

#: Search results are followed through at most this many pages (``Bundle.link`` ``next``).
MAX_PAGES = 10
#: The largest response read from the FHIR server (bytes).
MAX_RESPONSE = 8 * 1024 * 1024
_TOKEN = re.compile(r"\{\{\s*([A-Za-z.]+)\s*\}\}")


def render_template(template: str, context: Mapping[str, Any]) -> str:
    """A prefetch template with its ``{{context.x}}`` tokens filled from the hook's context.

    The context values are FHIR ids (checked when the request is read), so they are safe in a URL.
    """

    def value(match: re.Match[str]) -> str:
        token = match.group(1)
        name = token.removeprefix("context.")
        filled = context.get(name)
        if not token.startswith("context.") or not isinstance(filled, str):
            raise CdsError(
                400, "invalid-context", f"the prefetch token {{{{{token}}}}} has no value in the context"
            )
        return filled

    return _TOKEN.sub(value, template)


def _unavailable(diagnostics: str, code: str = "transient") -> CdsError:
    return CdsError(412, "fhir-unavailable", diagnostics, code=code)


async def _get_json(client: httpx.AsyncClient, url: str, query: str) -> tuple[int, Any]:
    try:
        async with client.stream("GET", url) as response:
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_RESPONSE:
                    raise _unavailable(
                        f"the FHIR server's answer to {query} is over {MAX_RESPONSE} bytes", "too-costly"
                    )
                chunks.append(chunk)
            status = response.status_code
    except httpx.TimeoutException:
        raise _unavailable(f"the FHIR server did not answer {query} in time", "timeout") from None
    except httpx.HTTPError as error:
        raise _unavailable(f"cannot reach the FHIR server for {query} ({type(error).__name__})") from None
    if status == 404:
        return status, None
    if status >= 400:
        raise _unavailable(
            f"the FHIR server answered {query} with HTTP {status}",
            "security" if status in (401, 403) else "transient",
        )
    try:
        return status, read_json(b"".join(chunks), max_bytes=MAX_RESPONSE, what="a FHIR server's answer")
    except JsonRefused as error:
        raise _unavailable(f"the FHIR server's answer to {query} is {error.problem}", "structure") from None


def _next_link(bundle: Mapping[str, Any]) -> str | None:
    for link in bundle.get("link") or ():
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            return str(link["url"])
    return None


async def _run_query(client: httpx.AsyncClient, base: str, query: str) -> Any:
    _, data = await _get_json(client, query, query)
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        return data
    entries = list(data.get("entry") or ())
    page = data
    for _ in range(MAX_PAGES - 1):
        following = _next_link(page)
        if following is None:
            break
        if urlsplit(urljoin(base, following)).netloc != urlsplit(base).netloc:
            raise _unavailable(f"the FHIR server's next page for {query} points to another host", "security")
        _, page = await _get_json(client, following, query)
        if not isinstance(page, dict):
            break
        entries += list(page.get("entry") or ())
    return {
        **data,
        "entry": entries,
        "link": [link for link in data.get("link") or () if link.get("relation") != "next"],
    }


async def fetch_prefetch(
    fhir_server: str,
    authorization: Mapping[str, Any] | None,
    queries: Mapping[str, str],
    *,
    timeout: float,
) -> dict[str, Any]:
    """Run each prefetch query (already filled) against ``fhir_server``; the results by key.

    A read that finds nothing (404) gives None, as a prefetch key with no data does.

    Raises:
        CdsError: 412 naming the query when the server cannot be reached, times out or refuses.
    """
    base = fhir_server.rstrip("/") + "/"
    headers = {"Accept": "application/fhir+json, application/json"}
    if authorization is not None:
        headers["Authorization"] = f"Bearer {authorization['access_token']}"
    limits = httpx.Timeout(timeout, connect=min(timeout, 3.0))
    async with httpx.AsyncClient(
        base_url=base, headers=headers, timeout=limits, follow_redirects=False
    ) as client:
        results = await asyncio.gather(
            *(_run_query(client, base, query) for query in queries.values()), return_exceptions=True
        )
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return dict(zip(queries, results, strict=True))
