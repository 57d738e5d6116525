"""The CDS Hooks options of `rrall serve`, and `rrall feedback`, on the command line.

Registering them imports nothing beyond the standard library (every `rrall` command builds the
parser); the server's code is imported when `serve` or `feedback` runs.
"""

from __future__ import annotations

import argparse
from importlib.util import find_spec
from typing import Any

__all__ = ["add_cds_commands"]


def add_cds_options(parser: argparse.ArgumentParser) -> None:
    """The CDS Hooks options of ``rrall serve``."""
    parser.add_argument(
        "--trust",
        metavar="FILE",
        help='the issuers whose JWTs are accepted: {"issuers": [{"iss": ..., "jwks": {...}} or '
        '{"iss": ..., "jwks_url": ...}]}',
    )
    parser.add_argument(
        "--allow-unsigned",
        action="store_true",
        help="accept CDS Hooks calls without a JWT (testing only; the server then binds only to loopback)",
    )
    parser.add_argument(
        "--feedback-db",
        metavar="PATH",
        default=None,
        help="the SQLite file feedback is stored in (default: rrall-feedback.sqlite3)",
    )
    parser.add_argument(
        "--fhir-timeout",
        metavar="SECONDS",
        type=float,
        default=5.0,
        help="the timeout of each query to a request's fhirServer (default 5)",
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        default=None,
        help="the URL clients call the server at, which JWT aud claims name (default: http://HOST:PORT)",
    )


def add_feedback_command(commands: Any) -> None:
    """``rrall feedback``: a summary of the stored feedback."""
    parser = commands.add_parser(
        "feedback",
        help="summarise the CDS Hooks feedback the server stored",
        description="Print how many cards were accepted and overridden, by service, and the override "
        "reasons.",
    )
    parser.add_argument("--feedback-db", metavar="PATH", default=None, help="the SQLite file (as for serve)")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _server_command(name: str, usage_error: type[Exception]) -> Any:
    def run(args: argparse.Namespace) -> int:
        from .server import _serve

        try:
            return int(getattr(_serve, name)(args))
        except _serve.ServeError as error:
            raise usage_error(str(error)) from None

    return run


def add_cds_commands(commands: Any, usage_error: type[Exception]) -> None:
    """Add the CDS options to `serve`, and the `feedback` command (with the server extra only).

    ``usage_error`` is the command line's one-line error, raised for a bad combination of options.
    """
    if find_spec("starlette") is None or find_spec("jwt") is None:  # no server extra
        return
    serve = commands.choices["serve"]
    add_cds_options(serve)
    serve.set_defaults(run=_server_command("cmd_serve", usage_error))
    add_feedback_command(commands)
    commands.choices["feedback"].set_defaults(run=_server_command("cmd_feedback", usage_error))
