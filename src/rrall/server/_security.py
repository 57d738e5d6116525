"""Verifying the JWT bearer token CDS Hooks requires on every call.

CDS Hooks 2.0 ("Trusting CDS Clients"): the client signs a JWT with its private key; ``iss``,
``aud`` (the exact URL of the endpoint called), ``exp``, ``iat`` and ``jti`` are required; ``none``
and symmetric (HMAC) algorithms SHALL NOT be used; services SHOULD keep an allow-list of issuers.
The allow-list is a trust file::

    {"issuers": [{"iss": "https://ehr.example", "jwks": {"keys": [...]}},
                 {"iss": "https://other.example", "jwks_url": "https://other.example/jwks.json"}]}
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import jwt
from attrs import define, field, frozen

from .._json import JsonRefused, read_json
from ..exceptions import TrustFileError
from ._outcome import CdsError

__all__ = ["ASYMMETRIC_ALGORITHMS", "ReplayCache", "TokenVerifier", "TrustFileError", "TrustStore"]

#: The largest trust file read (a list of issuers and their keys is a few kB).
MAX_TRUST_FILE = 1024 * 1024
#: The JWS algorithms accepted: asymmetric only (CDS Hooks recommends ES384 and RS384).
ASYMMETRIC_ALGORITHMS = (
    "ES256",
    "ES384",
    "ES512",
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "EdDSA",
)
#: A token may live at most this long (seconds from now to ``exp``): it bounds the replay cache.
MAX_LIFETIME = 3600
#: Clock skew allowed on ``exp``, ``iat`` and ``nbf`` (seconds).
LEEWAY = 30
#: How long keys fetched from a ``jwks_url`` are kept before they are fetched again (seconds).
JWKS_TTL = 300


@frozen
class Issuer:
    """A trusted client: its ``iss`` and where its public keys are."""

    iss: str
    jwks: Mapping[str, Any] | None = None
    jwks_url: str | None = None


def _issuer(number: int, entry: object) -> Issuer:
    where = f"issuers[{number}]"
    if not isinstance(entry, dict):
        raise TrustFileError(f"{where}: must be an object with 'iss' and 'jwks' or 'jwks_url'")
    unknown = sorted(set(entry) - {"iss", "jwks", "jwks_url"})
    if unknown:
        raise TrustFileError(f"{where}: unknown field {unknown[0]!r}")
    iss = entry.get("iss")
    if not isinstance(iss, str) or not iss:
        raise TrustFileError(f"{where}.iss: must be a non-empty string")
    jwks, url = entry.get("jwks"), entry.get("jwks_url")
    if (jwks is None) == (url is None):
        raise TrustFileError(f"{where}: give exactly one of 'jwks' and 'jwks_url'")
    if url is not None and (not isinstance(url, str) or not url.startswith(("https://", "http://"))):
        raise TrustFileError(f"{where}.jwks_url: must be an http(s) URL")
    if jwks is not None:
        _key_set(jwks, f"{where}.jwks")
    return Issuer(iss, jwks, url)


def _key_set(jwks: object, where: str) -> None:
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise TrustFileError(f"{where}: must be a JWK Set, an object with a 'keys' array")
    for number, key in enumerate(jwks["keys"]):
        if not isinstance(key, dict) or key.get("kty") not in ("EC", "RSA", "OKP"):
            raise TrustFileError(f"{where}.keys[{number}]: must be a public EC, RSA or OKP key (kty)")
        if "d" in key:
            raise TrustFileError(f"{where}.keys[{number}]: is a private key; give the public key only")
    try:
        jwt.PyJWKSet.from_dict(jwks)
    except jwt.PyJWTError as error:
        raise TrustFileError(f"{where}: not a usable JWK Set ({error})") from None


@frozen
class TrustStore:
    """The issuers whose tokens are accepted, by ``iss``."""

    issuers: Mapping[str, Issuer]

    @classmethod
    def from_dict(cls, data: object) -> TrustStore:
        """A trust store from the trust file's JSON; `TrustFileError` naming the field otherwise."""
        if not isinstance(data, dict) or not isinstance(data.get("issuers"), list):
            raise TrustFileError("must be an object with an 'issuers' array")
        issuers = [_issuer(number, entry) for number, entry in enumerate(data["issuers"])]
        by_iss: dict[str, Issuer] = {}
        for issuer in issuers:
            if issuer.iss in by_iss:
                raise TrustFileError(f"issuer {issuer.iss!r} is listed twice")
            by_iss[issuer.iss] = issuer
        return cls(by_iss)

    @classmethod
    def from_file(cls, path: str | Path) -> TrustStore:
        """A trust store read from a JSON file."""
        try:
            text = Path(path).read_bytes()
        except OSError as error:
            raise TrustFileError(f"cannot read {path}: {error.strerror}") from None
        try:
            data = read_json(text, max_bytes=MAX_TRUST_FILE, what="a trust file")
        except JsonRefused as error:
            raise TrustFileError(f"{path}: {error.problem}") from None
        try:
            return cls.from_dict(data)
        except TrustFileError as error:
            raise TrustFileError(f"{path}: {error}") from None


@define
class ReplayCache:
    """The ``jti`` of every token accepted, kept until the token expires."""

    _seen: dict[tuple[str, str], float] = field(factory=dict)
    _next_sweep: float = 0.0

    def first_use(self, iss: str, jti: str, exp: float, now: float) -> bool:
        """Record ``jti``; False if it was seen before (a replay)."""
        if now >= self._next_sweep:
            self._seen = {key: until for key, until in self._seen.items() if until > now}
            self._next_sweep = now + 60
        key = (iss, jti)
        if key in self._seen:
            return False
        self._seen[key] = exp + LEEWAY
        return True


def _unauthorized(diagnostics: str, outcome: str = "unauthorized") -> CdsError:
    return CdsError(
        401,
        outcome,
        diagnostics,
        code="login",
        headers={"WWW-Authenticate": 'Bearer realm="cds-services"'},
    )


@define
class TokenVerifier:
    """Checks a bearer token against the trust store; one per server (it holds the replay cache)."""

    trust: TrustStore
    replays: ReplayCache = field(factory=ReplayCache)
    _fetched: dict[str, tuple[float, list[dict[str, Any]]]] = field(factory=dict)
    _parsed: dict[tuple[str, str], jwt.PyJWK] = field(factory=dict)

    async def verify(self, authorization: str | None, audience: str) -> dict[str, Any]:
        """The token's claims; `CdsError` 401 naming what is wrong otherwise.

        Args:
            authorization: The request's ``Authorization`` header, if any.
            audience: The exact URL of the endpoint called, which ``aud`` must equal.
        """
        if not self.trust.issuers:
            raise _unauthorized("this server trusts no issuer: it was started without --trust FILE")
        if not authorization:
            raise _unauthorized("no Authorization header: CDS Hooks calls carry a JWT bearer token")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized("the Authorization header must be 'Bearer <JWT>'")
        token = token.strip()
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise _unauthorized(f"the bearer token is not a JWT ({error})") from None
        alg = header.get("alg")
        if alg not in ASYMMETRIC_ALGORITHMS:
            raise _unauthorized(
                f"JWT alg {alg!r} is not accepted: only asymmetric algorithms"
                f" ({', '.join(ASYMMETRIC_ALGORITHMS)})"
            )
        iss = unverified.get("iss")
        issuer = self.trust.issuers.get(iss) if isinstance(iss, str) else None
        if issuer is None:
            raise _unauthorized(f"JWT iss {iss!r} is not a trusted issuer")
        claims = self._decode(token, header, alg, issuer, await self._keys(issuer), audience)
        now = time.time()
        if claims["exp"] - now > MAX_LIFETIME:
            raise _unauthorized(f"JWT exp is more than {MAX_LIFETIME} s away: tokens must be short-lived")
        if not isinstance(claims["jti"], str) or not claims["jti"]:
            raise _unauthorized("JWT jti must be a non-empty string")
        if not self.replays.first_use(issuer.iss, claims["jti"], float(claims["exp"]), now):
            raise _unauthorized("JWT jti has been used before: a replayed token is refused", "replayed")
        return claims

    def _decode(
        self,
        token: str,
        header: Mapping[str, Any],
        alg: str,
        issuer: Issuer,
        keys: list[dict[str, Any]],
        audience: str,
    ) -> dict[str, Any]:
        kid = header.get("kid")
        candidates = [key for key in keys if kid is None or key.get("kid") == kid]
        if not candidates:
            raise _unauthorized(f"no key of issuer {issuer.iss!r} has kid {kid!r}")
        problem = f"no key of issuer {issuer.iss!r} verified the signature"
        for raw in candidates:
            if raw.get("alg", alg) != alg:
                continue
            try:
                key = self._key(raw, alg)
                claims: dict[str, Any] = jwt.decode(
                    token,
                    key,
                    algorithms=[alg],
                    audience=audience,
                    issuer=issuer.iss,
                    leeway=LEEWAY,
                    options={"require": ["iss", "aud", "exp", "iat", "jti"]},
                )
                return claims
            except (jwt.InvalidSignatureError, jwt.InvalidKeyError, jwt.PyJWKError):
                continue
            except jwt.InvalidAudienceError:
                raise _unauthorized(
                    f"JWT aud must be the exact URL of the service called, {audience!r}"
                ) from None
            except jwt.ExpiredSignatureError:
                raise _unauthorized("JWT has expired (exp)", "expired") from None
            except jwt.PyJWTError as error:
                raise _unauthorized(f"JWT refused: {error}") from None
        raise _unauthorized(problem)

    def _key(self, raw: dict[str, Any], alg: str) -> jwt.PyJWK:
        # A JWK without "alg" is used with the token's algorithm, if its key type allows it.
        cache_key = (json.dumps(raw, sort_keys=True), alg)
        key = self._parsed.get(cache_key)
        if key is None:
            key = jwt.PyJWK(raw, algorithm=alg)
            self._parsed[cache_key] = key
        return key

    async def _keys(self, issuer: Issuer) -> list[dict[str, Any]]:
        if issuer.jwks is not None:
            return list(issuer.jwks["keys"])
        assert issuer.jwks_url is not None
        cached = self._fetched.get(issuer.iss)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        try:
            async with httpx.AsyncClient(timeout=httpx.Timeout(5.0), follow_redirects=False) as client:
                response = await client.get(issuer.jwks_url, headers={"Accept": "application/json"})
            response.raise_for_status()
            data = response.json()
            _key_set(data, issuer.jwks_url)
            keys = list(data["keys"])
        except (httpx.HTTPError, ValueError) as error:
            raise _unauthorized(
                f"cannot get the keys of issuer {issuer.iss!r} from its jwks_url ({error})"
            ) from None
        self._fetched[issuer.iss] = (time.monotonic() + JWKS_TTL, keys)
        return keys
