"""The guideline and its walks as FHIR R4: CPG-on-FHIR PlanDefinitions, RequestGroup and GuidanceResponse.

Conditions are written as FHIRPath (``text/fhirpath``) over rrall's patient
facts, given as environment variables (``%ph = 'positive'``,
``%tkis_failed.count() >= 2``), each with its words in ``description``.
"""

from __future__ import annotations

from typing import Any

from ..engine import (
    AllOf,
    AtLeast,
    AtMost,
    Condition,
    Contains,
    CountAtLeast,
    Guideline,
    Is,
    Not,
    Option,
    WalkResult,
)
from ..engine import describe as describe_condition
from ..rr_all import RR_ALL, TKI
from ..rr_all._drugs import DRUGS
from . import _codes as c
from ._model import FhirReading

__all__ = ["BASE", "data_requirement", "fhirpath", "walk_bundle"]

BASE = "urn:rrall:fhir"
"""The base of the canonical URLs rrall gives its knowledge artifacts."""
SOURCE_DISPLAY = (
    "The Leukemia & Lymphoma Society: treatment options for relapsed or refractory ALL (based on NCCN)"
)


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fhirpath(condition: Condition) -> str:
    """The condition as a FHIRPath expression over the patient facts as variables (``%age >= 18``)."""
    if isinstance(condition, Is):
        if isinstance(condition.value, bool):  # a true/false fact: a FHIRPath boolean
            return f"%{condition.fact} = {str(condition.value).lower()}"
        return f"%{condition.fact} = {_quote(condition.value)}"
    if isinstance(condition, AtLeast):
        return f"%{condition.fact} >= {condition.bound}"
    if isinstance(condition, AtMost):
        return f"%{condition.fact} <= {condition.bound}"
    if isinstance(condition, Contains):
        return f"%{condition.fact} contains {_quote(condition.item)}"
    if isinstance(condition, CountAtLeast):
        return f"%{condition.fact}.count() >= {condition.bound}"
    if isinstance(condition, Not):
        return f"({fhirpath(condition.condition)}).not()"
    parts = [fhirpath(part) for part in condition.conditions]
    if not parts:
        return "true" if isinstance(condition, AllOf) else "false"
    joiner = " and " if isinstance(condition, AllOf) else " or "
    return parts[0] if len(parts) == 1 else joiner.join(f"({part})" for part in parts)


def _condition(condition: Condition, guideline: Guideline) -> dict[str, Any]:
    return {
        "kind": "applicability",
        "expression": {
            "description": describe_condition(condition, guideline.schema),
            "language": "text/fhirpath",
            "expression": fhirpath(condition),
        },
    }


def _citations(quotes: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"type": "citation", "display": SOURCE_DISPLAY, "citation": quote} for quote in quotes]


# -- rrall walk --format fhir -----------------------------------------------------


def _option_action(option: Option, guideline: Guideline) -> dict[str, Any]:
    words = ", ".join(option.components) if option.components else option.name
    description = f"{words}; " + (
        "offered" if option.definite else "only if " + "; ".join(r.text for r in option.conditions)
    )
    action: dict[str, Any] = {
        "id": option.id,
        "title": option.name,
        "description": description,
        "documentation": [
            *_citations(option.quotes),
            {
                "type": "derived-from",
                "display": f"rrall recommendation: {option.name}",
                "resource": f"{BASE}/PlanDefinition/{guideline.name}-{option.id}",
            },
        ],
    }
    if option.conditions:
        action["condition"] = [_condition(r.condition, guideline) for r in option.conditions]
    return action


def walk_bundle(
    result: WalkResult, reading: FhirReading | None = None, guideline: Guideline = RR_ALL
) -> dict[str, Any]:
    """A walk as a Bundle: a RequestGroup (intent proposal, one action per option), a GuidanceResponse.

    The GuidanceResponse is ``success`` when no unknown fact would change the
    options, else ``data-required`` with one ``dataRequirement`` per such fact,
    coded as the reader reads it. Excluded options are not actions.

    Args:
        result: The walk (`rrall.walk`).
        reading: The FHIR reading the patient came from, if any: gives the
            subject (the record's Patient) and the date (its ``as_of``).
        guideline: The guideline walked; the R/R ALL text by default.

    Returns:
        A Bundle (type ``collection``) as a dict, valid FHIR R4.
    """
    strategy = f"{BASE}/PlanDefinition/{guideline.name}"
    subject = {"reference": reading.subject} if reading is not None and reading.subject else None
    group: dict[str, Any] = {
        "resourceType": "RequestGroup",
        "id": f"{guideline.name}-walk",
        "instantiatesCanonical": [strategy],
        "status": "draft",
        "intent": "proposal",
        "action": [_option_action(option, guideline) for option in result.options],
    }
    response: dict[str, Any] = {
        "resourceType": "GuidanceResponse",
        "id": f"{guideline.name}-guidance",
        "moduleCanonical": strategy,
        "status": "data-required" if result.missing else "success",
        "result": {"reference": f"RequestGroup/{group['id']}"},
    }
    if subject:
        group["subject"] = response["subject"] = subject
    if reading is not None:
        response["occurrenceDateTime"] = reading.as_of.isoformat()
    if result.missing:
        response["dataRequirement"] = [data_requirement(fact) for fact in result.missing]
    response["note"] = [{"text": guideline.disclaimer}]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"{BASE}/RequestGroup/{group['id']}", "resource": group},
            {"fullUrl": f"{BASE}/GuidanceResponse/{response['id']}", "resource": response},
        ],
    }


def _filter(path: str, codes: list[tuple[str, str]]) -> dict[str, Any]:
    return {"path": path, "code": [{"system": system, "code": code} for system, code in codes]}


def _rrall(code: str) -> dict[str, Any]:
    return {"type": "Observation", "codeFilter": [_filter("code", [(c.RRALL, code)])]}


def _medications(tki: bool) -> list[tuple[str, str]]:
    tkis = {member.value for member in TKI}
    return [(c.RXNORM, d.rxnorm) for d in DRUGS if d.rxnorm and (d.name in tkis) == tki]


def data_requirement(fact: str) -> dict[str, Any]:
    """The FHIR data that would state ``fact``: resource type and codes, as the reader reads them."""
    diagnoses = sorted(c.DIAGNOSES)
    requirements: dict[str, dict[str, Any]] = {
        "age": {"type": "Patient", "mustSupport": ["birthDate"]},
        "lineage": {
            "type": "Condition",
            "codeFilter": [_filter("code", [k for k in diagnoses if c.DIAGNOSES[k].lineage])],
        },
        "ph": {
            "type": "Observation",
            "codeFilter": [
                _filter(
                    "code", [(c.LOINC, code) for code in (*c.PH_TESTS, c.VARIANT_ASSESSMENT, c.KARYOTYPE)]
                )
            ],
        },
        "status": {
            "type": "Condition",
            "codeFilter": [
                _filter(
                    "clinicalStatus", [(c.CONDITION_CLINICAL, k) for k in sorted(c.RELAPSED_CLINICAL_STATUS)]
                )
            ],
        },
        "relapses": _rrall("relapses"),
        "prior_therapies": _rrall("prior-therapies"),
        "cd20": {
            "type": "Observation",
            "codeFilter": [_filter("code", [(c.LOINC, code) for code in c.CD20_TESTS])],
        },
        "tkis_received": {
            "type": "MedicationRequest",
            "codeFilter": [_filter("medication", _medications(True))],
        },
        "tkis_failed": {
            "type": "MedicationRequest",
            "codeFilter": [
                _filter("medication", _medications(True)),
                _filter("statusReason", [c.TKI_FAILED_REASON]),
            ],
        },
        "induction_drugs": {
            "type": "MedicationAdministration",
            "codeFilter": [_filter("medication", _medications(False))],
        },
    }
    requirement = dict(requirements[fact])
    requirement["extension"] = [{"url": f"{BASE}/StructureDefinition/fact", "valueCode": fact}]
    return requirement
