"""Hand-built FHIR R4 resources shaped like mCODE STU4's examples, for the reader's tests.

Each builder writes one resource as an EHR would send it (mCODE profiles in
meta, the patient as subject); `bundle` wraps them in an mCODE patient bundle.
"""

from __future__ import annotations

from typing import Any

SCT = "http://snomed.info/sct"
LNC = "http://loinc.org"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
RXN = "http://www.nlm.nih.gov/research/umls/rxnorm"
HGNC = "http://www.genenames.org"
RRALL = "urn:rrall:fhir:CodeSystem:facts"
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition"
SUBJECT = {"reference": "Patient/p1"}


def concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, **({"display": display} if display else {})}]}


def patient(birth_date: str | None = "1980-05-01", pid: str = "p1") -> dict[str, Any]:
    data: dict[str, Any] = {
        "resourceType": "Patient",
        "id": pid,
        "meta": {"profile": [f"{MCODE}/mcode-cancer-patient"]},
        "gender": "female",
    }
    if birth_date:
        data["birthDate"] = birth_date
    return data


def condition(
    cid: str,
    code: dict[str, Any],
    *,
    clinical: str | None = "active",
    histology: dict[str, Any] | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "resourceType": "Condition",
        "id": cid,
        "meta": {"profile": [f"{MCODE}/mcode-primary-cancer-condition"]},
        "verificationStatus": concept(
            "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"
        ),
        "category": [
            concept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")
        ],
        "code": code,
        "subject": SUBJECT,
    }
    if clinical:
        data["clinicalStatus"] = concept("http://terminology.hl7.org/CodeSystem/condition-clinical", clinical)
    if histology:
        data["extension"] = [
            {"url": f"{MCODE}/mcode-histology-morphology-behavior", "valueCodeableConcept": histology}
        ]
    return data


def b_all(cid: str = "c1", clinical: str = "relapse") -> dict[str, Any]:
    return condition(
        cid, concept(SCT, "277571004", "B-cell acute lymphoblastic leukemia (disorder)"), clinical=clinical
    )


def t_all(cid: str = "c1", clinical: str = "relapse") -> dict[str, Any]:
    return condition(cid, concept(SCT, "397348006", "T lymphoblastic leukemia/lymphoma"), clinical=clinical)


def observation(oid: str, code: dict[str, Any], **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": code,
        "subject": SUBJECT,
        **value,
    }


def bcr_abl1(oid: str, present: bool, loinc: str = "21821-4") -> dict[str, Any]:
    answer = concept(LNC, "LA9633-4", "Present") if present else concept(LNC, "LA9634-2", "Absent")
    return observation(oid, concept(LNC, loinc), valueCodeableConcept=answer)


def cd20(oid: str, positive: bool) -> dict[str, Any]:
    interpretation = concept(
        "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "POS" if positive else "NEG"
    )
    return observation(
        oid,
        concept(LNC, "51115-4", "CD20 blasts/100 blasts in Bone marrow"),
        meta={"profile": [f"{MCODE}/mcode-tumor-marker-test"]},
        valueQuantity={
            "value": 45 if positive else 2,
            "unit": "%",
            "system": "http://unitsofmeasure.org",
            "code": "%",
        },
        interpretation=[interpretation],
    )


def rrall(oid: str, code: str, **value: Any) -> dict[str, Any]:
    return observation(oid, concept(RRALL, code), **value)


def medication_request(
    mid: str, medication: dict[str, Any], status: str = "completed", reason: str | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": mid,
        "meta": {"profile": [f"{MCODE}/mcode-cancer-related-medication-request"]},
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": medication,
        "subject": SUBJECT,
        "reasonReference": [{"reference": "Condition/c1"}],
    }
    if reason:
        data["statusReason"] = concept(SCT, reason)
    return data


def administration(mid: str, medication: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "MedicationAdministration",
        "id": mid,
        "meta": {"profile": [f"{MCODE}/mcode-cancer-related-medication-administration"]},
        "status": "completed",
        "medicationCodeableConcept": medication,
        "subject": SUBJECT,
        "effectiveDateTime": "2025-02-03",
    }


def rxnorm(code: str, display: str | None = None) -> dict[str, Any]:
    return concept(RXN, code, display)


def bundle(*resources: dict[str, Any], kind: str = "collection") -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "meta": {"profile": [f"{MCODE}/mcode-patient-bundle"]},
        "type": kind,
        "entry": [
            {"fullUrl": f"http://ehr.example/fhir/{r['resourceType']}/{r['id']}", "resource": r}
            for r in resources
        ],
    }
