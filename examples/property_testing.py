"""Draw patients from the guideline graph and check what every walk promises.

    python examples/property_testing.py

Shows the strategies of `rrall.testing` (patients that reach or avoid a leaf,
partial patients, their completions, routes) and its checks, run over a few
hundred patients with Hypothesis. Needs the `testing` extra. rrall models one
published text; it is not medical advice.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rrall import RR_ALL, Patient, walk
from rrall.testing import (
    PathCase,
    check_all,
    check_path_satisfiable,
    check_refinement,
    completions,
    dead_paths,
    partial_patients,
    paths,
    patients,
)

RUN = settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def describe(patient: Patient) -> str:
    return ", ".join(
        f"{name}={value}" for name, value in patient.to_dict().items() if name != "induction_drugs"
    )


# 1. Patients drawn straight to a leaf, or away from it: no rejection, even for a narrow leaf.
print("One patient drawn to reach each leaf (every fact known):")
for leaf in RR_ALL.leaves:
    patient = patients(reaching=leaf.id).example()
    assert leaf.id in walk(patient).option_ids
    print(f"  {leaf.id:26} {describe(patient)}")

print("\nPatients who are not offered dasatinib, and why:")
for _ in range(3):
    patient = patients(avoiding="dasatinib").example()
    exclusion = walk(patient).exclusion("dasatinib")
    assert exclusion is not None
    print(f"  {exclusion.reason}")


# 2. The properties every walk should have, over many patients.
@RUN
@given(partial_patients())
def every_walk_keeps_its_promises(patient: Patient) -> None:
    check_all(patient)  # options, determinism, JSON round trip, reasons, conditions


@RUN
@given(partial_patients(), st.data())
def knowing_more_never_adds_an_option(patient: Patient, data: st.DataObject) -> None:
    check_refinement(patient, data.draw(completions(patient)))


@RUN
@given(paths())
def every_route_is_followed(case: PathCase[Patient]) -> None:
    check_path_satisfiable(case)


print()
for check in (every_walk_keeps_its_promises, knowing_more_never_adds_an_option, every_route_is_followed):
    check()
    print(f"ok  {check.__name__.replace('_', ' ')} (200 patients)")

# 3. Routes no patient can follow (by design: reading R5).
print("\nRoutes no patient can follow:")
for route in dead_paths():
    print("  " + " → ".join(route))
