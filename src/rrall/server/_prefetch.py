"""The prefetch templates: exactly the FHIR data the FHIR reader uses, derived from its codes."""

from __future__ import annotations

from ..fhir._codes import (
    CD20_TESTS,
    CD20_TEXT_TESTS,
    KARYOTYPE,
    LOINC,
    PH_TESTS,
    RRALL,
    RRALL_FACTS,
    VARIANT_ASSESSMENT,
)

__all__ = ["OBSERVATION_CODES", "PREFETCH"]

#: The Observation codes the FHIR reader reads, in its order: the BCR-ABL1 tests, the BCR::ABL1
#: variant, the karyotype and the CD20 tests (LOINC), then rrall's own fact codes.
OBSERVATION_CODES = tuple(
    (LOINC, code) for code in (*PH_TESTS, VARIANT_ASSESSMENT, KARYOTYPE, *CD20_TESTS, *CD20_TEXT_TESTS)
) + tuple((RRALL, code) for code in RRALL_FACTS)


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
