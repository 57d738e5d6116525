"""The ``rrall`` command line.

Invalid input exits with status 2 and a one-line message on stderr naming the
field; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from typing import IO, NoReturn

from . import __version__
from ._api import walk
from .engine import InvalidRecord, WalkResult
from .engine._report import text_report
from .engine._serialize import guideline_to_dict, to_json, walk_result_to_dict
from .rr_all import RR_ALL, Patient

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 2


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit status 2."""


def _open(path: str) -> IO[str]:
    if path == "-":
        return sys.stdin
    try:
        return open(path, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def load_patient(text: str, where: str = "input") -> Patient:
    """A patient from one JSON object; `UsageError` naming the problem otherwise."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"{where}: not valid JSON ({error.msg} at line {error.lineno})") from None
    try:
        return Patient.from_dict(data)
    except InvalidRecord as error:
        raise UsageError(f"{where}: invalid patient: {error}") from None


def _walk_lines(lines: Iterator[str], out: IO[str]) -> int:
    """Walk one patient per line, printing one JSON line per input line."""
    status = EXIT_OK
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = walk_result_to_dict(walk(load_patient(line, f"line {number}")))
        except UsageError as error:
            record = {"line": number, "error": str(error).removeprefix(f"line {number}: ")}
            status = EXIT_INVALID
        out.write(to_json(record) + "\n")
    return status


def _print_result(result: WalkResult, fmt: str, out: IO[str]) -> None:
    if fmt == "json":
        out.write(to_json(walk_result_to_dict(result)) + "\n")
    else:
        out.write(text_report(result, RR_ALL))


def cmd_walk(args: argparse.Namespace) -> int:
    source = _open(args.file)
    try:
        if args.jsonl or args.file.endswith(".jsonl"):
            return _walk_lines(iter(source), sys.stdout)
        patient = load_patient(source.read(), "input" if args.file == "-" else args.file)
    finally:
        if source is not sys.stdin:
            source.close()
    _print_result(walk(patient), args.format, sys.stdout)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(guideline_to_dict(RR_ALL), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rrall",
        description="The R/R ALL treatment-options text (LLS, based on NCCN) as a walkable decision "
        "graph. rrall models one published text; it is not medical advice.",
    )
    parser.add_argument("--version", action="version", version=f"rrall {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    walk_parser = commands.add_parser(
        "walk",
        help="walk a patient (JSON) or a cohort (JSON Lines) through the guideline",
        description="Walk one patient from a JSON object, or one patient per line from a .jsonl file.",
    )
    walk_parser.add_argument("file", metavar="FILE", help="a .json or .jsonl file, or - for stdin")
    walk_parser.add_argument("--format", choices=("text", "json"), default="text")
    walk_parser.add_argument("--jsonl", action="store_true", help="read JSON Lines (implied by .jsonl)")
    walk_parser.set_defaults(run=cmd_walk)

    export_parser = commands.add_parser("export", help="print the guideline graph as JSON")
    export_parser.add_argument("--format", choices=("json",), default="json")
    export_parser.set_defaults(run=cmd_export)

    # Further commands (render, verify, diff) register themselves below.
    return parser


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"rrall: {message}\n")
    raise SystemExit(EXIT_INVALID)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except UsageError as error:
        _fail(str(error))
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return EXIT_OK
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
