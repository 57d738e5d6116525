"""CDS Hooks security: every call carries a JWT from a trusted issuer, checked as the spec requires."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest

from cds_support import Server, Signer, hook_request, prefetch_of, record, validate
from rrall._cli import main


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer()


@pytest.fixture(scope="module")
def server(signer: Signer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("trust")
    started = Server(
        "--trust", str(signer.trust_file(directory)), "--feedback-db", str(directory / "fb.sqlite3")
    )
    yield started
    started.stop()


def call(server: Server, token: str | None, path: str = "/cds-services/rr-all-options") -> httpx.Response:
    body = hook_request("patient-view", "sec-1", prefetch=prefetch_of(record("sec-1", ph="positive")))
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return httpx.post(server.url + path, json=body, headers=headers, timeout=30)


def refused(response: httpx.Response, named: str) -> None:
    assert response.status_code == 401, response.text
    validate("operationOutcome", response.json())
    assert named in response.json()["issue"][0]["diagnostics"]
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_valid_es384_token_from_a_trusted_issuer_is_accepted(server: Server, signer: Signer) -> None:
    response = call(server, signer.token(server.url + "/cds-services/rr-all-options"))
    assert response.status_code == 200, response.text
    validate("serviceResponse", response.json())


def test_discovery_needs_a_token_too_with_aud_the_discovery_url(server: Server, signer: Signer) -> None:
    url = server.url + "/cds-services"
    assert httpx.get(url, timeout=10).status_code == 401
    response = httpx.get(url, headers={"Authorization": f"Bearer {signer.token(url)}"}, timeout=10)
    assert response.status_code == 200


def test_a_call_without_a_token_is_refused(server: Server) -> None:
    refused(call(server, None), "no Authorization header")


def test_an_hs256_token_is_refused_even_with_the_right_claims(server: Server, signer: Signer) -> None:
    now = int(time.time())
    claims = {
        "iss": signer.iss,
        "aud": server.url + "/cds-services/rr-all-options",
        "iat": now,
        "exp": now + 60,
        "jti": "hs",
    }
    token = jwt.encode(claims, "a shared secret of more than thirty-two bytes", algorithm="HS256")
    refused(call(server, token), "'HS256' is not accepted")


def test_an_expired_token_is_refused(server: Server, signer: Signer) -> None:
    now = int(time.time())
    refused(
        call(server, signer.token(server.url + "/cds-services/rr-all-options", iat=now - 600, exp=now - 300)),
        "expired",
    )


def test_a_token_for_another_url_is_refused(server: Server, signer: Signer) -> None:
    refused(call(server, signer.token(server.url + "/cds-services/rr-all-order-check")), "aud")
    refused(call(server, signer.token("https://other.example/cds-services/rr-all-options")), "aud")


def test_a_replayed_token_is_refused(server: Server, signer: Signer) -> None:
    token = signer.token(server.url + "/cds-services/rr-all-options")
    assert call(server, token).status_code == 200
    refused(call(server, token), "used before")


def test_a_token_from_an_issuer_not_in_the_trust_file_is_refused(server: Server) -> None:
    stranger = Signer(iss="https://stranger.example")
    refused(call(server, stranger.token(server.url + "/cds-services/rr-all-options")), "not a trusted issuer")


def test_a_token_signed_with_another_key_under_the_trusted_kid_is_refused(
    server: Server, signer: Signer
) -> None:
    impostor = Signer(iss=signer.iss, kid=signer.kid)
    refused(
        call(server, impostor.token(server.url + "/cds-services/rr-all-options")), "verified the signature"
    )


def test_unsigned_mode_binds_only_to_loopback(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--allow-unsigned", "--host", "0.0.0.0", "--port", "0"])
    assert stopped.value.code == 2
    assert "loopback" in capsys.readouterr().err


def test_without_a_trust_file_every_cds_call_is_refused_and_the_pages_are_served(tmp_path: Path) -> None:
    server = Server("--feedback-db", str(tmp_path / "fb.sqlite3"))
    try:
        refused(httpx.get(server.url + "/cds-services", timeout=10), "trusts no issuer")
        refused(call(server, Signer().token(server.url + "/cds-services/rr-all-options")), "trusts no issuer")
        assert httpx.get(server.url + "/", timeout=10).status_code == 200
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("trust", "named"),
    [
        (
            '{"issuers": [{"iss": "https://ehr.example"}]}',
            "issuers[0]: give exactly one of 'jwks' and 'jwks_url'",
        ),
        (
            '{"issuers": [{"iss": "x", "jwks": {"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}}]}',
            "issuers[0].jwks.keys[0]",
        ),
        ('{"issuers": "none"}', "'issuers' array"),
        ("{not json", "not valid JSON"),
    ],
)
def test_a_bad_trust_file_is_refused_naming_the_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], trust: str, named: str
) -> None:
    path = tmp_path / "trust.json"
    path.write_text(trust, encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["serve", "--trust", str(path), "--port", "0"])
    assert named in capsys.readouterr().err


def test_keys_are_fetched_from_an_issuers_jwks_url(tmp_path: Path) -> None:
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    signer = Signer(iss="https://rotating.example")
    served = json.dumps(signer.jwks).encode()

    class Keys(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(served)))
            self.end_headers()
            self.wfile.write(served)

        def log_message(self, format: str, *args: object) -> None:
            pass

    keys = ThreadingHTTPServer(("127.0.0.1", 0), Keys)
    threading.Thread(target=keys.serve_forever, daemon=True).start()
    trust = tmp_path / "trust.json"
    jwks_url = f"http://127.0.0.1:{keys.server_address[1]}/jwks.json"
    trust.write_text(json.dumps({"issuers": [{"iss": signer.iss, "jwks_url": jwks_url}]}), encoding="utf-8")
    server = Server("--trust", str(trust), "--feedback-db", str(tmp_path / "fb.sqlite3"))
    try:
        assert call(server, signer.token(server.url + "/cds-services/rr-all-options")).status_code == 200
        refused(
            call(server, Signer(iss=signer.iss).token(server.url + "/cds-services/rr-all-options")),
            "signature",
        )
    finally:
        server.stop()
        keys.shutdown()
        keys.server_close()
