"""`rrall report` and `rrall serve`: the pages, from the command line.

Kept apart from ``_cli`` so the two commands register themselves with one call.
Input is read where every command reads it (`rrall._input`); bad input is a
`UsageError`, which the command line prints in one line with exit status 2.
"""

from __future__ import annotations

import argparse
from typing import Any

from ._api import walk
from ._input import Input, UsageError, load_guideline, read_guideline_patient, read_record
from .rr_all import RR_ALL

__all__ = ["add_web_commands"]

EXIT_OK = 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the report page for one patient (patient JSON, or a FHIR record)."""
    from .web import report_html

    guideline = load_guideline(args.guideline)
    if guideline is not RR_ALL:
        with Input(args.patient) as source:
            record = read_guideline_patient(source.document(), source.where, guideline)
        return _write(report_html(walk(record, guideline=guideline), guideline=guideline), args.output)
    with Input(args.patient) as source:
        patient, reading = read_record(source.document(), source.where)
    provenance: dict[str, str] | None = None
    notices: tuple[str, ...] = ()
    if reading is not None:
        from .web._fhir import fhir_notices, fhir_provenance

        if reading.scope == "not-all":  # the text is about ALL, as `rrall walk` says
            raise UsageError(f"{source.where}: {reading.scope_reason}")
        provenance, notices = fhir_provenance(reading), fhir_notices(reading)
    return _write(
        report_html(walk(patient), guideline=RR_ALL, provenance=provenance, notices=notices), args.output
    )


def _write(page: str, output: str | None) -> int:
    if output in (None, "-"):
        import sys

        sys.stdout.write(page)
        return EXIT_OK
    try:
        with open(output, "w", encoding="utf-8") as out:
            out.write(page)
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror}") from None
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the explorer, the report page and the JSON endpoints until interrupted."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise UsageError("rrall serve needs the server extra: pip install 'rrall[server]'") from None
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be from 0 to 65535, got {args.port}")
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
    report.add_argument(
        "--guideline",
        metavar="FILE",
        default="rr-all",
        help="rr-all (the built-in text, the default) or a guideline exported as JSON (`rrall export`); "
        "FHIR records are read for rr-all only",
    )
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
