"""Every leaf of the text, reached from a FHIR record, gives the options of the patient it encodes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from fhir_fixtures import (
    LNC,
    SCT,
    administration,
    b_all,
    bcr_abl1,
    bundle,
    cd20,
    concept,
    condition,
    medication_request,
    patient,
    rrall,
    rxnorm,
    t_all,
)
from rrall import RR_ALL, Patient, walk
from rrall.fhir import read_bundle

AS_OF = datetime.date(2026, 6, 1)


def ph_negative_b_adult_cd20_positive() -> dict[str, Any]:
    return bundle(
        patient("1980-05-01"),
        b_all(),
        bcr_abl1("pcr", present=False),
        cd20("cd20", positive=True),
        rrall("relapses", "relapses", valueInteger=2),
        administration("vcr", rxnorm("11202", "vincristine")),
    )


def ph_negative_b_young_cd20_negative() -> dict[str, Any]:
    return bundle(
        patient("2005-09-30"),
        condition("c1", concept(SCT, "1162660006"), clinical="recurrence"),
        bcr_abl1("fish", present=False, loinc="51867-0"),
        cd20("cd20", positive=False),
    )


def ph_negative_t_cell() -> dict[str, Any]:
    return bundle(patient("1990-01-15"), t_all(), bcr_abl1("pcr", present=False))


def ph_positive_imatinib_received() -> dict[str, Any]:
    return bundle(
        patient("1975-11-11"),
        condition("c1", concept(SCT, "450950002"), clinical="relapse"),
        medication_request("imatinib", rxnorm("282386", "Gleevec"), status="completed"),
    )


def ph_positive_two_tkis_intolerant() -> dict[str, Any]:
    return bundle(
        patient("1975-11-11"),
        b_all(),
        bcr_abl1("pcr", present=True, loinc="21823-0"),
        medication_request("imatinib", rxnorm("403879"), status="stopped", reason="407563006"),
        medication_request("dasatinib", rxnorm("643170", "Sprycel"), status="stopped", reason="407563006"),
    )


def ph_positive_two_tkis_failed() -> dict[str, Any]:
    return bundle(
        patient("1960-02-29"),
        b_all(),
        bcr_abl1("pcr", present=True, loinc="21822-2"),
        medication_request("imatinib", rxnorm("282388"), status="stopped", reason="266721009"),
        medication_request("dasatinib", rxnorm("1045402"), status="stopped", reason="266721009"),
        rrall("relapses", "relapses", valueInteger=1),
    )


BUNDLES: dict[str, tuple[Callable[[], dict[str, Any]], Patient]] = {
    "ph-negative B-cell adult, CD20+, 2 relapses": (
        ph_negative_b_adult_cd20_positive,
        Patient(
            age=46,
            lineage="B",
            ph="negative",
            status="relapsed",
            relapses=2,
            cd20="positive",
            induction_drugs=["vincristine"],
        ),
    ),
    "ph-negative B-cell, 20, CD20-": (
        ph_negative_b_young_cd20_negative,
        Patient(age=20, lineage="B", ph="negative", status="relapsed", cd20="negative"),
    ),
    "ph-negative T-cell": (
        ph_negative_t_cell,
        Patient(age=36, lineage="T", ph="negative", status="relapsed"),
    ),
    "ph-positive, imatinib received": (
        ph_positive_imatinib_received,
        Patient(
            age=50, lineage="B", ph="positive", status="relapsed", tkis_received=["imatinib"], tkis_failed=[]
        ),
    ),
    "ph-positive, two TKIs not tolerated": (
        ph_positive_two_tkis_intolerant,
        Patient(
            age=50,
            lineage="B",
            ph="positive",
            status="relapsed",
            tkis_received=["imatinib", "dasatinib"],
            tkis_failed=[],
        ),
    ),
    "ph-positive, two TKIs failed": (
        ph_positive_two_tkis_failed,
        Patient(
            age=66,
            lineage="B",
            ph="positive",
            status="relapsed",
            relapses=1,
            tkis_received=["imatinib", "dasatinib"],
            tkis_failed=["imatinib", "dasatinib"],
        ),
    ),
}

#: The record that reaches each leaf.
REACHES = {
    "blinatumomab": "ph-negative B-cell adult, CD20+, 2 relapses",
    "inotuzumab-ozogamicin": "ph-negative B-cell adult, CD20+, 2 relapses",
    "tisagenlecleucel": "ph-negative B-cell, 20, CD20-",
    "inotuzumab-mini-hyper-cvd": "ph-negative B-cell, 20, CD20-",
    "augmented-hyper-cvad": "ph-negative T-cell",
    "mopad": "ph-negative B-cell, 20, CD20-",
    "mopad-rituximab": "ph-negative B-cell adult, CD20+, 2 relapses",
    "nelarabine": "ph-negative T-cell",
    "clofarabine": "ph-negative T-cell",
    "vincristine-liposome": "ph-negative B-cell adult, CD20+, 2 relapses",
    "flag-ida": "ph-negative T-cell",
    "flam": "ph-positive, two TKIs failed",
    "cytarabine-regimen": "ph-positive, two TKIs failed",
    "alkylator-regimen": "ph-positive, two TKIs failed",
    "dasatinib": "ph-positive, imatinib received",
    "ponatinib": "ph-positive, two TKIs not tolerated",
    "allogeneic-sct": "ph-negative T-cell",
    "clinical-trial": "ph-positive, imatinib received",
}


def test_every_leaf_of_the_text_has_a_record_that_reaches_it() -> None:
    assert set(REACHES) == {leaf.id for leaf in RR_ALL.leaves}


@pytest.mark.parametrize("name", sorted(BUNDLES))
def test_the_bundle_reads_as_the_patient_it_encodes(name: str) -> None:
    build, expected = BUNDLES[name]
    assert read_bundle(build(), as_of=AS_OF).patient == expected


@pytest.mark.parametrize("name", sorted(BUNDLES))
def test_walking_the_bundle_gives_the_options_of_the_patient_it_encodes(name: str) -> None:
    build, expected = BUNDLES[name]
    assert walk(read_bundle(build(), as_of=AS_OF).patient).option_ids == walk(expected).option_ids


@pytest.mark.parametrize("leaf", sorted(REACHES))
def test_each_leaf_is_offered_to_the_record_that_reaches_it(leaf: str) -> None:
    build, _ = BUNDLES[REACHES[leaf]]
    assert leaf in walk(read_bundle(build(), as_of=AS_OF).patient).option_ids


def test_a_searchset_and_a_cds_hooks_prefetch_read_as_the_same_patient() -> None:
    record = ph_positive_two_tkis_failed()
    searchset = {**record, "type": "searchset"}
    resources = [entry["resource"] for entry in record["entry"]]
    prefetch = {
        "patient": resources[0],
        "conditions": bundle(resources[1], kind="searchset"),
        "labs": bundle(*(r for r in resources if r["resourceType"] == "Observation"), kind="searchset"),
        "medications": bundle(
            *(r for r in resources if r["resourceType"] == "MedicationRequest"), kind="searchset"
        ),
        "procedures": None,
    }
    expected = read_bundle(record, as_of=AS_OF).patient
    assert read_bundle(searchset, as_of=AS_OF).patient == expected
    assert read_bundle(prefetch, as_of=AS_OF).patient == expected
    assert (
        read_bundle({"hook": "patient-view", "context": {}, "prefetch": prefetch}, as_of=AS_OF).patient
        == expected
    )


def test_the_loinc_code_of_the_test_is_the_one_read() -> None:
    reading = read_bundle(ph_positive_two_tkis_failed(), as_of=AS_OF)
    assert [str(source) for source in reading.fact("ph").sources] == ["Observation/pcr.valueCodeableConcept"]
    assert LNC in reading.fact("ph").sources[0].detail
