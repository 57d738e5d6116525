"""A guideline's own words: the engine calls a leaf a `Leaf`, and each guideline names its leaves,
their components, other names and forms (R/R ALL: regimens, drugs, brand names, forms) in every
output. R/R ALL's outputs read as they always did; the toy triage's say "disposition"."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from helpers import run
from rrall import RR_ALL, InvalidRecord, Patient, WalkResult, walk
from rrall.engine import (
    ALWAYS,
    Branch,
    Components,
    Guideline,
    GuidelineError,
    History,
    Leaf,
    LeafWords,
    OptionGroup,
    Publication,
    Record,
    Regimen,
    Schema,
    Subset,
    guideline_from_dict,
    guideline_to_dict,
    result_json_schema,
    text_report,
)
from rrall.web import report_html
from test_toy_guideline import EXPORT, TOY, TOY_TRIAGE

TOY_PATIENTS = Path(EXPORT).parent / "patients"


PLAIN, PARTS = LeafWords(), Components()


def _kit(words: LeafWords = PLAIN, components: Components = PARTS) -> Guideline:
    """A made-up guideline of one group and two leaves, one with every part a leaf can have."""
    source = "Kits.\n- Kit A, with a part, also called Alpha, alone or doubled.\n- Kit B.\n"
    return Guideline(
        name="kits",
        title="Kits",
        source=source,
        schema=Schema((Subset("had", "parts had before"),)),
        root="kits",
        nodes=(
            OptionGroup("kits", "Kits", "Kits.", branches=(Branch("a", ALWAYS), Branch("b", ALWAYS))),
            Leaf("a", "Kit A", "Kit A, with a part", "part", "Alpha", ("alone", "doubled")),
            Leaf("b", "Kit B", "Kit B."),
        ),
        history=History("had", words="had before"),
        publication=Publication("rrall's tests", "Kits", "2026-12-02"),
        components=components,
        leaf_words=words,
    )


# -- the engine's leaf, and R/R ALL's older names for it ---------------------------------


def test_a_regimen_is_a_leaf_under_its_older_name() -> None:
    assert Regimen is Leaf
    assert all(type(leaf) is Leaf for leaf in RR_ALL.leaves)
    assert Leaf.kind == "leaf"


def test_a_leaf_takes_brands_and_drugs_as_the_older_names_of_aliases_and_components() -> None:
    older = Leaf("x", "X", "q", drugs=("d",), brands="B")
    assert older == Leaf("x", "X", "q", components=("d",), aliases=("B",))
    assert (older.drugs, older.brands) == (("d",), ("B",))
    with pytest.raises(TypeError, match="aliases or brands"):
        Leaf("x", "X", "q", aliases="A", brands="B")


def test_an_option_still_answers_to_brands() -> None:
    option = walk(Patient(ph="negative", lineage="B", age=30)).option("blinatumomab")
    assert option is not None
    assert option.aliases == option.brands == ("Blincyto",)


# -- R/R ALL reads as it always did ----------------------------------------------------


def test_rr_all_calls_its_leaves_regimens_with_brands_in_every_json_form() -> None:
    export = guideline_to_dict(RR_ALL)
    leaf = next(node for node in export["nodes"] if node["id"] == "blinatumomab")
    assert (leaf["kind"], leaf["brands"], leaf["drugs"]) == ("regimen", ["Blincyto"], ["blinatumomab"])
    assert "leaf_words" not in export  # the words every older export means
    option = walk(Patient(ph="negative", lineage="B", age=30)).to_dict()["options"][0]
    assert list(option)[2:5] == ["drugs", "brands", "variants"]
    step = result_json_schema(RR_ALL)["properties"]["path"]["items"]["properties"]
    assert step["kind"]["enum"] == ["decision", "group", "regimen"]


def test_rr_all_reports_say_forms_and_drugs() -> None:
    report = text_report(walk(Patient(ph="negative", lineage="T", age=40)), RR_ALL)
    assert "      drugs: clofarabine\n" in report
    assert "      forms: alone; in combination" in report


# -- the toy triage, and any guideline, in its own words --------------------------------


def test_the_toy_export_calls_its_leaves_dispositions_and_loads_back() -> None:
    export = json.loads(Path(EXPORT).read_text(encoding="utf-8"))
    assert {node["kind"] for node in export["nodes"]} == {"decision", "disposition"}
    assert export["leaf_words"]["kind"] == "disposition"
    assert not any("brands" in node for node in export["nodes"])
    loaded = guideline_from_dict(export)
    assert loaded.leaf_words == TOY_TRIAGE.leaf_words == LeafWords(kind="disposition")
    assert loaded.nodes == TOY_TRIAGE.nodes
    assert loaded.graph.nodes["emergency"]["kind"] == "disposition"


def test_an_older_export_without_leaf_words_still_loads_its_regimens() -> None:
    older = guideline_to_dict(_kit())
    del older["leaf_words"]
    for node in older["nodes"]:
        if node["kind"] == "leaf":
            node["kind"] = "regimen"
            node["brands"] = node.pop("aliases")
    loaded = guideline_from_dict(older)
    assert loaded.nodes == _kit().nodes
    assert loaded.leaf_words == LeafWords(kind="regimen", aliases="brands", variants_label="forms")


def test_a_result_names_an_options_parts_in_its_guidelines_words_and_builds_back() -> None:
    kit = _kit(LeafWords(kind="kit", aliases="also_called", variants="ways"), Components("parts"))
    result = walk({"had": ["part"]}, kit)
    option = result.to_dict()["options"][0]
    assert {key: option[key] for key in ("parts", "also_called", "ways")} == {
        "parts": ["part"],
        "also_called": ["Alpha"],
        "ways": ["alone", "doubled"],
    }
    assert "brands" not in option
    assert "variants" not in option
    assert WalkResult.from_dict(json.loads(json.dumps(result.to_dict())), kit) == result
    loaded = guideline_from_dict(json.loads(json.dumps(guideline_to_dict(kit))))
    assert loaded.nodes == kit.nodes
    assert loaded.leaf_words == kit.leaf_words


def test_a_text_report_labels_the_forms_in_the_guidelines_words() -> None:
    labelled = _kit(LeafWords(variants_label="ways"))
    assert "      ways: alone; doubled\n" in text_report(walk({}, labelled), labelled)
    plain = text_report(walk({}, _kit()), _kit())
    assert "      variants: alone; doubled\n" in plain  # the key, when the guideline gives no label
    assert "forms:" not in plain


def test_a_report_page_heads_an_options_details_with_its_guidelines_words() -> None:
    kit = _kit(LeafWords(variants_label="ways"), Components("parts"))
    page = report_html(walk({"had": ["part"]}, kit), guideline=kit)
    for term in ("<dt>Parts</dt>", "<dt>Ways</dt>", "<dt>Had before</dt>", "Kit A (Alpha)"):
        assert term in page
    assert "Drugs" not in page
    assert "induction" not in page


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        (LeafWords(kind="group"), "a leaf's kind 'group' is the kind of another node"),
        (LeafWords(aliases="notes"), "the leaves' words use the key 'notes' twice"),
        (LeafWords(aliases="variants"), "the leaves' words use the key 'variants' twice"),
    ],
)
def test_words_that_would_make_the_json_forms_ambiguous_are_refused(words: LeafWords, problem: str) -> None:
    with pytest.raises(GuidelineError) as raised:
        _kit(words)
    assert problem in raised.value.problems


# -- patients of a guideline file are records ------------------------------------------


def test_a_loaded_guidelines_patient_is_a_record_generated_from_its_schema() -> None:
    loaded = guideline_from_dict(json.loads(Path(EXPORT).read_text(encoding="utf-8")))
    patient = loaded.read_record({"temperature": 38.3, "stiff_neck": False})
    assert isinstance(patient, Record)
    assert type(patient).__schema__ == TOY_TRIAGE.schema
    assert (patient.temperature, patient.stiff_neck, patient.age) == (38.3, False, None)  # type: ignore[attr-defined]
    assert walk(patient, loaded) == walk(TOY.TriagePatient(temperature=38.3, stiff_neck=False), TOY_TRIAGE)


@pytest.mark.parametrize(
    "facts",
    [{"temperature": "hot"}, {"stiff_neck": "no"}, {"age": 4.5}, {"colour": "blue"}, [], {"age": 200}],
)
def test_a_loaded_guidelines_patient_is_refused_as_the_built_guidelines_record_refuses_it(
    facts: object,
) -> None:
    loaded = guideline_from_dict(json.loads(Path(EXPORT).read_text(encoding="utf-8")))
    with pytest.raises(InvalidRecord) as built:
        TOY_TRIAGE.read_record(facts)
    with pytest.raises(InvalidRecord) as read:
        loaded.read_record(facts)
    assert read.value.problems == built.value.problems


def test_an_rr_all_export_reads_patients_as_rrall_patients_brand_names_and_all(tmp_path: Path) -> None:
    export = tmp_path / "rr-all.json"
    export.write_text(json.dumps(guideline_to_dict(RR_ALL)), encoding="utf-8")
    patient = tmp_path / "patient.json"
    patient.write_text(json.dumps({"age": 30, "induction_drugs": ["Oncovin"]}), encoding="utf-8")
    status, out, _ = run(["walk", "--format", "json", "--guideline", str(export), str(patient)])
    assert status == 0
    assert json.loads(out)["patient"]["induction_drugs"] == ["vincristine"]
    assert guideline_from_dict(guideline_to_dict(RR_ALL), base=RR_ALL).read_record({}) == Patient()


def test_a_loaded_guideline_pickles_and_still_reads_records() -> None:
    loaded = guideline_from_dict(json.loads(Path(EXPORT).read_text(encoding="utf-8")))
    copied = pickle.loads(pickle.dumps(loaded))
    assert copied == loaded
    assert isinstance(copied.read_record({"age": 3}), Record)


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"temperature": "hot"}, "temperature: must be a number (°C), got 'hot'"),
        ({"stiff_neck": 1}, "stiff_neck: must be true or false, got 1"),
        ([{"age": 3}], "for a cohort, write one patient per line (JSON Lines)"),
    ],
)
def test_a_bad_patient_of_a_guideline_file_is_one_line_naming_the_field(
    tmp_path: Path, facts: object, message: str
) -> None:
    patient = tmp_path / "patient.json"
    patient.write_text(json.dumps(facts), encoding="utf-8")
    for command in (["walk"], ["report"], ["render", "--patient"]):
        status, out, err = run([*command, str(patient), "--guideline", EXPORT])
        assert (status, out) == (2, ""), command
        assert err.count("\n") == 1
        assert "Traceback" not in err
        assert message in err
        assert err.startswith(f"rrall: {patient}: invalid patient: ")


def test_a_cds_card_heads_an_options_details_with_its_guidelines_words() -> None:
    cards = pytest.importorskip("rrall.server._cards", reason="cards need the server extra")
    kit = _kit(components=Components("parts"))
    detail = cards.options_card(walk({"had": ["part"]}, kit), kit, "hook-1", [])["detail"]
    assert "  Parts: part." in detail
    assert "  Had before: part." in detail
    assert "Drugs" not in detail
    rr_all = cards.options_card(walk(Patient(ph="negative", lineage="T", age=40)), RR_ALL, "hook-1", [])
    assert "  Drugs: clofarabine." in rr_all["detail"]
