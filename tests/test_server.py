"""The server, started for real on a loopback port: what it serves, and how it refuses bad input.

Bad input never gets a 500: it gets a 4xx whose JSON names the field.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the server needs the server extra: pip install 'rrall[server]'")
httpx = pytest.importorskip("httpx")

import rrall  # noqa: E402
from helpers import run  # noqa: E402
from live_server import live_server  # noqa: E402
from rrall.engine.tools._serialize import walk_result_to_dict  # noqa: E402
from rrall.fhir import read_bundle  # noqa: E402
from rrall.server import create_app  # noqa: E402
from rrall.web._fhir import fhir_provenance  # noqa: E402

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples" / "patients").glob("*.json"))


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with live_server(create_app()) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield http


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_the_walk_endpoint_answers_what_walk_gives(client: httpx.Client, example: Path) -> None:
    facts = json.loads(example.read_text(encoding="utf-8"))
    response = client.post("/api/walk", json=facts)
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(walk_result_to_dict(rrall.walk(facts))))


def test_the_explore_endpoint_gives_the_walk_the_route_the_node_labels_and_the_words(
    client: httpx.Client,
) -> None:
    facts = {"ph": "negative", "lineage": "T", "age": 40}
    answer = client.post("/api/explore", json=facts).json()
    assert answer["walk"] == json.loads(json.dumps(walk_result_to_dict(rrall.walk(facts))))
    assert answer["flowchart"].startswith("<svg")
    assert answer["labels"] == {node.id: node.label for node in rrall.RR_ALL.nodes}
    # The keys of an option's parts in the walk's JSON, and the terms heading them, in R/R ALL's words.
    assert answer["words"] == {
        "components": "drugs",
        "aliases": "brands",
        "variants": "variants",
        "terms": {"components": "Drugs", "variants": "Forms", "already_given": "Already given at induction"},
    }


def test_the_explorer_is_served_at_the_root_with_its_static_files(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for asset in ("base.css", "explorer.css", "flowchart.js", "explorer.js"):
        assert f"/static/{asset}" in page.text
        assert client.get(f"/static/{asset}").status_code == 200


@pytest.mark.parametrize("how", ["json", "form", "query"])
def test_the_report_page_is_served_for_a_posted_patient(client: httpx.Client, how: str) -> None:
    facts = {"ph": "positive", "tkis_received": ["imatinib"], "tkis_failed": []}
    text = json.dumps(facts)
    if how == "json":
        response = client.post("/report", json=facts)
    elif how == "form":
        response = client.post("/report", data={"patient": text})
    else:
        response = client.get("/report", params={"patient": text})
    assert response.status_code == 200
    for option in rrall.walk(facts).options:
        assert f'data-option="{option.id}"' in response.text


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b'{"age": "forty"}', 422, "age"),
        (b'{"ph": "maybe"}', 422, "ph"),
        (b'{"tkis_received": [], "tkis_failed": ["imatinib"]}', 422, "tkis_failed"),
        (b'{"weight": 70}', 422, "weight"),
        (b"[1, 2]", 422, "patient"),
        (b"null", 422, "patient"),
        (b'{"age": ', 400, "body"),
        (b"\xff\xfe", 400, "body"),
        (b"[" * 100_000, 400, "body"),
        (b'{"age": NaN}', 400, "body"),
        (b'{"ph": "\\ud800"}', 400, "body"),
        (b'{"age": ' + b"1" * 5000 + b"}", 422, "age"),
    ],
)
def test_bad_input_gets_a_client_error_naming_the_field(
    client: httpx.Client, body: bytes, status: int, field: str
) -> None:
    for path in ("/api/walk", "/api/explore", "/report"):
        response = client.post(path, content=body, headers={"content-type": "application/json"})
        assert (response.status_code, response.json()["field"]) == (status, field), path
        assert response.json()["error"]


def test_a_body_sent_as_something_other_than_json_is_refused_with_415(client: httpx.Client) -> None:
    response = client.post("/api/walk", content=b"{}", headers={"content-type": "text/plain"})
    assert response.status_code == 415
    assert "application/json" in response.json()["error"]


def test_a_body_larger_than_the_limit_is_refused_with_413(client: httpx.Client) -> None:
    body = b'{"induction_drugs": ["' + b"x" * (3 * 1024 * 1024) + b'"]}'
    response = client.post("/api/walk", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {
        "error": "larger than 2 MiB, the most rrall reads for a request body",
        "field": "body",
    }


@pytest.mark.parametrize("how", ["query", "form"])
def test_the_report_page_reads_its_patient_field_as_the_body_is_read(client: httpx.Client, how: str) -> None:
    huge = '{"age": ' + "1" * 5000 + "}"
    if how == "query":
        response = client.get("/report", params={"patient": huge})
    else:
        response = client.post("/report", data={"patient": huge})
    assert (response.status_code, response.json()["field"]) == (422, "age")
    response = client.get("/report", params={"patient": '{"age": Infinity}'})
    assert (response.status_code, response.json()["field"]) == (400, "patient")


def test_unknown_paths_and_methods_get_json_errors(client: httpx.Client) -> None:
    assert client.get("/nowhere").status_code == 404
    assert client.get("/nowhere").json() == {"error": "Not Found"}
    assert client.get("/api/walk").status_code == 405
    assert client.get("/report").status_code == 400
    assert client.get("/report").json()["field"] == "patient"
    assert client.get("/static/../_app.py").status_code == 404


FHIR_EXAMPLE = (
    Path(__file__).resolve().parent.parent / "examples" / "fhir" / "ph-positive-imatinib-failed.json"
)


def test_a_fhir_bundle_is_walked_as_the_patient_the_fhir_reader_reads(client: httpx.Client) -> None:
    bundle = json.loads(FHIR_EXAMPLE.read_text(encoding="utf-8"))
    expected = walk_result_to_dict(rrall.walk(read_bundle(bundle).patient))
    assert client.post("/api/walk", json=bundle).json() == json.loads(json.dumps(expected))


def test_the_report_of_a_fhir_bundle_says_where_each_fact_came_from(client: httpx.Client) -> None:
    bundle = json.loads(FHIR_EXAMPLE.read_text(encoding="utf-8"))
    page = client.post("/report", json=bundle).text
    assert "Where it came from" in page
    for name, where in fhir_provenance(read_bundle(bundle)).items():
        assert where
        assert f"<td>{html.escape(where)}</td>" in page, name


def test_fhir_rrall_cannot_read_gets_a_422_naming_the_resource_and_element(client: httpx.Client) -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": {"resourceType": "Observation"}}],
    }
    response = client.post("/api/walk", json=bundle)
    assert response.status_code == 422
    assert "Observation" in response.json()["field"]
    assert response.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"age": ',
        b"\xff\xfe{}",
        '{"age": 40}'.encode("utf-16"),
        b'{"age": NaN}',
        b'{"ph": "\\udc00"}',
        b"[" * 70,
    ],
)
def test_a_body_is_refused_in_the_words_a_file_is_refused(client: httpx.Client, body: bytes) -> None:
    status, _, err = run(["walk", "-"], stdin=body)
    response = client.post("/api/walk", content=body, headers={"content-type": "application/json"})
    assert status == 2
    assert (response.status_code, response.json()["field"]) == (400, "body")
    assert err.strip() == f"rrall: input: {response.json()['error']}"
