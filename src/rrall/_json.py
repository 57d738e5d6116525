"""JSON from outside, read one way: the command line's files and the servers' bodies.

`read_json` is the one reader of JSON text that comes from outside rrall, so a
bad document gets the same refusal in the same words wherever it is sent: the
command line words it as a usage error naming the input, the servers as a 400
or 413 naming the field. It refuses text that is not UTF-8 (saying so when it is
UTF-16; a UTF-8 byte order mark is skipped), larger than the caller's limit,
not valid JSON (``NaN`` and ``Infinity`` included: RFC 8259 has no such
values), nested deeper than `MAX_DEPTH`, or holding a string with a lone
surrogate (``"\\ud800"``), which no output could hold. An integer longer than
Python reads (4,300 digits) is read as a value no schema accepts, so the field
it is in gets the error.
"""

from __future__ import annotations

import codecs
import json
import re

from .engine.exceptions import _clipped

__all__ = ["MAX_DEPTH", "JsonRefused", "depth", "read_json", "size_in_words"]

#: The deepest nesting of arrays and objects accepted (a patient needs 2, a FHIR Bundle about 10).
MAX_DEPTH = 64

#: A ``\\u`` escape of a UTF-16 surrogate: it may stand alone, which no UTF-8 output can hold.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels, the most rrall reads"


class JsonRefused(ValueError):
    """JSON text rrall will not read.

    Attributes:
        kind: Why, for a status code: ``"too-large"``, ``"too-deep"`` or ``"invalid"``.
        problem: Why, in words, e.g. ``"not valid JSON (Expecting value at line 1)"``.
        syntax: The parser's error, when the text is not JSON.
    """

    def __init__(self, kind: str, problem: str, syntax: json.JSONDecodeError | None = None) -> None:
        super().__init__(problem)
        self.kind = kind
        self.problem = problem
        self.syntax = syntax


class _HugeNumber:
    """A JSON integer too long for Python to read (over 4300 digits): refused by every schema."""

    def __init__(self, digits: str) -> None:
        self.digits = len(digits.lstrip("-"))

    def __repr__(self) -> str:
        return f"a number of {self.digits:,} digits"


def _int_or_huge(digits: str) -> int | _HugeNumber:
    try:
        return int(digits)
    except ValueError:
        return _HugeNumber(digits)


def size_in_words(count: int) -> str:
    """``count`` bytes in words: ``"1 MiB"``, ``"512 KiB"``, ``"100 bytes"``."""
    if count >= 1 << 20 and not count % (1 << 20):
        return f"{count >> 20} MiB"
    if count >= 1 << 10 and not count % (1 << 10):
        return f"{count >> 10} KiB"
    return f"{count:,} bytes"


def read_json(data: bytes | str, *, max_bytes: int, what: str = "one record") -> object:
    """The JSON value in ``data``; `JsonRefused` saying why not.

    ``max_bytes``: the most read (of the UTF-8 bytes), ``what``: what that limit is
    for, in the message (``"larger than 1 MiB, the most rrall reads for one record"``).
    """
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise JsonRefused(
            "too-large", f"larger than {size_in_words(max_bytes)}, the most rrall reads for {what}"
        )
    text = _decoded(data) if isinstance(data, bytes) else data
    value = _loads(text)
    if text.count("[") + text.count("{") > MAX_DEPTH and depth(value) > MAX_DEPTH:
        raise JsonRefused("too-deep", _TOO_DEEP)
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        field = _lone_surrogate(value, "")
        if field is not None:
            named = f" in {_clipped(field)!r}" if field else ""
            raise JsonRefused("invalid", f"a \\u escape{named} is half a UTF-16 pair, not a character")
    return value


def _decoded(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]  # RFC 8259 allows a reader to ignore it
    if _looks_like_utf16(data):
        raise JsonRefused("invalid", "not UTF-8 but UTF-16 text; save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JsonRefused(
            "invalid", f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None


def _looks_like_utf16(data: bytes) -> bool:
    """A UTF-16 byte order mark, or JSON's ASCII start in UTF-16 (every other byte 0)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    start = data[:4]
    return len(start) == 4 and (start[1::2] == b"\0\0" or start[::2] == b"\0\0") and start.count(0) == 2


class _NotJson(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity``: Python's json reads them, JSON has no such values."""


def _no_constant(name: str) -> object:
    raise _NotJson(f"{name} is not a JSON value")


def _loads(text: str) -> object:
    try:
        try:
            return json.loads(text, parse_constant=_no_constant)
        except (json.JSONDecodeError, _NotJson):
            raise
        except ValueError:  # an integer past Python's 4,300 digits: read it as a value no schema accepts
            return json.loads(text, parse_int=_int_or_huge, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise JsonRefused("invalid", f"not valid JSON ({error.msg} at line {error.lineno})", error) from None
    except _NotJson as error:
        raise JsonRefused("invalid", f"not valid JSON ({error})") from None
    except RecursionError:
        raise JsonRefused(
            "too-deep", f"nested deeper than {MAX_DEPTH} levels, the most rrall reads"
        ) from None


def depth(value: object, limit: int = MAX_DEPTH) -> int:
    """How deep ``value`` nests (arrays and objects), counting no further than ``limit + 1``
    (no recursion)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if level > limit:
                return level
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _lone_surrogate(value: object, field: str) -> str | None:
    """The field of the first string holding a lone surrogate, or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return field
    elif isinstance(value, dict):
        for key, inner in value.items():
            found = _lone_surrogate(key, field) or _lone_surrogate(inner, field or str(key))
            if found is not None:
                return found
    elif isinstance(value, list):
        return next((f for f in (_lone_surrogate(inner, field) for inner in value) if f is not None), None)
    return None
