"""No posted value gets a 500 from the pages' endpoints: a 200, or a 4xx whose JSON names the field."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("starlette", reason="the server needs the server extra: pip install 'rrall[server]'")
httpx = pytest.importorskip("httpx")

from live_server import live_server  # noqa: E402
from rrall import RR_ALL  # noqa: E402
from rrall.server import create_app  # noqa: E402

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
NEAR_PATIENTS = st.dictionaries(
    st.sampled_from([*RR_ALL.schema.names, "resourceType", "hook", "prefetch", "other"]), VALUES, max_size=6
)
RESOURCES = st.fixed_dictionaries(
    {
        "resourceType": st.sampled_from(
            ["Patient", "Condition", "Observation", "MedicationRequest", "MedicationAdministration", "Bundle"]
        )
    },
    optional={
        "id": SCALARS,
        "birthDate": st.text(max_size=12) | st.dates().map(str),
        "code": VALUES,
        "status": SCALARS,
        "subject": VALUES,
        "valueCodeableConcept": VALUES,
        "clinicalStatus": VALUES,
        "medicationCodeableConcept": VALUES,
    },
)
NEAR_FHIR = st.fixed_dictionaries(
    {"resourceType": st.just("Bundle")},
    optional={
        "type": SCALARS,
        "entry": st.lists(st.fixed_dictionaries({"resource": RESOURCES}) | VALUES, max_size=4),
    },
)
PATHS = ("/api/walk", "/api/explore", "/report")


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with live_server(create_app()) as url, httpx.Client(base_url=url, timeout=30) as http:
        yield http


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(value=VALUES | NEAR_PATIENTS | NEAR_FHIR, path=st.sampled_from(PATHS))
def test_any_json_value_gets_an_answer_or_a_client_error_naming_the_field(
    client: httpx.Client, value: object, path: str
) -> None:
    response = client.post(path, content=json.dumps(value), headers={"content-type": "application/json"})
    assert response.status_code == 200 or 400 <= response.status_code < 500, response.text
    if response.status_code != 200:
        assert response.json()["error"]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(body=st.binary(max_size=64), path=st.sampled_from(PATHS))
def test_any_bytes_get_an_answer_or_a_client_error(client: httpx.Client, body: bytes, path: str) -> None:
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200 or 400 <= response.status_code < 500, response.text
