"""The command line's input: bytes in, a patient (or a guideline) or a one-line error out.

Everything `rrall` reads from a file or stdin passes through here, so that every
bad input gets the same treatment: a `UsageError` whose message is one line,
names the input (the file, and the line in JSON Lines) and the field, and is at
most `MAX_MESSAGE` characters, with long values cut. `read_record` is the one
place a record becomes a `Patient`: rrall's patient JSON, or a FHIR record
through `rrall.fhir.read_record`.

Limits (documented in docs/commands.md):

- `MAX_RECORD_BYTES`: one patient, as a JSON document or one line of JSON Lines;
- `MAX_GUIDELINE_BYTES`: a guideline export (`rrall verify FILE`, `rrall diff`);
- `MAX_DEPTH`: arrays and objects nested inside each other.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any

from ._json import MAX_DEPTH, JsonRefused, read_json
from .engine import Guideline, InvalidRecord, LoadError
from .rr_all import RR_ALL, Patient

if TYPE_CHECKING:
    from .fhir import FhirReading

__all__ = [
    "BUILTIN_NAMES",
    "MAX_DEPTH",
    "MAX_GUIDELINE_BYTES",
    "MAX_MESSAGE",
    "MAX_RECORD_BYTES",
    "Input",
    "UsageError",
    "clipped",
    "load_guideline",
    "one_line",
    "parse_json",
    "read_guideline_patient",
    "read_patient",
    "read_record",
]

#: The largest patient record accepted: a JSON document, or one line of JSON Lines (1 MiB).
MAX_RECORD_BYTES = 1 << 20
#: The largest guideline export accepted (16 MiB; the built-in guideline's is about 100 kB).
MAX_GUIDELINE_BYTES = 16 << 20
#: The longest error message, in characters.
MAX_MESSAGE = 300
#: The longest part of a value an error message shows.
MAX_SHOWN = 40

#: JSON's whitespace: a line of nothing else in JSON Lines is skipped.
_BLANK = b" \t\r\n"
_HINT_JSONL = "for one patient per line (JSON Lines), give --jsonl or name the file .jsonl"


class UsageError(Exception):
    """Bad input from the user: reported in one line, exit status 2."""


def clipped(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(message: str) -> str:
    """``message`` on one line (a field name may hold a line break), at most `MAX_MESSAGE` long."""
    return clipped(message.replace("\r", "\\r").replace("\n", "\\n"), MAX_MESSAGE)


def parse_json(
    data: bytes,
    where: str,
    *,
    max_bytes: int = MAX_RECORD_BYTES,
    what: str = "one record",
    hint_jsonl: bool = False,
) -> object:
    """The JSON value in ``data`` (`rrall._json.read_json`); `UsageError` naming ``where`` and
    the problem otherwise. With ``hint_jsonl``, a syntax error in what looks like JSON Lines
    says how to read them."""
    try:
        return read_json(data, max_bytes=max_bytes, what=what)
    except JsonRefused as error:
        syntax = error.syntax
        extra = syntax is not None and syntax.msg == "Extra data" and syntax.lineno > 1
        looks = syntax is not None and (extra or _a_later_line_is_a_record(syntax.doc))
        hint = f"; {_HINT_JSONL}" if hint_jsonl and looks else ""
        raise UsageError(f"{where}: {error.problem}{hint}") from None


def _a_later_line_is_a_record(text: str) -> bool:
    """True when one of the few lines after the first is a JSON object by itself."""
    for line in text.split("\n", 6)[1:6]:
        if line.strip().startswith("{"):
            try:
                if isinstance(json.loads(line), dict):
                    return True
            except (ValueError, RecursionError):
                continue
    return False


def _holds_one_value(line: bytes) -> bool:
    """True when ``line`` alone is one JSON value (UTF-8, within the limits)."""
    if len(line) > MAX_RECORD_BYTES:
        return False
    try:
        json.loads(line.removeprefix(codecs.BOM_UTF8).decode("utf-8"))
    except (ValueError, RecursionError):
        return False
    return True


def read_record(
    data: bytes, where: str, *, hint_jsonl: bool = False, fhir: Mapping[str, Any] | None = None
) -> tuple[Patient, FhirReading | None]:
    """The patient in ``data`` (one JSON object), and its FHIR reading if it is a FHIR record.

    The one place the command line turns a record into a `Patient`: rrall's
    patient JSON, or a FHIR R4 record read by `rrall.fhir.read_record` with the
    options ``fhir``. `UsageError` naming ``where`` and the field otherwise;
    ``hint_jsonl``: see `parse_json`.
    """
    from .fhir import InvalidFhir
    from .fhir import read_record as read_fhir

    record = parse_json(data, where, hint_jsonl=hint_jsonl)
    try:
        facts, reading = read_fhir(record, **(fhir or {}))
        return (Patient.from_dict(facts) if reading is None else reading.patient), reading
    except InvalidFhir as error:
        raise UsageError(f"{where}: invalid FHIR: {error}") from None
    except InvalidRecord as error:
        raise UsageError(f"{where}: invalid patient: {error}{_cohort_hint(record)}") from None


def read_patient(data: bytes, where: str) -> Patient:
    """`read_record`'s patient; `UsageError` also for a FHIR record of a patient without ALL."""
    patient, reading = read_record(data, where)
    if reading is not None and reading.scope == "not-all":
        raise UsageError(f"{where}: {reading.scope_reason}")
    return patient


class Input:
    """A file or stdin, read as bytes: one document, or JSON Lines one line at a time."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.where = "input" if path == "-" else path
        self.stream: IO[bytes] = _open(path)
        #: Lines read ahead by `holds_json_lines`, to be read again.
        self._ahead: list[bytes] = []

    def close(self) -> None:
        if self.path != "-":
            self.stream.close()

    def __enter__(self) -> Input:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def document(self, max_bytes: int = MAX_RECORD_BYTES) -> bytes:
        """The whole input (what is past ``max_bytes`` is not read)."""
        ahead = b"".join(self._ahead)
        self._ahead = []
        return ahead + self.stream.read(max(0, max_bytes + 1 - len(ahead)))

    def _read_line(self) -> bytes:
        """The next line from the stream, at most `MAX_RECORD_BYTES` + 1 bytes of it.

        The rest of a longer line is skipped, so a line never takes more memory than that.
        """
        line = self.stream.readline(MAX_RECORD_BYTES + 1)
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            while (rest := self.stream.readline(1 << 16)) and not rest.endswith(b"\n"):
                pass
        return line

    def _line(self) -> bytes:
        return self._ahead.pop(0) if self._ahead else self._read_line()

    def _read_ahead(self) -> bytes:
        """The next line that is not blank (b"" at the end); it and the blank ones are read again."""
        while True:
            line = self._read_line()
            self._ahead.append(line)
            if not line or line.strip(_BLANK):
                return line

    def holds_json_lines(self) -> bool:
        """True when the first line that is not blank is a JSON value by itself, and more lines follow.

        A JSON value followed by more is never one JSON document, so this is JSON Lines.
        """
        return _holds_one_value(self._read_ahead()) and bool(self._read_ahead())

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """Each line that is not blank, numbered from 1 (blank lines count, and are skipped)."""
        number = 0
        while line := self._line():
            number += 1
            if line.strip(_BLANK):
                yield number, line.rstrip(b"\r\n")


def _open(path: str) -> IO[bytes]:
    if path == "-":
        buffer: IO[bytes] | None = getattr(sys.stdin, "buffer", None)
        if buffer is None:  # a text stream put in place of stdin (the tests do it)
            import io

            return io.BytesIO(sys.stdin.read().encode("utf-8", "surrogateescape"))
        return buffer
    try:
        return open(path, "rb")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


BUILTIN_NAMES = ("rr-all", "builtin")


def load_guideline(name: str) -> Guideline:
    """The built-in guideline (``rr-all``), or one from an exported JSON file (``-``: stdin)."""
    if name in BUILTIN_NAMES:
        return RR_ALL
    from .engine import guideline_from_dict  # on use: loading needs the JSON forms (cattrs)

    with Input(name) as source:
        text = source.document(MAX_GUIDELINE_BYTES)
        data = parse_json(text, source.where, max_bytes=MAX_GUIDELINE_BYTES, what="a guideline export")
    where = source.where
    try:
        return guideline_from_dict(data, base=RR_ALL)
    except LoadError as error:
        raise UsageError(f"{where}: not a guideline export: {error}") from None


def read_guideline_patient(data: bytes, where: str, guideline: Guideline) -> object:
    """A patient of ``guideline`` from its JSON form: its record (`Guideline.read_record`; a
    loaded guideline's is generated from its schema), read as `read_record` reads a `Patient`.

    `UsageError` naming ``where`` and the field otherwise, as `read_record`'s."""
    value = parse_json(data, where)
    if isinstance(value, dict) and "resourceType" in value:
        raise UsageError(f"{where}: FHIR records are read for the built-in rr-all guideline only")
    try:
        return guideline.read_record(value)
    except InvalidRecord as error:
        raise UsageError(f"{where}: invalid patient: {error}{_cohort_hint(value)}") from None


def _cohort_hint(value: object) -> str:
    """For a JSON array of patients, how to give a cohort."""
    patients = isinstance(value, list) and value and all(isinstance(item, dict) for item in value)
    return "; for a cohort, write one patient per line (JSON Lines)" if patients else ""
