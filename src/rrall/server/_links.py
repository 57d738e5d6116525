"""The card links: this patient's report page and route SVG, served by the same process.

The patient travels in the link as its known facts (``?patient=JSON``): the pages walk them again,
so no state is kept between the card and the click. The facts are the text's decision facts (age,
Ph status, ...), never a name or an identifier.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from .._api import walk
from .._json import JsonRefused, read_json
from .._render_api import render
from ..engine import Guideline, InvalidRecord, WalkResult
from ..rr_all import RR_ALL
from ._cards import Link
from ._outcome import CdsError, outcome_of
from ._requests import MAX_BODY

__all__ = ["ROUTE_SVG", "card_links", "link_routes"]

#: Where the route SVG of a patient is served.
ROUTE_SVG = "/route.svg"


def _facts(result: WalkResult) -> str:
    return quote(json.dumps(result.patient, separators=(",", ":"), sort_keys=True), safe="")


def card_links(result: WalkResult, base: str) -> Sequence[Link]:
    """The report page and the route SVG of the walked patient."""
    facts = _facts(result)
    return (
        Link("This patient's report: options, route and citations", f"{base}/report?patient={facts}"),
        Link("This patient's route on the flowchart (SVG)", f"{base}{ROUTE_SVG}?patient={facts}"),
    )


def link_routes(guideline: Guideline = RR_ALL) -> list[BaseRoute]:
    """``GET /route.svg?patient=JSON``: the flowchart with that patient's route."""

    async def route_svg(request: Request) -> Response:
        request.state.route = "route-svg"
        given = request.query_params.get("patient")
        try:
            if given is None:
                raise CdsError(
                    400, "invalid-request", "give the patient as ?patient=JSON", expression="patient"
                )
            try:
                facts = read_json(given, max_bytes=MAX_BODY, what="a request body")
            except JsonRefused as error:
                problem = f"patient: {error.problem}"
                raise CdsError(400, "invalid-json", problem, expression="patient") from None
            try:
                result = walk(facts, guideline)
            except InvalidRecord as error:
                raise CdsError(400, "invalid-patient", f"patient: {error}", expression="patient") from None
        except CdsError as error:
            request.state.outcome = error.outcome
            from starlette.responses import JSONResponse

            return JSONResponse(outcome_of(error), status_code=error.status)
        drawing = render(result, format="svg")
        return Response(drawing, media_type="image/svg+xml", headers={"X-Content-Type-Options": "nosniff"})

    return [Route(ROUTE_SVG, route_svg, methods=["GET"])]
