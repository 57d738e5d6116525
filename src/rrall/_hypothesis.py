"""Registering `rrall.testing.patients` for ``st.from_type(Patient)``, lazily.

Imported last by ``rrall/__init__.py``. If Hypothesis is already loaded, its
plugin hook (`_rrall_hypothesis.setup`) has run without rrall, so rrall
registers here; otherwise that hook does when Hypothesis is imported. Either
way the strategy is built, and `rrall.testing` imported, only when Hypothesis
first resolves ``from_type(Patient)``. ``import rrall`` never imports Hypothesis.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .rr_all import Patient

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["register", "register_if_hypothesis_is_loaded"]


def _patients_for_type(_: type) -> SearchStrategy[Patient]:
    from .testing import patients

    return patients()


def register() -> None:
    """Make ``st.from_type(Patient)`` draw `rrall.testing.patients()` (built on first use)."""
    import hypothesis.strategies as st

    st.register_type_strategy(Patient, _patients_for_type)


def register_if_hypothesis_is_loaded() -> None:
    """`register`, if Hypothesis's strategies are loaded (else its plugin hook will)."""
    strategies = sys.modules.get("hypothesis.strategies")
    if strategies is not None and hasattr(strategies, "register_type_strategy"):
        register()
