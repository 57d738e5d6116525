"""The prefetch templates: exactly the FHIR data the FHIR reader uses, derived from its codes."""

from __future__ import annotations

from ..fhir._codes import CD20_TESTS, CD20_TEXT_TESTS, KARYOTYPE, LOINC, PH_TESTS, VARIANT_ASSESSMENT

__all__ = ["OBSERVATION_CODES", "PREFETCH"]

#: The Observation codes the FHIR reader reads (Ph tests, BCR-ABL1 variant, karyotype, CD20), in its order.
OBSERVATION_CODES = tuple(
    (LOINC, code) for code in (*PH_TESTS, VARIANT_ASSESSMENT, KARYOTYPE, *CD20_TESTS, *CD20_TEXT_TESTS)
)


def _templates() -> dict[str, str]:
    codes = ",".join(f"{system}|{code}" for system, code in OBSERVATION_CODES)
    patient = "{{context.patientId}}"
    return {
        "patient": f"Patient/{patient}",
        "conditions": f"Condition?patient={patient}",
        "observations": f"Observation?patient={patient}&code={codes}",
        "medicationRequests": f"MedicationRequest?patient={patient}",
        "medicationAdministrations": f"MedicationAdministration?patient={patient}",
        "medicationStatements": f"MedicationStatement?patient={patient}",
    }


#: Prefetch key -> FHIR query template, as discovery lists them.
PREFETCH = _templates()
