"""The source text, shipped as package data with a header naming its origin."""

from __future__ import annotations

import pkgutil

from ..engine import Publication

__all__ = ["SOURCE_HEADER", "SOURCE_PUBLICATION", "SOURCE_TEXT"]

# pkgutil reads package data through the package's loader, as importlib.resources does,
# without importing pathlib, tempfile and shutil (about 12 ms of `import rrall`).
_DATA = pkgutil.get_data(__package__, "source.txt")
if _DATA is None:  # a loader that cannot read package data; an assert would vanish under -O
    raise ImportError("rrall cannot read its source text, rrall/rr_all/source.txt, from the package")
_RAW = _DATA.decode("utf-8")
_HEADER, _SEPARATOR, SOURCE_TEXT = _RAW.partition("# ---\n")
SOURCE_HEADER = "\n".join(line.removeprefix("# ") for line in _HEADER.splitlines())


def _header_field(name: str) -> str:
    """The value of the header's ``# Name: value`` line."""
    prefix = f"{name}: "
    return next(line.removeprefix(prefix) for line in SOURCE_HEADER.splitlines() if line.startswith(prefix))


SOURCE_PUBLICATION = Publication(
    publisher=_header_field("Publisher"),
    title=_header_field("Title"),
    # The date alone: the header says, after it, what the date is.
    captured=_header_field("Captured").split(" ", 1)[0],
)
"""Who published the source text, its title, and the date it was captured (from the header)."""
