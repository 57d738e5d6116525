"""`read_bundle`: a Patient from a FHIR record, each fact with its sources, each unknown with its reason."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from ..engine import InvalidRecord
from ..rr_all import PATIENT_SCHEMA, Patient
from ._collect import collect
from ._evidence import (
    TKIS,
    Evidence,
    Note,
    TkiUse,
    age_evidence,
    condition_evidence,
    medication_uses,
    observation_evidence,
)
from ._model import FactReading, FhirReading, MedicationMatch, Scope, Source

__all__ = ["read_bundle"]

NO_RESOURCE = {
    "age": "no Patient resource with a birthDate",
    "lineage": "no cancer Condition with a B-ALL or T-ALL code rrall reads",
    "ph": "no BCR-ABL1 test, karyotype or Ph-positive diagnosis code",
    "status": "no Condition in relapse (clinicalStatus, ICD-10-CM C91.02), no rrall disease-status",
    "relapses": "no rrall 'relapses' Observation (no FHIR or mCODE element counts relapses)",
    "prior_therapies": "no rrall 'prior-therapies' Observation (no FHIR or mCODE element counts lines)",
    "cd20": "no CD20 test (LOINC 51115-4, 13842-0, 51116-2, 10438-0)",
    "tkis_received": "no TKI in a MedicationRequest, MedicationAdministration or MedicationStatement",
    "tkis_failed": "no TKI received is known, and no rrall 'no-tki-failed' Observation",
    "induction_drugs": "no anti-leukemia drug other than a TKI in a medication resource",
}


def _single(fact: str, evidence: list[Evidence], notes: list[Note]) -> FactReading:
    values = {repr(item.value): item.value for item in evidence}
    sources = tuple(item.source for item in evidence)
    if len(values) == 1:
        return FactReading(fact, next(iter(values.values())), "known", sources)
    if len(values) > 1:
        said = "; ".join(f"{item.source} says {item.value}" for item in evidence)
        return FactReading(fact, None, "conflict", sources, f"the record disagrees: {said}")
    if notes:
        return FactReading(
            fact, None, "not-coded", tuple(n.source for n in notes), "; ".join(n.reason for n in notes)
        )
    return FactReading(fact, None, "no-resource", (), NO_RESOURCE[fact])


def _set(fact: str, found: dict[str, list[Source]], stated: list[Evidence], notes: list[Note]) -> FactReading:
    """A list fact: the drugs found, or none when an rrall Observation says so, never both."""
    sources = tuple(s for sources in found.values() for s in sources)
    if found and stated:
        return FactReading(
            fact,
            None,
            "conflict",
            sources + tuple(e.source for e in stated),
            f"{stated[0].source} says none, but the record has {', '.join(sorted(found))}",
        )
    if found:
        return FactReading(fact, sorted(found), "known", sources)
    return _single(fact, stated, notes)


def _tkis_failed(
    received: FactReading, uses: list[TkiUse], stated: list[Evidence], notes: list[Note]
) -> FactReading:
    tkis = [use for use in uses if use.drug in TKIS]
    failed = sorted({use.drug for use in tkis if use.failed})
    undetermined = [use for use in tkis if use.failed is None and use.drug not in failed]
    if received.status == "conflict":
        reason = f"which TKIs were received is in conflict: {received.reason}"
        return FactReading("tkis_failed", None, "conflict", received.sources, reason)
    if not received.known or not received.value:
        if received.known:  # no TKI received: none failed
            return FactReading(
                "tkis_failed", [], "known", received.sources or tuple(e.source for e in stated)
            )
        return _single("tkis_failed", stated, notes)
    sources = tuple(use.source for use in tkis)
    if stated and failed:
        return FactReading(
            "tkis_failed",
            None,
            "conflict",
            sources + tuple(e.source for e in stated),
            f"{stated[0].source} says no TKI failed, but {', '.join(failed)} stopped with no response",
        )
    if stated:  # none failed, as stated, and none stopped with no response
        return FactReading("tkis_failed", [], "known", sources + tuple(e.source for e in stated))
    if undetermined:
        why = "; ".join(
            f"{use.source} ({use.drug}) was stopped without a statusReason rrall reads"
            for use in undetermined
        )
        return FactReading("tkis_failed", None, "not-coded", tuple(u.source for u in undetermined), why)
    return FactReading("tkis_failed", failed, "known", sources)


def _medication_facts(
    uses: list[TkiUse], evidence: list[Evidence], notes: list[Note]
) -> dict[str, FactReading]:
    def of(fact: str) -> tuple[list[Evidence], list[Note]]:
        return [e for e in evidence if e.fact == fact], [n for n in notes if n.fact == fact]

    tkis: dict[str, list[Source]] = {}
    others: dict[str, list[Source]] = {}
    for use in uses:
        (tkis if use.drug in TKIS else others).setdefault(use.drug, []).append(use.medication)
    received = _set("tkis_received", tkis, *of("tkis_received"))
    return {
        "tkis_received": received,
        "tkis_failed": _tkis_failed(received, uses, *of("tkis_failed")),
        "induction_drugs": _set("induction_drugs", others, *of("induction_drugs")),
    }


def _scope(evidence: list[Evidence], notes: list[Note]) -> tuple[Scope, str, tuple[Source, ...]]:
    said = [e for e in evidence if e.fact == "scope"]
    values = {e.value for e in said}
    sources = tuple(e.source for e in said)
    if values == {"all"}:
        return "all", "an ALL diagnosis: " + ", ".join(e.source.detail for e in said), sources
    if values == {"not-all"}:
        return (
            "not-all",
            "not ALL: " + ", ".join(e.source.detail for e in said) + "; the R/R ALL text does not apply",
            sources,
        )
    if values:
        said_text = "; ".join(
            f"{e.source} says {'ALL' if e.value == 'all' else 'not ALL'} ({e.source.detail})" for e in said
        )
        return "unknown", f"the record disagrees: {said_text}", sources
    return (
        "unknown",
        "no ALL diagnosis rrall recognises (Condition.code or mCODE histology-morphology-behavior)",
        (),
    )


def _patient(facts: dict[str, FactReading]) -> tuple[Patient, dict[str, FactReading]]:
    """The patient; facts the schema's constraints reject together become a conflict."""
    while True:
        try:
            return Patient(**{name: r.value for name, r in facts.items() if r.known}), facts  # type: ignore[arg-type]
        except InvalidRecord as error:
            bad = ({problem.field for problem in error.problems} | _partners(error)) & {
                name for name, reading in facts.items() if reading.known
            }
            if not bad:  # pragma: no cover - every problem names a fact read
                raise
            for name in bad:
                reading = facts[name]
                facts[name] = FactReading(
                    name,
                    None,
                    "conflict",
                    reading.sources,
                    f"read as {reading.value!r}, which the patient schema rejects with the others: {error}",
                )


def _partners(error: InvalidRecord) -> set[str]:
    # A constraint names one field; its partner (tkis_received, status) becomes unknown too.
    fields = {problem.field for problem in error.problems}
    return ({"tkis_received"} if "tkis_failed" in fields else set()) | (
        {"status"} if "relapses" in fields else set()
    )


def read_bundle(
    data: Mapping[str, Any] | str | bytes,
    *,
    as_of: datetime.date | None = None,
    cd20_threshold: float | None = None,
) -> FhirReading:
    """The patient a FHIR R4 record describes, with where each fact came from.

    Args:
        data: A Bundle (collection, searchset; an mCODE patient bundle), a CDS
            Hooks prefetch object (key -> resource, Bundle or null) or a whole
            CDS Hooks request (its ``prefetch`` is read); a dict or JSON text.
        as_of: The day age is worked out on; today (UTC) if None.
        cd20_threshold: The CD20-positive percentage (e.g. 20.0) for a CD20
            result given only as a percentage; with None (the default) such a
            result leaves CD20 unknown.

    Returns:
        A `FhirReading`: the `rrall.Patient`, each fact's value and sources or
            why it is unknown, the record's scope (ALL or not), the medications
            recognised and the warnings.

    Raises:
        InvalidFhir: Not a Bundle or prefetch object, a wrong ``resourceType``, a
            required element missing, or a reference to a resource not in the record.
    """
    as_of = as_of or datetime.datetime.now(datetime.timezone.utc).date()
    record = collect(data)
    items: list[Evidence | Note] = [
        *age_evidence(record, as_of),
        *condition_evidence(record),
        *observation_evidence(record, cd20_threshold),
    ]
    uses, medications = medication_uses(record)
    evidence = [item for item in items if isinstance(item, Evidence)]
    notes = [item for item in items if isinstance(item, Note)]
    facts = {
        name: _single(name, [e for e in evidence if e.fact == name], [n for n in notes if n.fact == name])
        for name in PATIENT_SCHEMA.names
    }
    facts.update(_medication_facts(uses, evidence, notes))
    patient, facts = _patient(facts)
    scope, reason, scope_sources = _scope(evidence, notes)
    return FhirReading(
        patient=patient,
        facts=tuple(facts[name] for name in PATIENT_SCHEMA.names),
        scope=scope,
        scope_reason=reason,
        scope_sources=scope_sources,
        medications=tuple(medications),
        warnings=_warnings(medications, notes),
        as_of=as_of,
        subject=None if record.patient is None or "/" not in record.patient.label else record.patient.label,
    )


def _warnings(medications: Iterable[MedicationMatch], notes: Iterable[Note]) -> tuple[str, ...]:
    out = [
        f"{m.source}: drug {m.match.text!r} is not one rrall recognises ({m.match.how}); not read"
        for m in medications
        if m.match.drug is None
    ]
    out += [f"{note.source}: {note.reason}" for note in notes if note.fact == "scope"]
    return tuple(out)
