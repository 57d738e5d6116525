"""The public entry points, with the R/R ALL guideline as their default."""

from __future__ import annotations

from collections.abc import Mapping

from .engine import Guideline, WalkResult
from .engine import screen as _screen
from .engine import walk as _walk
from .rr_all import RR_ALL, Patient

__all__ = ["screen", "walk"]


def walk(patient: object, guideline: Guideline = RR_ALL) -> WalkResult:
    """The options the text offers ``patient``, with path, exclusions and citations.

    Pure: the same input gives the same result. A fact the patient leaves
    unknown follows every branch it could take, so options that depend on it
    are offered with the conditions they still need.

    Args:
        patient: A `Patient`, or a dict in its JSON form (validated first).
        guideline: The guideline to walk; the R/R ALL text by default.

    Returns:
        The options offered (definite or conditional), the options excluded
            and why, the missing facts that would change the answer, and the
            path taken.

    Raises:
        InvalidRecord: ``patient`` is a dict that breaks the guideline's schema.

    Examples:
        >>> from rrall import Patient, walk
        >>> walk(Patient(ph="positive", tkis_received=["imatinib"], tkis_failed=[])).option_ids
        ('dasatinib', 'ponatinib', 'allogeneic-sct', 'clinical-trial')
    """
    return _walk(_record(patient, guideline), guideline)


def screen(patient: object, guideline: Guideline = RR_ALL) -> tuple[str, ...]:
    """Only the ids of the options the text offers ``patient``: ``walk(patient).option_ids``, fast.

    For screening many patients. The guideline's conditions are compiled to
    a Python function once (`rrall.engine.compiled`); a patient with every fact
    it reads known takes that function only, and one with an unknown fact
    there is walked. The answer is always the same as `walk`'s.

    Args:
        patient: A `Patient`, or a dict in its JSON form (validated first).
        guideline: The guideline to screen against; the R/R ALL text by default.

    Returns:
        The offered option ids, in the text's order (definite and conditional alike).

    Raises:
        InvalidRecord: ``patient`` is a dict that breaks the guideline's schema.

    Examples:
        >>> from rrall import Patient, screen
        >>> screen(Patient(ph="positive", tkis_received=["imatinib"], tkis_failed=[]))
        ('dasatinib', 'ponatinib', 'allogeneic-sct', 'clinical-trial')
    """
    return _screen(_record(patient, guideline), guideline)


def _record(patient: object, guideline: Guideline) -> object:
    # A dict in the R/R ALL JSON form is read as a Patient, so its drug names are normalised too.
    if isinstance(patient, Mapping) and guideline.schema is RR_ALL.schema:
        return Patient.from_dict(dict(patient))
    return patient
