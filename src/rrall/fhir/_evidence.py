"""What each resource says about the patient's facts: values with sources, notes on data not coded."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from typing import Any

from attrs import frozen

from ..rr_all import TKI
from ..rr_all._drugs import DrugMatch, drug_by_name, drug_by_rxnorm
from . import _codes as c
from ._collect import Record, Resource
from ._model import InvalidFhir, MedicationMatch, Source

__all__ = [
    "Evidence",
    "Note",
    "TkiUse",
    "age_evidence",
    "condition_evidence",
    "medication_uses",
    "observation_evidence",
]


@frozen
class Evidence:
    """A resource states ``fact`` has ``value``."""

    fact: str
    value: object
    source: Source


@frozen
class Note:
    """A resource bears on ``fact`` but does not state it in a code rrall reads."""

    fact: str
    source: Source
    reason: str


@frozen
class TkiUse:
    """One medication resource of a recognised drug; ``failed`` None: stopped without a reason rrall reads."""

    drug: str
    medication: Source
    source: Source
    failed: bool | None


def _codings(concept: object) -> Iterator[tuple[str, str, str]]:
    if not isinstance(concept, Mapping):
        return
    for coding in concept.get("coding") or ():
        if isinstance(coding, Mapping) and isinstance(coding.get("code"), str):
            yield str(coding.get("system", "")), coding["code"].strip(), str(coding.get("display", ""))


def _show(system: str, code: str, display: str = "") -> str:
    return f"{system}|{code}" + (f" {display}" if display else "")


# -- Patient.birthDate -----------------------------------------------------------


def _parse_birth(text: str, resource: Resource) -> tuple[datetime.date, datetime.date]:
    """The earliest and latest day a (possibly partial) FHIR date stands for."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    try:
        if match is None:
            raise ValueError
        year, month, day = int(match[1]), match[2], match[3]
        if day is not None:
            exact = datetime.date(year, int(month or 0), int(day))
            return exact, exact
        if month is not None:
            first = datetime.date(year, int(month), 1)
            following = datetime.date(year + (first.month == 12), first.month % 12 + 1, 1)
            return first, following - datetime.timedelta(days=1)
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    except ValueError:
        raise InvalidFhir(
            resource.label, "birthDate", f"is not a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}"
        ) from None


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_evidence(record: Record, as_of: datetime.date) -> Iterator[Evidence | Note]:
    patient = record.patient
    if patient is None:
        return
    text = patient.data.get("birthDate")
    source = Source(patient.label, "birthDate", str(text or ""))
    if text is None:
        yield Note("age", Source(patient.label, "birthDate"), "the Patient has no birthDate")
        return
    if not isinstance(text, str):
        raise InvalidFhir(patient.label, "birthDate", "must be a date string")
    earliest, latest = _parse_birth(text, patient)
    if latest > as_of:
        yield Note("age", source, f"birthDate {text} is after the as-of date {as_of.isoformat()}")
        return
    oldest, youngest = _age(earliest, as_of), _age(latest, as_of)
    if oldest != youngest:
        yield Note("age", source, f"birthDate {text} gives age {youngest} or {oldest} on {as_of.isoformat()}")
        return
    yield Evidence("age", oldest, source)


# -- Condition -------------------------------------------------------------------


def _diagnosis_codes(resource: Resource) -> Iterator[tuple[str, tuple[str, str, str]]]:
    data = resource.data
    for coding in _codings(data.get("code")):
        yield "code", coding
    for number, extension in enumerate(data.get("extension") or ()):
        if isinstance(extension, Mapping) and extension.get("url") == c.HISTOLOGY_EXTENSION:
            for coding in _codings(extension.get("valueCodeableConcept")):
                yield f"extension[{number}].valueCodeableConcept", coding


def condition_evidence(record: Record) -> Iterator[Evidence | Note]:
    """Lineage, Ph, status and scope (fact ``scope``: ``all`` / ``not-all``) from the cancer Conditions."""
    for resource in record.of_type("Condition"):
        verification = {code for _, code, _ in _codings(resource.data.get("verificationStatus"))}
        if verification & {"refuted", "entered-in-error"}:
            continue
        is_all = False
        for element, (system, code, display) in _diagnosis_codes(resource):
            diagnosis = c.DIAGNOSES.get((system, code))
            if diagnosis is None:
                continue
            source = Source(resource.label, element, _show(system, code, display or diagnosis.display))
            yield Evidence("scope", "all" if diagnosis.all else "not-all", source)
            is_all = is_all or diagnosis.all
            if diagnosis.lineage:
                yield Evidence("lineage", diagnosis.lineage, source)
            if diagnosis.ph:
                yield Evidence("ph", diagnosis.ph, source)
            if diagnosis.ph_note:
                yield Note("ph", source, diagnosis.ph_note)
            if diagnosis.relapsed:
                yield Evidence("status", "relapsed", source)
        if is_all:
            yield from _clinical_status(resource)


def _clinical_status(resource: Resource) -> Iterator[Evidence | Note]:
    for system, code, display in _codings(resource.data.get("clinicalStatus")):
        source = Source(resource.label, "clinicalStatus", _show(system, code, display))
        if system == c.CONDITION_CLINICAL and code in c.RELAPSED_CLINICAL_STATUS:
            yield Evidence("status", "relapsed", source)
        else:
            yield Note("status", source, f"clinicalStatus {code!r} says neither relapsed nor refractory")


# -- Observation -----------------------------------------------------------------

OBSERVATION_SKIP = frozenset({"entered-in-error", "cancelled"})


def _answer(resource: Resource) -> Iterator[tuple[str, Source]]:
    """'positive' / 'negative' from the coded value and from the interpretation, each with its source."""
    data = resource.data
    for system, code, display in _codings(data.get("valueCodeableConcept")):
        source = Source(resource.label, "valueCodeableConcept", _show(system, code, display))
        if (system, code) in c.POSITIVE_ANSWERS:
            yield "positive", source
        elif (system, code) in c.NEGATIVE_ANSWERS:
            yield "negative", source
    for number, concept in enumerate(data.get("interpretation") or ()):
        for system, code, display in _codings(concept):
            source = Source(resource.label, f"interpretation[{number}]", _show(system, code, display))
            if (system, code) in c.POSITIVE_INTERPRETATIONS:
                yield "positive", source
            elif (system, code) in c.NEGATIVE_INTERPRETATIONS:
                yield "negative", source


def _value_element(data: Mapping[str, Any]) -> str:
    return next((key for key in data if key.startswith("value") and key[5:6].isupper()), "")


def _result(resource: Resource, fact: str, test: str) -> Iterator[Evidence | Note]:
    answers = list(_answer(resource))
    for value, source in answers:
        yield Evidence(fact, value, source)
    if not answers:
        element = _value_element(resource.data) or "value[x]"
        yield Note(
            fact, Source(resource.label, element), f"{test}: no coded result or interpretation rrall reads"
        )


def _is_ph_variant(resource: Resource) -> bool:
    genes = set()
    for component in resource.data.get("component") or ():
        if isinstance(component, Mapping) and any(
            (s, k) == (c.LOINC, c.GENE_STUDIED) for s, k, _ in _codings(component.get("code"))
        ):
            genes |= {code for _, code, _ in _codings(component.get("valueCodeableConcept"))}
    return genes >= c.PH_GENES


def _cd20(resource: Resource, threshold: float | None, code: str) -> Iterator[Evidence | Note]:
    quantity = resource.data.get("valueQuantity")
    answers = list(_answer(resource))
    if answers or not isinstance(quantity, Mapping):
        yield from _result(resource, "cd20", f"CD20 test {code}")
        return
    value, unit = quantity.get("value"), quantity.get("code") or quantity.get("unit")
    source = Source(resource.label, "valueQuantity", f"{value} {unit or ''}".strip())
    if threshold is None:
        yield Note(
            "cd20", source, "a CD20 percentage with no interpretation needs a threshold (cd20_threshold)"
        )
    elif not isinstance(value, (int, float)) or unit != "%":
        yield Note("cd20", source, "a CD20 result rrall can compare with the threshold is a percentage")
    else:
        detail = f"{value}% {'≥' if value >= threshold else '<'} threshold {threshold:g}%"
        yield Evidence(
            "cd20",
            "positive" if value >= threshold else "negative",
            Source(source.resource, source.element, detail),
        )


def _rrall(resource: Resource, code: str) -> Iterator[Evidence | Note]:
    fact = c.RRALL_FACTS.get(code)
    data = resource.data
    if fact is None:
        yield Note("scope", Source(resource.label, "code"), f"rrall code {code!r} is not one rrall defines")
        return
    element = _value_element(data) or "value[x]"
    source = Source(resource.label, element, f"{c.RRALL}|{code} = {data.get(element)!r}")
    value: object = None
    if fact in ("relapses", "prior_therapies") and element == "valueInteger":
        given = data[element]
        value = given if isinstance(given, int) and not isinstance(given, bool) and given >= 0 else None
    elif fact == "status" and element == "valueCodeableConcept":
        value = next(
            (k for s, k, _ in _codings(data[element]) if s == c.RRALL and k in ("relapsed", "refractory")),
            None,
        )
    elif code.startswith("no-") and data.get("valueBoolean") is True:
        value = ()
    if value is None:
        yield Note(fact, source, f"rrall Observation {code!r} holds no value rrall reads")
    else:
        yield Evidence(fact, value, source)


def observation_evidence(record: Record, cd20_threshold: float | None) -> Iterator[Evidence | Note]:
    """Ph, CD20 and rrall's own facts from the Observations."""
    for resource in record.of_type("Observation"):
        if resource.data.get("status") in OBSERVATION_SKIP:
            continue
        for system, code, _ in _codings(resource.data.get("code")):
            if system == c.RRALL:
                yield from _rrall(resource, code)
            elif system != c.LOINC:
                continue
            elif code in c.PH_TESTS:
                yield from _result(resource, "ph", f"BCR-ABL1 test {code}")
            elif code == c.VARIANT_ASSESSMENT and _is_ph_variant(resource):
                yield from _result(resource, "ph", "BCR::ABL1 genomic variant")
            elif code == c.KARYOTYPE:
                yield from _karyotype(resource)
            elif code in c.CD20_TESTS:
                yield from _cd20(resource, cd20_threshold, code)
            elif code in c.CD20_TEXT_TESTS:
                yield Note(
                    "cd20",
                    Source(resource.label, _value_element(resource.data) or "value[x]"),
                    f"immunophenotype {code} is free text; rrall does not read CD20 from text",
                )


def _karyotype(resource: Resource) -> Iterator[Evidence | Note]:
    text = resource.data.get("valueString")
    source = Source(resource.label, "valueString", str(text))
    if isinstance(text, str) and re.search(r"t\(9;22\)", text.replace(" ", "")):
        yield Evidence("ph", "positive", source)
    else:
        yield Note("ph", source, "a karyotype without t(9;22) does not rule out BCR-ABL1 (it may be cryptic)")


# -- MedicationRequest / MedicationAdministration / MedicationStatement ---------------------------

MEDICATIONS = ("MedicationRequest", "MedicationAdministration", "MedicationStatement")
#: Statuses that mean the drug was not given (or the record is void).
NOT_GIVEN = frozenset({"entered-in-error", "cancelled", "draft", "not-done", "not-taken", "intended"})
NOT_GIVEN_INTENT = frozenset({"proposal", "plan"})
TKIS = frozenset(tki.value for tki in TKI)


def _medication(resource: Resource, record: Record) -> tuple[Source, DrugMatch]:
    data = resource.data
    if "medicationReference" in data:
        medication = record.resolve(data["medicationReference"], resource, "medicationReference")
        concept, label, element = medication.data.get("code"), medication.label, "code"
    else:
        concept, label, element = (
            data.get("medicationCodeableConcept"),
            resource.label,
            "medicationCodeableConcept",
        )
    codings = list(_codings(concept))
    for system, code, display in codings:
        if system == c.RXNORM:
            found = drug_by_rxnorm(code)
            if found is not None:
                return Source(label, element, _show(system, code, display)), found
    texts = [concept.get("text")] if isinstance(concept, Mapping) and concept.get("text") else []
    texts += [display for _, _, display in codings if display]
    for text in texts:
        found = drug_by_name(str(text))
        if found.drug is not None:
            return Source(label, element, str(text)), found
    shown = texts[0] if texts else ", ".join(_show(s, k) for s, k, _ in codings) or "no code or text"
    return Source(label, element, str(shown)), DrugMatch(str(shown), None, "not a drug rrall knows")


def _reasons(data: Mapping[str, Any]) -> set[tuple[str, str]]:
    reason = data.get("statusReason")
    concepts = reason if isinstance(reason, list) else [reason]
    return {(s, k) for concept in concepts for s, k, _ in _codings(concept)}


def _failed(data: Mapping[str, Any]) -> bool | None:
    if data.get("status") != "stopped":
        return False
    reasons = _reasons(data)
    if c.TKI_FAILED_REASON in reasons:
        return True
    return False if reasons else None


def medication_uses(record: Record) -> tuple[list[TkiUse], list[MedicationMatch]]:
    """Every drug given (TKI or not, with failure for TKIs), and how each medication was recognised."""
    uses: list[TkiUse] = []
    matches: list[MedicationMatch] = []
    for resource in record.of_type(*MEDICATIONS):
        data = resource.data
        if data.get("status") in NOT_GIVEN or data.get("intent") in NOT_GIVEN_INTENT:
            continue
        source, match = _medication(resource, record)
        matches.append(MedicationMatch(source, match))
        if match.drug is None:
            continue
        failed = _failed(data) if match.drug in TKIS else False
        status = f"status {data.get('status')}" + (
            f", statusReason {', '.join(_show(s, k) for s, k in sorted(_reasons(data)))}"
            if _reasons(data)
            else ""
        )
        uses.append(TkiUse(match.drug, source, Source(resource.label, "status", status), failed))
    return uses, matches
