"""Small HTML helpers: every text goes through `esc` on its way into a page."""

from __future__ import annotations

import html
from importlib.resources import files

__all__ = ["esc", "static_text", "term"]


def esc(text: object) -> str:
    """Text (or any value, as str) escaped for HTML content and quoted attributes."""
    return html.escape(str(text), quote=True)


def term(words: str) -> str:
    """A guideline's words as the term heading a row: the first letter a capital ("drugs": "Drugs")."""
    return words[:1].upper() + words[1:]


def static_text(name: str) -> str:
    """A file shipped in ``rrall/web/static`` (CSS or JavaScript), as text."""
    return files(__package__).joinpath("static").joinpath(name).read_text(encoding="utf-8")
