"""Running the server: the CDS settings ``rrall serve``'s options ask for, binding, ``rrall feedback``."""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import socket
import sys
from typing import Any

from ..exceptions import ServeError

__all__ = ["ServeError", "app_with_cds", "cds_settings", "cmd_feedback", "cmd_serve", "listen", "run"]

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    """True if ``host`` names a loopback address."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cds_settings(args: argparse.Namespace, host: str, port: int) -> Any:
    """The CDS settings the options ask for; `ServeError` for a bad combination."""
    from ._cds import CdsSettings
    from ._feedback import DEFAULT_FEEDBACK_DB, FeedbackStore
    from ._security import TokenVerifier, TrustFileError, TrustStore

    if args.trust and args.allow_unsigned:
        raise ServeError("give --trust FILE or --allow-unsigned, not both")
    if args.allow_unsigned and not is_loopback(host):
        raise ServeError(f"--allow-unsigned binds only to loopback, not {host!r}: use --host 127.0.0.1")
    # Without --trust, no issuer is trusted: the pages are served, and every CDS Hooks call gets 401.
    verifier = None if args.allow_unsigned else TokenVerifier(TrustStore({}))
    if args.trust:
        try:
            verifier = TokenVerifier(TrustStore.from_file(args.trust))
        except TrustFileError as error:
            raise ServeError(f"--trust: {error}") from None
    shown = f"[{host}]" if ":" in host else host
    base_url = (args.public_url or f"http://{shown}:{port}").rstrip("/")
    try:
        feedback = FeedbackStore(args.feedback_db or DEFAULT_FEEDBACK_DB)
    except Exception as error:  # sqlite3.Error or OSError: the message names the file
        raise ServeError(
            f"--feedback-db: cannot open {args.feedback_db or DEFAULT_FEEDBACK_DB}: {error}"
        ) from None
    if not 0 < args.fhir_timeout <= 120:
        raise ServeError("--fhir-timeout: must be more than 0 and at most 120 seconds")
    from ._links import card_links

    return CdsSettings(
        verifier=verifier,
        feedback=feedback,
        base_url=base_url,
        links=card_links,
        fhir_timeout=args.fhir_timeout,
    )


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on such sockets, and without it
    # each response waits ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except (OSError, OverflowError) as error:
        sock.close()
        why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise ServeError(f"cannot listen on {host}:{port}: {why}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run(app: Any, sock: socket.socket) -> None:
    """Serve ``app`` on ``sock`` with uvicorn until interrupted; one JSON log line per request on stderr."""
    import uvicorn

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    requests_log = logging.getLogger("rrall.server.requests")
    requests_log.addHandler(handler)
    requests_log.setLevel(logging.INFO)
    requests_log.propagate = False
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off", server_header=False)
    uvicorn.Server(config).run(sockets=[sock])


def cmd_feedback(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ._feedback import DEFAULT_FEEDBACK_DB, FeedbackStore, summary_text

    path = args.feedback_db or DEFAULT_FEEDBACK_DB
    if not Path(path).is_file():
        raise ServeError(f"no feedback database at {path}")
    store = FeedbackStore(path)
    try:
        summary = store.summary()
    finally:
        store.close()
    if args.format == "json":
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        sys.stdout.write(summary_text(summary, path))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """``rrall serve``: the pages and the CDS Hooks service on HOST:PORT."""
    if not 0 <= args.port <= 65535:
        raise ServeError(f"--port must be from 0 to 65535, got {args.port}")
    sock = listen(args.host, args.port)
    host, port = sock.getsockname()[:2]
    settings = cds_settings(args, args.host, port)
    shown = f"[{host}]" if ":" in host else host
    if settings.verifier is None:
        security = "UNSIGNED calls accepted, loopback only"
    elif settings.verifier.trust.issuers:
        security = f"JWTs verified, {len(settings.verifier.trust.issuers)} trusted issuer(s)"
    else:
        security = "every call refused: no --trust FILE"
    sys.stderr.write(
        f"rrall: running on http://{shown}:{port}: the pages at /, CDS Hooks at"
        f" http://{shown}:{port}/cds-services ({security}; feedback in {settings.feedback.path})\n"
    )
    sys.stderr.flush()
    run(app_with_cds(settings), sock)
    return 0


def app_with_cds(settings: Any) -> Any:
    """`create_app`'s pages with the CDS Hooks routes and the card links' route SVG, logged per request."""
    from . import DEFAULT_ROUTES, create_app
    from ._cds import cds_routes
    from ._links import link_routes
    from ._requests import RequestLog

    def cds(config: Any) -> Any:
        return [*cds_routes(settings), *link_routes(config.guideline)]

    return RequestLog(create_app(guideline=settings.guideline, routes=(*DEFAULT_ROUTES, cds)))
