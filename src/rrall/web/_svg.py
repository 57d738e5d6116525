"""The flowchart as inline SVG for a page: focusable nodes that carry their quotes."""

from __future__ import annotations

import html
import re

from ..engine import Guideline, WalkResult
from ..engine import render as _render_engine
from ..rr_all import RR_ALL
from ._html import esc

__all__ = ["flowchart_svg"]

_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_NODE = re.compile(r'<g id="([^"]*)" class="node([^"]*)">')
_SVG_OPEN = re.compile(r"<svg\b")

#: What a node's classes on a route mean, in words for a screen reader.
_STATES = (
    ("conditional", "offered if the unknown facts allow"),
    ("offered", "offered"),
    ("excluded", "not offered"),
    ("on-path", "on the route"),
)


def _state(classes: set[str]) -> str:
    return next((words for name, words in _STATES if name in classes), "")


def flowchart_svg(result: WalkResult | None = None, *, guideline: Guideline = RR_ALL) -> str:
    """The flowchart (with ``result``'s route, if given) as SVG to put inside an HTML page.

    The drawing is `rrall.render`'s; the XML prolog and comments are dropped,
    the ``<svg>`` gets a role and label, and each node becomes focusable
    (``tabindex="0"``) with ``role="img"``, an ``aria-label`` giving its label,
    its state on the route and its quote, and the quote in ``data-quote`` for
    the page's tooltip.

    Examples:
        >>> from rrall import Patient, walk
        >>> svg = flowchart_svg(walk(Patient(ph="negative", lineage="T", age=40)))
        >>> svg.startswith("<svg")
        True
        >>> 'id="nelarabine" class="node on&#45;path offered" tabindex="0"' in svg
        True
    """
    drawing = _render_engine(guideline, result, "svg")
    assert isinstance(drawing, bytes)
    text = _COMMENT.sub("", _PROLOG.sub("", drawing.decode("utf-8"), count=1))
    what = "the route of this patient" if result is not None else "the whole guideline"
    text = _SVG_OPEN.sub(
        f'<svg role="group" aria-label="{esc(f"Flowchart of {guideline.title}, showing {what}")}"'
        ' class="flowchart" focusable="false"',
        text,
        count=1,
    )
    return _NODE.sub(lambda match: _node_attributes(match, guideline), text)


def _node_attributes(match: re.Match[str], guideline: Guideline) -> str:
    node_id = html.unescape(match[1])
    classes = set(html.unescape(match[2]).split())
    try:
        node = guideline.node(node_id)
    except KeyError:  # not a node of the guideline: leave it as drawn
        return match[0]
    quote = " … ".join(node.quotes)
    state = _state(classes)
    label = f"{node.label}{f' ({state})' if state else ''}. The text: “{quote}”"
    return (
        f'{match[0][:-1]} tabindex="0" role="img" aria-label="{esc(label)}"'
        f' data-node="{esc(node_id)}" data-label="{esc(node.label)}" data-quote="{esc(quote)}">'
    )
