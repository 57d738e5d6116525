"""A posted document as a patient record: facts as JSON, or a FHIR Bundle (with the fhir extra)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping

from attrs import frozen

from ..engine import Guideline, InvalidRecord, WalkResult, walk
from ._errors import RequestError

__all__ = ["Walked", "walk_document"]


@frozen
class Walked:
    """A walk of a posted patient, and where each fact came from when the input said so."""

    result: WalkResult
    provenance: Mapping[str, object] | None = None


def _invalid(error: InvalidRecord) -> RequestError:
    problems = error.problems
    message = problems[0].message if len(problems) == 1 else "; ".join(map(str, problems))
    return RequestError(message, field=problems[0].field if problems else "", status=422)


def _from_bundle(bundle: Mapping[str, object], guideline: Guideline) -> Walked:
    try:  # by name: the FHIR reader is an optional part, typed or not
        read_bundle = importlib.import_module("rrall.fhir").read_bundle
    except (ImportError, AttributeError):
        raise RequestError(
            "reading a FHIR Bundle needs rrall's FHIR reader (pip install 'rrall[fhir]')",
            field="resourceType",
            status=415,
        ) from None
    read = read_bundle(bundle)
    patient, provenance = read if isinstance(read, tuple) else (read.patient, read.provenance)
    return Walked(walk(patient, guideline), provenance)


def walk_document(data: object, guideline: Guideline) -> Walked:
    """Walk a posted JSON value: a patient's facts, or a FHIR Bundle; 4xx naming the field otherwise."""
    if not isinstance(data, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
            type(data), "a number"
        )
        raise RequestError(f"must be a JSON object of facts, got {kind}", field="patient", status=422)
    if data.get("resourceType") == "Bundle":
        return _from_bundle(data, guideline)
    try:
        return Walked(walk(data, guideline))
    except InvalidRecord as error:
        raise _invalid(error) from None
