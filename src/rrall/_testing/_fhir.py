"""A Hypothesis strategy turning a `rrall.Patient` into a FHIR R4 record, in many equivalent shapes.

Each fact is written in one of the forms `rrall.fhir.read_bundle` reads
(docs/fhir.md): diagnosis codes in ``Condition.code`` or in mCODE's histology
extension, ICD-O-3 or SNOMED CT; Ph from the diagnosis, a PCR or FISH test, a
genomic variant or a karyotype, coded or by interpretation; drugs by RxNorm
ingredient, product or brand code, or by name, in a MedicationRequest,
MedicationAdministration or MedicationStatement; and the record as a
collection, searchset, mCODE patient bundle or CDS Hooks prefetch object.
"""

from __future__ import annotations

import datetime
from typing import Any

from attrs import frozen
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn, SearchStrategy

from ..fhir import _codes as c
from ..rr_all import TKI, Patient
from ..rr_all._drugs import DRUGS, _by_rxnorm

__all__ = ["FhirCase", "fhir_records", "representable"]

TKIS = tuple(tki.value for tki in TKI)
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition"
DEFAULT_AS_OF = datetime.date(2026, 6, 1)


@frozen
class FhirCase:
    """A FHIR record (``record``) and the `rrall.Patient` it encodes, read as of ``as_of``.

    ``resources`` lists the record's top-level resources (a test may remove one).
    """

    patient: Patient
    record: dict[str, Any]
    resources: tuple[dict[str, Any], ...]
    as_of: datetime.date


def representable(patient: Patient) -> Patient:
    """``patient`` as FHIR can state it.

    Induction drugs rrall does not recognise, or that are TKIs (a TKI given is
    a TKI received), are dropped; with no TKI received, none failed; a TKI that
    failed was received.
    """
    data: dict[str, Any] = patient.to_dict()
    known = {drug.name for drug in DRUGS} - set(TKIS)
    if "induction_drugs" in data:
        data["induction_drugs"] = [drug for drug in data["induction_drugs"] if drug in known]
    if data.get("tkis_received") == [] and "tkis_failed" not in data:
        data["tkis_failed"] = []
    if "tkis_received" not in data and data.get("tkis_failed"):
        data["tkis_received"] = data["tkis_failed"]  # a TKI that failed was received
    return Patient.from_dict(data)


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    return {"system": system, "code": code, **({"display": display} if display else {})}


def _concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    return {"coding": [_coding(system, code, display)]}


class _Builder:
    """Collects the resources of one record, each with an id and the patient as subject."""

    def __init__(self, draw: DrawFn) -> None:
        self.draw = draw
        self.resources: list[dict[str, Any]] = []

    def add(self, resource: dict[str, Any]) -> dict[str, Any]:
        resource["id"] = f"{resource['resourceType'].lower()}-{len(self.resources)}"
        if resource["resourceType"] != "Patient":
            resource["subject"] = {"reference": "Patient/p1"}
        self.resources.append(resource)
        return resource

    def observation(self, code: dict[str, Any], **fields: Any) -> dict[str, Any]:
        return self.add({"resourceType": "Observation", "status": "final", "code": code, **fields})

    def rrall(self, code: str, **value: Any) -> None:
        self.observation(_concept(c.RRALL, code), **value)


def _birth_date(draw: DrawFn, age: int, as_of: datetime.date) -> str:
    def years_before(years: int) -> datetime.date:
        try:
            return as_of.replace(year=as_of.year - years)
        except ValueError:  # 29 February
            return as_of.replace(year=as_of.year - years, day=28)

    latest, earliest = years_before(age), years_before(age + 1) + datetime.timedelta(days=1)
    offset = draw(st.integers(0, (latest - earliest).days))
    return (earliest + datetime.timedelta(days=offset)).isoformat()


def _answer(draw: DrawFn, positive: bool, *, loinc_only: bool = False) -> dict[str, Any]:
    """A coded result, or an interpretation, saying positive or negative."""
    answers = sorted(c.POSITIVE_ANSWERS if positive else c.NEGATIVE_ANSWERS)
    if loinc_only:
        return {"valueCodeableConcept": _concept(c.LOINC, "LA9633-4" if positive else "LA9634-2")}
    if draw(st.booleans()):
        system, code = draw(st.sampled_from(answers))
        return {"valueCodeableConcept": _concept(system, code)}
    interpretation = _concept(c.INTERPRETATION, "POS" if positive else "NEG")
    return {
        "interpretation": [interpretation],
        **({"valueQuantity": {"value": 0.1, "unit": "%"}} if draw(st.booleans()) else {}),
    }


def _ph_test(b: _Builder, ph: str) -> None:
    positive = ph == "positive"
    forms = ["pcr", "variant"] + (["karyotype"] if positive else [])
    form = b.draw(st.sampled_from(forms))
    if form == "pcr":
        code = b.draw(st.sampled_from(sorted(c.PH_TESTS)))
        b.observation(_concept(c.LOINC, code), **_answer(b.draw, positive))
    elif form == "variant":
        genes = [
            {"code": _concept(c.LOINC, c.GENE_STUDIED), "valueCodeableConcept": _concept(c.HGNC, gene)}
            for gene in ("HGNC:1014", "HGNC:76")
        ]
        b.observation(
            _concept(c.LOINC, c.VARIANT_ASSESSMENT),
            meta={"profile": [f"{MCODE}/mcode-genomic-variant"]},
            component=genes,
            **_answer(b.draw, positive, loinc_only=True),
        )
    else:
        b.observation(
            _concept(c.LOINC, c.KARYOTYPE),
            valueString=b.draw(
                st.sampled_from(
                    [
                        "46,XX,t(9;22)(q34;q11.2)[20]",
                        "46,XY,t(9;22)(q34.1;q11.2)",
                        "45,XY,-7,t(9;22)(q34;q11)",
                    ]
                )
            ),
        )


def _diagnosis_codes(lineage: str | None, ph: str | None, draw: DrawFn) -> tuple[tuple[str, str], bool]:
    """A diagnosis code for the lineage (and Ph, when it says so), and whether it states Ph."""
    choices = [key for key, d in c.DIAGNOSES.items() if d.all and d.lineage == lineage and not d.relapsed]
    if ph != "positive":
        choices = [key for key in choices if c.DIAGNOSES[key].ph is None]
    key = draw(st.sampled_from(sorted(choices)))
    return key, c.DIAGNOSES[key].ph is not None


def _condition(b: _Builder, patient: Patient) -> bool:
    """The cancer Condition; returns whether it states Ph."""
    lineage = None if patient.lineage is None else patient.lineage.value
    ph = None if patient.ph is None else patient.ph.value
    relapsed = patient.status is not None and patient.status.value == "relapsed"
    relapsed_here = relapsed and b.draw(st.booleans())
    if relapsed and not relapsed_here:
        b.rrall("disease-status", valueCodeableConcept=_concept(c.RRALL, "relapsed"))
    if lineage is None and not relapsed_here:
        return False
    condition: dict[str, Any] = {
        "resourceType": "Condition",
        "meta": {"profile": [f"{MCODE}/mcode-primary-cancer-condition"]},
        "verificationStatus": _concept(
            "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"
        ),
    }
    states_ph = False
    if lineage is not None:
        (system, code), states_ph = _diagnosis_codes(lineage, ph, b.draw)
        if system == c.ICDO3 and b.draw(st.booleans()):
            condition["code"] = (
                _concept(c.ICD10CM, "C91.02") if relapsed_here else {"text": "Acute lymphoblastic leukemia"}
            )
            condition["extension"] = [
                {"url": c.HISTOLOGY_EXTENSION, "valueCodeableConcept": _concept(system, code)}
            ]
        else:
            condition["code"] = _concept(system, code)
    else:
        condition["code"] = _concept(c.ICD10CM, "C91.02")
    if relapsed_here and (b.draw(st.booleans()) or "C91.02" not in str(condition["code"])):
        status = b.draw(st.sampled_from(sorted(c.RELAPSED_CLINICAL_STATUS)))
        condition["clinicalStatus"] = _concept(c.CONDITION_CLINICAL, status)
    elif not relapsed_here and b.draw(st.booleans()):
        condition["clinicalStatus"] = _concept(c.CONDITION_CLINICAL, "active")
    b.add(condition)
    return states_ph


def _medication_concept(draw: DrawFn, drug: str) -> dict[str, Any]:
    entry = next(d for d in DRUGS if d.name == drug)
    products = sorted(code for code, (name, _) in _by_rxnorm().items() if name == drug)
    forms = ["name"] + (["brand"] if entry.brands else []) + (["code"] if products else [])
    form = draw(st.sampled_from(forms))
    if form == "code":
        return _concept(c.RXNORM, draw(st.sampled_from(products)))
    text = drug if form == "name" else draw(st.sampled_from(entry.brands))
    return {"text": draw(st.sampled_from([text, text.upper(), f"{text} (as ordered)"]))}


def _medication(b: _Builder, drug: str, status: str, reason: str | None) -> None:
    kind = b.draw(st.sampled_from(["MedicationRequest", "MedicationAdministration", "MedicationStatement"]))
    resource: dict[str, Any] = {"resourceType": kind, "status": status}
    if kind == "MedicationRequest":
        resource["intent"] = "order"
    if kind == "MedicationAdministration":
        resource["effectiveDateTime"] = "2025-01-09"
        resource["status"] = "in-progress" if status == "active" else status
    if kind == "MedicationStatement" and status == "active" and b.draw(st.booleans()):
        resource["status"] = "completed"
    if reason is not None:
        concept = _concept(c.SNOMED, reason)
        resource["statusReason"] = concept if kind == "MedicationRequest" else [concept]
    concept = _medication_concept(b.draw, drug)
    if b.draw(st.booleans()):
        resource["contained"] = [{"resourceType": "Medication", "id": "med", "code": concept}]
        resource["medicationReference"] = {"reference": "#med"}
    else:
        resource["medicationCodeableConcept"] = concept
    b.add(resource)


def _medications(b: _Builder, patient: Patient) -> None:
    received = [tki.value for tki in patient.tkis_received or ()]
    failed = {tki.value for tki in patient.tkis_failed or ()}
    unknown_failure = patient.tkis_failed is None and received
    for number, drug in enumerate(received):
        if drug in failed:
            _medication(b, drug, "stopped", "266721009")
        elif unknown_failure and number == 0:
            _medication(b, drug, "stopped", None)
        else:
            status, reason = b.draw(
                st.sampled_from([("active", None), ("completed", None), ("stopped", "407563006")])
            )
            _medication(b, drug, status, reason)
    if patient.tkis_received == ():
        b.rrall("no-tki-received", valueBoolean=True)
    elif patient.tkis_received is None and patient.tkis_failed == ():
        b.rrall("no-tki-failed", valueBoolean=True)
    for drug in patient.induction_drugs or ():
        _medication(b, drug, "completed", None)
    if patient.induction_drugs == ():
        b.rrall("no-induction-drugs", valueBoolean=True)


def _observations(b: _Builder, patient: Patient, states_ph: bool) -> None:
    if patient.ph is not None and not states_ph:
        _ph_test(b, patient.ph.value)
    if patient.status is not None and patient.status.value == "refractory":
        b.rrall("disease-status", valueCodeableConcept=_concept(c.RRALL, "refractory"))
    if patient.relapses is not None:
        b.rrall("relapses", valueInteger=patient.relapses)
    if patient.prior_therapies is not None:
        b.rrall("prior-therapies", valueInteger=patient.prior_therapies)
    if patient.cd20 is not None:
        code = b.draw(st.sampled_from(sorted(c.CD20_TESTS)))
        b.observation(_concept(c.LOINC, code), **_answer(b.draw, patient.cd20.value == "positive"))


def _shape(draw: DrawFn, resources: list[dict[str, Any]]) -> dict[str, Any]:
    shape = draw(st.sampled_from(["collection", "searchset", "mcode", "prefetch"]))
    if shape == "prefetch":
        prefetch: dict[str, Any] = {
            "patient": None,
            "conditions": None,
            "observations": None,
            "medications": None,
        }
        keys = {"Patient": "patient", "Condition": "conditions", "Observation": "observations"}
        for resource in resources:
            key = keys.get(resource["resourceType"], "medications")
            if key == "patient":
                prefetch[key] = resource
                continue
            found = prefetch[key] or {"resourceType": "Bundle", "type": "searchset", "entry": []}
            found["entry"].append(
                {
                    "fullUrl": f"http://ehr.example/fhir/{resource['resourceType']}/{resource['id']}",
                    "resource": resource,
                }
            )
            prefetch[key] = found
        return prefetch
    entries: list[dict[str, Any]] = [
        {"fullUrl": f"urn:uuid:00000000-0000-4000-8000-{n:012d}", "resource": r}
        for n, r in enumerate(resources)
    ]
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset" if shape == "searchset" else "collection",
    }
    if shape == "mcode":
        bundle["meta"] = {"profile": [f"{MCODE}/mcode-patient-bundle"]}
    if shape == "searchset":
        for entry in entries:
            entry["search"] = {
                "mode": "match" if entry["resource"]["resourceType"] != "Patient" else "include"
            }
    bundle["entry"] = entries
    return bundle


@st.composite
def _record(draw: DrawFn, patient: Patient, as_of: datetime.date) -> FhirCase:
    b = _Builder(draw)
    if patient.age is not None or draw(st.booleans()):
        resource: dict[str, Any] = {
            "resourceType": "Patient",
            "meta": {"profile": [f"{MCODE}/mcode-cancer-patient"]},
        }
        if patient.age is not None:
            resource["birthDate"] = _birth_date(draw, patient.age, as_of)
        b.add(resource)["id"] = "p1"
    states_ph = _condition(b, patient)
    _observations(b, patient, states_ph)
    _medications(b, patient)
    order = draw(st.permutations(range(len(b.resources))))
    resources = [b.resources[n] for n in order]
    return FhirCase(patient, _shape(draw, resources), tuple(resources), as_of)


def fhir_records(
    patients: SearchStrategy[Patient] | None = None, *, as_of: datetime.date = DEFAULT_AS_OF
) -> SearchStrategy[FhirCase]:
    """FHIR records of patients, each a `FhirCase` with the `Patient` it encodes.

    Args:
        patients: The patients to write (default: `partial_patients`, any facts
            known); each is passed through `representable` first.
        as_of: The date ages are written for (birthDate is drawn to give the age on it).

    Returns:
        A strategy of `FhirCase`; ``rrall.fhir.read_bundle(case.record, as_of=case.as_of).patient``
            is ``case.patient``.
    """
    if patients is None:
        from ._strategies import partial_patients

        patients = partial_patients()

    def build(patient: Patient) -> SearchStrategy[FhirCase]:
        return _record(representable(patient), as_of)

    return patients.flatmap(build)
