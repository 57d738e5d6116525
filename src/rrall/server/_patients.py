"""A posted document as a patient record: facts as JSON, or FHIR (a Bundle or a CDS Hooks prefetch)."""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from ..engine import Guideline, InvalidRecord, WalkResult, walk
from ..fhir import InvalidFhir, is_fhir, read_bundle
from ..rr_all import RR_ALL
from ..web._fhir import fhir_notices, fhir_provenance
from ._errors import RequestError

__all__ = ["Walked", "walk_document"]


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
    if reading.scope == "not-all":  # the text is about ALL: walking this record would mislead
        raise RequestError(reading.scope_reason, field="scope", status=422)
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
