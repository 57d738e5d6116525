"""Property-testing paths through a guideline: Hypothesis strategies and reusable checks.

Needs the ``testing`` extra (``pip install 'rrall[testing]'``), which brings
Hypothesis; ``import rrall`` alone never imports it.

Strategies (each returns a Hypothesis ``SearchStrategy``; arguments are keywords):

- `patients` — valid, complete patients; ``reaching=``/``avoiding=`` a leaf
  draws patients the walk offers it / does not offer it, directly.
- `partial_patients` — valid patients with any subset of the facts known.
- `completions` — complete patients agreeing with a partial one.
- `paths` — root-to-leaf routes (`PathCase`) with a patient who follows each.
- `fhir_records` — a patient written as a FHIR R4 record (`FhirCase`), in the
  many equivalent codings and shapes `rrall.fhir.read_bundle` reads.

Checks (plain functions raising `AssertionError` with a clear message):
`check_has_options`, `check_deterministic`, `check_round_trip`,
`check_conditions_hold`, `check_exclusions_have_reasons`, `check_refinement`,
`check_path_satisfiable` and `check_all`; `dead_paths` lists the routes no
patient can follow.

Every strategy and check takes ``guideline=`` (default `rrall.RR_ALL`): they
read only the guideline's schema and graph, so they work on a fork of the
guideline or on another one. Installing rrall also registers `patients()`
for ``st.from_type(rrall.Patient)``.

>>> from hypothesis import given
>>> from rrall import walk
>>> @given(patients())
... def test_every_patient_has_an_option(patient):
...     check_has_options(walk(patient))
>>> test_every_patient_has_an_option()
"""

from __future__ import annotations

from ._testing._checks import (
    check_all,
    check_conditions_hold,
    check_deterministic,
    check_exclusions_have_reasons,
    check_has_options,
    check_path_satisfiable,
    check_refinement,
    check_round_trip,
    dead_paths,
)
from ._testing._fhir import FhirCase, fhir_records
from ._testing._strategies import PathCase, completions, partial_patients, paths, patients


# Hypothesis's plugin hook is `_rrall_hypothesis.setup` (outside the package, so that it is
# cheap); this name stays for environments installed before it moved. Importing this module
# imports Hypothesis, whose hook or `rrall/__init__` has registered `st.from_type(Patient)`.
def _hypothesis_setup_hook() -> None:
    import hypothesis.strategies as st

    from .rr_all import Patient

    # as `rrall._hypothesis.register` does (which imports this module: no import back)
    st.register_type_strategy(Patient, lambda _: patients())


__all__ = [
    "FhirCase",
    "PathCase",
    "check_all",
    "check_conditions_hold",
    "check_deterministic",
    "check_exclusions_have_reasons",
    "check_has_options",
    "check_path_satisfiable",
    "check_refinement",
    "check_round_trip",
    "completions",
    "dead_paths",
    "fhir_records",
    "partial_patients",
    "paths",
    "patients",
]
