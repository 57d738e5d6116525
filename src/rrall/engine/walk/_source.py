"""Generated source run once and registered with `linecache` (as attrs does), so that
tracebacks and debuggers show its lines."""

from __future__ import annotations

import linecache

__all__ = ["load_source"]


def load_source(source: str, filename: str, namespace: dict[str, object]) -> dict[str, object]:
    """Run generated ``source`` in ``namespace``, registered with `linecache` under
    ``filename`` (as attrs does), so tracebacks and debuggers show its lines."""
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), namespace)
    return namespace
