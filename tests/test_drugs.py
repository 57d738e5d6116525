"""One drug vocabulary for FHIR and plain JSON: brands and abbreviations become generic names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run
from rrall import Patient, walk
from rrall.rr_all._drugs import DRUGS, drug_by_name, drug_by_rxnorm


@pytest.mark.parametrize(
    ("name", "drug"),
    [
        ("ara-C", "cytarabine"),
        ("Ara-C", "cytarabine"),
        ("VCR", "vincristine"),
        ("Oncovin", "vincristine"),
        ("Marqibo", "vincristine sulfate liposome"),
        ("liposomal vincristine", "vincristine sulfate liposome"),
        ("Sprycel 100 mg tablet", "dasatinib"),
        ("Gleevec®", "imatinib"),
        ("MTX", "methotrexate"),
        ("6-MP", "mercaptopurine"),
        ("G-CSF", "granulocyte colony-stimulating factor"),
    ],
)
def test_names_brands_and_abbreviations_are_recognised(name: str, drug: str) -> None:
    assert drug_by_name(name).drug == drug


def test_a_text_naming_two_drugs_or_none_is_not_recognised() -> None:
    assert drug_by_name("vincristine + cytarabine").drug is None
    assert drug_by_name("ondansetron").drug is None
    assert drug_by_name("idarubicinx").drug is None


def test_product_and_brand_codes_roll_up_to_ingredients() -> None:
    assert {code: drug_by_rxnorm(code).drug for code in ("643170", "1045402", "282386", "403879")} == {  # type: ignore[union-attr]
        "643170": "dasatinib",
        "1045402": "dasatinib",
        "282386": "imatinib",
        "403879": "imatinib",
    }
    assert drug_by_rxnorm("999999999") is None


def test_every_ingredient_code_is_its_own_drug() -> None:
    for drug in DRUGS:
        if drug.rxnorm:
            assert drug_by_rxnorm(drug.rxnorm).drug == drug.name  # type: ignore[union-attr]


def test_plain_json_induction_drugs_become_generic_names() -> None:
    patient = Patient.from_dict(
        {"ph": "negative", "lineage": "B", "induction_drugs": ["VCR", "ara-C", "Cytoxan"]}
    )
    assert patient.induction_drugs == ("cyclophosphamide", "cytarabine", "vincristine")
    assert patient.warnings == ()
    given = walk({"ph": "negative", "lineage": "B", "age": 40, "induction_drugs": ["Oncovin"]})
    option = next(o for o in given.options if o.id == "augmented-hyper-cvad")
    assert option.already_given == ("vincristine",)


def test_an_unrecognised_name_is_kept_and_reported_as_a_warning(tmp_path: Path) -> None:
    patient = Patient(induction_drugs=["vincristine", "zzdrug"])
    assert patient.induction_drugs == ("vincristine", "zzdrug")
    assert patient.warnings == ("induction drug 'zzdrug' is not a drug rrall recognises; kept as given",)
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"ph": "negative", "induction_drugs": ["zzdrug"]}), encoding="utf-8")
    status, out, _ = run(["walk", str(path), "--format", "json"])
    assert status == 0
    assert json.loads(out)["warnings"] == list(patient.warnings)[-1:]
    status, out, _ = run(["walk", str(path)])
    assert "Warnings:" in out
    assert "zzdrug" in out
