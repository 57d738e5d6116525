"""The explorer page: a control for every fact; the answers come from the server."""

from __future__ import annotations

from .._version import __version__
from ..engine import Boolean, Choice, Fact, Guideline, Integer, Measure, Subset
from ..rr_all import RR_ALL
from ._html import esc

__all__ = ["explorer_html", "fact_control"]


def _unknown_radio(fact: Fact, value: str, text: str, *, checked: bool) -> str:
    control = f"f-{fact.name}-{value or 'unknown'}"
    return (
        f'<label for="{esc(control)}"><input type="radio" id="{esc(control)}" name="{esc(fact.name)}"'
        f' value="{esc(value)}"{" checked" if checked else ""}> {esc(text)}</label>\n'
    )


def fact_control(fact: Fact) -> str:
    """The form control for one fact, derived from its kind; each starts as unknown."""
    name = esc(fact.name)
    if isinstance(fact, Integer):
        return (
            f'<div class="fact" data-fact="{name}" data-kind="integer">\n'
            f'<label for="f-{name}" class="legend">{esc(fact.label)}</label>\n'
            f'<input type="number" id="f-{name}" name="{name}" min="{fact.minimum}" max="{fact.maximum}" '
            f'step="1" inputmode="numeric" aria-describedby="f-{name}-hint">\n'
            f'<span class="hint" id="f-{name}-hint">{fact.minimum} to {fact.maximum}; '
            "leave empty when unknown</span>\n</div>\n"
        )
    if isinstance(fact, Measure):
        return _measure_control(fact)
    if isinstance(fact, Boolean):
        radios = "".join(
            _unknown_radio(fact, value, text, checked=not value)
            for value, text in (("", "unknown"), ("true", fact.yes), ("false", fact.no))
        )
        return (
            f'<fieldset class="fact" data-fact="{name}" data-kind="boolean">\n'
            f"<legend>{esc(fact.label)}</legend>\n{radios}</fieldset>\n"
        )
    if isinstance(fact, Choice):
        radios = _unknown_radio(fact, "", "unknown", checked=True) + "".join(
            _unknown_radio(fact, value, fact.phrase.format(value=value), checked=False)
            for value in fact.values
        )
        return (
            f'<fieldset class="fact" data-fact="{name}" data-kind="choice">\n'
            f"<legend>{esc(fact.label)}</legend>\n{radios}</fieldset>\n"
        )
    assert isinstance(fact, Subset)
    known = _unknown_radio(fact, "", "unknown", checked=True) + _unknown_radio(
        fact, "known", "known: the ones ticked" if fact.universe else "known: the ones listed", checked=False
    )
    if fact.universe is None:
        items = (
            f'<label for="f-{name}-items">{esc(fact.label)}, separated by commas</label>\n'
            f'<input type="text" id="f-{name}-items" class="items" autocomplete="off">\n'
        )
        kind = "list"
    else:
        items = "".join(
            f'<label for="f-{name}-{esc(item)}"><input type="checkbox" id="f-{name}-{esc(item)}" '
            f'class="item" value="{esc(item)}"> {esc(item)}</label>\n'
            for item in fact.universe
        )
        kind = "subset"
    return (
        f'<fieldset class="fact" data-fact="{name}" data-kind="{kind}">\n'
        f'<legend>{esc(fact.label)}</legend>\n{known}<div class="items">\n{items}</div>\n</fieldset>\n'
    )


def _measure_control(fact: Measure) -> str:
    """A decimal fact's control: a number with its unit, empty when unknown."""
    name, low, high = esc(fact.name), f"{fact.minimum:g}", f"{fact.maximum:g}"
    return (
        f'<div class="fact" data-fact="{name}" data-kind="measure">\n'
        f'<label for="f-{name}" class="legend">{esc(fact.label)}</label>\n'
        f'<input type="number" id="f-{name}" name="{name}" min="{low}" max="{high}" '
        f'step="any" inputmode="decimal" aria-describedby="f-{name}-hint">\n'
        f'<span class="hint" id="f-{name}-hint">{low} to {high} {esc(fact.unit)}; '
        "leave empty when unknown</span>\n</div>\n"
    )


def _section(key: str, heading: str, body: str) -> str:
    return (
        f'<section class="block" id="sec-{key}" aria-labelledby="h-{key}">\n'
        f'<h2 id="h-{key}">{esc(heading)}</h2>\n{body}</section>\n'
    )


# Where the script puts the server's answer.
_CHART = (
    '<figure class="chart"><div id="chart" class="chart-scroll" tabindex="0" role="region" '
    'aria-label="The flowchart (scrolls sideways)"></div>\n'
    "<figcaption>The route in green; options that depend on unknown facts dashed amber; options not "
    "offered grey. Hover over or focus on a node (Tab) to read the words of the text it encodes."
    "</figcaption></figure>\n"
)
_OPTIONS = '<p id="options-summary"></p>\n<ol id="options" class="options"></ol>\n'
_EXCLUDED = '<ul id="excluded" class="exclusions"></ul>\n'
_MISSING = '<p id="missing-summary"></p>\n<ol id="missing" class="missing"></ol>\n'
_PATH = '<ol id="path" class="path"></ol>\n'


def explorer_html(
    *, guideline: Guideline = RR_ALL, walk_url: str = "/api/explore", static_url: str = "/static"
) -> str:
    """The explorer page: set facts (or leave them unknown) and watch the options and route change.

    The controls are derived from the guideline's schema. The page's script
    posts the facts to ``walk_url`` (the server's JSON walk endpoint) and shows
    what comes back; it holds no guideline logic. Its CSS and JavaScript are
    served from ``static_url``.

    Examples:
        >>> page = explorer_html()
        >>> 'data-fact="tkis_failed"' in page and "https://" not in page
        True
    """
    controls = "".join(fact_control(fact) for fact in guideline.schema.facts)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>rrall explorer: {esc(guideline.title)}</title>\n"
        f'<link rel="stylesheet" href="{esc(static_url)}/base.css">\n'
        f'<link rel="stylesheet" href="{esc(static_url)}/explorer.css">\n'
        f'<script src="{esc(static_url)}/flowchart.js" defer></script>\n'
        f'<script src="{esc(static_url)}/explorer.js" defer></script>\n</head>\n'
        f'<body data-walk-url="{esc(walk_url)}" data-state="loading" data-revision="0">\n'
        '<a class="skip" href="#main">Skip to the answers</a>\n'
        f'<header>\n<p class="kicker">rrall explorer</p>\n<h1>{esc(guideline.title)}</h1>\n'
        f'<p class="disclaimer"><strong>Not medical advice.</strong> {esc(guideline.disclaimer)}</p>\n'
        "</header>\n"
        '<div class="layout">\n<form id="facts" class="controls" aria-labelledby="h-facts">\n'
        '<h2 id="h-facts">The facts</h2>\n<p class="hint">Every fact starts unknown. An unknown fact '
        "follows every branch it could take; it is never taken as false.</p>\n"
        f'{controls}<button type="reset">Make every fact unknown</button>\n</form>\n'
        '<main id="main" aria-busy="true">\n'
        '<noscript><p class="error">The explorer needs JavaScript; <code>rrall report</code> writes a page '
        "that does not.</p></noscript>\n"
        '<p id="status" class="status" role="status" aria-live="polite"></p>\n'
        '<p id="error" class="error" role="alert" hidden></p>\n'
        f"{_section('route', 'The route on the flowchart', _CHART)}"
        f"{_section('options', 'Options offered', _OPTIONS)}"
        f"{_section('excluded', 'Not offered, and why', _EXCLUDED)}"
        f"{_section('missing', 'Facts to find out next', _MISSING)}"
        f"{_section('path', 'The path taken, step by step', _PATH)}"
        "</main>\n</div>\n"
        f'<footer>\n<p class="disclaimer">{esc(guideline.disclaimer)}</p>\n'
        f'<p class="version">rrall {esc(__version__)}, guideline <code>{esc(guideline.name)}</code>.</p>\n'
        "</footer>\n"
        '<div class="quote-tip" id="quote-tip" role="tooltip" hidden></div>\n'
        "</body>\n</html>\n"
    )
