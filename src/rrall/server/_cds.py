"""The CDS Hooks 2.0 service: discovery, ``patient-view``, ``order-select`` and feedback.

Routes (CDS Hooks 2.0, https://cds-hooks.hl7.org/2.0/):

- ``GET /cds-services``: the discovery document.
- ``POST /cds-services/{id}``: a hook call; answers ``{"cards": [...]}``.
- ``POST /cds-services/{id}/feedback``: what the clinician did with a card.

Every call carries a JWT bearer token, verified by `TokenVerifier`, unless the server runs with
``--allow-unsigned`` (loopback only). Bad input gets a 4xx with an OperationOutcome naming the
problem, never a 5xx.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from attrs import define, frozen
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .._api import walk
from ..engine import Guideline, WalkResult
from ..rr_all import RR_ALL
from ._cards import Link, conflict_card, missing_card, options_card, order_card
from ._feedback import FeedbackStore, parse_feedback
from ._fhir_client import fetch_prefetch, render_template
from ._outcome import CdsError, operation_outcome, outcome_of
from ._prefetch import PREFETCH
from ._reading import Reading, draft_order_drugs, read_prefetch
from ._requests import MAX_BODY, MAX_DEPTH, read_json
from ._security import TokenVerifier

__all__ = ["SERVICES", "CdsSettings", "Service", "cds_routes"]

# FHIR R4 id: "[A-Za-z0-9\-\.]{1,64}"; context ids go into query URLs, so they are checked.
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_REFERENCE = re.compile(r"^[A-Za-z]+/[A-Za-z0-9\-.]{1,64}$")


@frozen
class Service:
    """One CDS service as discovery lists it."""

    id: str
    hook: str
    title: str
    description: str
    prefetch: Mapping[str, str]

    def to_json(self) -> dict[str, Any]:
        """The discovery entry."""
        return {
            "hook": self.hook,
            "title": self.title,
            "description": self.description,
            "id": self.id,
            "prefetch": dict(self.prefetch),
        }


SERVICES = {
    service.id: service
    for service in (
        Service(
            id="rr-all-options",
            hook="patient-view",
            title="R/R ALL treatment options (LLS text, based on NCCN)",
            description="The treatment options the LLS page on relapsed or refractory ALL (based on the NCCN "
            "Guidelines) offers this patient, with their conditions, quoted citations and the options "
            "excluded and why; what to find out first when deciding facts are missing; and conflicting "
            "data. No card for a patient without ALL. rrall models one published text; it is not medical "
            "advice.",
            prefetch=PREFETCH,
        ),
        Service(
            id="rr-all-order-check",
            hook="order-select",
            title="R/R ALL: is this drug among the options the text offers?",
            description="When a draft MedicationRequest for a drug of the R/R ALL text is selected, says "
            "whether "
            "the text offers a regimen with that drug for this patient, and if not, why. rrall models one "
            "published text; it is not medical advice.",
            prefetch=PREFETCH,
        ),
    )
}


#: Builds the links of a card for one patient's walk (report page, route SVG), given the base URL.
LinkMaker = Callable[[WalkResult, str], Sequence[Link]]


@define
class CdsSettings:
    """How the CDS routes run.

    Attributes:
        verifier: Checks the JWT of each call; None only with ``--allow-unsigned``.
        feedback: Where feedback is stored.
        base_url: The public URL of the server (``aud`` of a token is this plus the path called).
            None: taken from each request (allowed only without verification).
        links: Builds the card links for a walk; None for no links.
        max_body: The largest body accepted (bytes).
        max_depth: The deepest nesting accepted in a body (at most `MAX_DEPTH`, 64, the JSON
            reader's own limit).
        fhir_timeout: The timeout of each query to a FHIR server (seconds).
    """

    verifier: TokenVerifier | None
    feedback: FeedbackStore
    base_url: str | None = None
    links: LinkMaker | None = None
    max_body: int = MAX_BODY
    max_depth: int = MAX_DEPTH
    fhir_timeout: float = 5.0
    guideline: Guideline = RR_ALL

    def __attrs_post_init__(self) -> None:
        if self.verifier is not None and self.base_url is None:
            raise ValueError("verifying tokens needs the server's public base URL (the aud tokens name)")


def _base_url(request: Request, settings: CdsSettings) -> str:
    if settings.base_url is not None:
        return settings.base_url.rstrip("/")
    return f"{request.url.scheme}://{request.url.netloc}"


async def _authenticate(request: Request, settings: CdsSettings) -> None:
    if settings.verifier is None:
        return
    audience = _base_url(request, settings) + request.url.path
    await settings.verifier.verify(request.headers.get("authorization"), audience)


def _error(error: CdsError) -> Response:
    return JSONResponse(outcome_of(error), status_code=error.status, headers=error.headers)


def _bad(where: str, message: str, outcome: str = "invalid-request", code: str = "invalid") -> CdsError:
    return CdsError(400, outcome, f"{where}: {message}", code=code, expression=where)


@frozen
class HookCall:
    """A hook call's body, checked."""

    hook_instance: str
    context: Mapping[str, Any]
    fhir_server: str | None
    fhir_authorization: Mapping[str, Any] | None
    prefetch: Mapping[str, Any] | None


def _context(body: Mapping[str, Any], service: Service) -> dict[str, Any]:
    context = body.get("context")
    if context is None:
        raise _bad("context", "is required", "missing-context", "required")
    if not isinstance(context, dict):
        raise _bad("context", "must be an object", "missing-context")
    for name in ("userId", "patientId"):
        if name not in context:
            raise _bad(f"context.{name}", f"is required for {service.hook}", "missing-context", "required")
    if not isinstance(context["patientId"], str) or not _FHIR_ID.match(context["patientId"]):
        raise _bad("context.patientId", "must be a FHIR id (letters, digits, '-' and '.', at most 64)")
    if not isinstance(context["userId"], str) or not _REFERENCE.match(context["userId"]):
        raise _bad("context.userId", "must be a reference such as 'Practitioner/123'")
    encounter = context.get("encounterId")
    if encounter is not None and (not isinstance(encounter, str) or not _FHIR_ID.match(encounter)):
        raise _bad("context.encounterId", "must be a FHIR id")
    if service.hook == "order-select":
        selections = context.get("selections")
        if (
            not isinstance(selections, list)
            or not selections
            or not all(isinstance(s, str) for s in selections)
        ):
            raise _bad("context.selections", "must be a non-empty array of references", "missing-context")
        orders = context.get("draftOrders")
        if not isinstance(orders, dict) or orders.get("resourceType") != "Bundle":
            raise _bad("context.draftOrders", "must be a FHIR Bundle of draft orders", "missing-context")
    return context


def _fhir_access(body: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any] | None]:
    server, authorization = body.get("fhirServer"), body.get("fhirAuthorization")
    if server is not None and (not isinstance(server, str) or not server.startswith(("https://", "http://"))):
        raise _bad("fhirServer", "must be the http(s) base URL of a FHIR server")
    if authorization is None:
        return server, None
    if server is None:
        raise _bad("fhirServer", "is required when fhirAuthorization is given", code="required")
    if not isinstance(authorization, dict):
        raise _bad("fhirAuthorization", "must be an object")
    token = authorization.get("access_token")
    if not isinstance(token, str) or not token or any(ord(c) < 33 or ord(c) > 126 for c in token):
        raise _bad("fhirAuthorization.access_token", "must be a non-empty token string")
    if str(authorization.get("token_type", "")).lower() != "bearer":
        raise _bad("fhirAuthorization.token_type", "must be 'Bearer'")
    return server, authorization


def parse_call(body: object, service: Service) -> HookCall:
    """The checked hook call; `CdsError` 400 naming the field otherwise."""
    if not isinstance(body, dict):
        raise _bad("body", "must be a JSON object")
    hook = body.get("hook")
    if hook is None:
        raise _bad("hook", "is required", code="required")
    if hook != service.hook:
        raise _bad("hook", f"service {service.id!r} answers {service.hook!r}, not {hook!r}", "unknown-hook")
    instance = body.get("hookInstance")
    if not isinstance(instance, str) or not instance or len(instance) > 128:
        raise _bad("hookInstance", "must be a string (a UUID)")
    context = _context(body, service)
    server, authorization = _fhir_access(body)
    prefetch = body.get("prefetch")
    if prefetch is not None and not isinstance(prefetch, dict):
        raise _bad("prefetch", "must be an object of prefetch keys")
    return HookCall(instance, context, server, authorization, prefetch)


async def _data(call: HookCall, service: Service, settings: CdsSettings) -> dict[str, Any]:
    provided = {key: value for key, value in (call.prefetch or {}).items() if key in service.prefetch}
    wanted = {key: template for key, template in service.prefetch.items() if key not in provided}
    if wanted and call.fhir_server is not None:
        queries = {key: render_template(template, call.context) for key, template in wanted.items()}
        fetched = await fetch_prefetch(
            call.fhir_server, call.fhir_authorization, queries, timeout=settings.fhir_timeout
        )
        return {**provided, **fetched}
    if not provided:
        raise CdsError(
            412,
            "no-data",
            "no prefetch data and no fhirServer to fetch it from: send the prefetch this service's "
            "discovery entry asks for, or fhirServer and fhirAuthorization",
            code="required",
        )
    return provided


def _cards(
    call: HookCall, service: Service, reading: Reading, settings: CdsSettings, base: str
) -> list[dict[str, Any]]:
    guideline = settings.guideline
    if not reading.has_all:
        # No card for a patient without ALL: the text does not apply. Data that conflict on the
        # diagnosis itself still say so.
        conflict = conflict_card(guideline, reading.evidence, call.hook_instance)
        return [conflict] if conflict is not None and service.hook == "patient-view" else []
    result = walk(reading.patient, guideline)
    links = list(settings.links(result, base)) if settings.links is not None else []
    if service.hook == "order-select":
        drugs = draft_order_drugs(call.context, guideline)
        found = (order_card(drug, result, guideline, call.hook_instance, links) for drug in drugs)
        return [card for card in found if card is not None]
    cards = [
        conflict_card(guideline, reading.evidence, call.hook_instance),
        options_card(result, guideline, call.hook_instance, links),
        missing_card(result, guideline, reading.evidence, call.hook_instance),
    ]
    return [card for card in cards if card is not None]


def _service(request: Request) -> Service:
    service_id = request.path_params["id"]
    request.state.service = service_id if service_id in SERVICES else "unknown"
    service = SERVICES.get(service_id)
    if service is None:
        raise CdsError(404, "unknown-service", f"there is no CDS service {service_id!r}", code="not-found")
    request.state.hook = service.hook
    return service


def cds_routes(settings: CdsSettings) -> list[BaseRoute]:
    """The CDS Hooks routes, to mount in the server's Starlette app."""

    async def discovery(request: Request) -> Response:
        request.state.route = "discovery"
        try:
            await _authenticate(request, settings)
        except CdsError as error:
            request.state.outcome = error.outcome
            return _error(error)
        return JSONResponse({"services": [service.to_json() for service in SERVICES.values()]})

    async def call(request: Request) -> Response:
        request.state.route = "service"
        try:
            service = _service(request)
            await _authenticate(request, settings)
            body = await read_json(request, limit=settings.max_body, max_depth=settings.max_depth)
            hook_call = parse_call(body, service)
            reading = read_prefetch(await _data(hook_call, service, settings))
            cards = _cards(hook_call, service, reading, settings, _base_url(request, settings))
        except CdsError as error:
            request.state.outcome = error.outcome
            return _error(error)
        request.state.outcome = f"{len(cards)} cards" if reading.has_all else "no ALL"
        return JSONResponse({"cards": cards})

    async def feedback(request: Request) -> Response:
        request.state.route = "feedback"
        try:
            service = _service(request)
            await _authenticate(request, settings)
            entries = parse_feedback(
                await read_json(request, limit=settings.max_body, max_depth=settings.max_depth)
            )
            stored = await run_in_threadpool(
                settings.feedback.add, service.id, str(request.state.request_id), entries
            )
        except CdsError as error:
            request.state.outcome = error.outcome
            return _error(error)
        request.state.outcome = f"{stored} stored"
        return JSONResponse({"stored": stored})

    return [
        Route("/cds-services", discovery, methods=["GET"]),
        Route("/cds-services/{id}", call, methods=["POST"]),
        Route("/cds-services/{id}/feedback", feedback, methods=["POST"]),
    ]


async def _http_error(request: Request, error: Exception) -> Response:
    from starlette.exceptions import HTTPException

    status = error.status_code if isinstance(error, HTTPException) else 400
    request.state.outcome = "not-found" if status == 404 else f"http-{status}"
    code = {404: "not-found", 405: "not-supported"}.get(status, "invalid")
    what = {404: f"there is nothing at {request.url.path}", 405: f"{request.method} is not allowed here"}
    return JSONResponse(operation_outcome(what.get(status, str(error)), code=code), status_code=status)


def outcome_handlers() -> dict[Any, Callable[[Request, Exception], Any]]:
    """Exception handlers answering Starlette's own 404 and 405 with an OperationOutcome."""
    from starlette.exceptions import HTTPException

    return {HTTPException: _http_error}


def cds_app(settings: CdsSettings) -> Any:
    """The CDS service alone, as a Starlette app (with the request log)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware

    from ._requests import RequestLog

    return Starlette(
        routes=cds_routes(settings),
        middleware=[Middleware(RequestLog)],
        exception_handlers=outcome_handlers(),
    )
