"""Property-test code that depends on the R/R ALL text, with `rrall.testing`.

    python examples/property_test_walks.py      # or: pytest examples/property_test_walks.py

Each test draws patients from the guideline graph itself (Hypothesis), so it
covers every route of the text instead of a few hand-picked patients. Needs
the `testing` extra. rrall models one published text; it is not medical advice.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from rrall import Patient, walk
from rrall.testing import (
    PathCase,
    check_all,
    check_path_satisfiable,
    check_refinement,
    completions,
    partial_patients,
    paths,
    patients,
)


@given(patients(reaching="tisagenlecleucel"))
def test_tisagenlecleucel_is_offered_only_up_to_25(patient: Patient) -> None:
    assert patient.age is not None
    assert patient.age <= 25
    assert "tisagenlecleucel" in walk(patient).option_ids


@given(patients(avoiding="dasatinib"))
def test_dasatinib_not_offered_has_a_reason(patient: Patient) -> None:
    exclusion = walk(patient).exclusion("dasatinib")
    assert exclusion is not None
    assert exclusion.reason


@given(partial_patients())
def test_every_walk_keeps_its_promises(patient: Patient) -> None:
    check_all(patient)


@given(st.data())
def test_knowing_more_never_adds_an_option(data: st.DataObject) -> None:
    partial = data.draw(partial_patients())
    check_refinement(partial, data.draw(completions(partial)))


@given(paths())
def test_every_route_can_be_followed(case: PathCase[Patient]) -> None:
    check_path_satisfiable(case)


if __name__ == "__main__":
    for test in (
        test_tisagenlecleucel_is_offered_only_up_to_25,
        test_dasatinib_not_offered_has_a_reason,
        test_every_walk_keeps_its_promises,
        test_knowing_more_never_adds_an_option,
        test_every_route_can_be_followed,
    ):
        settings(max_examples=50, deadline=None)(test)()
        print(f"ok  {test.__name__}")
