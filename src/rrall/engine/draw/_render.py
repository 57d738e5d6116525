"""Drawing a guideline as a flowchart, optionally with one patient's route.

Everything drawn derives from the `Guideline`: nodes, branches and their
labels, sections (as clusters), interpretation-register readings (as
footnote markers with the footnotes on the chart) and leaf notes.

Graphviz does the layout, in-process through pygraphviz (imported lazily, on
the first render). SVG output is stable and scriptable: each node's element
has the node id as its ``id``; with a walk result, nodes and edges on the
route carry the class ``on-path``, offered leaves ``offered`` (plus
``conditional`` when they depend on unknown facts) and excluded leaves
``excluded``. The same input gives byte-identical output, on every machine:
text is measured and drawn with the fonts rrall ships (`_fonts`), whatever
fonts the system has.

Every text is escaped for the output it lands in (Graphviz HTML-like labels,
Graphviz escape strings, Mermaid entity codes), so a label cannot break the
output or inject into it.
"""

from __future__ import annotations

import html
import re
import textwrap
import unicodedata
from typing import TYPE_CHECKING

from attrs import frozen

from ..model import _display
from ..model._graph import Decision, Guideline, Leaf, Node, Reading
from ..walk._result import Option, WalkResult
from . import _fonts

if TYPE_CHECKING:
    import pygraphviz

__all__ = [
    "BINARY_FORMATS",
    "FORMATS",
    "TEXT_FORMATS",
    "mimebundle",
    "render",
    "svg_text",
    "to_agraph",
    "to_dot",
    "to_mermaid",
]

BINARY_FORMATS = ("svg", "png", "pdf")
TEXT_FORMATS = ("dot", "mermaid")
FORMATS = BINARY_FORMATS + TEXT_FORMATS

FONT = "Helvetica,Arial,sans-serif"
WRAP = 34  # characters per line in a node

# Colours: neutral chart, then the route.
INK = "#1f2933"
MUTED = "#52606d"
NOTE = "#8a4b08"
FILL = {"decision": "#fff4d6", "group": "#e8eef7", "leaf": "#ffffff"}
BORDER = {"decision": "#b7791f", "group": "#486581", "leaf": "#334e68"}
ROUTE = "#0b7a3b"
ROUTE_FILL = {"decision": "#fde7a9", "group": "#cfe3d6", "leaf": "#d9f2e1"}
CONDITIONAL = "#b7791f"
CONDITIONAL_FILL = "#fff2cc"
EXCLUDED = "#9aa5b1"
EXCLUDED_FILL = "#f5f7fa"
SECTION_FILL = "#f7f9fc"
MARGIN = {"decision": "0.16,0.07", "group": "0.14,0.06", "leaf": "0.11,0.06"}  # inches: x, y

# -- what a walk result marks ----------------------------------------------


@frozen
class _Marks:
    nodes: frozenset[str]
    edges: frozenset[tuple[str, str]]
    offered: frozenset[str]
    conditional: frozenset[str]
    excluded: frozenset[str]

    def node_classes(self, node_id: str) -> tuple[str, ...]:
        classes = []
        if node_id in self.nodes:
            classes.append("on-path")
        if node_id in self.offered:
            classes.append("offered")
        if node_id in self.conditional:
            classes.append("conditional")
        if node_id in self.excluded:
            classes.append("excluded")
        return tuple(classes)


def _marks(guideline: Guideline, result: WalkResult | None) -> _Marks | None:
    if result is None:
        return None
    if result.guideline != guideline.name:
        raise ValueError(f"the walk result is on {result.guideline!r}, not on {guideline.name!r}")
    edges = frozenset((step.node, target) for step in result.path for target in step.taken)
    offered = frozenset(option.id for option in result.options)
    nodes = frozenset(step.node for step in result.path) | {target for _, target in edges} | offered
    return _Marks(
        nodes=nodes,
        edges=edges,
        offered=offered,
        conditional=frozenset(option.id for option in result.conditional),
        excluded=frozenset(exclusion.id for exclusion in result.excluded),
    )


# -- escaping -----------------------------------------------------------------

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """``text`` without characters XML cannot hold (control characters, surrogates)."""
    return _UNSAFE.sub("\ufffd", text)


def _html(text: str) -> str:
    """Text for a Graphviz HTML-like label.

    Graphviz expands escapes such as ``\\N`` (the node name) even in HTML-like
    labels, so a backslash is doubled, and XML's special characters become entities.
    """
    return (
        clean(text)
        .replace("\\", "\\\\")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("]", "&#93;")
    )


def _esc_id(text: str) -> str:
    """Text for a Graphviz ``id``, shown verbatim in SVG.

    Graphviz expands ``\\N`` and the like in an id, and its SVG writer keeps
    anything that looks like an entity as it is: so backslashes are doubled and
    ``&`` is written as an entity already.
    """
    return clean(text).replace("\\", "\\\\").replace("&", "&amp;")


def _esc_tooltip(text: str) -> str:
    """Text for a Graphviz ``tooltip``, shown verbatim in SVG.

    A tooltip goes through two rounds of backslash escapes (``\\n``, then
    ``\\N``): a backslash is written as four.
    """
    return clean(text).replace("\\", "\\" * 4).replace("&", "&amp;")


def _lines(text: str, width: int = WRAP) -> list[str]:
    lines = textwrap.wrap(clean(text), width, break_long_words=False, break_on_hyphens=False)
    return lines or ["\u00a0"]  # Graphviz rejects empty markup such as <B></B>


def _wrapped(text: str, width: int = WRAP) -> str:
    return '<BR ALIGN="LEFT"/>'.join(_html(line) for line in _lines(text, width)) + '<BR ALIGN="LEFT"/>'


def _centred(text: str, width: int = WRAP) -> str:
    return "<BR/>".join(_html(line) for line in _lines(text, width))


def _line(text: str) -> str:
    """Text on one line, its whitespace collapsed (Graphviz would drop a newline)."""
    return _html(" ".join(clean(text).split()) or "\u00a0")


# -- Graphviz -------------------------------------------------------------


_TABLE = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'


def _used_readings(guideline: Guideline) -> list[Reading]:
    """The register's readings that some node refers to, in register order."""
    return [
        reading for reading in guideline.readings if any(reading.id in n.readings for n in guideline.nodes)
    ]


def _markers(node: Node) -> str:
    if not node.readings:
        return ""
    return f'<FONT POINT-SIZE="8.5" COLOR="{NOTE}"><SUP> {_line(",".join(node.readings))}</SUP></FONT>'


def _node_label(node: Node) -> str:
    markers = _markers(node)
    if isinstance(node, Leaf):
        rows = [f"<B>{_centred(node.label, 26)}</B>{markers}"]
        aliases = ", ".join(node.aliases)
        parts = [item for item in node.components if item.lower() != node.label.lower()]
        details = ", ".join(parts)
        if aliases:
            details = f"{details} ({aliases})" if details else aliases
        if details:
            rows.append(f'<FONT POINT-SIZE="9" COLOR="{MUTED}">{_centred(details, 30)}</FONT>')
        for note in node.notes:
            rows.append(f'<FONT POINT-SIZE="8.5" COLOR="{NOTE}"><I>{_centred(note, 34)}</I></FONT>')
        cells = "".join(f"<TR><TD>{row}</TD></TR>" for row in rows)
        return f"<{_TABLE}{cells}</TABLE>>"
    text = _centred(node.label, 24)
    if isinstance(node, Decision):
        text = f"<B>{text}</B>"
    return f"<{_TABLE}<TR><TD>{text}{markers}</TD></TR></TABLE>>"


def _patient_words(guideline: Guideline, result: WalkResult) -> str:
    """The walked patient's known facts, as a clinician reads them."""
    schema = guideline.schema
    facts = schema.parse(result.patient)
    known = [f"{schema.fact(n).label}: {schema.show(n, v)}" for n, v in facts.items() if v is not None]
    return "Route of the patient with " + ("; ".join(known) or "no known facts") + " (other facts unknown)."


def _footnotes(guideline: Guideline, result: WalkResult | None) -> str:
    rows = []
    if result is not None:
        rows.append(f"<B>{_wrapped(_patient_words(guideline, result), 120)}</B>")
        rows.append(
            f'<FONT COLOR="{ROUTE}"><B>Green</B></FONT>: the route and the options offered. '
            f'<FONT COLOR="{CONDITIONAL}"><B>Dashed amber</B></FONT>: offered if the unknown facts allow. '
            f'<FONT COLOR="{EXCLUDED}"><B>Grey</B></FONT>: not offered.'
        )
    used = _used_readings(guideline)
    if used:
        rows.append("<B>Readings of unclear spans</B> (the interpretation register)")
    for reading in used:
        rows.append(f'<FONT COLOR="{NOTE}">{_line(reading.id)}</FONT>  {_line(reading.title)}')
    if guideline.disclaimer:
        rows.append(f'<FONT POINT-SIZE="8.5" COLOR="{MUTED}">{_wrapped(guideline.disclaimer, 120)}</FONT>')
    if not rows:
        return ""
    cells = "".join(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{cells}</TABLE>>'


def _node_style(node: Node, classes: tuple[str, ...], marked: bool) -> dict[str, str]:
    kind = node.kind
    style = {
        "shape": "box",
        "style": "rounded,filled" if kind != Leaf.kind else "filled",
        "fillcolor": FILL[kind],
        "color": BORDER[kind],
        "fontcolor": INK,
        "penwidth": "1.2",
        # Room between the label and the border: a rounded corner eats into a box, and bold
        # text drawn at 96 dpi (PNG) comes out a little wider than Graphviz measured it.
        "margin": MARGIN[kind],
    }
    if not marked:
        return style
    if "conditional" in classes:
        style.update(color=CONDITIONAL, fillcolor=CONDITIONAL_FILL, penwidth="2", style="filled,dashed")
    elif "on-path" in classes:
        style.update(color=ROUTE, fillcolor=ROUTE_FILL[kind], penwidth="2.2")
    else:
        style.update(color=EXCLUDED, fillcolor=EXCLUDED_FILL, fontcolor=EXCLUDED)
    if kind != Leaf.kind and "conditional" not in classes:
        style["style"] = "rounded,filled"
    return style


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def to_agraph(guideline: Guideline, result: WalkResult | None = None) -> pygraphviz.AGraph:
    """The flowchart as a `pygraphviz.AGraph` (laid out on demand)."""
    import pygraphviz  # lazily: `import rrall` must not load Graphviz

    _fonts.ensure()  # before Graphviz measures any text
    marks = _marks(guideline, result)
    graph = pygraphviz.AGraph(directed=True, strict=False, name=clean(guideline.name))
    graph.graph_attr.update(
        rankdir="LR",
        newrank="true",
        ordering="out",
        nodesep="0.10",
        ranksep="0.22",
        splines="spline",
        fontname=FONT,
        fontsize="14",
        bgcolor="white",
        pad="0.2",
        labelloc="t",
        labeljust="l",
        label=f"<<B>{_line(guideline.title)}</B>>",
        id=_esc_id(guideline.name),
    )
    graph.node_attr.update(fontname=FONT, fontsize="10")
    graph.edge_attr.update(fontname=FONT, fontsize="8.5", color=MUTED, fontcolor=MUTED, arrowsize="0.6")
    _add_nodes(graph, guideline, marks)
    _add_sections(graph, guideline, result)
    _add_edges(graph, guideline, marks)
    return graph


def _add_nodes(graph: pygraphviz.AGraph, guideline: Guideline, marks: _Marks | None) -> None:
    for node in guideline.nodes:
        classes = marks.node_classes(node.id) if marks else ()
        attributes = _node_style(node, classes, marks is not None)
        attributes.update(
            label=_node_label(node),
            id=_esc_id(node.id),
            tooltip=_esc_tooltip(" … ".join(node.quotes)),
        )
        if classes:
            attributes["class"] = " ".join(classes)
        graph.add_node(node.id, **attributes)


def _add_sections(graph: pygraphviz.AGraph, guideline: Guideline, result: WalkResult | None) -> None:
    """Every node sits in one borderless cluster whose label holds the footnotes, under the
    chart; the text's sections are clusters inside it."""
    chart = graph.add_subgraph(
        [node.id for node in guideline.nodes],
        name="cluster_chart",
        id="chart",
        label=_footnotes(guideline, result),
        labelloc="b",
        labeljust="l",
        peripheries="0",
        fontsize="10",
    )
    sections = list(dict.fromkeys(node.section for node in guideline.nodes if node.section))
    for number, section in enumerate(sections, 1):
        members = [node.id for node in guideline.nodes if node.section == section]
        chart.add_subgraph(
            members,
            name=f"cluster_{number}",
            label=f"<<B>{_line(section)}</B>>",
            id=_esc_id(f"section-{_slug(section)}"),
            style="rounded,filled",
            fillcolor=SECTION_FILL,
            color="#bcccdc",
            fontsize="12",
            labeljust="l",
            labelloc="t",
            fontcolor=INK,
        )


def _add_edges(graph: pygraphviz.AGraph, guideline: Guideline, marks: _Marks | None) -> None:
    for node in guideline.nodes:
        # Graphviz stacks a node's successors bottom-up when laid out left to right.
        for branch in reversed(node.branches):
            words = guideline.edge_label(branch)
            attributes = {"id": _esc_id(f"{node.id}--{branch.to}")}
            if words:
                attributes["label"] = f"<{_centred(words, 20)}>"
            if marks is not None:
                if (node.id, branch.to) in marks.edges:
                    attributes.update({"class": "on-path", "color": ROUTE, "penwidth": "2.2"})
                    attributes["fontcolor"] = ROUTE
                else:
                    attributes.update(color=EXCLUDED, style="dashed")
                    attributes["fontcolor"] = EXCLUDED
            graph.add_edge(node.id, branch.to, key=f"{node.id}--{branch.to}", **attributes)


def to_dot(guideline: Guideline, result: WalkResult | None = None) -> str:
    """The flowchart as Graphviz DOT source."""
    return str(to_agraph(guideline, result).string())


_PDF_DATE = re.compile(rb"/CreationDate \(D:[^)]*\)")
_FIXED_PDF_DATE = b"/CreationDate (D:19700101000000Z)"
_PDF_XREF_ENTRY = re.compile(rb"^(\d{10})( \d{5} n)", re.MULTILINE)
_PDF_STARTXREF = re.compile(rb"(startxref\s+)(\d+)")


def _fixed_pdf_date(data: bytes) -> bytes:
    """``data`` with cairo's creation time (local time and zone) replaced by a fixed one.

    The zone's length varies ("Z", "-05'00"), so the offsets of the objects after the
    date, in the cross-reference table and after ``startxref``, move with it.
    """
    found = _PDF_DATE.search(data)
    if found is None:
        return data
    at, shift = found.start(), len(_FIXED_PDF_DATE) - len(found[0])
    data = data[:at] + _FIXED_PDF_DATE + data[found.end() :]
    table = data.rfind(b"\nxref\n")
    if shift == 0 or table < at:
        return data

    def moved(entry: re.Match[bytes]) -> bytes:
        offset = int(entry[1])
        return b"%010d%s" % (offset + shift if offset > at else offset, entry[2])

    tail = _PDF_XREF_ENTRY.sub(moved, data[table:])
    tail = _PDF_STARTXREF.sub(lambda m: m[1] + str(int(m[2]) + shift).encode(), tail)
    return data[:table] + tail


def _draw(graph: pygraphviz.AGraph, fmt: str) -> bytes:
    """Lay out and draw in-process (Graphviz is bundled with pygraphviz; no `dot` program runs)."""
    data: bytes = graph.draw(format=fmt, prog="dot")
    return _fixed_pdf_date(data) if fmt == "pdf" else data


# -- Mermaid ------------------------------------------------------------------

_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 ,.:'?!/+\-_=%*@~^$()]")
_MERMAID_ENTITY = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "#": "#35;"}
# Mermaid's lexer reads a hyphen followed by '-', '>' or '.' as part of an arrow.
_MERMAID_ID = re.compile(r"[A-Za-z0-9_]+(-[A-Za-z0-9_]+)*\Z")
# Words Mermaid's lexer takes as keywords when an id starts with them.
_MERMAID_KEYWORDS = (
    "style", "linkstyle", "interpolate", "classdef", "class", "click", "call", "href", "graph",
    "flowchart", "subgraph", "end", "direction", "acc", "_",
)  # fmt: skip


def mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: Mermaid entity codes for anything but plain characters."""
    out = []
    for char in clean(text):
        if char == "\n":
            out.append("<br>")
        elif _MERMAID_SAFE.match(char) or (ord(char) > 127 and unicodedata.category(char)[0] in "LNS"):
            out.append(char)
        else:
            out.append(_MERMAID_ENTITY.get(char) or f"#{ord(char)};")
    return "".join(out)


def _fresh(base: str, taken: set[str]) -> str:
    name = base
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def _mermaid_ids(guideline: Guideline) -> dict[str, str]:
    """Node ids kept where Mermaid can read them, else ``n<index>``."""
    kept = {
        node.id
        for node in guideline.nodes
        if _MERMAID_ID.match(node.id) and not node.id.lower().startswith(_MERMAID_KEYWORDS)
    }
    taken = set(kept)
    return {
        node.id: node.id if node.id in kept else _fresh(f"n{index}", taken)
        for index, node in enumerate(guideline.nodes)
    }


def _mermaid_label(node: Node) -> str:
    text = mermaid_text(node.label)
    if node.readings:
        text += f" <sup>{mermaid_text(','.join(node.readings))}</sup>"
    if isinstance(node, Leaf):
        parts = [item for item in node.components if item.lower() != node.label.lower()]
        if parts:
            text += f"<br><small>{mermaid_text(', '.join(parts))}</small>"
        for note in node.notes:
            text += f"<br><small><i>{mermaid_text(note)}</i></small>"
        return f'["{text}"]'
    if isinstance(node, Decision):
        return f'{{"{text}"}}'
    return f'("{text}")'


def to_mermaid(guideline: Guideline, result: WalkResult | None = None) -> str:
    """The flowchart as a Mermaid ``flowchart TD``, for GitHub/GitLab markdown."""
    marks = _marks(guideline, result)
    ids = _mermaid_ids(guideline)
    taken = set(ids.values())
    lines = ["flowchart TD"]
    sections = list(dict.fromkeys(node.section for node in guideline.nodes if node.section))
    for node in guideline.nodes:
        if not node.section:
            lines.append(f"    {ids[node.id]}{_mermaid_label(node)}")
    for number, section in enumerate(sections, 1):
        lines.append(f'    subgraph {_fresh(f"section{number}", taken)}["{mermaid_text(section)}"]')
        for node in guideline.nodes:
            if node.section == section:
                lines.append(f"        {ids[node.id]}{_mermaid_label(node)}")
        lines.append("    end")
    route: list[int] = []
    count = 0
    for node in guideline.nodes:
        for branch in node.branches:
            words = guideline.edge_label(branch)
            arrow = f' -->|"{mermaid_text(words)}"| ' if words else " --> "
            lines.append(f"    {ids[node.id]}{arrow}{ids[branch.to]}")
            if marks is not None and (node.id, branch.to) in marks.edges:
                route.append(count)
            count += 1
    notes = _mermaid_footnotes(guideline, result)
    if notes:
        footnotes = _fresh("footnotes", taken)
        lines.append(f'    {footnotes}["{notes}"]')
        lines.append(f"    class {footnotes} footnote")
        lines.append("    classDef footnote fill:#ffffff,stroke:#bcccdc,text-align:left")
    if marks is not None:
        lines += [
            f"    classDef on-path fill:{ROUTE_FILL['group']},stroke:{ROUTE},stroke-width:2px",
            f"    classDef offered fill:{ROUTE_FILL['leaf']},stroke:{ROUTE},stroke-width:2px",
            f"    classDef conditional fill:{CONDITIONAL_FILL},stroke:{CONDITIONAL},stroke-dasharray:5 3",
            f"    classDef excluded fill:{EXCLUDED_FILL},stroke:{EXCLUDED},color:{EXCLUDED}",
        ]
        for name in ("on-path", "offered", "conditional", "excluded"):
            members = [ids[n.id] for n in guideline.nodes if name == _mermaid_class(marks, n.id)]
            if members:
                lines.append(f"    class {','.join(members)} {name}")
        if route:
            lines.append(f"    linkStyle {','.join(map(str, route))} stroke:{ROUTE},stroke-width:2px")
    return "\n".join(lines) + "\n"


def _mermaid_footnotes(guideline: Guideline, result: WalkResult | None) -> str:
    """What the SVG shows under the chart: the patient and the legend, the readings, the disclaimer."""
    rows = []
    if result is not None:
        rows.append(f"<b>{mermaid_text(_patient_words(guideline, result))}</b>")
        rows.append(
            "<b>Green</b>: the route and the options offered. "
            "<b>Dashed amber</b>: offered if the unknown facts allow. <b>Grey</b>: not offered."
        )
    readings = _used_readings(guideline)
    if readings:
        rows.append("<b>Readings of unclear spans</b> (the interpretation register)")
    rows += [f"{mermaid_text(r.id)}: {mermaid_text(r.title)}" for r in readings]
    if guideline.disclaimer:
        rows.append(f"<small>{mermaid_text(guideline.disclaimer)}</small>")
    return "<br>".join(rows)


def _mermaid_class(marks: _Marks, node_id: str) -> str | None:
    """One class per node (Mermaid's last classDef wins): the most telling one."""
    for name in ("conditional", "offered", "excluded", "on-path"):
        if name in marks.node_classes(node_id):
            return name
    return None


# -- entry point ------------------------------------------------------------


def render(guideline: Guideline, result: WalkResult | None = None, format: str = "svg") -> bytes | str:
    """Draw ``guideline`` (with ``result``'s route highlighted, if given).

    ``format`` is one of svg, png, pdf (bytes) or dot, mermaid (str).
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    if format == "mermaid":
        return to_mermaid(guideline, result)
    graph = to_agraph(guideline, result)
    if format == "dot":
        return str(graph.string())
    return _draw(graph, format)


# -- Jupyter ------------------------------------------------------------------


def svg_text(item: Guideline | WalkResult) -> str | None:
    """The SVG drawing of a guideline, or of a walk result's route on the guideline it walked."""
    if isinstance(item, Guideline):
        return _draw(to_agraph(item), "svg").decode()
    return _draw(to_agraph(item.walked, item), "svg").decode()


def mimebundle(item: Guideline | WalkResult) -> dict[str, str]:
    """What Jupyter shows for a guideline or a walk result: the SVG and a one-line summary."""
    if isinstance(item, Guideline):
        summary = f"<Guideline {item.name!r}: {len(item.nodes)} nodes, {len(item.leaves)} leaves>"
    else:
        summary = (
            f"<WalkResult on {item.guideline!r}: {len(item.options)} options offered "
            f"({len(item.definite)} definite, {len(item.conditional)} depending on unknown facts), "
            f"{len(item.excluded)} not offered>"
        )
    bundle = {"text/plain": summary}
    svg = svg_text(item)
    if svg is not None:
        bundle["image/svg+xml"] = svg
    if isinstance(item, WalkResult):
        bundle["text/html"] = _options_html(item, svg)
    return bundle


def _options_html(result: WalkResult, svg: str | None) -> str:
    """The options as an HTML list, beside the route's SVG when there is one."""

    def entry(option: Option) -> str:
        only = "; ".join(requirement.text for requirement in option.conditions)
        words = f" <em>only if: {html.escape(only)}</em>" if only else ""
        return f"<li>{'✓' if option.definite else '?'} {html.escape(option.name)}{words}</li>"

    items = "".join(entry(option) for option in result.options)
    listing = (
        f"<div><p><b>{len(result.options)} options offered</b> ({len(result.definite)} definite, "
        f"{len(result.conditional)} depending on unknown facts); {len(result.excluded)} not offered.</p>"
        f"<ul>{items}</ul></div>"
    )
    if svg is None:
        return listing
    body = svg[svg.index("<svg") :]
    return f"<div style='display:flex;gap:1em;align-items:flex-start'>{listing}<div>{body}</div></div>"


_display.DRAWING.svg = svg_text  # type: ignore[assignment]  # takes the two kinds it draws
_display.DRAWING.bundle = mimebundle  # type: ignore[assignment]
