"""The codes the FHIR reader reads, by fact: R/R ALL-specific, each confirmed from a source (docs/fhir.md)."""

from __future__ import annotations

from attrs import frozen

from ..rr_all._drugs import RXNORM

__all__ = [
    "CD20_TESTS",
    "CD20_TEXT_TESTS",
    "CONDITION_CLINICAL",
    "DIAGNOSES",
    "GENE_STUDIED",
    "HGNC",
    "HISTOLOGY_EXTENSION",
    "ICD10CM",
    "ICDO3",
    "INTERPRETATION",
    "KARYOTYPE",
    "LOINC",
    "NEGATIVE_ANSWERS",
    "NEGATIVE_INTERPRETATIONS",
    "PH_GENES",
    "PH_TESTS",
    "POSITIVE_ANSWERS",
    "POSITIVE_INTERPRETATIONS",
    "RELAPSED_CLINICAL_STATUS",
    "RRALL",
    "RRALL_FACTS",
    "RXNORM",
    "SNOMED",
    "TKI_FAILED_REASON",
    "TKI_INTOLERANCE_REASON",
    "VARIANT_ASSESSMENT",
    "Diagnosis",
]

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
HGNC = "http://www.genenames.org"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
HISTOLOGY_EXTENSION = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior"

RRALL = "urn:rrall:fhir:CodeSystem:facts"
"""rrall's own code system, for the facts no FHIR or mCODE element states (docs/fhir.md)."""

RRALL_FACTS = {
    "relapses": "relapses",
    "prior-therapies": "prior_therapies",
    "disease-status": "status",
    "no-tki-received": "tkis_received",
    "no-tki-failed": "tkis_failed",
    "no-induction-drugs": "induction_drugs",
}
"""rrall's Observation codes and the fact each states."""


@frozen
class Diagnosis:
    """What one diagnosis code says: ALL or not, lineage, and Ph status (None: the code does not say)."""

    display: str
    all: bool = True
    lineage: str | None = None
    ph: str | None = None
    ph_note: str | None = None
    relapsed: bool = False


DIAGNOSES = {
    (ICDO3, "9811/3"): Diagnosis("B lymphoblastic leukemia/lymphoma, NOS", lineage="B"),
    (ICDO3, "9812/3"): Diagnosis(
        "B lymphoblastic leukemia/lymphoma with t(9;22)(q34.1;q11.2); BCR-ABL1", lineage="B", ph="positive"
    ),
    (ICDO3, "9837/3"): Diagnosis("T lymphoblastic leukemia/lymphoma", lineage="T"),
    (ICDO3, "9806/3"): Diagnosis(
        "Mixed phenotype acute leukemia with t(9;22)(q34.1;q11.2); BCR-ABL1", all=False
    ),
    (SNOMED, "277571004"): Diagnosis("B-cell acute lymphoblastic leukemia", lineage="B"),
    (SNOMED, "1162660006"): Diagnosis("B lymphoblastic leukemia/lymphoma", lineage="B"),
    (SNOMED, "450950002"): Diagnosis(
        "B-lymphoblastic leukemia/lymphoma with BCR::ABL1 fusion", lineage="B", ph="positive"
    ),
    (SNOMED, "783744003"): Diagnosis(
        "B-lymphoblastic leukemia/lymphoma with BCR::ABL1-like features",
        lineage="B",
        ph_note="Ph-like disease (SNOMED 783744003) is not Ph-positive; Ph status comes from a BCR-ABL1 test",
    ),
    (SNOMED, "397348006"): Diagnosis("T lymphoblastic leukemia/lymphoma", lineage="T"),
    (SNOMED, "450914009"): Diagnosis("Mixed phenotype acute leukemia with BCR::ABL1 fusion", all=False),
    (ICD10CM, "C91.02"): Diagnosis("Acute lymphoblastic leukemia, in relapse", relapsed=True),
}
"""Diagnosis codes, in Condition.code or mCODE's histology-morphology-behavior extension."""

RELAPSED_CLINICAL_STATUS = frozenset({"relapse", "recurrence"})

PH_TESTS = {
    "21821-4": "t(9;22) BCR-ABL1 fusion transcript [Presence] by molecular genetics",
    "21822-2": "t(9;22) BCR-ABL1 fusion transcript major break points [Presence]",
    "21823-0": "t(9;22) BCR-ABL1 fusion transcript minor break points [Presence]",
    "51867-0": "t(9;22) BCR-ABL1 fusion transcript by FISH",
}
"""LOINC codes of BCR-ABL1 tests read for Ph status."""

VARIANT_ASSESSMENT = "69548-6"
GENE_STUDIED = "48018-6"
PH_GENES = frozenset({"HGNC:1014", "HGNC:76"})  # BCR, ABL1
KARYOTYPE = "62356-1"

CD20_TESTS = {
    "51115-4": "CD20 blasts/100 blasts in Bone marrow",
    "13842-0": "CD20 blasts/100 blasts in Blood",
    "51116-2": "CD20 blasts/100 blasts in Unspecified specimen",
    "10438-0": "CD20 Ag [Presence] in Tissue by Immune stain",
}
CD20_TEXT_TESTS = {"101119-6": "Leukemia and lymphoma immunophenotyping (free text)"}

POSITIVE_ANSWERS = frozenset({(LOINC, "LA9633-4"), (SNOMED, "10828004"), (SNOMED, "260373001")})
NEGATIVE_ANSWERS = frozenset({(LOINC, "LA9634-2"), (SNOMED, "260385009"), (SNOMED, "260415000")})
POSITIVE_INTERPRETATIONS = frozenset({(INTERPRETATION, "POS")}) | POSITIVE_ANSWERS
NEGATIVE_INTERPRETATIONS = frozenset({(INTERPRETATION, "NEG")}) | NEGATIVE_ANSWERS

TKI_FAILED_REASON = (SNOMED, "266721009")  # No response to treatment (situation)
TKI_INTOLERANCE_REASON = (SNOMED, "407563006")  # Treatment not tolerated (situation)
