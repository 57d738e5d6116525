"""rrall's Hypothesis plugin: ``st.from_type(rrall.Patient)`` draws ``rrall.testing.patients()``.

Hypothesis calls `setup` when it is imported (the ``hypothesis`` entry point in
rrall's metadata). This module lies outside the ``rrall`` package because
importing anything inside it imports ``rrall``, which builds the guideline: so
in an environment where rrall is merely installed, ``import hypothesis`` costs
next to nothing more. Whichever of the two is imported second registers the
strategy: `setup` when rrall is already imported, else rrall itself
(`rrall._hypothesis`) when Hypothesis is already loaded.
"""

from __future__ import annotations

import sys

__all__ = ["setup"]


def setup() -> None:
    """Register the strategy for `rrall.Patient` if rrall is imported; else leave it to rrall."""
    registration = sys.modules.get("rrall._hypothesis")
    if registration is not None:
        registration.register()
