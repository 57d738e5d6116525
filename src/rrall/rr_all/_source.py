"""The source text, shipped as package data with a header naming its origin."""

from __future__ import annotations

from importlib.resources import files

__all__ = ["SOURCE_HEADER", "SOURCE_TEXT"]

_RAW = files(__package__).joinpath("source.txt").read_text(encoding="utf-8")
_HEADER, _SEPARATOR, SOURCE_TEXT = _RAW.partition("# ---\n")
SOURCE_HEADER = "\n".join(line.removeprefix("# ") for line in _HEADER.splitlines())
