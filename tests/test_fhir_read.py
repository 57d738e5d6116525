"""The FHIR reader on edge cases: conflicts, unmapped data, brand codes, intolerance, bad FHIR."""

from __future__ import annotations

import datetime
import json

import pytest

from fhir_fixtures import (
    HGNC,
    ICD10CM,
    ICDO3,
    LNC,
    SCT,
    administration,
    b_all,
    bcr_abl1,
    bundle,
    concept,
    condition,
    medication_request,
    observation,
    patient,
    rrall,
    rxnorm,
    t_all,
)
from rrall import Patient
from rrall.fhir import InvalidFhir, read_bundle

AS_OF = datetime.date(2026, 6, 1)


def read(*resources: dict[str, object], **options: object) -> object:
    return read_bundle(bundle(*resources), as_of=AS_OF, **options)  # type: ignore[arg-type]


# -- Conflicts never pick a winner ----------------------------------------------


def test_two_bcr_abl1_results_that_disagree_leave_ph_unknown_with_both_sources() -> None:
    reading = read(patient(), b_all(), bcr_abl1("pcr-1", present=True), bcr_abl1("pcr-2", present=False))
    ph = reading.fact("ph")
    assert reading.patient.ph is None
    assert ph.status == "conflict"
    assert {str(s) for s in ph.sources} == {
        "Observation/pcr-1.valueCodeableConcept",
        "Observation/pcr-2.valueCodeableConcept",
    }
    assert "Observation/pcr-1" in ph.reason
    assert "Observation/pcr-2" in ph.reason


def test_a_b_all_and_a_t_all_diagnosis_in_one_record_leave_lineage_unknown() -> None:
    reading = read(patient(), b_all("c1"), t_all("c2"))
    assert reading.patient.lineage is None
    assert reading.fact("lineage").status == "conflict"
    assert {s.resource for s in reading.fact("lineage").sources} == {"Condition/c1", "Condition/c2"}


def test_a_ph_positive_diagnosis_and_a_negative_test_conflict() -> None:
    reading = read(patient(), condition("c1", concept(ICDO3, "9812/3")), bcr_abl1("pcr", present=False))
    assert reading.patient.ph is None
    assert reading.fact("ph").status == "conflict"
    assert reading.patient.lineage == "B"


def test_relapsed_with_no_relapse_counted_is_a_conflict_not_an_error() -> None:
    reading = read(patient(), b_all(clinical="relapse"), rrall("r", "relapses", valueInteger=0))
    assert reading.patient.status is None
    assert reading.patient.relapses is None
    assert reading.fact("relapses").status == "conflict"
    assert reading.fact("status").status == "conflict"


# -- Diagnosis codes: lineage, Ph, scope -------------------------------------------


@pytest.mark.parametrize(
    ("system", "code", "lineage", "ph"),
    [
        (ICDO3, "9811/3", "B", None),
        (ICDO3, "9812/3", "B", "positive"),
        (ICDO3, "9837/3", "T", None),
        (SCT, "277571004", "B", None),
        (SCT, "1162660006", "B", None),
        (SCT, "450950002", "B", "positive"),
        (SCT, "397348006", "T", None),
    ],
)
def test_each_diagnosis_code_gives_its_lineage_and_ph(
    system: str, code: str, lineage: str, ph: str | None
) -> None:
    for resource in (
        condition("c1", concept(system, code)),
        condition("c1", {"text": "ALL"}, histology=concept(system, code)),
    ):
        reading = read(patient(), resource)
        assert (reading.patient.lineage, reading.patient.ph) == (lineage, ph)
        assert reading.scope == "all"


def test_mixed_phenotype_acute_leukemia_is_reported_as_not_all() -> None:
    for code in (concept(ICDO3, "9806/3"), concept(SCT, "450914009")):
        reading = read(patient(), condition("c1", code))
        assert reading.scope == "not-all"
        assert "not ALL" in reading.scope_reason
        assert reading.patient.ph is None
        assert reading.patient.lineage is None


def test_ph_like_disease_is_b_cell_but_not_ph_positive() -> None:
    reading = read(patient(), condition("c1", concept(SCT, "783744003")))
    assert reading.patient.lineage == "B"
    assert reading.patient.ph is None
    assert "not Ph-positive" in reading.fact("ph").reason


def test_a_record_with_no_all_diagnosis_has_unknown_scope_and_lineage() -> None:
    reading = read(patient(), condition("asd", concept(SCT, "301130004", "Atrial septal defect murmur")))
    assert reading.scope == "unknown"
    assert reading.fact("lineage").status == "no-resource"


def test_icd10_c91_02_means_relapsed() -> None:
    reading = read(patient(), condition("c1", concept(ICD10CM, "C91.02"), clinical=None))
    assert reading.patient.status == "relapsed"


def test_an_active_condition_says_neither_relapsed_nor_refractory() -> None:
    reading = read(patient(), b_all(clinical="active"))
    assert reading.patient.status is None
    assert reading.fact("status").status == "not-coded"


def test_refractory_comes_only_from_rralls_own_observation() -> None:
    reading = read(
        patient(),
        b_all(clinical="active"),
        rrall(
            "s",
            "disease-status",
            valueCodeableConcept=concept("urn:rrall:fhir:CodeSystem:facts", "refractory"),
        ),
    )
    assert reading.patient.status == "refractory"


# -- Ph from lab results -------------------------------------------------------------


def test_a_genomic_variant_naming_bcr_and_abl1_gives_ph() -> None:
    genes = [
        {"code": concept(LNC, "48018-6"), "valueCodeableConcept": concept(HGNC, "HGNC:1014", "BCR")},
        {"code": concept(LNC, "48018-6"), "valueCodeableConcept": concept(HGNC, "HGNC:76", "ABL1")},
    ]
    present = observation(
        "gv", concept(LNC, "69548-6"), component=genes, valueCodeableConcept=concept(LNC, "LA9633-4")
    )
    absent = {**present, "valueCodeableConcept": concept(LNC, "LA9634-2")}
    assert read(patient(), present).patient.ph == "positive"
    assert read(patient(), absent).patient.ph == "negative"


def test_a_variant_of_other_genes_says_nothing_of_ph() -> None:
    genes = [{"code": concept(LNC, "48018-6"), "valueCodeableConcept": concept(HGNC, "HGNC:3495", "ETV6")}]
    variant = observation(
        "gv", concept(LNC, "69548-6"), component=genes, valueCodeableConcept=concept(LNC, "LA9633-4")
    )
    assert read(patient(), variant).fact("ph").status == "no-resource"


def test_a_karyotype_with_t_9_22_is_ph_positive_and_one_without_it_is_not_negative() -> None:
    with_it = observation("k", concept(LNC, "62356-1"), valueString="46,XY,t(9;22)(q34;q11.2)[20]")
    without = observation("k", concept(LNC, "62356-1"), valueString="46,XY[20]")
    assert read(patient(), with_it).patient.ph == "positive"
    assert read(patient(), without).patient.ph is None
    assert read(patient(), without).fact("ph").status == "not-coded"


@pytest.mark.parametrize(
    ("system", "code", "ph"),
    [
        (SCT, "10828004", "positive"),
        (SCT, "260385009", "negative"),
        (SCT, "260373001", "positive"),
        (SCT, "260415000", "negative"),
    ],
)
def test_snomed_answers_give_ph(system: str, code: str, ph: str) -> None:
    assert (
        read(
            patient(), observation("o", concept(LNC, "21821-4"), valueCodeableConcept=concept(system, code))
        ).patient.ph
        == ph
    )


def test_a_quantitative_result_with_no_interpretation_stays_unknown() -> None:
    quantity = observation("q", concept(LNC, "21821-4"), valueQuantity={"value": 0.02, "unit": "%"})
    reading = read(patient(), quantity)
    assert reading.patient.ph is None
    assert reading.fact("ph").status == "not-coded"
    with_interpretation = {
        **quantity,
        "interpretation": [
            concept("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "POS")
        ],
    }
    assert read(patient(), with_interpretation).patient.ph == "positive"


# -- CD20 --------------------------------------------------------------------------


def test_a_cd20_percentage_alone_needs_the_callers_threshold() -> None:
    percent = observation(
        "cd20", concept(LNC, "51115-4"), valueQuantity={"value": 30, "unit": "%", "code": "%"}
    )
    assert read(patient(), percent).patient.cd20 is None
    assert "threshold" in read(patient(), percent).fact("cd20").reason
    assert read(patient(), percent, cd20_threshold=20.0).patient.cd20 == "positive"
    assert read(patient(), percent, cd20_threshold=40.0).patient.cd20 == "negative"


def test_free_text_immunophenotype_leaves_cd20_unknown() -> None:
    text = observation(
        "ip", concept(LNC, "101119-6"), valueString="positive for CD10, CD79a, TdT, CD19, and CD20"
    )
    reading = read(patient(), text)
    assert reading.patient.cd20 is None
    assert reading.fact("cd20").status == "not-coded"


# -- Age -----------------------------------------------------------------------------


def test_age_is_worked_out_on_the_as_of_date() -> None:
    record = bundle(patient("1980-06-02"))
    assert read_bundle(record, as_of=datetime.date(2026, 6, 1)).patient.age == 45
    assert read_bundle(record, as_of=datetime.date(2026, 6, 2)).patient.age == 46


def test_a_missing_birth_date_leaves_age_unknown_with_the_reason() -> None:
    reading = read(patient(None), b_all())
    assert reading.patient.age is None
    assert reading.fact("age").reason == "the Patient has no birthDate"


def test_a_birth_year_alone_gives_an_age_only_when_it_cannot_be_two() -> None:
    assert read(patient("1980")).patient.age is None
    assert read(patient("1980-05")).patient.age == 46


def test_a_record_with_no_patient_resource_has_age_unknown() -> None:
    reading = read(b_all())
    assert reading.patient.age is None
    assert reading.fact("age").status == "no-resource"


# -- Medications ---------------------------------------------------------------------


def test_brand_and_product_codes_roll_up_to_their_ingredient() -> None:
    reading = read(
        patient(),
        medication_request("a", rxnorm("643170", "Sprycel")),
        medication_request("b", rxnorm("282386")),
    )
    assert reading.patient.tkis_received == ("imatinib", "dasatinib")
    assert {m.match.drug for m in reading.medications} == {"imatinib", "dasatinib"}
    assert any("rolled up" in m.match.how for m in reading.medications)


def test_names_brands_and_abbreviations_are_read_and_reported() -> None:
    reading = read(
        patient(),
        administration("a", {"text": "ara-C 100 mg/m2"}),
        administration("b", {"text": "VCR"}),
        administration("c", {"text": "Oncovin"}),
        medication_request("d", {"text": "Iclusig 45 mg"}),
    )
    assert reading.patient.induction_drugs == ("cytarabine", "vincristine")
    assert reading.patient.tkis_received == ("ponatinib",)
    assert {m.match.text: m.match.drug for m in reading.medications}["ara-C 100 mg/m2"] == "cytarabine"


def test_an_unrecognised_drug_name_is_a_warning_not_a_fact() -> None:
    reading = read(
        patient(), administration("a", {"text": "ondansetron 8 mg"}), administration("b", rxnorm("11202"))
    )
    assert reading.patient.induction_drugs == ("vincristine",)
    assert any("ondansetron" in warning for warning in reading.warnings)


def test_a_tki_not_tolerated_was_received_but_did_not_fail() -> None:
    reading = read(patient(), medication_request("i", rxnorm("282388"), status="stopped", reason="407563006"))
    assert reading.patient.tkis_received == ("imatinib",)
    assert reading.patient.tkis_failed == ()


def test_a_tki_with_no_response_failed() -> None:
    reading = read(patient(), medication_request("i", rxnorm("282388"), status="stopped", reason="266721009"))
    assert reading.patient.tkis_failed == ("imatinib",)
    assert [str(s) for s in reading.fact("tkis_failed").sources] == ["MedicationRequest/i.status"]


def test_a_tki_stopped_without_a_reason_leaves_failures_unknown() -> None:
    reading = read(patient(), medication_request("i", rxnorm("282388"), status="stopped"))
    assert reading.patient.tkis_received == ("imatinib",)
    assert reading.patient.tkis_failed is None
    assert reading.fact("tkis_failed").status == "not-coded"


def test_a_medication_statement_and_a_medication_resource_are_read() -> None:
    statement = {
        "resourceType": "MedicationStatement",
        "id": "s",
        "status": "stopped",
        "statusReason": [concept(SCT, "266721009")],
        "medicationReference": {"reference": "Medication/m"},
        "subject": {"reference": "Patient/p1"},
    }
    medication = {"resourceType": "Medication", "id": "m", "code": rxnorm("475342", "dasatinib")}
    reading = read(patient(), statement, medication)
    assert reading.patient.tkis_failed == ("dasatinib",)


def test_voided_and_proposed_orders_are_not_drugs_given() -> None:
    voided = medication_request("i", rxnorm("282388"), status="entered-in-error")
    proposed = {**medication_request("d", rxnorm("475342")), "intent": "proposal"}
    assert read(patient(), voided, proposed).patient.tkis_received is None


def test_no_tki_resource_leaves_tkis_unknown_never_none() -> None:
    reading = read(patient(), b_all())
    assert reading.patient.tkis_received is None
    assert reading.fact("tkis_received").status == "no-resource"


def test_rralls_own_observations_state_counts_and_nones() -> None:
    reading = read(
        patient(),
        rrall("a", "relapses", valueInteger=2),
        rrall("b", "prior-therapies", valueInteger=3),
        rrall("c", "no-tki-received", valueBoolean=True),
        rrall("d", "no-induction-drugs", valueBoolean=True),
    )
    assert reading.patient == Patient(
        age=46, relapses=2, prior_therapies=3, tkis_received=[], tkis_failed=[], induction_drugs=[]
    )


def test_unmapped_data_is_no_error() -> None:
    hemoglobin = observation("hgb", concept(LNC, "718-7"), valueQuantity={"value": 6.7, "unit": "g/dL"})
    procedure = {
        "resourceType": "Procedure",
        "id": "bm",
        "status": "completed",
        "subject": {"reference": "Patient/p1"},
    }
    reading = read(patient(), hemoglobin, procedure)
    assert reading.patient == Patient(age=46)


def test_input_may_be_json_text_or_bytes() -> None:
    text = json.dumps(bundle(patient()))
    assert read_bundle(text, as_of=AS_OF).patient.age == 46
    assert read_bundle(text.encode(), as_of=AS_OF).patient.age == 46


# -- Bad FHIR names the resource and the element ---------------------------------------


@pytest.mark.parametrize(
    ("record", "resource", "element"),
    [
        ([], "input", ""),
        ({"resourceType": "Patient", "id": "p1"}, "input", "resourceType"),
        ({"resourceType": "Bundle", "type": "transaction", "entry": []}, "Bundle at ", "type"),
        ({"resourceType": "Bundle", "type": "collection", "entry": [{}]}, "Bundle at ", "entry[0].resource"),
        (
            {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"id": "x"}}]},
            "entry[0].resource",
            "resourceType",
        ),
        (
            bundle(
                patient(),
                {
                    "resourceType": "Observation",
                    "id": "o",
                    "status": "final",
                    "subject": {"reference": "Patient/p1"},
                },
            ),
            "Observation/o",
            "code",
        ),
        (
            bundle(
                patient(),
                {
                    "resourceType": "MedicationRequest",
                    "id": "m",
                    "status": "active",
                    "intent": "order",
                    "subject": {"reference": "Patient/p1"},
                    "medicationReference": {"reference": "Medication/gone"},
                },
            ),
            "MedicationRequest/m",
            "medicationReference",
        ),
        (
            bundle(patient(), {**b_all(), "subject": {"reference": "Patient/other"}}),
            "Condition/c1",
            "subject",
        ),
        (bundle(patient(), patient(pid="p2")), "Patient/p2", ""),
        (bundle(patient("1 May 1980")), "Patient/p1", "birthDate"),
    ],
)
def test_bad_fhir_raises_invalid_fhir_naming_the_resource_and_element(
    record: object, resource: str, element: str
) -> None:
    with pytest.raises(InvalidFhir) as caught:
        read_bundle(record, as_of=AS_OF)  # type: ignore[arg-type]
    assert caught.value.resource.startswith(resource)
    assert caught.value.element == element
    assert isinstance(caught.value, ValueError)


def test_invalid_json_text_is_invalid_fhir() -> None:
    with pytest.raises(InvalidFhir, match="not valid JSON"):
        read_bundle("{", as_of=AS_OF)


def test_entered_in_error_observations_are_ignored() -> None:
    voided = {**bcr_abl1("pcr", present=True), "status": "entered-in-error"}
    assert read(patient(), voided).patient.ph is None


def test_rralls_no_tki_failed_settles_a_tki_stopped_without_a_reason() -> None:
    stopped = medication_request("i", rxnorm("282388"), status="stopped")
    reading = read(patient(), stopped, rrall("n", "no-tki-failed", valueBoolean=True))
    assert reading.patient.tkis_failed == ()


def test_a_tki_that_failed_contradicts_rralls_no_tki_failed() -> None:
    failed = medication_request("i", rxnorm("282388"), status="stopped", reason="266721009")
    reading = read(patient(), failed, rrall("n", "no-tki-failed", valueBoolean=True))
    assert reading.patient.tkis_failed is None
    assert reading.fact("tkis_failed").status == "conflict"


def test_tkis_received_in_conflict_leave_failures_in_conflict_too() -> None:
    failed = medication_request("i", rxnorm("282388"), status="stopped", reason="266721009")
    reading = read(patient(), failed, rrall("n", "no-tki-received", valueBoolean=True))
    assert reading.fact("tkis_received").status == "conflict"
    assert reading.fact("tkis_failed").status == "conflict"
    assert "in conflict" in reading.fact("tkis_failed").reason
