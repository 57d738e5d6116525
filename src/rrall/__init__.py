"""rrall: the R/R ALL treatment-options text as a walkable, cited decision graph.

>>> from rrall import Patient, walk
>>> result = walk(Patient(ph="negative", lineage="T", age=40))
>>> "nelarabine" in result.option_ids
True

rrall models one published text; it is not medical advice.
"""

from typing import TYPE_CHECKING

from ._api import screen, walk
from ._render_api import render
from ._verify_api import verify
from ._version import __version__ as __version__
from .engine import (
    Exclusion,
    Guideline,
    GuidelineError,
    InvalidRecord,
    Option,
    Provenance,
    Publication,
    Requirement,
    ResultError,
    Step,
    WalkResult,
)
from .rr_all import CD20, RR_ALL, TKI, Lineage, Patient, Ph, Status

if TYPE_CHECKING:
    from .engine import Verification


__all__ = [
    "CD20",
    "RR_ALL",
    "TKI",
    "Exclusion",
    "Guideline",
    "GuidelineError",
    "InvalidRecord",
    "Lineage",
    "Option",
    "Patient",
    "Ph",
    "Provenance",
    "Publication",
    "Requirement",
    "ResultError",
    "Status",
    "Step",
    "Verification",
    "WalkResult",
    "render",
    "screen",
    "verify",
    "walk",
]

# Last, once everything above is imported: `st.from_type(Patient)` if Hypothesis is loaded already.
from ._hypothesis import register_if_hypothesis_is_loaded

register_if_hypothesis_is_loaded()


def __getattr__(name: str) -> object:
    """`Verification`, loaded with the verification layer on first use."""
    if name == "Verification":
        from .engine import Verification

        globals()[name] = Verification
        return Verification
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
