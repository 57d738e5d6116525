"""The R/R ALL text, encoded: the patient's facts and the guideline graph."""

from ._patient import CD20, PATIENT_SCHEMA, TKI, Lineage, Patient, Ph, Status
from ._source import SOURCE_HEADER, SOURCE_PUBLICATION, SOURCE_TEXT
from .guideline import READINGS, RR_ALL

__all__ = [
    "CD20",
    "PATIENT_SCHEMA",
    "READINGS",
    "RR_ALL",
    "SOURCE_HEADER",
    "SOURCE_PUBLICATION",
    "SOURCE_TEXT",
    "TKI",
    "Lineage",
    "Patient",
    "Ph",
    "Status",
]
