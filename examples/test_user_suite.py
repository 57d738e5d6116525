"""A user's own test suite, property-testing code built on rrall with `rrall.testing`.

    pytest examples/test_user_suite.py        # or: python examples/test_user_suite.py

It tests two things a user might build: an EHR integration that maps the
hospital's records to `rrall.Patient` and back, and a local fork of the
guideline (here: a site whose tisagenlecleucel label reads "up to 26"). The
patients come from the guideline graph itself, so the tests cover every
route of the text. Needs the `testing` extra. rrall models one published
text; it is not medical advice.
"""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from rrall import RR_ALL, Patient, walk
from rrall.engine import AllOf, AtMost, Branch, Is, OptionGroup
from rrall.testing import (
    check_all,
    check_refinement,
    completions,
    partial_patients,
    patients,
)

SETTINGS = settings(max_examples=50, deadline=None, database=None)

# -- the user's code: an EHR integration --------------------------------------------------------

EHR_LINEAGE = {"B": "B-ALL", "T": "T-ALL"}


def ehr_row(patient: Patient) -> dict[str, Any]:
    """The hospital's record for a patient (its own column names; None for not recorded)."""
    facts = patient.to_dict()
    lineage = facts.get("lineage")
    return {
        "age_years": facts.get("age"),
        "bcr_abl1": None if "ph" not in facts else facts["ph"] == "positive",
        "immunophenotype": None if lineage is None else EHR_LINEAGE[str(lineage)],
        "disease_state": facts.get("status"),
        "relapse_count": facts.get("relapses"),
        "lines_of_therapy": facts.get("prior_therapies"),
        "cd20": facts.get("cd20"),
        "tki_history": facts.get("tkis_received"),
        "tki_failures": facts.get("tkis_failed"),
        "induction": facts.get("induction_drugs"),
    }


def patient_from_ehr(row: dict[str, Any]) -> Patient:
    """The rrall patient for a hospital record; what the record lacks stays unknown."""
    lineage = {value: key for key, value in EHR_LINEAGE.items()}
    positive = row["bcr_abl1"]
    return Patient(
        age=row["age_years"],
        ph=None if positive is None else ("positive" if positive else "negative"),
        lineage=None if row["immunophenotype"] is None else lineage[row["immunophenotype"]],
        status=row["disease_state"],
        relapses=row["relapse_count"],
        prior_therapies=row["lines_of_therapy"],
        cd20=row["cd20"],
        tkis_received=row["tki_history"],
        tkis_failed=row["tki_failures"],
        induction_drugs=row["induction"],
    )


@SETTINGS
@given(partial_patients())
def test_the_ehr_mapping_loses_no_fact(patient: Patient) -> None:
    assert patient_from_ehr(ehr_row(patient)) == patient


@SETTINGS
@given(st.from_type(Patient))  # rrall registers patients() for Patient
def test_the_ehr_record_of_a_complete_patient_gives_the_same_options(patient: Patient) -> None:
    assert walk(patient_from_ehr(ehr_row(patient))) == walk(patient)


@SETTINGS
@given(patients(reaching="nelarabine"))
def test_nelarabine_patients_are_t_all_in_the_ehr(patient: Patient) -> None:
    assert ehr_row(patient)["immunophenotype"] == "T-ALL"


@SETTINGS
@given(partial_patients(), st.data())
def test_completing_an_ehr_record_never_adds_an_option(patient: Patient, data: st.DataObject) -> None:
    complete = data.draw(completions(patient))
    check_refinement(patient_from_ehr(ehr_row(patient)), patient_from_ehr(ehr_row(complete)))


# -- the user's fork of the guideline --------------------------------------------------------


def _fork_with_tisagenlecleucel_up_to(age: int) -> Any:
    def changed(node: Any) -> Any:
        if node.id != "ph-negative-regimens":
            return node
        branches = tuple(
            Branch(b.to, AllOf((Is("lineage", "B"), AtMost("age", age))), f"B-cell, age ≤ {age}")
            if b.to == "tisagenlecleucel"
            else b
            for b in node.branches
        )
        assert isinstance(node, OptionGroup)
        return attrs.evolve(node, branches=branches)

    return attrs.evolve(RR_ALL, name="rr-all-site", nodes=tuple(map(changed, RR_ALL.nodes)), golden=())


FORK = _fork_with_tisagenlecleucel_up_to(26)


@SETTINGS
@given(patients(guideline=FORK, reaching="tisagenlecleucel", record=Patient.from_dict))
def test_the_fork_offers_tisagenlecleucel_up_to_26(patient: Patient) -> None:
    assert patient.age is not None
    assert patient.age <= 26
    assert "tisagenlecleucel" in walk(patient, FORK).option_ids


@SETTINGS
@given(partial_patients(guideline=FORK, record=Patient.from_dict))
def test_the_fork_keeps_every_promise_of_a_walk(patient: Patient) -> None:
    check_all(patient, guideline=FORK)


@SETTINGS
@given(patients())
def test_the_fork_differs_from_the_text_only_at_age_26(patient: Patient) -> None:
    if patient.age != 26:
        assert walk(patient, FORK).option_ids == walk(patient).option_ids


@SETTINGS
@given(
    completions(
        Patient(age=26, lineage="B"), guideline=FORK, reaching="tisagenlecleucel", record=Patient.from_dict
    )
)
def test_at_26_the_fork_offers_what_the_text_does_not(patient: Patient) -> None:
    assert "tisagenlecleucel" in walk(patient, FORK).option_ids
    assert "tisagenlecleucel" not in walk(patient).option_ids


if __name__ == "__main__":  # run this file's tests with pytest, in a fresh interpreter
    import subprocess
    import sys

    sys.exit(subprocess.call([sys.executable, "-m", "pytest", __file__, "-q", "-p", "no:cacheprovider"]))
