"""The public `render` entry point, with the R/R ALL guideline as its default."""

from __future__ import annotations

from .engine import Guideline, WalkResult
from .rr_all import RR_ALL, Patient

__all__ = ["render"]


def render(
    result: WalkResult | None = None, *, guideline: Guideline = RR_ALL, format: str = "svg"
) -> bytes | str:
    """Draw the guideline as a flowchart; given a walk result, highlight that patient's route.

    Everything drawn derives from the guideline: decisions (bold, amber) with
    the answer on each edge, option groups, regimen leaves with their drugs and
    currency notes, the Ph-negative and Ph-positive sections, and footnote
    markers (R1, R2, ...) for the interpretation register's readings.

    In SVG, each node's element has the node id as its ``id``; with a result,
    the route's nodes and edges carry the class ``on-path``, offered leaves
    ``offered`` (and ``conditional`` when they depend on unknown facts),
    excluded leaves ``excluded``. The same input gives byte-identical output on
    every machine: the text is set in the Liberation Sans that rrall ships, whatever
    fonts the system has (``RRALL_FONTS=system`` chooses the system's; see the
    commands page, "Fonts").

    Args:
        result: A `WalkResult` from `walk`, or None for the whole flowchart.
        guideline: The guideline to draw; the R/R ALL text by default.
        format: ``"svg"``, ``"png"`` or ``"pdf"`` (bytes), ``"dot"`` (Graphviz
            source) or ``"mermaid"`` (a ``flowchart TD`` for Markdown), as str.

    Returns:
        The drawing: bytes for svg, png and pdf; str for dot and mermaid.

    Raises:
        TypeError: ``result`` is not a `WalkResult` or None (a `Patient`, say:
            draw ``render(walk(patient))``), or ``guideline`` is not a `Guideline`.
        ValueError: ``format`` is unknown, or ``result`` is a walk on another guideline.

    Examples:
        >>> from rrall import Patient, render, walk
        >>> svg = render(walk(Patient(ph="negative", lineage="T", age=40)))
        >>> b'id="nelarabine"' in svg
        True
        >>> render(format="mermaid").splitlines()[0]
        'flowchart TD'
    """
    if result is not None and not isinstance(result, WalkResult):
        hint = "; for a patient's route, render(walk(patient))" if isinstance(result, Patient) else ""
        raise TypeError(
            f"render(): result must be a WalkResult from walk(), or None, got {_name(result)}{hint}"
        )
    if not isinstance(guideline, Guideline):
        raise TypeError(
            f"render(): guideline must be a Guideline (such as rrall.RR_ALL), got {_name(guideline)}"
        )
    if not isinstance(format, str):
        raise TypeError(f"render(): format must be a str such as 'svg', got {_name(format)}")
    from .engine import render as draw  # on first use: the drawing layer costs import time

    return draw(guideline, result, format)


def _name(value: object) -> str:
    return type(value).__name__
