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
PATHS = ["hook", "hookInstance", "context", "prefetch", "fhirServer", "fhirAuthorization"]


@st.composite
def mutated_requests(draw: st.DrawFn) -> object:
    """A valid patient-view request with one part replaced, deleted or added, somewhere in it."""
    body = json.loads(json.dumps(VALID))
    target = body
    for step in draw(
        st.lists(
            st.sampled_from(
                [*PATHS, "context.patientId", "prefetch.conditions", "prefetch.observations.entry"]
            ),
            max_size=1,
        )
    ):
        for key in step.split("."):
            if isinstance(target, dict) and key in target:
                target = target[key]
        if draw(st.booleans()) and isinstance(target, (dict, list)) and target:
            key = draw(
                st.sampled_from(list(target) if isinstance(target, dict) else list(range(len(target))))
            )
            target[key] = draw(JSON)
        elif isinstance(target, dict):
            target[draw(st.text(max_size=8))] = draw(JSON)
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
