"""The public entry points, with the R/R ALL guideline as their default."""

from __future__ import annotations

from .engine import Guideline, WalkResult
from .engine import walk as _walk
from .rr_all import RR_ALL

__all__ = ["walk"]


def walk(patient: object, guideline: Guideline = RR_ALL) -> WalkResult:
    """The options the text offers ``patient``, with path, exclusions and citations.

    ``patient`` is a `Patient` (or a dict in its JSON form, validated first).
    Pure: the same input gives the same result, and unknown facts follow
    every branch they could take.

    >>> from rrall import Patient, walk
    >>> walk(Patient(ph="positive", tkis_received=["imatinib"], tkis_failed=[])).option_ids
    ('dasatinib', 'ponatinib', 'allogeneic-sct', 'clinical-trial')
    """
    return _walk(patient, guideline)
