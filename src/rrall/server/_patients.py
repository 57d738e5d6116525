"""A posted document as a patient record: facts as JSON, or FHIR (a Bundle or a CDS Hooks prefetch)."""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from ..engine import Guideline, InvalidRecord, WalkResult, walk
from ..fhir import FactReading, FhirReading, InvalidFhir, is_fhir, read_bundle
from ..rr_all import RR_ALL
from ._errors import RequestError

__all__ = ["Walked", "fhir_notices", "fhir_provenance", "walk_document"]


@frozen
class Walked:
    """A walk of a posted patient; for FHIR input, where each fact came from and what to notice."""

    result: WalkResult
    provenance: Mapping[str, str] | None = None
    notices: tuple[str, ...] = ()


def _invalid(error: InvalidRecord) -> RequestError:
    problems = error.problems
    message = problems[0].message if len(problems) == 1 else "; ".join(map(str, problems))
    return RequestError(message, field=problems[0].field if problems else "", status=422)


def _where(reading: FactReading) -> str:
    sources = "; ".join(
        f"{source}{f' ({source.detail})' if source.detail else ''}" for source in reading.sources
    )
    if reading.known:
        return sources
    why = f"unknown ({reading.status}){f': {reading.reason}' if reading.reason else ''}"
    return f"{why}; {sources}" if sources else why


def fhir_provenance(reading: FhirReading) -> dict[str, str]:
    """For each fact, the resources and elements it was read from, or why it is unknown."""
    return {fact.fact: _where(fact) for fact in reading.facts}


def fhir_notices(reading: FhirReading) -> tuple[str, ...]:
    """What a reader of the page must know about the record: its scope, and data read but not used."""
    notices = []
    if reading.scope != "all":
        scope = "is not ALL" if reading.scope == "not-all" else "has no ALL diagnosis rrall recognises"
        notices.append(f"The record {scope}: {reading.scope_reason}" if reading.scope_reason else scope)
    notices += [f"Not used: {warning}" for warning in reading.warnings]
    notices.append(f"Ages worked out as of {reading.as_of.isoformat()}.")
    return tuple(notices)


def _from_fhir(data: Mapping[str, object], guideline: Guideline) -> Walked:
    if guideline is not RR_ALL:
        raise RequestError(
            "FHIR records are read for the R/R ALL text only", field="resourceType", status=415
        )
    try:
        reading = read_bundle(data)
    except InvalidFhir as error:
        field = f"{error.resource}.{error.element}" if error.element else error.resource
        raise RequestError(error.problem, field=field, status=422) from None
    return Walked(walk(reading.patient, guideline), fhir_provenance(reading), fhir_notices(reading))


def walk_document(data: object, guideline: Guideline) -> Walked:
    """Walk a posted JSON value: a patient's facts, or FHIR; a 4xx naming the field otherwise."""
    if not isinstance(data, dict):
        kinds = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
        kind = kinds.get(type(data), "a number")
        raise RequestError(f"must be a JSON object of facts, got {kind}", field="patient", status=422)
    if is_fhir(data):
        return _from_fhir(data, guideline)
    try:
        return Walked(walk(data, guideline))
    except InvalidRecord as error:
        raise _invalid(error) from None
