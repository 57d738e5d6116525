"""FHIR out: the guideline as CPG-on-FHIR PlanDefinitions and a walk as RequestGroup + GuidanceResponse.

Every output is validated with fhir.resources' R4B models; the FHIRPath
conditions are evaluated with fhirpathpy against the walk.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import fhirpathpy
import pytest
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given

from fhir_fixtures import b_all, bcr_abl1, bundle, patient
from helpers import run
from rrall import RR_ALL, Patient, walk
from rrall.fhir import read_bundle
from rrall.fhir._plan import plan_bundle
from rrall.fhir._write import data_requirement, walk_bundle
from rrall.rr_all import SOURCE_TEXT
from rrall.testing import partial_patients, patients

PLANS = plan_bundle(RR_ALL)
RECOMMENDATIONS = {e["resource"]["action"][0]["id"]: e["resource"] for e in PLANS["entry"][1:]}


def _resources(bundle_: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle_["entry"] if e["resource"]["resourceType"] == kind]


def test_the_export_is_a_valid_r4_bundle_of_plan_definitions() -> None:
    Bundle.model_validate(PLANS)
    assert {e["resource"]["resourceType"] for e in PLANS["entry"]} == {"PlanDefinition"}


def test_the_strategy_covers_the_whole_text_and_points_to_one_recommendation_per_option() -> None:
    strategy = PLANS["entry"][0]["resource"]
    assert strategy["type"]["coding"][0]["code"] == "workflow-definition"
    assert strategy["meta"]["profile"] == [
        "http://hl7.org/fhir/uv/cpg/StructureDefinition/cpg-strategydefinition"
    ]
    assert [a["id"] for a in strategy["action"]] == [leaf.id for leaf in RR_ALL.leaves]
    assert [a["definitionCanonical"] for a in strategy["action"]] == [
        r["url"] for r in RECOMMENDATIONS.values()
    ]
    assert all(a["code"][0]["coding"][0]["code"] == "guideline-based-care" for a in strategy["action"])


def test_each_recommendation_is_an_eca_rule_citing_the_text_verbatim() -> None:
    for leaf in RR_ALL.leaves:
        plan = RECOMMENDATIONS[leaf.id]
        assert plan["type"]["coding"][0]["code"] == "eca-rule"
        citations = [d["citation"] for d in plan["action"][0]["documentation"]]
        assert set(leaf.quotes) <= set(citations)
        assert all(citation in SOURCE_TEXT for citation in citations)


def test_the_interpretation_readings_go_with_the_strategy_and_the_recommendations_they_touch() -> None:
    strategy = PLANS["entry"][0]["resource"]
    assert [a["label"] for a in strategy["relatedArtifact"][1:]] == [r.id for r in RR_ALL.readings]
    labels = {a.get("label") for a in RECOMMENDATIONS["vincristine-liposome"]["relatedArtifact"]}
    assert {"R4", "R5", "R9"} <= labels


def _offered(plan: dict[str, Any], facts: dict[str, object]) -> bool:
    action = plan["action"][0]
    return all(
        fhirpathpy.evaluate({}, condition["expression"]["expression"], facts) == [True]
        for condition in action.get("condition", [])
    )


@given(patients())
def test_the_fhirpath_conditions_offer_exactly_what_the_walk_offers(patient: Patient) -> None:
    facts = patient.to_dict()
    offered = set(walk(patient).option_ids)
    assert {leaf for leaf, plan in RECOMMENDATIONS.items() if _offered(plan, facts)} == offered


def test_each_condition_is_also_given_in_words() -> None:
    condition = RECOMMENDATIONS["tisagenlecleucel"]["action"][0]["condition"][0]
    assert condition["expression"]["language"] == "text/fhirpath"
    assert "age ≤ 25" in condition["expression"]["description"]


# -- rrall walk --format fhir ------------------------------------------------------


@given(partial_patients())
def test_a_walk_as_fhir_is_valid_with_one_action_per_option_and_one_requirement_per_missing_fact(
    patient: Patient,
) -> None:
    result = walk(patient)
    out = walk_bundle(result)
    Bundle.model_validate(out)
    (group,) = _resources(out, "RequestGroup")
    (response,) = _resources(out, "GuidanceResponse")
    assert group["intent"] == "proposal"
    assert [a["id"] for a in group["action"]] == list(result.option_ids)
    assert not {e.id for e in result.excluded} & {a["id"] for a in group["action"]}
    assert response["status"] == ("data-required" if result.missing else "success")
    requirements = response.get("dataRequirement", [])
    assert [r["extension"][0]["valueCode"] for r in requirements] == list(result.missing)


def test_a_conditional_option_carries_its_condition_and_citations() -> None:
    out = walk_bundle(walk(Patient(ph="negative", lineage="B")))
    (group,) = _resources(out, "RequestGroup")
    action = next(a for a in group["action"] if a["id"] == "tisagenlecleucel")
    assert action["condition"][0]["expression"]["expression"] == "%age <= 25"
    assert any(d["type"] == "citation" and d["citation"] in SOURCE_TEXT for d in action["documentation"])


def test_each_data_requirement_asks_for_the_codes_the_reader_reads() -> None:
    # A CD20 test with the first code asked for, valued positive, is read as CD20-positive.
    code = data_requirement("cd20")["codeFilter"][0]["code"][0]
    observation = {
        "resourceType": "Observation",
        "id": "o",
        "status": "final",
        "subject": {"reference": "Patient/p1"},
        "code": {"coding": [code]},
        "valueCodeableConcept": {"coding": [{"system": "http://loinc.org", "code": "LA9633-4"}]},
    }
    assert read_bundle(bundle(patient(), observation)).patient.cd20 == "positive"
    ph_codes = {c["code"] for c in data_requirement("ph")["codeFilter"][0]["code"]}
    assert {"21821-4", "21822-2", "21823-0", "51867-0", "69548-6", "62356-1"} == ph_codes
    tki_codes = {c["code"] for c in data_requirement("tkis_received")["codeFilter"][0]["code"]}
    assert {"282388", "475342", "1307619"} == tki_codes


def test_the_guidance_response_names_the_patient_and_the_as_of_date() -> None:
    record = bundle(patient("1980-05-01"), b_all(), bcr_abl1("pcr", present=False))
    reading = read_bundle(record, as_of=datetime.date(2026, 6, 1))
    out = walk_bundle(walk(reading.patient), reading)
    (response,) = _resources(out, "GuidanceResponse")
    assert response["subject"] == {"reference": "Patient/p1"}
    assert response["occurrenceDateTime"] == "2026-06-01"


def test_the_command_line_writes_the_same_fhir(tmp_path: Any) -> None:
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle(patient("1980-05-01"), b_all())), encoding="utf-8")
    status, out, _ = run(["walk", str(path), "--format", "fhir", "--as-of", "2026-06-01"])
    assert status == 0
    Bundle.model_validate_json(out)
    status, out, _ = run(["export", "--format", "fhir"])
    assert status == 0
    assert json.loads(out) == PLANS


def test_validate_checks_any_output_with_the_r4b_models_and_names_the_element() -> None:
    from rrall.fhir import InvalidFhir, validate

    validate(PLANS)
    validate(walk_bundle(walk(Patient())))
    broken = {"resourceType": "RequestGroup", "id": "g", "status": "draft"}
    with pytest.raises(InvalidFhir) as caught:
        validate(broken)
    assert (caught.value.resource, caught.value.element) == ("RequestGroup/g", "intent")


def test_the_strategys_actions_carry_each_recommendations_condition_and_citations() -> None:
    strategy = PLANS["entry"][0]["resource"]
    for action in strategy["action"]:
        recommendation = RECOMMENDATIONS[action["id"]]["action"][0]
        assert action.get("condition") == recommendation.get("condition")
        assert action["documentation"] == recommendation["documentation"]
