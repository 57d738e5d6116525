"""Drawings of a guideline or a walk result (SVG, PNG, PDF, DOT, Mermaid, Jupyter), in the fonts
shipped with rrall. Builds on `..model` and `..walk`."""

from __future__ import annotations

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
