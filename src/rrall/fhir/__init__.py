"""FHIR R4 in and out for the R/R ALL text: read a patient from a Bundle, write results as FHIR.

The stable public API:

- `read_bundle` (``data, *, as_of=None, cd20_threshold=None``) -> `FhirReading`:
  the `rrall.Patient` a Bundle (collection, searchset, an mCODE patient
  bundle) or a CDS Hooks prefetch object describes. Each fact comes with a
  `FactReading`: its value and `Source` list (``Observation/123.valueCodeableConcept``)
  or why it is unknown (``no-resource``, ``not-coded``, ``conflict`` with
  every source). `FhirReading.scope` says whether the record is ALL at all
  (``not-all`` e.g. for mixed-phenotype acute leukemia); ``warnings`` lists
  unrecognised drug names. Nothing is ever defaulted or guessed.
- `InvalidFhir` (a ``ValueError``): bad FHIR, naming the resource and element.
- `read_record` (``data: object, *, as_of=None``) -> ``(Patient, FhirReading | None)``:
  the command line's hook: a FHIR record (by its ``resourceType``, or a
  prefetch object) is read as FHIR, anything else as rrall's patient JSON.

The mapping (codes, systems, sources) is in docs/fhir.md. Reading needs no
extra dependency; validating output (tests, `validate`) uses fhir.resources
(the ``fhir`` extra), imported only when called.
"""

from __future__ import annotations

import datetime

from ._model import FactReading, FhirReading, InvalidFhir, MedicationMatch, Source
from ._read import read_bundle

__all__ = [
    "FactReading",
    "FhirReading",
    "InvalidFhir",
    "MedicationMatch",
    "Source",
    "is_fhir",
    "read_bundle",
    "read_record",
]


def is_fhir(data: object) -> bool:
    """Whether parsed JSON ``data`` is FHIR: a resource (by ``resourceType``) or a CDS Hooks request."""
    if not isinstance(data, dict):
        return False
    return "resourceType" in data or ("hook" in data and "prefetch" in data)


def read_record(data: object, *, as_of: datetime.date | None = None) -> tuple[object, FhirReading | None]:
    """The command line's hook: ``(patient, reading)`` for FHIR ``data``, ``(data, None)`` otherwise.

    ``data`` is one parsed JSON object. A FHIR record is read with
    `read_bundle` (`InvalidFhir` on bad FHIR); anything else is returned as
    given, for the caller to read as rrall's patient JSON.
    """
    if not is_fhir(data):
        return data, None
    reading = read_bundle(data, as_of=as_of)  # type: ignore[arg-type]
    return reading.patient, reading
