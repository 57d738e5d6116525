"""What a page says about a patient read from FHIR: where each fact came from, and what to notice."""

from __future__ import annotations

from ..fhir import FactReading, FhirReading

__all__ = ["fhir_notices", "fhir_provenance"]


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
    if reading.scope == "unknown":
        notices.append(f"The record has no ALL diagnosis rrall recognises: {reading.scope_reason}")
    notices += [f"Not used: {warning}" for warning in reading.warnings]
    notices.append(f"Ages worked out as of {reading.as_of.isoformat()}.")
    return tuple(notices)
