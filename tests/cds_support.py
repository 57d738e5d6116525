"""Shared by the CDS Hooks tests: a real `rrall serve` process, a loopback FHIR server, tokens, records."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jsonschema import Draft202012Validator

SCHEMA = json.loads((Path(__file__).parent / "cds" / "cds-hooks-2.0.schema.json").read_text(encoding="utf-8"))
LOINC = "http://loinc.org"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ISSUER = "https://ehr.example"


def validate(kind: str, document: object) -> None:
    """Fail unless ``document`` is valid against the schema's ``$defs/kind``."""
    schema = {**SCHEMA, "$ref": f"#/$defs/{kind}"}
    errors = sorted(Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


class Signer:
    """An EHR's ES384 signing key, and the trust file that names it."""

    def __init__(self, iss: str = ISSUER, kid: str = "ehr-key-1") -> None:
        self.iss, self.kid = iss, kid
        self.key = ec.generate_private_key(ec.SECP384R1())
        public = jwt.algorithms.ECAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        self.jwks = {"keys": [{**public, "kid": kid, "use": "sig", "alg": "ES384"}]}

    def trust_file(self, directory: Path) -> Path:
        path = directory / "trust.json"
        path.write_text(json.dumps({"issuers": [{"iss": self.iss, "jwks": self.jwks}]}), encoding="utf-8")
        return path

    def token(self, aud: str, **claims: Any) -> str:
        now = int(time.time())
        payload = {
            "iss": self.iss,
            "aud": aud,
            "iat": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
        } | claims
        payload = {key: value for key, value in payload.items() if value is not None}
        return jwt.encode(payload, self.key, algorithm="ES384", headers={"kid": self.kid, "typ": "JWT"})


class Server:
    """``rrall serve --port 0`` in a child process, on 127.0.0.1."""

    def __init__(self, *args: str, env: Mapping[str, str] | None = None) -> None:
        command = [sys.executable, "-m", "rrall", "serve", "--host", "127.0.0.1", "--port", "0", *args]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()
        self.url = self._wait_for_url()

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line.rstrip("\n"))
            self.lines.put(line)

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            found = re.search(r"CDS Hooks at (http://\S+)/cds-services", line)
            if found:
                return found.group(1)
        self.stop()
        raise AssertionError("rrall serve did not start:\n" + "\n".join(self.log))

    def request_log(self) -> list[dict[str, Any]]:
        """The structured log lines written so far."""
        time.sleep(0.1)
        return [json.loads(line) for line in self.log if line.startswith("{")]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def running(*args: str) -> Iterator[Server]:
    server = Server(*args)
    try:
        yield server
    finally:
        server.stop()


# -- FHIR records ----------------------------------------------------------------------------


def reference(patient_id: str) -> dict[str, str]:
    return {"reference": f"Patient/{patient_id}"}


def record(
    patient_id: str,
    *,
    ph: str | None,
    lineage: str = "B",
    birth: str = "1980-05-01",
    tkis: tuple[str, ...] = (),
    diagnosis: tuple[str, str, str] | None = None,
) -> list[dict[str, Any]]:
    """A patient record: Patient, an ALL Condition in relapse, a BCR-ABL1 result, TKIs taken."""
    code = diagnosis or (
        (SNOMED, "277571004", "B-cell acute lymphoblastic leukemia")
        if lineage == "B"
        else (SNOMED, "397348006", "T lymphoblastic leukemia/lymphoma")
    )
    resources: list[dict[str, Any]] = [
        {"resourceType": "Patient", "id": patient_id, "birthDate": birth},
        {
            "resourceType": "Condition",
            "id": f"{patient_id}-dx",
            "subject": reference(patient_id),
            "clinicalStatus": {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "relapse"}
                ]
            },
            "code": {"coding": [{"system": code[0], "code": code[1], "display": code[2]}]},
        },
    ]
    if ph is not None:
        answer = {"positive": ("LA9633-4", "Present"), "negative": ("LA9634-2", "Absent")}[ph]
        resources.append(
            {
                "resourceType": "Observation",
                "id": f"{patient_id}-bcr-abl1",
                "status": "final",
                "subject": reference(patient_id),
                "code": {"coding": [{"system": LOINC, "code": "21821-4"}]},
                "valueCodeableConcept": {
                    "coding": [{"system": LOINC, "code": answer[0], "display": answer[1]}]
                },
            }
        )
    for number, drug in enumerate(tkis):
        resources.append(
            {
                "resourceType": "MedicationStatement",
                "id": f"{patient_id}-tki-{number}",
                "status": "completed",
                "subject": reference(patient_id),
                "medicationCodeableConcept": {"text": drug},
            }
        )
    return resources


def prefetch_of(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """The prefetch object a CDS client sends for the service's templates, from a record."""

    def search(kind: str) -> dict[str, Any]:
        found = [r for r in resources if r["resourceType"] == kind]
        return {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(found),
            "entry": [{"resource": r} for r in found],
        }

    patient = next((r for r in resources if r["resourceType"] == "Patient"), None)
    return {
        "patient": patient,
        "conditions": search("Condition"),
        "observations": search("Observation"),
        "medicationRequests": search("MedicationRequest"),
        "medicationAdministrations": search("MedicationAdministration"),
        "medicationStatements": search("MedicationStatement"),
    }


def hook_request(hook: str, patient_id: str, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": hook,
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/example", "patientId": patient_id},
    }
    body.update(fields)
    return body


class FhirServer:
    """A FHIR endpoint on 127.0.0.1 serving fixture records: reads and ``?patient=`` searches."""

    def __init__(self, resources: list[dict[str, Any]], *, delay: float = 0.0, page_size: int = 0) -> None:
        self.resources = resources
        self.delay = delay
        self.page_size = page_size  # 0: every match on one page; else pages linked by "next"
        self.requests: list[tuple[str, str | None]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append((self.path, self.headers.get("Authorization")))
                if outer.delay:
                    time.sleep(outer.delay)
                status, body = outer.answer(self.path)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/fhir+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/fhir"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def answer(self, path: str) -> tuple[int, Any]:
        parts = urlsplit(path)
        segments = parts.path.removeprefix("/fhir/").split("/")
        if len(segments) == 2:
            found = [
                r for r in self.resources if r["resourceType"] == segments[0] and r.get("id") == segments[1]
            ]
            return (
                (200, found[0])
                if found
                else (
                    404,
                    {
                        "resourceType": "OperationOutcome",
                        "issue": [{"severity": "error", "code": "not-found"}],
                    },
                )
            )
        query = parse_qs(parts.query)
        patient = query.get("patient", [""])[0]
        codes = {c for value in query.get("code", []) for c in value.split(",")}
        found = [
            r
            for r in self.resources
            if r["resourceType"] == segments[0]
            and r.get("subject") == reference(patient)
            and (not codes or any(f"{c['system']}|{c['code']}" in codes for c in r["code"]["coding"]))
        ]
        bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "searchset", "total": len(found)}
        if self.page_size:
            offset = int(query.get("_offset", ["0"])[0])
            page = found[offset : offset + self.page_size]
            if offset + self.page_size < len(found):
                following = f"{self.url}/{segments[0]}?patient={patient}&_offset={offset + self.page_size}"
                bundle["link"] = [{"relation": "next", "url": following}]
            found = page
        bundle["entry"] = [{"resource": r} for r in found]
        return 200, bundle

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
