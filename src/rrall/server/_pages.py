"""The pages and the JSON walk endpoints: the explorer at ``/``, the report page, ``/api/walk``."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ..engine import Guideline, walk_result_to_dict
from ..web import explorer_html, flowchart_svg, report_html
from ..web._html import term
from ._body import parse_json, read_body, read_json_body
from ._config import ServerConfig
from ._errors import RequestError
from ._patients import walk_document

__all__ = ["routes"]

#: Pages may load only what this server serves: no CDN, no inline script from a posted value.
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
}


def routes(config: ServerConfig) -> Sequence[BaseRoute]:
    """The explorer, the report page, the walk endpoints and the pages' static files."""
    guideline = config.guideline
    explorer = explorer_html(guideline=guideline)
    labels = {node.id: node.label for node in guideline.nodes}
    words = _words(guideline)

    async def explorer_page(request: Request) -> Response:
        return HTMLResponse(explorer, headers=_PAGE_HEADERS)

    async def walk_endpoint(request: Request) -> Response:
        walked = walk_document(await read_json_body(request), guideline)
        return JSONResponse(walk_result_to_dict(walked.result))

    async def explore_endpoint(request: Request) -> Response:
        walked = walk_document(await read_json_body(request), guideline)
        return JSONResponse(
            {
                "walk": walk_result_to_dict(walked.result),
                "flowchart": flowchart_svg(walked.result, guideline=guideline),
                "labels": labels,
                "words": words,
            }
        )

    async def report_page(request: Request) -> Response:
        walked = walk_document(await _report_input(request), guideline)
        page = report_html(
            walked.result, guideline=guideline, provenance=walked.provenance, notices=walked.notices
        )
        return HTMLResponse(page, headers=_PAGE_HEADERS)

    return [
        Route("/", explorer_page, methods=["GET"]),
        Route("/api/walk", walk_endpoint, methods=["POST"]),
        Route("/api/explore", explore_endpoint, methods=["POST"]),
        Route("/report", report_page, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(packages=[("rrall.web", "static")]), name="static"),
    ]


def _words(guideline: Guideline) -> dict[str, object]:
    """What the explorer's script needs of the guideline's words: the keys of an option's
    components, other names and forms in the walk's JSON, and the terms heading its details."""
    components, aliases, variants = guideline.option_keys
    history = guideline.history
    terms = {
        "components": term(guideline.components.words),
        "variants": term(guideline.leaf_words.variants_words),
        "already_given": term(history.words) if history is not None else "",
    }
    return {"components": components, "aliases": aliases, "variants": variants, "terms": terms}


async def _report_input(request: Request) -> object:
    """The report's patient: ``?patient=JSON`` (GET), or a JSON body or ``patient`` form field (POST)."""
    if request.method == "GET":
        given = request.query_params.get("patient")
        if given is None:
            raise RequestError("give the patient as ?patient=JSON, or POST it", field="patient")
        return parse_json(given, "patient")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        try:
            form = parse_qs((await read_body(request)).decode("utf-8"), strict_parsing=False)
        except UnicodeDecodeError:
            raise RequestError("not UTF-8 text", field="body") from None
        if "patient" not in form:
            raise RequestError("the form has no patient field", field="patient")
        return parse_json(form["patient"][0], "patient")
    if kind in ("", "application/json") or kind.endswith("+json"):
        return parse_json(await read_body(request), "body")
    raise RequestError(f"send JSON or a form with a patient field, not {kind!r}", status=415)
