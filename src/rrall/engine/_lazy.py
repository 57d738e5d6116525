"""Names a package exports but imports only on first use (a module ``__getattr__``, PEP 562).

The engine's plumbing, below every layer: it imports nothing of rrall.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["on_first_use"]


def on_first_use(
    package: str, where: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], object]:
    """A ``__getattr__`` for ``package``: each name of ``where`` comes from the module it maps
    to (relative to ``package``), imported when the name is first asked for, then kept in
    ``namespace`` (the package's globals), so it is looked up only once."""

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value

    return __getattr__
