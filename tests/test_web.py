"""The pages as HTML, without a browser: what they contain, and that every text is escaped."""

from __future__ import annotations

import html
import re

import pytest

import rrall
from rrall import RR_ALL
from rrall.engine import Choice, Integer, Subset
from rrall.web import explorer_html, flowchart_svg, report_html
from rrall.web._report import readings_applied

HOSTILE = '<script>alert("x")</script>'
PATIENT = {"ph": "positive", "age": 30, "tkis_received": ["imatinib"], "tkis_failed": []}


def test_the_report_is_one_page_with_landmarks_headings_and_a_language() -> None:
    page = report_html(rrall.walk(PATIENT))
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    for landmark in ("<header>", '<main id="main">', "<footer>"):
        assert page.count(landmark) == 1
    assert page.count("<h1>") == 1
    headings = re.findall(r'<h2 id="h-(\w+)">', page)
    assert headings == ["facts", "options", "excluded", "missing", "route", "readings"]


def test_the_report_loads_nothing_from_the_network() -> None:
    page = report_html(rrall.walk(PATIENT))
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page
    assert '<link rel="stylesheet"' not in page
    assert "<script src" not in page


def test_the_report_shows_the_disclaimer_the_source_and_the_version() -> None:
    page = report_html(rrall.walk({}))
    assert page.count(html.escape(RR_ALL.disclaimer)) == 2  # at the top and in the footer
    assert "Leukemia &amp; Lymphoma Society" in page
    assert f"rrall {rrall.__version__}" in page


def test_the_report_lists_each_option_exclusion_and_missing_fact_of_the_walk() -> None:
    result = rrall.walk({"ph": "negative", "lineage": "B"})
    page = report_html(result)
    assert re.findall(r'<li class="option \w+" data-option="([^"]+)"', page) == list(result.option_ids)
    assert re.findall(r'<li class="excluded" data-option="([^"]+)"', page) == [e.id for e in result.excluded]
    assert re.findall(r'<li data-fact="([^"]+)"', page) == list(result.missing)
    for option in result.options:
        for requirement in option.conditions:
            assert html.escape(requirement.text) in page
        for quote in option.quotes:
            assert html.escape(quote) in page
    for item in result.excluded:
        assert html.escape(item.reason) in page


def test_the_report_names_each_reading_the_route_rests_on() -> None:
    result = rrall.walk(PATIENT)
    used = readings_applied(result)
    assert used
    assert re.findall(r'<li data-reading="([^"]+)"', report_html(result)) == list(used)
    for reading_id in used:
        assert any(reading_id in RR_ALL.node(step.node).readings for step in result.path) or any(
            reading_id in RR_ALL.node(option.id).readings for option in result.options
        )


def test_a_patient_value_in_the_report_is_escaped() -> None:
    page = report_html(rrall.walk({"induction_drugs": [HOSTILE]}))
    assert "<script>alert" not in page
    assert html.escape(HOSTILE.lower()) in page


def test_the_report_shows_where_each_fact_came_from_when_given_escaped() -> None:
    provenance = {"ph": "Observation/ph-1 (LOINC)", "age": HOSTILE}
    page = report_html(rrall.walk({"ph": "positive", "age": 30}), provenance=provenance)
    assert '<th scope="col">Where it came from</th>' in page
    assert "<td>Observation/ph-1 (LOINC)</td>" in page
    assert html.escape(HOSTILE) in page
    assert HOSTILE not in page
    assert "Where it came from" not in report_html(rrall.walk({"ph": "positive"}))


def test_every_node_of_the_inline_flowchart_is_focusable_and_carries_its_quote() -> None:
    svg = flowchart_svg(rrall.walk(PATIENT))
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert "<!--" not in svg
    quotes = {
        html.unescape(node): html.unescape(quote)
        for node, quote in re.findall(
            r'tabindex="0" role="img" aria-label="[^"]*" data-node="([^"]*)" '
            r'data-label="[^"]*" data-quote="([^"]*)"',
            svg,
        )
    }
    assert quotes == {node.id: " … ".join(node.quotes) for node in RR_ALL.nodes}


@pytest.mark.parametrize("fact", RR_ALL.schema.facts, ids=lambda fact: fact.name)
def test_the_explorer_has_a_control_for_each_fact_of_the_schema(fact: object) -> None:
    page = explorer_html()
    kind = {Choice: "choice", Integer: "integer"}.get(type(fact))
    if isinstance(fact, Subset):
        kind = "subset" if fact.universe else "list"
    assert f'data-fact="{fact.name}" data-kind="{kind}"' in page  # type: ignore[attr-defined]
    if isinstance(fact, Integer):
        assert f'min="{fact.minimum}" max="{fact.maximum}"' in page
    if isinstance(fact, Choice):
        for value in fact.values:
            assert f'id="f-{fact.name}-{value}" name="{fact.name}" value="{value}"' in page


def test_the_explorer_holds_no_guideline_data_and_loads_nothing_from_the_network() -> None:
    page = explorer_html()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    for leaf in RR_ALL.leaves:
        assert leaf.quote not in page
        assert leaf.label not in page
