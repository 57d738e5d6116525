"""`rrall verify`: every class of patients, every check, a witness for every leaf.

The encoded text is checked once (the exhaustive run); small made-up
guidelines show that each check fails when it should.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given

from helpers import run
from rrall import RR_ALL, Patient, Verification, verify, walk
from rrall.engine import (
    AtLeast,
    AtMost,
    Branch,
    Choice,
    Decision,
    GoldenCase,
    Guideline,
    Integer,
    Is,
    Knowledge,
    OptionGroup,
    Regimen,
    Schema,
    atoms,
    evaluate,
)
from rrall.engine.model._conditions import Atom
from rrall.engine.tools._serialize import guideline_to_dict
from rrall.engine.tools._verify import guideline_conditions, patient_classes, record
from rrall.engine.walk import _walk
from rrall.testing import partial_patients

# -- The encoded text, checked exhaustively ----------------------------------------


@pytest.fixture(scope="module")
def verified() -> Verification:
    """The thorough run: the walk is also shown to return for every class with unknown facts."""
    return verify(thorough=True)


def test_the_quick_run_checks_the_same_classes_and_agrees() -> None:
    quick, thorough = verify(), verify(thorough=True)
    assert quick.ok
    assert thorough.ok
    assert (quick.classes, quick.complete, quick.witnesses) == (
        thorough.classes,
        thorough.complete,
        thorough.witnesses,
    )
    assert [c.name for c in quick.checks] == [c.name for c in thorough.checks]


def test_the_encoded_text_passes_every_check(verified: Verification) -> None:
    failed = [f"{check.name}: {check.detail}" for check in verified.checks if not check.ok]
    assert verified.ok, failed
    names = {check.name for check in verified.checks}
    assert names == {
        "acyclic",
        "citations",
        "routes",
        "decisions",
        "walk",
        "dead ends",
        "reachable",
        "golden",
    }


def test_each_leaf_has_a_complete_witness_the_text_offers_it_to(verified: Verification) -> None:
    assert list(verified.witnesses) == [leaf.id for leaf in RR_ALL.leaves]
    read = {atom.fact for condition in guideline_conditions(RR_ALL) for atom in atoms(condition)}
    for leaf, patient in verified.witnesses.items():
        assert read <= set(patient), f"the witness for {leaf} leaves a fact unknown"
        option = walk(Patient.from_dict(patient)).option(leaf)
        assert option is not None, leaf
        assert option.definite, leaf


def test_a_witness_shows_each_whole_number_where_a_condition_on_it_turns(verified: Verification) -> None:
    """Not the bottom of its range (an age of 0) but the value a reviewer checks."""
    reading = [atom for condition in guideline_conditions(RR_ALL) for atom in atoms(condition)]
    for leaf, patient in verified.witnesses.items():
        for name, value in patient.items():
            if not isinstance(RR_ALL.schema.fact(name), Integer):
                continue
            turns = [
                atom
                for atom in reading
                if atom.fact == name
                and any(
                    _truth(atom, name, value) != _truth(atom, name, beside)
                    for beside in (value - 1, value + 1)  # type: ignore[operator]
                )
            ]
            assert turns, f"the witness for {leaf} has {name} {value}, where no condition turns"


def _truth(atom: Atom, name: str, value: object) -> bool | None:
    return evaluate(atom, Knowledge.exact(RR_ALL.schema, {name: value}))  # type: ignore[dict-item]


def test_the_classes_are_counted_with_unknown_as_a_value(verified: Verification) -> None:
    classes = patient_classes(RR_ALL.schema, guideline_conditions(RR_ALL))
    assert verified.classes == len(classes)
    assert 0 < verified.complete < verified.classes
    assert sum(1 for facts in classes if classes.complete(facts)) == verified.complete


def test_the_notes_name_the_routes_no_patient_follows_and_the_groups_left_empty(
    verified: Verification,
) -> None:
    """Vincristine sulfate liposome ... for adult patients with Ph-negative ALL (R5): a Ph-positive
    patient sent to the Ph-negative regimens never reaches it."""
    notes = "\n".join(verified.notes)
    assert "ph-positive -> ph-negative-regimens -> combination-regimens" in notes
    assert "-> vincristine-liposome" in notes
    # R11: with dasatinib and ponatinib both received, the branch to a different TKI is not taken,
    # so no option group is ever reached with nothing to offer.
    assert "offers nothing" not in notes


# -- The classes ----------------------------------------------------------------


@pytest.fixture(scope="module")
def rr_all_classes() -> list[dict[str, object]]:
    classes = patient_classes(RR_ALL.schema, guideline_conditions(RR_ALL))
    return list(classes)  # type: ignore[arg-type]


ATOMS = tuple(dict.fromkeys(atom for condition in guideline_conditions(RR_ALL) for atom in atoms(condition)))


def _signature(facts: object) -> tuple[bool | None, ...]:
    """How a patient answers every atomic condition of the graph."""
    known = Knowledge.of(RR_ALL.schema, RR_ALL.schema.facts_of(facts))
    return tuple(evaluate(atom, known) for atom in ATOMS)


@pytest.fixture(scope="module")
def signatures(rr_all_classes: list[dict[str, object]]) -> list[tuple[bool | None, ...]]:
    return [_signature(record(facts)) for facts in rr_all_classes]  # type: ignore[arg-type]


def test_every_class_is_a_valid_patient(rr_all_classes: list[dict[str, object]]) -> None:
    for facts in rr_all_classes:
        Patient.from_dict(RR_ALL.schema.to_json(facts))  # type: ignore[arg-type]


def test_no_two_classes_answer_every_condition_alike(signatures: list[tuple[bool | None, ...]]) -> None:
    assert len(set(signatures)) == len(signatures)


@given(patient=partial_patients())
def test_every_patient_answers_the_conditions_like_some_class(
    signatures: list[tuple[bool | None, ...]], patient: Patient
) -> None:
    """Exhaustive: whatever a patient knows, some class stands for them."""
    assert _signature(patient) in set(signatures)


def test_patients_merged_into_one_class_walk_alike() -> None:
    """TKI histories that answer every condition alike (e.g. received imatinib and dasatinib, failed
    dasatinib; or received and failed dasatinib) get the same options."""
    base = {"ph": "positive", "lineage": "B", "age": 30}
    alike = [
        {"tkis_received": ["dasatinib"], "tkis_failed": ["dasatinib"]},
        {"tkis_received": ["imatinib", "dasatinib"], "tkis_failed": ["imatinib"]},
        {"tkis_received": ["dasatinib", "nilotinib"], "tkis_failed": ["nilotinib"]},
    ]
    outcomes = set()
    for history in alike:
        assert _signature(Patient(**base, **history)) == _signature(Patient(**base, **alike[0]))
        result = walk(Patient(**base, **history))
        outcomes.add(tuple((option.id, option.definite) for option in result.options))
    assert len(outcomes) == 1


# -- Each check fails when it should (made-up guidelines) ---------------------------

SOURCE = """Adults and children.
- Adults may have A.
- Children may have B.
- Anyone may have C.
"""
SCHEMA = Schema(facts=(Integer("age", "age", 0, 120), Choice("arm", "arm", ("left", "right"))))


def _guideline(*nodes: Decision | OptionGroup | Regimen, golden: tuple[GoldenCase, ...] = ()) -> Guideline:
    leaves = (
        Regimen("a", "A", "Adults may have A."),
        Regimen("b", "B", "Children may have B."),
        Regimen("c", "C", "Anyone may have C."),
    )
    return Guideline("toy", "Toy", SOURCE, SCHEMA, "root", (*nodes, *leaves), golden=golden)


SOUND = _guideline(
    Decision(
        "root",
        "Age?",
        "Adults and children.",
        branches=(Branch("adults", AtLeast("age", 18)), Branch("children", AtMost("age", 17))),
    ),
    OptionGroup("adults", "Adults", "Adults may have A.", branches=(Branch("a"), Branch("c"))),
    OptionGroup("children", "Children", "Children may have B.", branches=(Branch("b"), Branch("c"))),
    golden=(
        GoldenCase("an adult", {"age": 40}, ("a", "c")),
        GoldenCase("a child", {"age": 9}, ("b", "c"), not_offered="a"),
    ),
)


def test_a_sound_guideline_passes_with_a_witness_per_leaf() -> None:
    result = verify(SOUND)
    assert result.ok, result.checks
    assert result.classes == 3  # age < 18, age ≥ 18, unknown; no condition reads the arm
    # each where `age ≥ 18` turns
    assert result.witnesses == {"a": {"age": 18}, "b": {"age": 17}, "c": {"age": 17}}


def test_an_edge_no_patient_can_take_fails_the_routes_and_leaves_its_leaf_unreached() -> None:
    dead = _guideline(
        Decision(
            "root",
            "Age?",
            "Adults and children.",
            branches=(Branch("adults", AtLeast("age", 18)), Branch("children", AtMost("age", 17))),
        ),
        OptionGroup(
            "adults",
            "Adults",
            "Adults may have A.",
            branches=(Branch("a"), Branch("b", AtMost("age", 12)), Branch("c")),
        ),
        OptionGroup("children", "Children", "Children may have B.", branches=(Branch("c"),)),
    )
    result = verify(dead)
    assert not result.ok
    assert "adults -> b" in result.check("routes").detail
    assert not result.check("reachable").ok
    assert "b" in result.check("reachable").detail


# Every option needs the left arm: a patient with the right arm gets none.
NARROW = _guideline(
    OptionGroup(
        "root",
        "Arms",
        "Adults and children.",
        branches=(
            Branch("a", Is("arm", "left")),
            Branch("b", Is("arm", "left")),
            Branch("c", Is("arm", "left")),
        ),
    ),
)


def test_a_complete_patient_with_no_option_is_a_dead_end() -> None:
    result = verify(NARROW)
    assert not result.check("dead ends").ok
    assert "arm: right" in result.check("dead ends").detail


def test_a_golden_case_the_walk_contradicts_fails_the_golden_check() -> None:
    wrong = _guideline(
        *SOUND.nodes[:3],
        golden=(
            GoldenCase("an adult", {"age": 40}, ("a", "c")),
            GoldenCase("a child offered A", {"age": 9}, ("a", "c")),
        ),
    )
    check = verify(wrong).check("golden")
    assert not check.ok
    assert "'a child offered A' offers ['b', 'c'], expected ['a', 'c']" in check.detail
    assert "no golden case offers b" in check.detail


# A fault planted in the walk: verify finds it in every class it walks, not only in the
# first of those that share a class key.


def test_a_walk_that_raises_for_some_complete_classes_fails_the_walk_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every class whose reason names an age of 0 raises: each one is reported (the first
    three), shown with its age where a condition turns (17)."""
    sentence = _walk._sentence

    def planted(prefix: str, needs: str, clauses: list[str]) -> str:
        if "age 0" in clauses:
            raise RuntimeError("planted")
        return sentence(prefix, needs, clauses)

    monkeypatch.setattr(_walk, "_sentence", planted)
    check = verify(attrs.evolve(RR_ALL)).check("walk")  # a fresh memo: none of its reasons kept
    assert not check.ok
    assert check.detail.count("RuntimeError: planted") == 3
    assert "age: 17" in check.detail


def test_a_walk_that_raises_only_with_unknown_facts_is_found_by_the_thorough_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the constraints tell of unknown TKIs failed ("at most 1, among imatinib") is only
    worked out for classes with unknown facts: the quick run walks none of them."""
    words = _walk.inferred_words

    def planted(fact: object, domain: object) -> str:
        if getattr(fact, "name", None) == "tkis_failed":
            raise RuntimeError("planted")
        return words(fact, domain)  # type: ignore[arg-type]

    monkeypatch.setattr(_walk, "inferred_words", planted)
    assert verify(attrs.evolve(RR_ALL)).check("walk").ok  # fresh memos: none of their reasons kept
    check = verify(attrs.evolve(RR_ALL), thorough=True).check("walk")
    assert not check.ok
    assert "RuntimeError: planted" in check.detail


# -- The command line ----------------------------------------------------------------


def _export(tmp_path: Path, guideline: Guideline) -> str:
    path = tmp_path / f"{guideline.name}.json"
    path.write_text(json.dumps(guideline_to_dict(guideline)), encoding="utf-8")
    return str(path)


def test_rrall_verify_prints_each_check_and_exits_zero_when_all_hold(tmp_path: Path) -> None:
    status, out, _ = run(["verify", _export(tmp_path, SOUND)])
    assert status == 0
    assert "Verification of toy: OK" in out
    assert "3 equivalence classes" in out
    assert "[ok] decisions" in out


def test_rrall_verify_json_gives_ok_classes_checks_and_witnesses(tmp_path: Path) -> None:
    status, out, _ = run(["verify", "--format", "json", _export(tmp_path, SOUND)])
    data = json.loads(out)
    assert status == 0
    assert data["ok"] is True
    assert data["classes"] == 3
    assert {"name": "acyclic", "ok": True}.items() <= data["checks"][0].items()
    assert data["witnesses"]["b"] == {"age": 17}


def test_rrall_verify_exits_one_when_a_check_fails(tmp_path: Path) -> None:
    status, out, _ = run(["verify", _export(tmp_path, NARROW)])
    assert status == 1
    assert "FAILED" in out
    assert "[FAIL] dead ends" in out


def test_rrall_verify_refuses_a_file_that_is_not_an_export_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "patient.json"
    path.write_text('{"age": 40}', encoding="utf-8")
    status, out, err = run(["verify", str(path)])
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "not a guideline export" in err
    assert "Traceback" not in err
