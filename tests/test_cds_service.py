"""The CDS Hooks service, over HTTP: a real `rrall serve` on 127.0.0.1 and a loopback FHIR server.

Card expectations come from `rrall.walk` of what the FHIR reader reads, never from lists written here.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cds_support import RXNORM, FhirServer, Server, hook_request, prefetch_of, record, validate
from rrall import RR_ALL, walk
from rrall.fhir import read_bundle
from rrall.fhir._codes import CD20_TESTS, PH_TESTS, RRALL, RRALL_FACTS
from rrall.server._prefetch import OBSERVATION_CODES, PREFETCH


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("cds") / "feedback.sqlite3"
    started = Server("--allow-unsigned", "--feedback-db", str(db), "--fhir-timeout", "1")
    yield started
    started.stop()


def post(server: Server, path: str, body: object, **kwargs: object) -> httpx.Response:
    return httpx.post(f"{server.url}{path}", json=body, timeout=30, **kwargs)  # type: ignore[arg-type]


def cards_for(
    server: Server, resources: list[dict], hook: str = "patient-view", **fields: object
) -> list[dict]:
    patient_id = resources[0]["id"]
    service = "rr-all-options" if hook == "patient-view" else "rr-all-order-check"
    response = post(
        server,
        f"/cds-services/{service}",
        hook_request(hook, patient_id, prefetch=prefetch_of(resources), **fields),
    )
    assert response.status_code == 200, response.text
    validate("serviceResponse", response.json())
    return list(response.json()["cards"])


def walked(resources: list[dict]):
    return walk(read_bundle(prefetch_of(resources)).patient)


def test_discovery_lists_each_hook_with_prefetch_for_exactly_what_the_fhir_reader_reads(
    server: Server,
) -> None:
    response = httpx.get(f"{server.url}/cds-services", timeout=10)
    assert response.status_code == 200
    document = response.json()
    validate("discovery", document)
    hooks = {service["hook"]: service for service in document["services"]}
    assert set(hooks) == {"patient-view", "order-select"}
    for service in hooks.values():
        assert service["prefetch"] == PREFETCH
        assert all(len(service[name]) > 0 for name in ("title", "description", "id"))
    templates = hooks["patient-view"]["prefetch"]
    asked = {template.split("?")[0].split("/")[0] for template in templates.values()}
    assert asked == {
        "Patient",
        "Condition",
        "Observation",
        "MedicationRequest",
        "MedicationAdministration",
        "MedicationStatement",
    }
    codes = templates["observations"].split("code=")[1].split(",")
    assert codes == [f"{system}|{code}" for system, code in OBSERVATION_CODES]
    assert {f"http://loinc.org|{code}" for code in (*PH_TESTS, *CD20_TESTS)} <= set(codes)
    assert {f"{RRALL}|{code}" for code in RRALL_FACTS} <= set(codes)


def test_a_patient_with_rr_all_gets_an_info_card_with_the_options_citations_exclusions_and_disclaimer(
    server: Server,
) -> None:
    resources = record("ph-pos-1", ph="positive", tkis=("imatinib",))
    result = walked(resources)
    cards = cards_for(server, resources)
    info = [card for card in cards if card["indicator"] == "info"]
    assert len(info) == 1
    card = info[0]
    assert len(card["summary"]) < 140
    for option in result.options:
        assert f"**{option.name}**" in card["detail"]
        assert " ".join(option.quote.split()) in card["detail"]
        for requirement in option.conditions:
            assert requirement.text in card["detail"]
    bullets = [line for line in card["detail"].splitlines() if line.startswith("- ")]
    for item in result.excluded:  # excluded options sharing a reason share its bullet
        sentence = item.reason.rstrip(".") + "."  # one full stop, whether or not the reason has one
        assert any(f"**{item.name}**" in line and line.endswith(f": {sentence}") for line in bullets)
    assert not any(line.endswith("..") for line in bullets)
    assert RR_ALL.disclaimer in card["detail"]
    assert "Leukemia & Lymphoma Society" in card["source"]["label"]
    assert card["source"]["topic"]["code"] == "rr-all-treatment-options"


def test_missing_deciding_facts_give_a_warning_card_naming_what_to_find_out_first(server: Server) -> None:
    resources = record("no-ph-1", ph=None)
    result = walked(resources)
    assert result.missing, "the record leaves Ph status unknown"
    cards = cards_for(server, resources)
    warnings = [card for card in cards if card["summary"].startswith("Find out first")]
    assert len(warnings) == 1
    first = RR_ALL.schema.fact(result.missing[0]).label
    assert first in warnings[0]["summary"]
    for name in result.missing:
        assert f"**{RR_ALL.schema.fact(name).label}**" in warnings[0]["detail"]


def test_a_patient_without_all_gets_no_card(server: Server) -> None:
    resources = record(
        "aml-1", ph=None, diagnosis=("http://snomed.info/sct", "91861009", "Acute myeloid leukemia")
    )
    assert read_bundle(prefetch_of(resources)).scope != "all"
    assert cards_for(server, resources) == []


def test_data_that_conflict_get_a_card_that_says_so(server: Server) -> None:
    resources = record("conflict-1", ph="positive")
    negative = json.loads(json.dumps(record("conflict-1", ph="negative")[2]))
    negative["id"] = "conflict-1-bcr-abl1-again"
    resources.append(negative)
    assert read_bundle(prefetch_of(resources)).fact("ph").status == "conflict"
    cards = cards_for(server, resources)
    conflict = [card for card in cards if "conflict" in card["summary"]]
    assert len(conflict) == 1
    assert conflict[0]["indicator"] == "warning"
    assert "Observation/conflict-1-bcr-abl1" in conflict[0]["detail"]
    assert "Observation/conflict-1-bcr-abl1-again" in conflict[0]["detail"]


RXNORM_DASATINIB = "475342"  # RxNorm ingredient code of dasatinib (docs/fhir.md gives the source)


def draft(medication: dict, order_id: str, patient_id: str) -> dict:
    return {
        "resourceType": "MedicationRequest",
        "id": order_id,
        "status": "draft",
        "intent": "proposal",
        "subject": {"reference": f"Patient/{patient_id}"},
        "medicationCodeableConcept": medication,
    }


ORDERS = [
    ("dasatinib", {"text": "dasatinib 140 mg tablet"}),
    ("blinatumomab", {"text": "Blincyto"}),
    ("dasatinib", {"coding": [{"system": RXNORM, "code": RXNORM_DASATINIB}]}),
]


@pytest.mark.parametrize(("drug", "medication"), ORDERS, ids=["by name", "by brand", "by RxNorm code"])
def test_order_select_says_whether_the_text_offers_the_selected_drug_and_if_not_why(
    server: Server, drug: str, medication: dict
) -> None:
    resources = record("order-1", ph="positive", tkis=("imatinib",))
    result = walked(resources)
    orders = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": draft(medication, "d1", "order-1")}],
    }
    context = {
        "userId": "Practitioner/example",
        "patientId": "order-1",
        "selections": ["MedicationRequest/d1"],
        "draftOrders": orders,
    }
    cards = cards_for(server, resources, hook="order-select", context=context)
    assert len(cards) == 1
    leaves = [leaf for leaf in RR_ALL.leaves if drug in leaf.drugs]
    offered = [result.option(leaf.id) for leaf in leaves if result.option(leaf.id) is not None]
    if offered:
        assert cards[0]["indicator"] == "info"
        assert all(option.name in cards[0]["summary"] for option in offered)
    else:
        assert cards[0]["indicator"] == "warning"
        assert "does not offer" in cards[0]["summary"]
        for leaf in leaves:
            exclusion = result.exclusion(leaf.id)
            assert exclusion is not None
            assert exclusion.reason in cards[0]["detail"]


def test_without_prefetch_or_a_fhir_server_the_answer_is_412(server: Server) -> None:
    response = post(server, "/cds-services/rr-all-options", hook_request("patient-view", "p1"))
    assert response.status_code == 412
    validate("operationOutcome", response.json())
    assert "prefetch" in response.json()["issue"][0]["diagnostics"]


def test_with_fhir_server_and_authorization_the_service_runs_its_queries_there(server: Server) -> None:
    resources = record("fetched-1", ph="positive", tkis=("imatinib",))
    fhir = FhirServer(resources + record("someone-else", ph="negative"))
    try:
        authorization = {
            "access_token": "secret-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/Patient.read",
            "subject": "cds-service",
        }
        body = hook_request("patient-view", "fetched-1", fhirServer=fhir.url, fhirAuthorization=authorization)
        response = post(server, "/cds-services/rr-all-options", body)
        assert response.status_code == 200, response.text
        validate("serviceResponse", response.json())
        with_prefetch = cards_for(server, resources)
        assert [card["detail"] for card in response.json()["cards"]] == [
            card["detail"] for card in with_prefetch
        ]
        assert len(fhir.requests) == len(PREFETCH)
        assert all(auth == "Bearer secret-token" for _, auth in fhir.requests)
        assert {path.split("?")[0] for path, _ in fhir.requests} == {
            "/fhir/" + template.split("?")[0].replace("{{context.patientId}}", "fetched-1")
            for template in PREFETCH.values()
        }
    finally:
        fhir.close()


def test_search_results_on_several_pages_are_all_read(server: Server) -> None:
    resources = record("paged-1", ph="positive", tkis=("imatinib", "dasatinib"))
    resources += [dict(resource, id=f"{resource['id']}-copy") for resource in resources[2:]]
    fhir = FhirServer(resources, page_size=1)
    try:
        body = hook_request("patient-view", "paged-1", fhirServer=fhir.url)
        response = post(server, "/cds-services/rr-all-options", body)
        assert response.status_code == 200, response.text
        assert any("_offset=" in path for path, _ in fhir.requests)
        assert response.json()["cards"] == cards_for(server, resources, hookInstance=body["hookInstance"])
    finally:
        fhir.close()


def test_a_fhir_server_that_does_not_answer_in_time_gets_412_naming_the_timeout(server: Server) -> None:
    fhir = FhirServer(record("slow-1", ph="positive"), delay=3)
    try:
        response = post(
            server,
            "/cds-services/rr-all-options",
            hook_request("patient-view", "slow-1", fhirServer=fhir.url),
        )
        assert response.status_code == 412
        assert response.json()["issue"][0]["code"] == "timeout"
    finally:
        fhir.close()


BAD_INPUT = [
    ("malformed JSON", "/cds-services/rr-all-options", b'{"hook": "patient-view",', 400, "not valid JSON"),
    (
        "unknown service",
        "/cds-services/no-such-service",
        hook_request("patient-view", "p1"),
        404,
        "no CDS service",
    ),
    ("unknown hook", "/cds-services/rr-all-options", hook_request("encounter-start", "p1"), 400, "hook"),
    (
        "missing context",
        "/cds-services/rr-all-options",
        {"hook": "patient-view", "hookInstance": str(uuid.uuid4())},
        400,
        "context",
    ),
    (
        "missing patientId",
        "/cds-services/rr-all-options",
        {"hook": "patient-view", "hookInstance": "x", "context": {"userId": "Practitioner/1"}},
        400,
        "patientId",
    ),
    (
        "oversized body",
        "/cds-services/rr-all-options",
        b'{"a": "' + b"x" * (2 * 1024 * 1024) + b'"}',
        413,
        "larger than 1 MiB",
    ),
    ("deep nesting", "/cds-services/rr-all-options", b"[" * 100_000 + b"]" * 100_000, 400, "nested deeper"),
    ("NaN", "/cds-services/rr-all-options", b'{"hook": NaN}', 400, "NaN is not a JSON value"),
    (
        "an integer past 4,300 digits",
        "/cds-services/rr-all-options",
        b'{"hook": "patient-view", "hookInstance": ' + b"9" * 5000 + b"}",
        400,
        "hookInstance",
    ),
    (
        "invalid FHIR",
        "/cds-services/rr-all-options",
        hook_request(
            "patient-view",
            "p1",
            prefetch={
                "patient": {"resourceType": "Patient", "id": "p1"},
                "conditions": {
                    "resourceType": "Bundle",
                    "type": "searchset",
                    "entry": [{"resource": {"resourceType": "Condition", "id": "c1"}}],
                },
            },
        ),
        400,
        "Condition/c1",
    ),
    ("feedback not an array", "/cds-services/rr-all-options/feedback", {"feedback": "yes"}, 400, "feedback"),
]


@pytest.mark.parametrize(
    ("what", "path", "body", "status", "named"), BAD_INPUT, ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_gets_a_4xx_operation_outcome_naming_the_problem(
    server: Server, what: str, path: str, body: object, status: int, named: str
) -> None:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = httpx.post(
        f"{server.url}{path}", content=content, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert response.status_code == status, response.text
    validate("operationOutcome", response.json())
    assert named in response.json()["issue"][0]["diagnostics"]


def test_each_request_gets_one_structured_log_line_without_patient_data(server: Server) -> None:
    before = len(server.request_log())
    resources = record("logged-patient-7", ph="positive")
    response = post(
        server,
        "/cds-services/rr-all-options",
        hook_request("patient-view", "logged-patient-7", prefetch=prefetch_of(resources)),
    )
    lines = server.request_log()[before:]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == response.headers["x-request-id"]
    assert line["hook"] == "patient-view"
    assert line["status"] == 200
    assert "cards" in line["outcome"]
    assert isinstance(line["ms"], float)
    assert not any("logged-patient-7" in entry or "1980" in entry for entry in server.log)


def feedback_body(outcome: str = "overridden") -> dict:
    entry: dict = {"card": str(uuid.uuid4()), "outcome": outcome, "outcomeTimestamp": "2026-12-01T10:00:00Z"}
    if outcome == "accepted":
        entry["acceptedSuggestions"] = []
    else:
        entry["overrideReason"] = {
            "reason": {"system": "urn:example", "code": "already-planned", "display": "Already planned"}
        }
    return {"feedback": [entry]}


def test_feedback_is_stored_and_the_feedback_command_summarises_it(tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    server = Server("--allow-unsigned", "--feedback-db", str(db))
    try:
        for outcome in ("accepted", "overridden", "overridden"):
            assert (
                post(server, "/cds-services/rr-all-options/feedback", feedback_body(outcome)).status_code
                == 200
            )
    finally:
        server.stop()
    import contextlib
    import io

    from rrall._cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["feedback", "--feedback-db", str(db), "--format", "json"]) == 0
    summary = json.loads(out.getvalue())
    assert summary["total"] == 3
    assert summary["services"]["rr-all-options"] == {"accepted": 1, "overridden": 2, "cards": 3}
    assert summary["override_reasons"] == {"Already planned": 2}


def test_the_info_card_links_to_this_patients_report_page_and_route_svg_on_the_same_server(
    server: Server,
) -> None:
    resources = record("linked-1", ph="negative", lineage="T")
    result = walked(resources)
    info = next(card for card in cards_for(server, resources) if card["indicator"] == "info")
    report, route = (link["url"] for link in info["links"])
    assert report.startswith(f"{server.url}/report?patient=")
    assert route.startswith(f"{server.url}/route.svg?patient=")
    page = httpx.get(report, timeout=60)
    assert page.status_code == 200
    assert all(option.name in page.text for option in result.options)
    drawing = httpx.get(route, timeout=60)
    assert drawing.status_code == 200
    assert drawing.headers["content-type"].startswith("image/svg+xml")
    for option in result.options:  # Graphviz writes '-' in ids as &#45;
        marked = "offered" if option.definite else "offered conditional"
        assert f'<g id="{option.id.replace("-", "&#45;")}" class="node on&#45;path {marked}"' in drawing.text


def test_the_fhir_readers_example_prefetch_gets_the_cards_its_walk_gives(server: Server) -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "fhir" / "cds-hooks-prefetch-t-all.json"
    prefetch = json.loads(example.read_text(encoding="utf-8"))
    result = walk(read_bundle(prefetch).patient)
    body = hook_request("patient-view", prefetch["patient"]["id"], prefetch=prefetch)
    response = post(server, "/cds-services/rr-all-options", body)
    assert response.status_code == 200, response.text
    validate("serviceResponse", response.json())
    info = next(card for card in response.json()["cards"] if card["indicator"] == "info")
    assert all(f"**{option.name}**" in info["detail"] for option in result.options)


def test_the_docs_show_the_prefetch_templates_discovery_serves() -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "cds-hooks.md").read_text(encoding="utf-8")
    shown = json.loads(page.split("```json\n", 1)[1].split("```", 1)[0])
    assert shown == PREFETCH
