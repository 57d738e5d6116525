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
- `read_record` (``data, *, as_of=None, cd20_threshold=None``) -> ``(Patient, FhirReading | None)``:
  the command line's hook: a FHIR record (by its ``resourceType``, or a
  prefetch object) is read as FHIR, anything else as rrall's patient JSON.

- `walk_bundle` (``result, reading=None``): a walk as a FHIR Bundle holding a
  RequestGroup (intent proposal, one action per option) and a GuidanceResponse
  (``success`` or ``data-required``); `plan_bundle` (``guideline=RR_ALL``): the
  text as CPG-on-FHIR PlanDefinitions (``rrall export --format fhir``).
- `validate` (``resource``): checks any resource dict (e.g. rrall's output)
  with fhir.resources' R4B models; `InvalidFhir` on the first problem.

The mapping (codes, systems, sources) is in docs/fhir.md. Reading needs no
extra dependency; `validate` uses fhir.resources (the ``fhir`` extra),
imported only when called.
"""

from __future__ import annotations

import datetime

from ._model import FactReading, FhirReading, InvalidFhir, MedicationMatch, Source
from ._plan import plan_bundle
from ._read import read_bundle
from ._validate import validate
from ._write import walk_bundle

__all__ = [
    "FactReading",
    "FhirReading",
    "InvalidFhir",
    "MedicationMatch",
    "Source",
    "is_fhir",
    "plan_bundle",
    "read_bundle",
    "read_record",
    "validate",
    "walk_bundle",
]


def is_fhir(data: object) -> bool:
    """Whether parsed JSON ``data`` is FHIR: a resource, a CDS Hooks request or prefetch."""
    if not isinstance(data, dict):
        return False
    if "resourceType" in data or ("hook" in data and "prefetch" in data):
        return True
    # A prefetch object: key -> resource, Bundle or null (no patient-JSON value is a resource).
    values = list(data.values())
    resources = [v for v in values if isinstance(v, dict) and "resourceType" in v]
    return bool(resources) and all(v is None or v in resources for v in values)


def read_record(
    data: object, *, as_of: datetime.date | None = None, cd20_threshold: float | None = None
) -> tuple[object, FhirReading | None]:
    """The command line's hook: ``(patient, reading)`` for FHIR ``data``, ``(data, None)`` otherwise.

    ``data`` is one parsed JSON object. A FHIR record is read with
    `read_bundle` (`InvalidFhir` on bad FHIR); anything else is returned as
    given, for the caller to read as rrall's patient JSON. ``as_of`` and
    ``cd20_threshold`` are `read_bundle`'s.
    """
    if not is_fhir(data):
        return data, None
    reading = read_bundle(data, as_of=as_of, cd20_threshold=cd20_threshold)  # type: ignore[arg-type]
    return reading.patient, reading
