"""`rrall diff`: which patients an edit to the guideline affects, and how.

An exported guideline loads back unchanged; an edited export (a threshold, a
branch) changes exactly the patient classes it should.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from helpers import run
from rrall import RR_ALL, Patient, walk
from rrall.engine import (
    ALWAYS,
    AtLeast,
    Branch,
    Choice,
    Decision,
    Guideline,
    Integer,
    Is,
    OptionGroup,
    Regimen,
    Schema,
)
from rrall.engine.tools._diff import diff
from rrall.engine.tools._load import LoadError, guideline_from_dict
from rrall.engine.tools._serialize import guideline_to_dict

EXPORT: dict[str, Any] = json.loads(json.dumps(guideline_to_dict(RR_ALL)))


def edited(change: str) -> dict[str, Any]:
    """The export with one edit made, as a user would make it in the JSON."""
    data = copy.deepcopy(EXPORT)
    for edge in data["edges"]:
        if change == "inotuzumab from 16" and edge["target"] == "inotuzumab-ozogamicin":
            edge["when"]["conditions"][1]["bound"] = 16
        if change == "blinatumomab for T-cell too" and edge["target"] == "blinatumomab":
            edge["when"] = {
                "type": "AnyOf",
                "conditions": [{"type": "Is", "fact": "ph", "value": "negative"}],
            }
    return data


# -- Loading the export back -------------------------------------------------------


def test_the_export_loads_back_as_the_same_guideline() -> None:
    loaded = guideline_from_dict(EXPORT)
    assert loaded.nodes == RR_ALL.nodes
    assert loaded.schema == RR_ALL.schema
    assert loaded.source == RR_ALL.source
    assert loaded.readings == RR_ALL.readings
    assert (loaded.root, loaded.history_fact, loaded.not_options) == (
        RR_ALL.root,
        RR_ALL.history_fact,
        RR_ALL.not_options,
    )


def test_an_export_without_schema_or_source_borrows_them_from_the_guideline_it_names() -> None:
    older = {key: value for key, value in EXPORT.items() if key not in ("schema", "source")}
    assert guideline_from_dict(older, base=RR_ALL).nodes == RR_ALL.nodes
    with pytest.raises(LoadError, match="no 'schema'"):
        guideline_from_dict(older)


@pytest.mark.parametrize(
    ("broken", "named"),
    [
        ([], "must be a JSON object, got list"),
        ({"nodes": []}, "missing 'name'"),
        ({**EXPORT, "nodes": [{"kind": "leaf", "id": "x"}]}, "$.nodes[0].kind: must be one of"),
        ({**EXPORT, "edges": "none"}, "$.edges: must be a list"),
        ({**EXPORT, "root": "nowhere"}, "root 'nowhere' is not a node"),
        ({**EXPORT, "schema": {"facts": 1}}, "$.schema.facts"),
        (
            {**EXPORT, "edges": [{**EXPORT["edges"][0], "when": {"type": "Is", "fact": "ph"}}]},
            "$.edges[0].when",
        ),
    ],
)
def test_a_broken_export_is_refused_naming_the_problem(broken: object, named: str) -> None:
    with pytest.raises(LoadError) as error:
        guideline_from_dict(broken, base=RR_ALL)
    assert named in str(error.value)


# -- The behavioural difference ------------------------------------------------------


def test_the_same_text_twice_changes_nothing() -> None:
    result = diff(RR_ALL, guideline_from_dict(EXPORT), complete_only=True)
    assert result.same
    assert result.classes > 0
    assert result.changed == 0


def test_lowering_the_adult_age_for_inotuzumab_adds_it_for_b_cell_patients_of_16_and_17() -> None:
    """Inotuzumab ozogamicin (Besponsa®) is a treatment option for adults ... (R4: adult is 18 or
    older); an edit to 16 reaches exactly the B-cell patients aged 16 and 17 who reach the regimens."""
    new = guideline_from_dict(edited("inotuzumab from 16"))
    result = diff(RR_ALL, new, complete_only=True)
    assert len(result.changes) == 1
    change = result.changes[0]
    assert (change.added, change.removed) == (("inotuzumab-ozogamicin",), ())
    assert all(line.startswith("age 16–17") and "B-cell ALL" in line for line in change.when)
    patient = Patient.from_dict(change.example)
    assert "inotuzumab-ozogamicin" not in walk(patient).option_ids
    assert "inotuzumab-ozogamicin" in walk(patient, new).option_ids


def test_dropping_the_b_cell_condition_of_blinatumomab_adds_it_for_t_cell_disease() -> None:
    new = guideline_from_dict(edited("blinatumomab for T-cell too"))
    result = diff(RR_ALL, new, complete_only=True)
    added = {leaf for change in result.changes for leaf in change.added}
    removed = {leaf for change in result.changes for leaf in change.removed}
    assert added == {"blinatumomab"}
    assert removed == {"blinatumomab"}  # Ph-positive B-cell disease after two failed TKIs loses it
    for change in result.changes:
        patient = Patient.from_dict(change.example)
        assert ("blinatumomab" in walk(patient, new).option_ids) == bool(change.added)


SOURCE = "Adults may have A; everyone may have B.\n"
SCHEMA = Schema(facts=(Integer("age", "age", 0, 120), Choice("arm", "arm", ("left", "right"))))


def _toy(bound: int, *, arm: bool = False) -> Guideline:
    guard = AtLeast("age", bound)
    return Guideline(
        "toy",
        "Toy",
        SOURCE,
        SCHEMA,
        "root",
        (
            OptionGroup(
                "root",
                "Options",
                SOURCE.strip(),
                branches=(Branch("a", guard), Branch("b", Is("arm", "left") if arm else ALWAYS)),
            ),
            Regimen("a", "A", "Adults may have A"),
            Regimen("b", "B", "everyone may have B"),
        ),
    )


def test_every_class_of_patients_counts_unknown_as_a_value() -> None:
    """Ages below 18, 18 to 20, 21 and over, or unknown: only 18 to 20 loses A (an unknown age
    leaves A conditional in both versions)."""
    result = diff(_toy(18), _toy(21))
    assert result.classes == 4
    assert result.changed == 1
    assert result.changes[0].removed == ("a",)
    assert result.changes[0].when == ("age 18–20",)


def test_an_option_that_turns_on_an_unknown_fact_is_reported_as_now_conditional() -> None:
    result = diff(_toy(18), _toy(18, arm=True))
    conditional = [change for change in result.changes if change.now_conditional]
    assert [change.now_conditional for change in conditional] == [("b",)]
    assert conditional[0].when == ("arm unknown",)
    assert {change.removed for change in result.changes if change.removed} == {("b",)}


def test_versions_that_read_different_facts_cannot_be_compared() -> None:
    other = Schema(facts=(Integer("age", "age", 0, 99),))
    with pytest.raises(ValueError, match="schemas differ"):
        diff(_toy(18), Guideline("toy", "Toy", SOURCE, other, "a", (Regimen("a", "A", "Adults may have A"),)))


def test_a_decision_edit_is_described_by_the_facts_that_matter() -> None:
    flipped = _toy(18)
    decision = Decision(
        "root",
        "Arm?",
        SOURCE.strip(),
        branches=(Branch("a", Is("arm", "left")), Branch("b", Is("arm", "right"))),
    )
    other = Guideline("toy", "Toy", SOURCE, SCHEMA, "root", (decision, *flipped.nodes[1:]))
    result = diff(flipped, other, complete_only=True)
    assert {line for change in result.changes for line in change.when} >= {"age ≥ 18; arm right"}


# -- The command line ----------------------------------------------------------------


def _write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_rrall_diff_reports_the_changed_classes_and_exits_one(tmp_path: Path) -> None:
    status, out, _ = run(["diff", "--complete", "rr-all", _write(tmp_path, edited("inotuzumab from 16"))])
    assert status == 1
    assert "Behavioural diff: rr-all →" in out
    assert "added: inotuzumab-ozogamicin" in out
    assert "when age 16–17" in out


def test_rrall_diff_json_lists_each_change(tmp_path: Path) -> None:
    path = _write(tmp_path, edited("inotuzumab from 16"))
    status, out, _ = run(["diff", "--complete", "--format", "json", "rr-all", path])
    data = json.loads(out)
    assert status == 1
    assert (data["old"], data["new"], data["same"]) == ("rr-all", path, False)
    assert data["changes"][0]["added"] == ["inotuzumab-ozogamicin"]
    assert data["changed"] == data["changes"][0]["classes"]


def test_rrall_diff_of_the_unedited_export_exits_zero(tmp_path: Path) -> None:
    status, out, _ = run(["diff", "--complete", "rr-all", "-"], stdin=json.dumps(EXPORT))
    assert status == 0
    assert "No difference" in out


@pytest.mark.parametrize(
    ("text", "named"),
    [("{", "not valid JSON"), ('{"name": "rr-all"}', "missing 'edges'"), ("[]", "must be a JSON object")],
)
def test_rrall_diff_refuses_a_bad_file_in_one_line(text: str, named: str) -> None:
    status, out, err = run(["diff", "rr-all", "-"], stdin=text)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert named in err
    assert "Traceback" not in err


# -- Words and speed of the whole diff (unknown facts included) ------------------------------


def _tisagenlecleucel_up_to(age: int) -> Any:
    data = copy.deepcopy(EXPORT)
    for edge in data["edges"]:
        if edge["target"] == "tisagenlecleucel":
            edge["when"]["conditions"][1]["bound"] = age
    return guideline_from_dict(data)


def test_tisagenlecleucel_up_to_21_instead_of_25_removes_it_for_ages_22_to_25_in_plain_words() -> None:
    """ "Up to 25 years old" (R4) edited to 21: the description merges the TKI-failure ranges into
    one and leaves out alternatives another covers; the example sits on the edge (age 25)."""
    result = diff(RR_ALL, _tisagenlecleucel_up_to(21))
    assert [change.removed for change in result.changes] == [("tisagenlecleucel",)]
    (change,) = result.changes
    assert (
        change.when[0]
        == "age 22–25; (B-cell ALL or lineage unknown); (TKIs failed unknown or ≥ 1 TKIs failed)"
    )
    assert "TKIs failed unknown and" not in " ".join(change.when)
    assert change.example["age"] == 25


def test_the_diff_walks_only_what_the_changed_routes_read_and_finds_the_same_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Leaves whose routes are the same in both versions are offered alike: skipping them, and
    walking once per class of the facts the changed routes read, changes nothing."""
    from rrall.engine.tools import _diff

    pairs = [
        (RR_ALL, _tisagenlecleucel_up_to(21), True),
        (_toy(18), _toy(21), False),
        (_toy(18), _toy(18, arm=True), False),
    ]
    quick = [diff(old, new, complete_only=complete) for old, new, complete in pairs]

    def every_leaf(old: Guideline, new: Guideline) -> tuple[frozenset[str], list[Any]]:
        leaves = frozenset(leaf.id for leaf in (*old.leaves, *new.leaves))
        return leaves, _diff.guideline_conditions(old) + _diff.guideline_conditions(new)

    monkeypatch.setattr(_diff, "_changed_leaves", every_leaf)
    assert [diff(old, new, complete_only=complete) for old, new, complete in pairs] == quick
    assert quick[0].changes
