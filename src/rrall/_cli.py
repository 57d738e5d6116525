"""The ``rrall`` command line.

Invalid input exits with status 2 and a one-line message on stderr naming the
field; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import io
import json
import sys
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, NoReturn

from ._api import walk
from ._cli_cds import add_cds_commands
from ._cli_web import add_web_commands
from ._input import (
    Input,
    UsageError,
    load_guideline,
    one_line,
    read_guideline_patient,
    read_patient,
    read_record,
)
from ._render_api import render
from ._verify_api import verify
from ._version import __version__
from .engine import (
    Guideline,
    text_report,
    to_json,
    verification_report,
    verification_to_dict,
    walk_json,
)
from .rr_all import RR_ALL, Patient
from .schemas import KINDS, schema_text

if TYPE_CHECKING:
    from .fhir import FhirReading

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 2
#: `rrall verify`: a check failed; `rrall diff`: the versions differ.
EXIT_FAILED = 1


#: Files read as JSON Lines (one patient per line) by their name.
JSONL_SUFFIXES = (".jsonl", ".ndjson")


#: A cohort freezes what survives each this many lines (`gc.freeze`): the walk's cache
#: (templates of classes met) then stays out of the cyclic collector's full passes. Walking
#: a line makes no reference cycle, so nothing frozen needs that collector to be freed.
FREEZE_EVERY = 1024


def _walk_lines(source: Input, fmt: str, fhir: Mapping[str, Any], out: IO[str]) -> int:
    """Walk one patient per line: one answer per line that is not blank, in order.

    In JSON (and FHIR), each answer is one line: the result, or ``{"line": N, "error": "..."}``.
    In text, each is a report headed by its line number. Bad lines stop nothing; if
    there are any, one line on stderr counts them and the exit status is 2.
    """
    invalid, count, first = 0, 0, ""
    for number, line in source.lines():
        count += 1
        if count % FREEZE_EVERY == 0:
            gc.freeze()
        try:
            answer: tuple[Patient, FhirReading | None] | str = read_record(line, f"line {number}", fhir=fhir)
        except UsageError as error:
            answer = one_line(str(error).removeprefix(f"line {number}: "))
            invalid, first = invalid + 1, first or f"line {number}: {answer}"
        out.write(_line_answer(number, answer, fmt, separate=count > 1))
    if invalid:
        answered = "an error record" if fmt != "text" else "an error"
        raise UsageError(
            f"{source.where}: {invalid} of {count} lines invalid, each answered with {answered}; {first}"
        )
    return EXIT_OK


def _line_answer(
    number: int, answer: tuple[Patient, FhirReading | None] | str, fmt: str, *, separate: bool
) -> str:
    """One line's answer: its walk or its error (a str), as a JSON line or a headed report."""
    from .fhir._cli import print_walk, result_json

    if fmt == "json" and not isinstance(answer, str) and answer[1] is None:
        return _walk_json(answer[0]) + "\n"
    if fmt != "text":
        record = {"line": number, "error": answer} if isinstance(answer, str) else result_json(*answer, fmt)
        return to_json(record) + "\n"
    heading = ("\n" if separate else "") + f"== line {number}"
    if isinstance(answer, str):
        return f"{heading}: {answer}\n"
    report = io.StringIO()
    print_walk(*answer, "text", report)
    return f"{heading}\n{report.getvalue()}"


def _walk_json(patient: Patient) -> str:
    """``to_json(result_json(patient, None))``, the walk's text made by the cache (`walk_json`)."""
    text = walk_json(patient, RR_ALL)
    if not patient.warnings:
        return text
    # The same object with "warnings" last, as `result_json` adds it.
    return f"{text[:-1]}, {to_json({'warnings': list(patient.warnings)})[1:]}"


def _as_of(text: str | None) -> datetime.date | None:
    try:
        return None if text is None else datetime.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of: not a date (YYYY-MM-DD): {text!r}") from None


def cmd_walk(args: argparse.Namespace) -> int:
    guideline = load_guideline(args.guideline)
    if guideline is not RR_ALL:
        return _walk_guideline(args, guideline)
    from .fhir._cli import print_walk

    # How a FHIR record is read (rrall.fhir.read_record's options).
    fhir = {"as_of": _as_of(args.as_of), "cd20_threshold": args.cd20_threshold}
    with Input(args.file) as source:
        if args.jsonl or args.file.endswith(JSONL_SUFFIXES) or source.holds_json_lines():
            return _walk_lines(source, args.format or "json", fhir, sys.stdout)
        patient, reading = read_record(source.document(), source.where, hint_jsonl=True, fhir=fhir)
    print_walk(patient, reading, args.format or "text", sys.stdout)
    return EXIT_OK


def _walk_guideline(args: argparse.Namespace, guideline: Guideline) -> int:
    """`rrall walk --guideline FILE`: the walk through another guideline (no FHIR reading)."""
    if args.format == "fhir":
        raise UsageError("--format fhir is for the built-in rr-all guideline only")
    with Input(args.file) as source:
        if args.jsonl or args.file.endswith(JSONL_SUFFIXES) or source.holds_json_lines():
            return _walk_guideline_lines(source, guideline, args.format or "json", sys.stdout)
        patient = read_guideline_patient(source.document(), source.where, guideline)
    result = walk(patient, guideline)
    fmt = args.format or "text"
    sys.stdout.write(to_json(result.to_dict()) + "\n" if fmt == "json" else text_report(result, guideline))
    return EXIT_OK


def _walk_guideline_lines(source: Input, guideline: Guideline, fmt: str, out: IO[str]) -> int:
    """`_walk_lines` through another guideline: one answer per line, bad lines counted at the end."""
    invalid, count, first = 0, 0, ""
    for number, line in source.lines():
        count += 1
        try:
            result = walk(read_guideline_patient(line, f"line {number}", guideline), guideline)
        except UsageError as error:
            answer = one_line(str(error).removeprefix(f"line {number}: "))
            invalid, first = invalid + 1, first or f"line {number}: {answer}"
            text = (
                to_json({"line": number, "error": answer}) + "\n"
                if fmt != "text"
                else f"== line {number}: {answer}\n"
            )
        else:
            text = (
                to_json(result.to_dict()) + "\n"
                if fmt != "text"
                else f"== line {number}\n" + text_report(result, guideline)
            )
        out.write(text)
    if invalid:
        raise UsageError(
            f"{source.where}: {invalid} of {count} lines invalid, each answered with an error; {first}"
        )
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    guideline = load_guideline(args.guideline)
    if args.format == "fhir":
        from .fhir._plan import plan_bundle

        sys.stdout.write(json.dumps(plan_bundle(guideline), ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    from .engine import guideline_to_dict  # on use: the JSON forms (cattrs)

    sys.stdout.write(json.dumps(guideline_to_dict(guideline), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text(args.kind, load_guideline(args.guideline)))
    return EXIT_OK


#: Output formats by file extension, for `rrall render -o FILE`.
RENDER_EXTENSIONS = {
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
}


def _render_format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if not args.output or args.output == "-":
        return "svg"
    suffix = "." + args.output.rsplit(".", 1)[-1].lower() if "." in args.output else ""
    if suffix not in RENDER_EXTENSIONS:
        raise UsageError(
            f"cannot tell the format from {args.output!r}: give --format (svg, png, pdf, dot or mermaid)"
        )
    return RENDER_EXTENSIONS[suffix]


def cmd_render(args: argparse.Namespace) -> int:
    fmt = _render_format(args)
    guideline = load_guideline(args.guideline)
    result = None
    if args.patient:
        with Input(args.patient) as source:
            if source.holds_json_lines():
                raise UsageError(f"{source.where}: holds JSON Lines; render draws the route of one patient")
            if guideline is RR_ALL:
                result = walk(read_patient(source.document(), source.where))
            else:
                result = walk(read_guideline_patient(source.document(), source.where, guideline), guideline)
    try:
        drawing = render(result, guideline=guideline, format=fmt)
    except ValueError as error:  # a bad RRALL_FONTS setting
        raise UsageError(str(error)) from None
    data = drawing.encode("utf-8") if isinstance(drawing, str) else drawing
    if args.output and args.output != "-":
        try:
            with open(args.output, "wb") as out:
                out.write(data)
        except OSError as error:
            raise UsageError(f"cannot write {args.output}: {error.strerror}") from None
        return EXIT_OK
    if fmt in ("png", "pdf") and sys.stdout.isatty():
        raise UsageError(f"not writing {fmt.upper()} to a terminal: give -o FILE, or redirect the output")
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text stream put in place of stdout (the tests do it)
        sys.stdout.write(data.decode("utf-8", "replace"))
        return EXIT_OK
    buffer.write(data)
    buffer.flush()
    return EXIT_OK


#: The names `rrall verify` and `rrall diff` take for the built-in guideline.
def cmd_verify(args: argparse.Namespace) -> int:
    if args.guideline_option and args.guideline != "rr-all":
        raise UsageError("give the guideline once: as GUIDELINE or as --guideline")
    result = verify(load_guideline(args.guideline_option or args.guideline), thorough=args.thorough)
    if args.format == "json":
        sys.stdout.write(to_json(verification_to_dict(result)) + "\n")
    else:
        sys.stdout.write(verification_report(result))
    return EXIT_OK if result.ok else EXIT_FAILED


def cmd_diff(args: argparse.Namespace) -> int:
    from .engine import DiffError, diff, diff_report, diff_to_dict  # on use, as every command's own

    if args.new is None:  # `rrall diff --guideline OLD NEW`
        if not args.guideline:
            raise UsageError("give two versions, OLD and NEW (or --guideline OLD and NEW)")
        args.old, args.new = args.guideline, args.old
    elif args.guideline:
        raise UsageError("give OLD once: as the first argument or as --guideline")
    old, new = load_guideline(args.old), load_guideline(args.new)
    try:
        result = diff(old, new, complete_only=args.complete)
    except DiffError as error:
        raise UsageError(str(error)) from None
    if args.format == "json":
        sys.stdout.write(to_json(diff_to_dict(result, args.old, args.new)) + "\n")
    else:
        sys.stdout.write(diff_report(result, args.old, args.new))
    return EXIT_OK if result.same else EXIT_FAILED


def _guideline_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--guideline",
        metavar="FILE",
        default="rr-all",
        help="rr-all (the built-in text, the default) or a guideline exported as JSON (`rrall export`)",
    )


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, like every other bad input (argparse prints the usage too)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}; see {self.prog} --help")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rrall",
        description="The R/R ALL treatment-options text (LLS, based on NCCN) as a walkable decision "
        "graph. rrall models one published text; it is not medical advice.",
    )
    parser.add_argument("--version", action="version", version=f"rrall {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_walk(commands)
    _add_export(commands)
    _add_schema(commands)
    _add_render(commands)
    _add_verify(commands)
    _add_diff(commands)
    add_web_commands(commands)  # report, serve
    add_cds_commands(commands, UsageError)  # serve's CDS Hooks options, feedback
    return parser


def _add_walk(commands: Any) -> None:
    walk_parser = commands.add_parser(
        "walk",
        help="walk a patient (JSON) or a cohort (JSON Lines) through the guideline",
        description="Walk one patient from a JSON object (rrall's patient JSON, or a FHIR R4 Bundle or "
        "CDS Hooks prefetch object, recognised by its resourceType), or one per line from a .jsonl file.",
    )
    walk_parser.add_argument("file", metavar="FILE", help="a .json or .jsonl file, or - for stdin")
    walk_parser.add_argument(
        "--format",
        choices=("text", "json", "fhir"),
        default=None,
        help="text (the default for one patient): a report; json (the default for a cohort): one JSON "
        "object, or one line per patient; fhir: a FHIR Bundle of the result",
    )
    walk_parser.add_argument(
        "--jsonl",
        action="store_true",
        help="read JSON Lines, one patient per line (implied by .jsonl and .ndjson, and found on its own "
        "when the first line is a whole JSON value and more follow)",
    )
    walk_parser.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="the date a FHIR record's age is worked out on (default: today)"
    )
    walk_parser.add_argument(
        "--cd20-threshold",
        metavar="PERCENT",
        type=float,
        help="a FHIR CD20 percentage with no interpretation is positive at or above this (default: unknown)",
    )
    _guideline_option(walk_parser)
    walk_parser.set_defaults(run=cmd_walk)


def _add_export(commands: Any) -> None:
    export_parser = commands.add_parser(
        "export", help="print the guideline graph as JSON, or as CPG-on-FHIR PlanDefinitions (--format fhir)"
    )
    export_parser.add_argument("--format", choices=("json", "fhir"), default="json")
    _guideline_option(export_parser)
    export_parser.set_defaults(run=cmd_export)


def _add_schema(commands: Any) -> None:
    schema_parser = commands.add_parser(
        "schema",
        help="print the JSON Schema (draft 2020-12) of a patient or of a walk result",
        description="Print the JSON Schema of the guideline's patient record (what `rrall walk` reads) "
        "or of a walk result (what `rrall walk --format json` prints).",
    )
    schema_parser.add_argument("kind", choices=KINDS, metavar="{patient,result}")
    _guideline_option(schema_parser)
    schema_parser.set_defaults(run=cmd_schema)


def _add_render(commands: Any) -> None:
    render_parser = commands.add_parser(
        "render",
        help="draw the guideline as a flowchart (SVG, PNG, PDF, DOT or Mermaid)",
        description="Draw the guideline as a flowchart; with --patient, highlight that patient's route. "
        "The format follows the extension of -o FILE unless --format is given (default svg).",
    )
    render_parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    render_parser.add_argument(
        "--patient", metavar="PATIENT.json", help="a patient (JSON) whose route to highlight, or - for stdin"
    )
    render_parser.add_argument("--format", choices=("svg", "png", "pdf", "dot", "mermaid"), default=None)
    _guideline_option(render_parser)
    render_parser.set_defaults(run=cmd_render)


def _add_verify(commands: Any) -> None:
    verify_parser = commands.add_parser(
        "verify",
        help="check the guideline over every class of patients (exhaustive); exit 1 on a failure",
        description="Check the guideline over every equivalence class of patients: every leaf reachable "
        "(with a witness), decisions exclusive and complete, no dead ends, no cycle, routes satisfiable, "
        "quotes in the source, golden cases passing, and a walk that never fails. Exit 1 if a check fails.",
    )
    verify_parser.add_argument(
        "guideline",
        nargs="?",
        default="rr-all",
        metavar="GUIDELINE",
        help="rr-all (the built-in text, the default) or a file from `rrall export`",
    )
    verify_parser.add_argument("--format", choices=("text", "json"), default="text")
    verify_parser.add_argument(
        "--thorough",
        action="store_true",
        help="also walk every class with unknown facts (seconds instead of well under one)",
    )
    verify_parser.add_argument(
        "--guideline", dest="guideline_option", metavar="FILE", default=None, help="the same as GUIDELINE"
    )
    verify_parser.set_defaults(run=cmd_verify)


def _add_diff(commands: Any) -> None:
    diff_parser = commands.add_parser(
        "diff",
        help="the patients whose options differ between two versions of the guideline; exit 1 if any",
        description="Walk every equivalence class of patients through both versions and report the classes "
        "whose options change (added, removed, definite <-> conditional), grouped. OLD and NEW are rr-all "
        "(the built-in text) or files from `rrall export`, perhaps edited. Exit 0 if none change, "
        "1 if some do.",
    )
    diff_parser.add_argument("old", metavar="OLD", help="rr-all, or an exported JSON file (- for stdin)")
    diff_parser.add_argument(
        "new", metavar="NEW", nargs="?", help="rr-all, or an exported JSON file (- for stdin)"
    )
    diff_parser.add_argument(
        "--guideline", metavar="FILE", default=None, help="OLD as an option: `diff --guideline OLD NEW`"
    )
    diff_parser.add_argument("--format", choices=("text", "json"), default="text")
    diff_parser.add_argument(
        "--complete", action="store_true", help="compare only patients who know every fact read (faster)"
    )
    diff_parser.set_defaults(run=cmd_diff)


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"rrall: {one_line(message)}\n")
    raise SystemExit(EXIT_INVALID)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        status: int = args.run(args)
    except UsageError as error:
        _fail(str(error))
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return EXIT_OK
    except UnicodeEncodeError as error:  # stdout's encoding (from the locale) lacks a character
        encoding = getattr(sys.stdout, "encoding", None) or error.encoding
        _fail(f"the output holds characters {encoding} cannot encode; use a UTF-8 locale or PYTHONIOENCODING")
    except OSError as error:  # reading a file or stdin failed past opening it (or writing did)
        _fail(f"{error.filename or 'input or output'}: {error.strerror or error}")
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
