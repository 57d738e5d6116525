"""The FHIR reader, seen from the CDS service: prefetch data in, a patient and its evidence out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import frozen

from ..engine import Guideline
from ..fhir import FactReading, InvalidFhir, read_bundle
from ..rr_all import Patient
from ..rr_all._drugs import RXNORM, drug_by_name, drug_by_rxnorm
from ._cards import Evidence
from ._outcome import CdsError

__all__ = ["Reading", "draft_order_drugs", "read_prefetch"]


@frozen
class Reading:
    """What the FHIR reader made of the prefetch data.

    Attributes:
        patient: The patient's facts (unknown where the record does not state them).
        has_all: Whether the record has an ALL diagnosis: the text applies.
        evidence: Why facts are unknown, and the conflicts.
    """

    patient: Patient
    has_all: bool
    evidence: Evidence


def _sources(reading: FactReading) -> str:
    return ", ".join(str(source) for source in reading.sources)


def read_prefetch(data: Mapping[str, Any]) -> Reading:
    """The patient the prefetch data describe; `CdsError` 400 naming the resource and element otherwise."""
    try:
        read = read_bundle(dict(data))
    except InvalidFhir as error:
        raise CdsError(
            400,
            "invalid-fhir",
            f"prefetch: invalid FHIR: {error}",
            code="structure",
            expression=error.resource,
        ) from None
    unknown = {
        name: fact.reason for name, fact in read.unknown.items() if fact.reason and fact.status != "conflict"
    }
    conflicts = [
        (name, f"{fact.reason} ({_sources(fact)})" if fact.sources else fact.reason)
        for name, fact in read.unknown.items()
        if fact.status == "conflict"
    ]
    if read.scope == "unknown" and "conflict" in read.scope_reason.lower():
        scope_sources = ", ".join(str(source) for source in read.scope_sources)
        conflicts.insert(
            0, ("diagnosis", read.scope_reason + (f" ({scope_sources})" if scope_sources else ""))
        )
    return Reading(read.patient, read.scope == "all", Evidence(unknown, tuple(conflicts)))


def _codings(resource: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    concept = resource.get("medicationCodeableConcept")
    if not isinstance(concept, dict):
        return []
    codings: list[Mapping[str, Any]] = [c for c in concept.get("coding") or () if isinstance(c, dict)]
    if isinstance(concept.get("text"), str):
        codings.append({"display": concept["text"]})
    return codings


def _drug(coding: Mapping[str, Any]) -> str | None:
    code, display = coding.get("code"), coding.get("display")
    if coding.get("system") == RXNORM and isinstance(code, str):
        match = drug_by_rxnorm(code)
        if match is not None and match.drug is not None:
            return match.drug
    return drug_by_name(display).drug if isinstance(display, str) else None


def draft_order_drugs(context: Mapping[str, Any], guideline: Guideline) -> list[str]:
    """The guideline's drugs named by the selected draft MedicationRequests, in the order of the drafts.

    A draft is recognised by its RxNorm code (rolled up to the ingredient) or by the drug named in its
    coding display or text, with the FHIR reader's drug vocabulary.
    """
    regimen_drugs = {drug.lower() for leaf in guideline.leaves for drug in leaf.components}
    selected = set(context["selections"])
    found: list[str] = []
    for entry in context["draftOrders"].get("entry") or ():
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or resource.get("resourceType") != "MedicationRequest":
            continue
        if f"MedicationRequest/{resource.get('id')}" not in selected:
            continue
        drugs = (_drug(coding) for coding in _codings(resource))
        drug = next((name for name in drugs if name is not None), None)
        if drug is not None and drug.lower() in regimen_drugs:
            found.append(drug.lower())
    return list(dict.fromkeys(found))
