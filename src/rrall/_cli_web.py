"""`rrall report` and `rrall serve`: the pages, from the command line.

Kept apart from ``_cli`` so the two commands register themselves with one call.
Errors print one line naming the problem and exit with status 2, as every command does.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .engine import InvalidRecord
from .rr_all import RR_ALL

__all__ = ["add_web_commands"]

EXIT_OK = 0
EXIT_INVALID = 2


class _Refused(Exception):
    """Input the command cannot use: one line on stderr, exit status 2."""


def _fail(message: str) -> int:
    message = message.replace("\r", "\\r").replace("\n", "\\n")
    sys.stderr.write(f"rrall: {message}\n")
    return EXIT_INVALID


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as source:
            return source.read()
    except OSError as error:
        raise _Refused(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise _Refused(f"{path}: not UTF-8 text") from None


def _walk_file(path: str) -> Any:
    """The walk of the patient in ``path`` (JSON facts or FHIR), with its provenance (a `Walked`)."""
    from .server._errors import RequestError
    from .server._patients import walk_document

    where = "input" if path == "-" else path
    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as error:
        raise _Refused(f"{where}: not valid JSON ({error.msg} at line {error.lineno})") from None
    except RecursionError:
        raise _Refused(f"{where}: JSON nested too deeply") from None
    try:
        walked = walk_document(data, RR_ALL)
    except RequestError as error:
        field = f"{error.field}: " if error.field and error.field != "patient" else ""
        raise _Refused(f"{where}: invalid patient: {field}{error.message}") from None
    except InvalidRecord as error:  # from a FHIR reader
        raise _Refused(f"{where}: invalid patient: {error}") from None
    return walked


def cmd_report(args: argparse.Namespace) -> int:
    """Write the report page for one patient."""
    from .web import report_html

    try:
        walked = _walk_file(args.patient)
        page = report_html(
            walked.result, guideline=RR_ALL, provenance=walked.provenance, notices=walked.notices
        )
        if args.output in (None, "-"):
            sys.stdout.write(page)
            return EXIT_OK
        try:
            with open(args.output, "w", encoding="utf-8") as out:
                out.write(page)
        except OSError as error:
            raise _Refused(f"cannot write {args.output}: {error.strerror}") from None
    except _Refused as error:
        return _fail(str(error))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the explorer, the report page and the JSON endpoints until interrupted."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        return _fail("rrall serve needs the server extra: pip install 'rrall[server]'")
    if not 0 <= args.port <= 65535:
        return _fail(f"--port must be from 0 to 65535, got {args.port}")
    from .server import serve

    serve(args.host, args.port)
    return EXIT_OK


def add_web_commands(commands: Any) -> None:
    """Register `report` and `serve` on the command line's subparsers."""
    report = commands.add_parser(
        "report",
        help="write one self-contained HTML page with a patient's options, route and citations",
        description="Walk one patient (a JSON file of facts, or a FHIR Bundle with the fhir extra) and "
        "write an HTML page that opens with no network: the facts, the options with their conditions and "
        "quotes, what is excluded and why, the facts to find next, the route on the flowchart, the "
        "readings applied, the disclaimer, source and version.",
    )
    report.add_argument(
        "patient", metavar="PATIENT", help="a patient .json file (or a FHIR Bundle), - for stdin"
    )
    report.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    report.set_defaults(run=cmd_report)

    serve = commands.add_parser(
        "serve",
        help="serve the explorer at / and the report page (needs the server extra)",
        description="Serve the explorer (a control for every fact; the answers from the JSON endpoint "
        "/api/walk), the report page at /report and the JSON endpoints, until interrupted.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="the port (default 8080; 0: any free port)")
    serve.set_defaults(run=cmd_serve)
