"""The words a clinician reads: each exclusion reason is a sentence naming the patient's value.

Every reason for a spread of patients is printed into tests/snapshots/exclusion-reasons.txt, so a
change of wording shows up in review (regenerate with ``RRALL_SNAPSHOT=update``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from rrall import RR_ALL, Patient, WalkResult, walk
from rrall.engine.tools._report import text_report
from rrall.engine.tools._serialize import walk_result_to_dict

SNAPSHOT = Path(__file__).parent / "snapshots" / "exclusion-reasons.txt"

SPREAD = {
    "Ph-negative B-cell adult, CD20-positive": dict(
        age=34, ph="negative", lineage="B", status="relapsed", relapses=1, prior_therapies=1, cd20="positive"
    ),
    "Ph-negative T-cell child of 17, refractory": dict(
        age=17,
        ph="negative",
        lineage="T",
        status="refractory",
        relapses=0,
        prior_therapies=1,
        cd20="negative",
    ),
    "Ph-positive, imatinib received, none failed": dict(
        age=50, ph="positive", lineage="B", tkis_received=["imatinib"], tkis_failed=[]
    ),
    "Ph-positive, imatinib received, failure unknown": dict(
        ph="positive", lineage="B", tkis_received=["imatinib"]
    ),
    "Ph-positive, relapsed on imatinib": dict(
        age=61,
        ph="positive",
        lineage="B",
        status="relapsed",
        tkis_received=["imatinib"],
        tkis_failed=["imatinib"],
    ),
    "Ph-positive, dasatinib and ponatinib failed": dict(
        age=45,
        ph="positive",
        lineage="B",
        tkis_received=["dasatinib", "ponatinib"],
        tkis_failed=["dasatinib", "ponatinib"],
    ),
    "Ph-positive, dasatinib and ponatinib received, none failed": dict(
        ph="positive", tkis_received=["dasatinib", "ponatinib"], tkis_failed=[]
    ),
    "T-cell, nothing else known": dict(lineage="T"),
}


def words(result: WalkResult) -> str:
    """The text report with its line wrapping undone."""
    return " ".join(text_report(result, RR_ALL).split())


def reasons_text() -> str:
    lines = []
    for name, facts in SPREAD.items():
        lines.append(f"## {name}: {json.dumps(Patient(**facts).to_dict())}")  # type: ignore[arg-type]
        lines += [f"- {item.name}: {item.reason}" for item in walk(Patient(**facts)).excluded]  # type: ignore[arg-type]
        lines.append("")
    return "\n".join(lines)


def test_every_exclusion_reason_for_a_spread_of_patients_matches_the_reviewed_snapshot() -> None:
    text = reasons_text()
    if os.environ.get("RRALL_SNAPSHOT") == "update":
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert text == SNAPSHOT.read_text(encoding="utf-8"), "wording changed: review, then RRALL_SNAPSHOT=update"


def test_mopad_without_rituximab_is_for_cd20_negative_disease_and_names_the_patients_cd20() -> None:
    """MOpAD: methotrexate, vincristine, pegaspargase, and dexamethasone with rituximab for
    CD20-positive disease (R6): the reason is a sentence with the patient's value."""
    exclusion = walk(Patient(ph="negative", cd20="positive")).exclusion("mopad")
    assert exclusion is not None
    assert exclusion.reason == "MOpAD is for CD20-negative disease; this patient: CD20-positive disease."


def test_blinatumomab_after_one_tki_received_names_the_real_cause_two_cannot_have_failed() -> None:
    """Blinatumomab ... has not responded to two or more TKIs: with only imatinib received, at
    most one TKI can have failed, and the reason says so rather than 'unknown'."""
    exclusion = walk(Patient(ph="positive", lineage="B", tkis_received=["imatinib"])).exclusion(
        "blinatumomab"
    )
    assert exclusion is not None
    assert "TKIs failed unknown, but at most 1, only imatinib possible (inferred)" in exclusion.reason
    assert "Ph-positive ALL" in exclusion.reason


def test_the_text_report_gives_identical_reasons_once_for_the_options_they_share() -> None:
    """A Ph-negative patient: dasatinib and ponatinib share one reason, given once."""
    report = words(walk(Patient(ph="negative", lineage="B", age=30)))
    assert report.count("from “Ph status?”, is for Ph-positive ALL") == 1
    assert "✗ Dasatinib, Ponatinib: “Ph-positive ALL: several treatment options”, from “Ph status?”" in report


def test_the_text_report_uses_the_fields_words_and_never_contradicts_itself() -> None:
    report = words(walk(Patient(tkis_received=["imatinib"])))
    assert "Patient: TKIs received: imatinib" in report
    assert "no facts known" not in report
    assert "tkis_failed" not in report
    assert "prior_therapies" not in report
    assert "TKIs failed (at most 1, only imatinib possible, inferred)" in report


def test_a_bound_inferred_from_relapsed_disease_is_shown_as_inferred() -> None:
    """A relapse of the disease: "relapsed" means relapses ≥ 1 (a schema constraint)."""
    report = words(walk(Patient(ph="negative", lineage="B", status="relapsed")))
    assert "relapses: ≥ 1 (inferred)" in report
    assert "relapses: unknown" not in report


def test_plain_vincristine_at_induction_is_said_as_given_for_the_liposomal_form() -> None:
    """Vincristine sulfate liposome: the patient had vincristine, the same active drug."""
    patient = Patient(ph="negative", age=40, relapses=2, induction_drugs=["vincristine"])
    report = words(walk(patient))
    assert (
        "already given at induction: vincristine, the same active drug as vincristine sulfate liposome"
        in report
    )


def test_json_path_reads_carry_typed_values_with_null_for_unknown() -> None:
    data = walk_result_to_dict(walk(Patient(age=40, ph="positive", tkis_received=["imatinib"])))
    reads = {name: value for step in data["path"] for name, value in step["read"].items()}
    assert reads["ph"] == "positive"
    assert reads["tkis_received"] == ["imatinib"]
    assert reads["tkis_failed"] is None
    assert reads["age"] == 40


def test_each_path_step_cites_the_span_of_the_branch_it_took() -> None:
    """Step 1 of a Ph-positive path quotes "Ph-Positive ALL", not "Ph-Negative ALL"."""
    step = walk(Patient(ph="positive")).path[0]
    assert step.quote == "Ph-Positive ALL"


def test_jupyter_says_how_many_options_in_all_and_lists_them_in_html() -> None:
    from rrall.engine.draw._render import mimebundle

    result = walk(Patient(ph="negative", lineage="B", age=40, cd20="positive", relapses=1))
    bundle = mimebundle(result)
    assert f"{len(result.options)} options offered ({len(result.definite)} definite" in bundle["text/plain"]
    assert bundle["text/html"].count("<li>") == len(result.options)
