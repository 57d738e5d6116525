"""The report page and the explorer in a real headless Chromium.

Every expectation comes from `rrall.walk` on the same facts: the pages show
what the library says, whatever the guideline's wording is today.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import rrall
from browser import Console, chromium, flowchart_contrasts, require_browser, serious_violations
from helpers import run
from rrall import RR_ALL, InvalidRecord, Patient, WalkResult
from rrall.engine import Choice, Integer, Subset

pytest.importorskip("starlette", reason="the explorer needs the server extra: pip install 'rrall[server]'")
from live_server import live_server
from rrall.fhir import read_bundle
from rrall.server import create_app
from rrall.web._fhir import fhir_provenance


def _drug_names() -> list[str]:
    """The names that count as a leaf's drug ("vincristine" for "vincristine sulfate liposome")."""
    return sorted(
        {name for leaf in RR_ALL.leaves for drug in leaf.drugs for name in RR_ALL.counted_names(drug)}
    )


ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "patients").glob("*.json"))
#: `make screenshots` sets this to docs/screenshots; otherwise they go to a temporary directory.
SHOTS = os.environ.get("RRALL_SCREENSHOTS")


def _drawn_patients(count: int, seed: int = 15) -> list[dict[str, Any]]:
    """Valid patients with each fact known or unknown at random, values from the schema."""
    rng = random.Random(seed)
    found: list[dict[str, Any]] = []
    while len(found) < count:
        facts: dict[str, Any] = {}
        for fact in RR_ALL.schema.facts:
            if rng.random() < 0.35:
                continue
            if isinstance(fact, Choice):
                facts[fact.name] = rng.choice(fact.values)
            elif isinstance(fact, Integer):
                facts[fact.name] = rng.choice([fact.minimum, 1, 2, 17, 18, 25, 26, 40, 70])
            elif fact.universe:
                facts[fact.name] = [item for item in fact.universe if rng.random() < 0.35]
            else:
                facts[fact.name] = rng.sample([*_drug_names(), "<b>other</b>"], 2)
        try:
            Patient.from_dict(facts)
        except InvalidRecord:
            continue
        found.append(facts)
    return found


PATIENTS = (
    [("empty", {})]
    + [(path.stem, json.loads(path.read_text(encoding="utf-8"))) for path in EXAMPLES]
    + [(case.name, dict(case.patient)) for case in RR_ALL.golden]
    + [(f"drawn-{number}", facts) for number, facts in enumerate(_drawn_patients(6))]
)


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    require_browser()
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as browser:
        yield browser


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with live_server(create_app()) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(SHOTS) if SHOTS else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _route_nodes(result: WalkResult) -> set[str]:
    """The nodes a walk's route passes: each step, where it led, and the options offered."""
    return (
        {step.node for step in result.path}
        | {t for step in result.path for t in step.taken}
        | set(result.option_ids)
    )


def _shown(page: Any, selector: str, attribute: str) -> list[str]:
    return page.eval_on_selector_all(selector, f"items => items.map(i => i.getAttribute('{attribute}'))")


def _assert_page_shows(page: Any, result: WalkResult, scope: str) -> None:
    assert _shown(page, f"{scope} li.option", "data-option") == list(result.option_ids)
    definite = [option.id for option in result.options if option.definite]
    assert _shown(page, f"{scope} li.option.definite", "data-option") == definite
    assert _shown(page, f"{scope} li.excluded", "data-option") == [item.id for item in result.excluded]
    assert _shown(page, f"{scope} ol.missing li", "data-fact") == list(result.missing)
    assert set(_shown(page, "svg.flowchart g.node.on-path", "data-node")) == _route_nodes(result)
    offered = set(_shown(page, "svg.flowchart g.node.offered", "data-node"))
    assert offered == set(result.option_ids)


# -- the report page ------------------------------------------------------------------


def _write_report(tmp_path: Path, facts: dict[str, Any]) -> Path:
    source, out = tmp_path / "patient.json", tmp_path / "report.html"
    source.write_text(json.dumps(facts), encoding="utf-8")
    status, _, err = run(["report", str(source), "-o", str(out)])
    assert (status, err) == (0, "")
    return out


def _open_offline(context: Any, path: Path) -> tuple[Any, Console, list[str]]:
    """Open a file with every network request refused, recording any the page tries."""
    page = context.new_page()
    console, requested = Console(page), []

    def refuse(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    page.route("**/*", refuse)
    page.goto(path.as_uri())
    return page, console, requested


@pytest.mark.parametrize(("name", "facts"), PATIENTS[:12], ids=[name for name, _ in PATIENTS[:12]])
def test_the_report_page_opens_offline_with_no_console_error_and_shows_what_walk_gives(
    context: Any, tmp_path: Path, name: str, facts: dict[str, Any]
) -> None:
    page, console, requested = _open_offline(context, _write_report(tmp_path, facts))
    try:
        _assert_page_shows(page, rrall.walk(facts), "main")
        assert console.errors == []
        assert requested == []
    finally:
        page.close()


def test_the_report_of_a_fhir_bundle_opens_with_no_console_error_and_shows_where_facts_came_from(
    context: Any, tmp_path: Path
) -> None:
    source, out = ROOT / "examples" / "fhir" / "ph-positive-imatinib-failed.json", tmp_path / "fhir.html"
    assert run(["report", str(source), "-o", str(out)]) == (0, "", "")
    page, console, requested = _open_offline(context, out)
    try:
        reading = read_bundle(json.loads(source.read_text(encoding="utf-8")))
        _assert_page_shows(page, rrall.walk(reading.patient), "main")
        for fact in reading.facts:
            assert (
                page.inner_text(f'tr[data-fact="{fact.fact}"] td:nth-of-type(2)')
                == fhir_provenance(reading)[fact.fact]
            )
        assert serious_violations(page) == []
        assert (console.errors, requested) == ([], [])
    finally:
        page.close()


def test_a_report_shows_patient_values_as_text_never_as_markup(context: Any, tmp_path: Path) -> None:
    hostile = '<img src=x onerror="alert(1)"></script><script>alert(2)</script>'
    facts = {"ph": "negative", "induction_drugs": [hostile, "vincristine"]}
    page, console, _ = _open_offline(context, _write_report(tmp_path, facts))
    try:
        shown = page.inner_text('tr[data-fact="induction_drugs"] td')
        assert hostile.lower() in shown  # the schema lower-cases free names
        assert page.locator("main img, main script").count() == 0
        assert console.errors == []
    finally:
        page.close()


def test_focusing_or_hovering_a_node_of_the_report_shows_the_words_it_encodes(
    context: Any, tmp_path: Path
) -> None:
    facts = json.loads((ROOT / "examples" / "patients" / "ph-positive-two-tkis-failed.json").read_text())
    result = rrall.walk(facts)
    page, console, _ = _open_offline(context, _write_report(tmp_path, facts))
    try:
        tip = page.locator("#quote-tip")
        assert tip.is_hidden()
        first = result.path[0].node
        page.focus(f'g.node[data-node="{first}"]')
        assert tip.is_visible()
        assert " … ".join(RR_ALL.node(first).quotes) in tip.inner_text()
        leaf = result.options[0].id
        page.hover(f'g.node[data-node="{leaf}"]')
        assert " … ".join(RR_ALL.node(leaf).quotes) in tip.inner_text()
        page.keyboard.press("Escape")
        assert tip.is_hidden()
        assert console.errors == []
    finally:
        page.close()


def test_every_node_of_the_report_flowchart_is_reached_by_keyboard(context: Any, tmp_path: Path) -> None:
    page, _, _ = _open_offline(context, _write_report(tmp_path, {"ph": "negative"}))
    try:
        focusable = _shown(page, 'svg.flowchart g.node[tabindex="0"]', "data-node")
        assert sorted(focusable) == sorted(node.id for node in RR_ALL.nodes)
        labels = _shown(page, "svg.flowchart g.node", "aria-label")
        assert all(label and "The text: “" in label for label in labels)
    finally:
        page.close()


def test_the_report_page_has_no_serious_accessibility_violation(
    context: Any, tmp_path: Path, shots: Path
) -> None:
    facts = json.loads((ROOT / "examples" / "patients" / "ph-positive-two-tkis-failed.json").read_text())
    page, _, _ = _open_offline(context, _write_report(tmp_path, facts))
    try:
        assert serious_violations(page) == []
        page.screenshot(path=str(shots / "report.png"))
        node = rrall.walk(facts).options[0].id
        page.focus(f'g.node[data-node="{node}"]')
        page.locator("#sec-route").screenshot(path=str(shots / "report-route.png"))
    finally:
        page.close()


def test_every_text_of_the_report_flowchart_has_enough_contrast(context: Any, tmp_path: Path) -> None:
    page, _, _ = _open_offline(
        context, _write_report(tmp_path, {"ph": "negative", "lineage": "B", "age": 30})
    )
    try:
        contrasts = flowchart_contrasts(page)
        assert len(contrasts) > len(RR_ALL.nodes)
        assert [(round(ratio, 2), text) for ratio, text in contrasts if ratio < 4.5] == []
    finally:
        page.close()


def test_the_focused_node_is_reached_with_tab_and_shows_its_quote(context: Any, tmp_path: Path) -> None:
    page, _, _ = _open_offline(context, _write_report(tmp_path, {"ph": "positive"}))
    try:
        page.focus("#sec-route .chart-scroll")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('data-node')")
        assert focused in RR_ALL.by_id
        assert " … ".join(RR_ALL.node(focused).quotes) in page.inner_text("#quote-tip")
        page.keyboard.press("Tab")
        after = page.evaluate("document.activeElement.getAttribute('data-node')")
        assert after in RR_ALL.by_id
        assert after != focused
    finally:
        page.close()


def test_the_report_prints_without_the_tooltip_or_the_skip_link(context: Any, tmp_path: Path) -> None:
    page, _, _ = _open_offline(context, _write_report(tmp_path, {"age": 30}))
    try:
        page.focus("g.node")
        page.emulate_media(media="print")
        assert page.locator("#quote-tip").evaluate("tip => getComputedStyle(tip).display") == "none"
        assert page.locator(".skip").evaluate("link => getComputedStyle(link).display") == "none"
        assert len(page.pdf()) > 10_000  # the whole report, laid out for paper
    finally:
        page.close()


# -- the explorer -----------------------------------------------------------------------


def _wait_for(page: Any, facts: dict[str, Any], state: str = "ready") -> None:
    """Until the page shows the server's answer for exactly these facts."""
    page.wait_for_function(
        "([facts, state]) => document.body.dataset.state === state && document.body.dataset.facts === facts",
        arg=[json.dumps(facts, separators=(",", ":")), state],
        timeout=15_000,
    )


def _set_facts(page: Any, facts: dict[str, Any]) -> dict[str, Any]:
    """Set each fact through its control, in schema order; returns the facts as the page sends them."""
    sent: dict[str, Any] = {}
    for fact in RR_ALL.schema.facts:
        if fact.name not in facts:
            continue
        value = facts[fact.name]
        if isinstance(fact, Choice):
            page.check(f"#f-{fact.name}-{value}")
        elif isinstance(fact, Integer):
            page.fill(f"#f-{fact.name}", str(value))
        elif isinstance(fact, Subset) and fact.universe:
            page.check(f"#f-{fact.name}-known")
            for item in fact.universe:
                page.set_checked(f"#f-{fact.name}-{item}", item in value)
            value = [item for item in fact.universe if item in value]
        else:
            page.fill(f"#f-{fact.name}-items", ", ".join(value))
            page.check(f"#f-{fact.name}-known")
        sent[fact.name] = value
    return sent


def _open_explorer(context: Any, url: str) -> Iterator[tuple[Any, Console]]:
    """The explorer at ``url``, once it shows the answer for no facts; closed afterwards."""
    page = context.new_page()
    console = Console(page)
    page.goto(url + "/")
    _wait_for(page, {})
    yield page, console
    page.close()


@pytest.fixture
def explorer(context: Any, server: str) -> Iterator[tuple[Any, Console]]:
    yield from _open_explorer(context, server)


def test_the_explorer_has_a_control_for_every_fact_starting_unknown(explorer: tuple[Any, Console]) -> None:
    page, console = explorer
    assert _shown(page, "form [data-fact]", "data-fact") == list(RR_ALL.schema.names)
    for fact in RR_ALL.schema.facts:
        if not isinstance(fact, Integer):
            assert page.is_checked(f"#f-{fact.name}-unknown")
    _assert_page_shows(page, rrall.walk({}), "main")
    assert console.errors == []


def test_the_explorer_shows_what_walk_gives_as_the_facts_are_set(explorer: tuple[Any, Console]) -> None:
    page, console = explorer
    for name, facts in PATIENTS:
        page.click("button[type=reset]")
        _wait_for(page, {})
        sent = _set_facts(page, facts)
        _wait_for(page, sent)
        result = rrall.walk(facts)
        _assert_page_shows(page, result, "main")
        assert page.inner_text("#status").startswith(f"{len(result.options)} option"), name
    assert console.errors == []


def test_the_explorer_updates_as_one_fact_changes_and_back_to_unknown(explorer: tuple[Any, Console]) -> None:
    page, _ = explorer
    page.check("#f-ph-positive")
    _wait_for(page, {"ph": "positive"})
    _assert_page_shows(page, rrall.walk({"ph": "positive"}), "main")
    page.check("#f-tkis_failed-known")
    page.check("#f-tkis_failed-dasatinib")
    _wait_for(page, {"ph": "positive", "tkis_failed": ["dasatinib"]})
    _assert_page_shows(page, rrall.walk({"ph": "positive", "tkis_failed": ["dasatinib"]}), "main")
    page.check("#f-ph-unknown")
    _wait_for(page, {"tkis_failed": ["dasatinib"]})
    _assert_page_shows(page, rrall.walk({"tkis_failed": ["dasatinib"]}), "main")


def test_the_explorer_heads_an_options_details_with_the_guidelines_words(
    explorer: tuple[Any, Console],
) -> None:
    page, console = explorer
    facts = _set_facts(page, {"ph": "negative", "lineage": "T", "age": 40})
    _wait_for(page, facts)
    terms = page.eval_on_selector_all(
        "li.option[data-option=clofarabine] dt", "items => items.map(i => i.textContent)"
    )
    assert terms == ["Drugs", "Forms"]
    assert console.errors == []


@pytest.fixture
def toy_explorer(context: Any) -> Iterator[tuple[Any, Console]]:
    from test_toy_guideline import TOY_TRIAGE

    with live_server(create_app(guideline=TOY_TRIAGE)) as url:
        yield from _open_explorer(context, url)


def test_the_explorer_walks_another_guideline_with_decimal_and_true_false_facts(
    toy_explorer: tuple[Any, Console],
) -> None:
    from test_toy_guideline import TOY_TRIAGE

    page, console = toy_explorer
    _assert_page_shows(page, rrall.walk({}, TOY_TRIAGE), "main")
    page.fill("#f-temperature", "38.3")
    page.check("#f-stiff_neck-false")
    page.fill("#f-age", "3")
    facts = {"temperature": 38.3, "stiff_neck": False, "age": 3}
    _wait_for(page, facts)
    _assert_page_shows(page, rrall.walk(facts, TOY_TRIAGE), "main")
    assert _shown(page, "main li.option", "data-option") == ["same-day-doctor"]
    assert console.errors == []


def test_the_explorer_says_which_field_is_wrong_when_the_facts_break_the_schema(
    explorer: tuple[Any, Console],
) -> None:
    page, _ = explorer
    page.check("#f-tkis_received-known")
    page.check("#f-tkis_failed-imatinib")
    facts = {"tkis_received": [], "tkis_failed": ["imatinib"]}
    _wait_for(page, facts, state="error")
    alert = page.inner_text("#error")
    assert RR_ALL.schema.fact("tkis_failed").label in alert
    assert "tkis_failed" in alert


def test_the_explorer_highlights_the_route_and_shows_a_quote_on_hover_and_focus(
    explorer: tuple[Any, Console], shots: Path
) -> None:
    page, console = explorer
    facts = json.loads((ROOT / "examples" / "patients" / "ph-positive-two-tkis-failed.json").read_text())
    _wait_for(page, _set_facts(page, facts))
    result = rrall.walk(facts)
    route = {(step.node, target) for step in result.path for target in step.taken}
    edges = set(_shown(page, "svg.flowchart g.edge.on-path", "id"))
    assert edges == {f"{source}--{target}" for source, target in route}
    page.evaluate("window.scrollTo(0, 0); document.getElementById('facts').scrollTop = 0")
    page.screenshot(path=str(shots / "explorer.png"))
    leaf = result.options[0].id
    page.hover(f'g.node[data-node="{leaf}"]')
    assert " … ".join(RR_ALL.node(leaf).quotes) in page.inner_text("#quote-tip")
    decision = result.path[1].node
    page.focus(f'g.node[data-node="{decision}"]')
    assert " … ".join(RR_ALL.node(decision).quotes) in page.inner_text("#quote-tip")
    assert console.errors == []


def test_the_explorer_has_no_serious_accessibility_violation(
    explorer: tuple[Any, Console], shots: Path
) -> None:
    page, _ = explorer
    assert serious_violations(page) == []
    _wait_for(page, _set_facts(page, {"ph": "negative", "age": 30, "tkis_received": ["imatinib"]}))
    assert serious_violations(page) == []
    page.locator("#sec-options").screenshot(path=str(shots / "explorer-options.png"))
