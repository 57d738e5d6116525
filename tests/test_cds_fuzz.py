"""Whatever body a client sends, the CDS service answers 4xx or 2xx, never 5xx, and keeps answering."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cds_support import Server, hook_request, prefetch_of, record

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
VALID = hook_request(
    "patient-view", "fuzz-1", prefetch=prefetch_of(record("fuzz-1", ph="positive", tkis=("imatinib",)))
)


@st.composite
def mutated_requests(draw: st.DrawFn) -> object:
    """A valid patient-view request with one value anywhere in it (a prefetch resource's element,
    say) replaced, deleted, or given an extra key."""
    body = json.loads(json.dumps(VALID))
    parent: dict | list = body
    key: object = draw(st.sampled_from(list(body)))
    while isinstance(parent[key], (dict, list)) and parent[key] and draw(st.integers(0, 9)) < 8:  # type: ignore[index]
        parent = parent[key]  # type: ignore[index]
        key = draw(st.sampled_from(list(parent) if isinstance(parent, dict) else list(range(len(parent)))))
    action = draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace":
        parent[key] = draw(JSON)  # type: ignore[index]
    elif action == "delete":
        del parent[key]  # type: ignore[arg-type]
    elif isinstance(parent[key], dict):  # type: ignore[index]
        parent[key][draw(st.text(max_size=8))] = draw(JSON)  # type: ignore[index]
    return body


BODIES = st.one_of(
    JSON.map(lambda value: json.dumps(value).encode()),
    mutated_requests().map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    started = Server("--allow-unsigned", "--feedback-db", str(tmp_path_factory.mktemp("fz") / "fb.sqlite3"))
    yield started
    started.stop()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(
    body=BODIES,
    path=st.sampled_from(
        [
            "/cds-services/rr-all-options",
            "/cds-services/rr-all-order-check",
            "/cds-services/rr-all-options/feedback",
            "/cds-services/x",
        ]
    ),
)
def test_no_body_gets_a_5xx(server: Server, body: bytes, path: str) -> None:
    response = httpx.post(
        server.url + path, content=body, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert response.status_code < 500, response.text


def test_the_server_still_answers_after_the_fuzzing(server: Server) -> None:
    test_no_body_gets_a_5xx(server)  # type: ignore[call-arg]
    assert httpx.get(server.url + "/cds-services", timeout=10).status_code == 200
    assert server.process.poll() is None
    assert not [line for line in server.request_log() if line["status"] >= 500]
