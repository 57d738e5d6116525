"""Exhaustive verification, with the R/R ALL guideline as the default."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .engine import Guideline
from .rr_all import RR_ALL

if TYPE_CHECKING:
    from .engine import Verification

__all__ = ["verify"]


def verify(guideline: Guideline = RR_ALL, *, thorough: bool = False) -> Verification:
    """Check ``guideline`` over every equivalence class of patients: exhaustive, not sampled.

    Patients fall into finitely many classes (each fact's values split at the
    thresholds the conditions test, unknown being one more value); the checks
    run over all of them.

    Args:
        guideline: The guideline to check; the R/R ALL text by default.
        thorough: Also walk every class with unknown facts, to show the walk
            returns for each (seconds rather than well under one).

    Returns:
        A `Verification`: ``ok``, the number of classes, each check with its
        evidence, and a witness patient per leaf.

    Examples:
        >>> from rrall import verify
        >>> result = verify()  # doctest: +SKIP
        >>> result.ok, result.classes  # doctest: +SKIP
        (True, 26244)
    """
    if not isinstance(guideline, Guideline):
        raise TypeError(f"verify(): guideline must be a Guideline, got {type(guideline).__name__}")
    from .engine import verify as check  # on first use: verification costs import time

    return check(guideline, thorough=thorough)
