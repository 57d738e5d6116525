"""How Jupyter draws a guideline or a walk result: hooks the drawing layer fills in.

The graph and the results sit below the renderer, so they cannot import it; the
renderer (`rrall.engine.draw._render`), when imported, sets `DRAWING`.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["DRAWING", "Drawing"]


class Drawing:
    """The drawing layer's functions: an item's SVG (None: none can be drawn) and its
    Jupyter MIME bundle; None until that layer is imported."""

    svg: Callable[[object], str | None] | None = None
    bundle: Callable[[object], dict[str, str]] | None = None


DRAWING = Drawing()


def svg(item: object) -> str | None:
    return None if DRAWING.svg is None else DRAWING.svg(item)


def bundle(item: object) -> dict[str, str]:
    return {"text/plain": repr(item)} if DRAWING.bundle is None else DRAWING.bundle(item)
