"""A patient's whole answer as one self-contained HTML page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .._version import __version__
from ..engine import Exclusion, Guideline, Option, WalkResult
from ..rr_all import RR_ALL
from ..rr_all._source import SOURCE_HEADER
from ._html import esc, static_text, term
from ._svg import flowchart_svg

__all__ = ["readings_applied", "report_html"]


def report_html(
    result: WalkResult,
    *,
    guideline: Guideline = RR_ALL,
    provenance: Mapping[str, object] | None = None,
    notices: Sequence[str] = (),
    source: str | None = None,
) -> str:
    """One HTML page with everything the walk says about this patient; it needs no network.

    It shows the patient's facts (with where each came from, given
    ``provenance``), the options with their conditions, components, notes and
    quotes, what was excluded and why, the facts to find out next, the route
    on the flowchart (inline SVG: hovering or focusing a node shows its quote),
    the readings of the text applied, the disclaimer, the source and the
    version. Every text is escaped; styles and script are inline.

    Args:
        result: A walk of the patient, from `rrall.walk`.
        guideline: The guideline walked; the R/R ALL text by default.
        provenance: For each fact name, where its value (or its being unknown)
            came from, e.g. from a FHIR Bundle; shown as text.
        source: The source's citation; by default the R/R ALL text's header, or another
            guideline's publication (title, publisher, date captured).

    Examples:
        >>> from rrall import Patient, walk
        >>> page = report_html(walk(Patient(ph="negative", lineage="T", age=40)))
        >>> page.startswith("<!DOCTYPE html>") and "Nelarabine" in page
        True
    """
    cited = source if source is not None else _citation(guideline)
    sections = [
        _notices(notices),
        _facts(result, guideline, provenance),
        _options(result.options, guideline),
        _exclusions(result.excluded),
        _missing(result, guideline),
        _route(result, guideline),
        _readings(result, guideline),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{esc(_page_title(result, guideline))}</title>\n"
        f"<style>\n{static_text('base.css')}\n{static_text('report.css')}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the report</a>\n'
        f'<header>\n<p class="kicker">rrall report</p>\n<h1>{esc(guideline.title)}</h1>\n'
        f'<p class="disclaimer"><strong>Not medical advice.</strong> {esc(guideline.disclaimer)}</p>\n'
        "</header>\n"
        f'<main id="main">\n{"".join(sections)}</main>\n'
        f"{_footer(guideline, cited)}"
        f'<div class="quote-tip" id="quote-tip" role="tooltip" hidden></div>\n'
        f"<script>\n{static_text('flowchart.js')}</script>\n</body>\n</html>\n"
    )


def _notices(notices: Sequence[str]) -> str:
    if not notices:
        return ""
    items = "".join(f"<li>{esc(notice)}</li>\n" for notice in notices)
    return _section("notices", "About this record", f'<ul class="notices">\n{items}</ul>\n')


def _page_title(result: WalkResult, guideline: Guideline) -> str:
    count = len(result.options)
    return f"rrall report: {count} option{'s' if count != 1 else ''} ({guideline.name})"


def _section(key: str, heading: str, body: str) -> str:
    return (
        f'<section class="block" id="sec-{key}" aria-labelledby="h-{key}">\n'
        f'<h2 id="h-{key}">{esc(heading)}</h2>\n{body}</section>\n'
    )


def _facts(result: WalkResult, guideline: Guideline, provenance: Mapping[str, object] | None) -> str:
    schema = guideline.schema
    facts = schema.facts_of(result.patient)
    rows = []
    for fact in schema.facts:
        value = facts[fact.name]
        shown = "unknown" if value is None else fact.show(value)
        where = f"<td>{esc(provenance.get(fact.name, ''))}</td>" if provenance is not None else ""
        rows.append(
            f'<tr data-fact="{esc(fact.name)}"{" class=unknown" if value is None else ""}>'
            f'<th scope="row">{esc(fact.label)} <code>{esc(fact.name)}</code></th>'
            f"<td>{esc(shown)}</td>{where}</tr>\n"
        )
    came_from = '<th scope="col">Where it came from</th>' if provenance is not None else ""
    known = sum(value is not None for value in facts.values())
    table = (
        f'<table class="facts">\n<caption>{known} of {len(facts)} facts known; '
        "an unknown fact is never taken as false.</caption>\n"
        f'<thead><tr><th scope="col">Fact</th><th scope="col">Value</th>{came_from}</tr></thead>\n'
        f"<tbody>\n{''.join(rows)}</tbody>\n</table>\n"
    )
    return _section("facts", "The patient's facts", table)


def _quote(text: str) -> str:
    return f'<blockquote class="quote"><p>“{esc(text)}”</p></blockquote>\n'


def _option(option: Option, guideline: Guideline) -> str:
    """An option with its details, each headed by the guideline's own words for it."""
    aliases = f" ({esc(', '.join(option.aliases))})" if option.aliases else ""
    badge = (
        '<span class="badge definite">offered</span>'
        if option.definite
        else '<span class="badge conditional">offered if the unknown facts allow</span>'
    )
    details = []
    if option.components:
        details.append((term(guideline.components.words), ", ".join(option.components)))
    if option.variants:
        details.append((term(guideline.leaf_words.variants_words), "; ".join(option.variants)))
    if option.already_given and guideline.history is not None:
        details.append((term(guideline.history.words), ", ".join(option.already_given)))
    details += [("Only if", requirement.text) for requirement in option.conditions]
    rows = "".join(f"<dt>{esc(term)}</dt><dd>{esc(value)}</dd>\n" for term, value in details)
    notes = "".join(f'<p class="note">{esc(note)}</p>\n' for note in option.notes)
    quotes = "".join(_quote(quote) for quote in option.quotes)
    return (
        f'<li class="option {"definite" if option.definite else "conditional"}"'
        f' data-option="{esc(option.id)}">\n'
        f"<h3>{esc(option.name)}{aliases} {badge}</h3>\n"
        f"{f'<dl>{chr(10)}{rows}</dl>{chr(10)}' if rows else ''}{notes}{quotes}</li>\n"
    )


def _options(options: tuple[Option, ...], guideline: Guideline) -> str:
    definite = sum(option.definite for option in options)
    heading = f"Options offered: {definite} definite, {len(options) - definite} depending on unknown facts"
    if not options:
        return _section("options", heading, "<p>The text offers no option for these facts.</p>\n")
    return _section(
        "options", heading, f'<ol class="options">\n{"".join(_option(o, guideline) for o in options)}</ol>\n'
    )


def _exclusion(item: Exclusion) -> str:
    return (
        f'<li class="excluded" data-option="{esc(item.id)}">\n<h3>{esc(item.name)}</h3>\n'
        f'<p class="reason">{esc(item.reason)}</p>\n{_quote(item.quote)}</li>\n'
    )


def _exclusions(excluded: tuple[Exclusion, ...]) -> str:
    heading = f"Not offered, and why ({len(excluded)})"
    if not excluded:
        return _section("excluded", heading, "<p>Every option the text names is offered.</p>\n")
    return _section(
        "excluded", heading, f'<ul class="exclusions">\n{"".join(map(_exclusion, excluded))}</ul>\n'
    )


def _missing(result: WalkResult, guideline: Guideline) -> str:
    if not result.missing:
        body = "<p>No unknown fact would change the options.</p>\n"
    else:
        items = "".join(
            f'<li data-fact="{esc(name)}">{esc(guideline.schema.fact(name).label)}'
            f" <code>{esc(name)}</code></li>\n"
            for name in result.missing
        )
        body = (
            "<p>Unknown facts that would change the options, most decisive first:</p>\n"
            f'<ol class="missing">\n{items}</ol>\n'
        )
    return _section("missing", "Facts to find out next", body)


def _route(result: WalkResult, guideline: Guideline) -> str:
    steps = []
    for step in result.path:
        read = ", ".join(f"{guideline.schema.fact(name).label} = {value}" for name, value in step.read)
        taken = ", ".join(guideline.node(target).label for target in step.taken) or "nothing"
        steps.append(
            f'<li data-node="{esc(step.node)}"><strong>{esc(step.label)}</strong>'
            f"{f' [{esc(read)}]' if read else ''} → {esc(taken)}{_quote(step.quote)}</li>\n"
        )
    figure = (
        '<figure class="chart">\n<div class="chart-scroll" tabindex="0" role="region" '
        'aria-label="The flowchart (scrolls sideways)">\n'
        f"{flowchart_svg(result, guideline=guideline)}</div>\n"
        "<figcaption>The route in green; options that depend on unknown facts dashed amber; options "
        "not offered grey. Hover over or focus on a node (Tab) to read the words of the text it "
        "encodes.</figcaption>\n</figure>\n"
    )
    return _section(
        "route",
        "The route on the flowchart",
        f'{figure}<h3>The path taken, step by step</h3>\n<ol class="path">\n{"".join(steps)}</ol>\n',
    )


def readings_applied(result: WalkResult, guideline: Guideline = RR_ALL) -> tuple[str, ...]:
    """The ids of the register's readings that the path or an offered option rests on, in register order."""
    used = {rid for step in result.path for rid in guideline.node(step.node).readings}
    used |= {rid for option in result.options for rid in guideline.node(option.id).readings}
    return tuple(reading.id for reading in guideline.readings if reading.id in used)


def _readings(result: WalkResult, guideline: Guideline) -> str:
    items = []
    for reading_id in readings_applied(result, guideline):
        reading = guideline.reading(reading_id)
        items.append(
            f'<li data-reading="{esc(reading.id)}"><h3>{esc(reading.id)}: {esc(reading.title)}</h3>\n'
            f"{_quote(reading.quote)}<dl>\n<dt>Read literally</dt><dd>{esc(reading.literal)}</dd>\n"
            f"<dt>Read as</dt><dd>{esc(reading.chosen)}</dd>\n"
            f"<dt>Why</dt><dd>{esc(reading.why)}</dd>\n</dl></li>\n"
        )
    body = f'<ol class="readings">\n{"".join(items)}</ol>\n' if items else "<p>None.</p>\n"
    return _section("readings", "Readings of the text applied", body)


def _footer(guideline: Guideline, source: str) -> str:
    return (
        "<footer>\n"
        f'<p class="disclaimer">{esc(guideline.disclaimer)}</p>\n'
        f'<p class="source">{esc(source)}</p>\n'
        f'<p class="version">Made by rrall {esc(__version__)} from the guideline '
        f"<code>{esc(guideline.name)}</code>.</p>\n</footer>\n"
    )


def _citation(guideline: Guideline) -> str:
    """The source's citation: the R/R ALL text's header, or another guideline's publication."""
    if guideline is RR_ALL:
        return SOURCE_HEADER.split("\n\n")[0].split("\nReproduced")[0]
    publication = guideline.publication
    captured = f"captured {publication.captured}" if publication.captured else ""
    return (
        ". ".join(part for part in (publication.title, publication.publisher, captured) if part)
        or guideline.title
    )
