"""Drawings of a guideline or a walk result (SVG, PNG, PDF, DOT, Mermaid, Jupyter), in the fonts
shipped with rrall. Builds on `..model` and `..walk`. Loads on first use of one of its names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import on_first_use

if TYPE_CHECKING:
    from ._render import BINARY_FORMATS, FORMATS, TEXT_FORMATS, render, to_agraph, to_dot, to_mermaid

__all__ = [
    "BINARY_FORMATS",
    "FORMATS",
    "TEXT_FORMATS",
    "render",
    "to_agraph",
    "to_dot",
    "to_mermaid",
]

#: Every name comes from `._render`, imported on first use.
__getattr__ = on_first_use(__name__, dict.fromkeys(__all__, "._render"), globals())


def __dir__() -> list[str]:
    return sorted(__all__)
