"""What the FHIR reader returns: the patient, where each fact came from, and why others are unknown."""

from __future__ import annotations

import datetime
from typing import Literal

from attrs import frozen

from ..engine.exceptions import InvalidFhir
from ..rr_all import Patient
from ..rr_all._drugs import DrugMatch

__all__ = ["FactReading", "FhirReading", "InvalidFhir", "MedicationMatch", "Source"]

Status = Literal["known", "no-resource", "not-coded", "conflict"]
Scope = Literal["all", "not-all", "unknown"]


@frozen
class Source:
    """Where a fact was read: a resource, its element, and what the element held.

    ``str(source)`` is ``Observation/123.valueCodeableConcept``.
    """

    resource: str
    element: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.resource}.{self.element}"

    def to_dict(self) -> dict[str, str]:
        """The JSON form: ``{"source": "Observation/123.valueCodeableConcept", "detail": ...}``."""
        return {"source": str(self), "detail": self.detail} if self.detail else {"source": str(self)}


@frozen
class FactReading:
    """One fact as read: its value (None: unknown), why it is unknown, and its sources.

    ``status`` is ``known``, ``no-resource`` (nothing in the record states it),
    ``not-coded`` (a resource was found but does not state it in a code rrall
    reads) or ``conflict`` (resources disagree; ``sources`` lists them all).
    """

    fact: str
    value: object
    status: Status
    sources: tuple[Source, ...] = ()
    reason: str = ""

    @property
    def known(self) -> bool:
        """Whether the fact was read."""
        return self.status == "known"

    def to_dict(self) -> dict[str, object]:
        """The JSON form."""
        out: dict[str, object] = {"value": self.value, "status": self.status}
        if self.reason:
            out["reason"] = self.reason
        out["sources"] = [source.to_dict() for source in self.sources]
        return out


@frozen
class MedicationMatch:
    """One medication resource and the drug it was recognised as (``match.drug`` None: unrecognised)."""

    source: Source
    match: DrugMatch

    def to_dict(self) -> dict[str, object]:
        """The JSON form."""
        return {
            "source": str(self.source),
            "read": self.match.text,
            "drug": self.match.drug,
            "how": self.match.how,
        }


@frozen
class FhirReading:
    """A patient read from FHIR, with where each fact came from.

    Attributes:
        patient: The `rrall.Patient` (facts not read are unknown).
        facts: One `FactReading` per patient fact, in the schema's order.
        scope: ``all`` (an ALL diagnosis was read), ``not-all`` (the record's
            leukemia is not ALL, e.g. mixed-phenotype acute leukemia: the text
            does not apply) or ``unknown`` (no ALL diagnosis recognised, or a conflict).
        scope_reason: Why, in words; ``scope_sources`` where.
        medications: Each medication resource read and the drug it was recognised as.
        warnings: Unrecognised drug names and other data read but not used.
        as_of: The date ages were worked out on.
        subject: The record's patient as a reference (``Patient/p1``); None without a Patient.
    """

    patient: Patient
    facts: tuple[FactReading, ...]
    scope: Scope
    scope_reason: str
    scope_sources: tuple[Source, ...]
    medications: tuple[MedicationMatch, ...]
    warnings: tuple[str, ...]
    as_of: datetime.date
    subject: str | None = None

    def fact(self, name: str) -> FactReading:
        """The reading of fact ``name`` (``KeyError`` if the patient has no such fact)."""
        for reading in self.facts:
            if reading.fact == name:
                return reading
        raise KeyError(name)

    @property
    def unknown(self) -> dict[str, FactReading]:
        """The facts not read, by name, each with its reason."""
        return {reading.fact: reading for reading in self.facts if not reading.known}

    def to_dict(self) -> dict[str, object]:
        """The JSON form: scope, facts (value, status, reason, sources), medications, warnings."""
        return {
            "as_of": self.as_of.isoformat(),
            "scope": {
                "value": self.scope,
                "reason": self.scope_reason,
                "sources": [source.to_dict() for source in self.scope_sources],
            },
            "facts": {reading.fact: reading.to_dict() for reading in self.facts},
            "medications": [medication.to_dict() for medication in self.medications],
            "warnings": list(self.warnings),
        }
