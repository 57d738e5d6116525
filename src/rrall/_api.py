"""The public entry points, with the R/R ALL guideline as their default."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NoReturn

from .engine import Guideline, InvalidRecord, WalkResult
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
        TypeError: ``patient`` is not a `Patient` or a dict (JSON text, say),
            or ``guideline`` is not a `Guideline`.

    Examples:
        >>> from rrall import Patient, walk
        >>> walk(Patient(ph="positive", tkis_received=["imatinib"], tkis_failed=[])).option_ids
        ('dasatinib', 'ponatinib', 'allogeneic-sct', 'clinical-trial')
    """
    try:
        return _walk(_record(patient, guideline), guideline)
    except InvalidRecord:
        raise
    except (TypeError, AttributeError):
        _refuse_arguments("walk", patient, guideline)
        raise


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
        TypeError: ``patient`` is not a `Patient` or a dict, or ``guideline``
            is not a `Guideline`.

    Examples:
        >>> from rrall import Patient, screen
        >>> screen(Patient(ph="positive", tkis_received=["imatinib"], tkis_failed=[]))
        ('dasatinib', 'ponatinib', 'allogeneic-sct', 'clinical-trial')
    """
    try:
        return _screen(_record(patient, guideline), guideline)
    except InvalidRecord:
        raise
    except (TypeError, AttributeError):
        _refuse_arguments("screen", patient, guideline)
        raise


def _refuse_arguments(function: str, patient: object, guideline: object) -> None:
    """`TypeError` naming the type expected, if an argument has the wrong one (the walk failed).

    Checked only after a failure, so that a walk pays nothing for it.
    """
    if not isinstance(guideline, Guideline):
        _wrong_type(function, "guideline", "a Guideline (such as rrall.RR_ALL)", guideline)
    schema = guideline.schema
    if isinstance(patient, (Patient, Mapping)) or all(hasattr(patient, name) for name in schema.names):
        return
    hint = (
        "; for JSON text, use Patient.from_dict(json.loads(text))"
        if isinstance(patient, (str, bytes))
        else ""
    )
    _wrong_type(function, "patient", "a Patient, or a dict in its JSON form", patient, hint)


def _wrong_type(function: str, argument: str, expected: str, given: object, hint: str = "") -> NoReturn:
    raise TypeError(
        f"{function}(): {argument} must be {expected}, got {type(given).__name__}{hint}"
    ) from None


def _record(patient: object, guideline: Guideline) -> object:
    if type(patient) is Patient:  # the common case, without asking the `Mapping` ABC
        return patient
    # A dict in the R/R ALL JSON form is read as a Patient, so its drug names are normalised too.
    if isinstance(patient, Mapping) and guideline.schema is RR_ALL.schema:
        return Patient.from_dict(dict(patient))
    return patient
