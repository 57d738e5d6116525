"""Properties of the FHIR reader over `rrall.testing.fhir_records`: any patient, in any of its FHIR shapes."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rrall import walk
from rrall.fhir import read_bundle
from rrall.testing import FhirCase, fhir_records

MEDICATION_FACTS = ("tkis_received", "tkis_failed", "induction_drugs")
MEDICATIONS = ("MedicationRequest", "MedicationAdministration", "MedicationStatement")


def _without(record: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    """The record with one resource taken out, wherever it sits (entry, prefetch key or prefetch Bundle)."""
    record = copy.deepcopy(record)
    if record.get("resourceType") == "Bundle":
        record["entry"] = [e for e in record["entry"] if e["resource"] != resource]
        return record
    for key, value in record.items():
        if value == resource:
            record[key] = None
        elif isinstance(value, dict) and value.get("resourceType") == "Bundle":
            value["entry"] = [e for e in value["entry"] if e["resource"] != resource]
    return record


@given(fhir_records())
def test_reading_a_patients_fhir_record_gives_the_same_patient(case: FhirCase) -> None:
    assert read_bundle(case.record, as_of=case.as_of).patient == case.patient


@given(fhir_records())
def test_walking_a_fhir_record_gives_the_options_of_the_patient_it_encodes(case: FhirCase) -> None:
    assert walk(read_bundle(case.record, as_of=case.as_of).patient) == walk(case.patient)


@given(fhir_records(), st.data())
def test_removing_a_resource_only_makes_facts_unknown(case: FhirCase, data: st.DataObject) -> None:
    """Refinement: every fact read without the resource is the same or unknown. A medication
    resource is the one exception: the drugs it named leave the medication lists (docs/fhir.md)."""
    if not case.resources:
        return
    resource = data.draw(st.sampled_from(case.resources))
    before = read_bundle(case.record, as_of=case.as_of).patient
    after = read_bundle(_without(case.record, resource), as_of=case.as_of).patient
    medication = resource["resourceType"] in MEDICATIONS
    for fact in before.known:
        now = getattr(after, fact)
        if medication and fact in MEDICATION_FACTS:
            assert now is None or set(now) <= set(getattr(before, fact))
        else:
            assert now in (None, getattr(before, fact)), f"{fact} changed when {resource['id']} was removed"
    # Taking out the one TKI stopped without a reason settles the others' failures.
    assert set(after.known) - set(before.known) <= ({"tkis_failed"} if medication else set())
