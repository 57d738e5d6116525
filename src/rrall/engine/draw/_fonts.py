"""The fonts drawings are measured and drawn with: the same ones on every machine.

Graphviz measures every label through pango, and pango asks fontconfig what a
font name stands for. "Helvetica" is Liberation Sans on one machine and the
wider DejaVu Sans on another, so every box and coordinate would move with the
machine. Before the first layout in the process, `ensure` makes a fontconfig
configuration that knows only the fonts shipped beside this module (``fonts/``:
Liberation Sans 2.1.5, SIL OFL 1.1, with Helvetica's and Arial's widths) the
current configuration of the fontconfig that pygraphviz's Graphviz links. It is
built in memory: no configuration file, no font cache, no environment variable,
nothing written anywhere. Every font name then resolves to those fonts, for the
rest of the process.

``RRALL_FONTS=system`` (read once, at the first drawing) leaves fontconfig
alone: drawings then use the system's fonts and may differ from machine to
machine. When the fonts cannot be set up (Graphviz laid out text before rrall
did, or fontconfig is out of reach), drawings use the system's fonts too, and a
`RuntimeWarning` says so once.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import warnings
from pathlib import Path

__all__ = ["FONTS_DIR", "FONT_FILES", "SETTING", "ensure"]

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf")
SETTING = "RRALL_FONTS"
_CHOICES = ("bundled", "system")

_lock = threading.Lock()
_in_use: str | None = None  # "bundled" or "system", once decided for this process


def _choice() -> str:
    value = os.environ.get(SETTING, "").strip().lower() or "bundled"
    if value not in _CHOICES:
        raise ValueError(f"{SETTING}={value[:40]!r}: expected 'bundled' (the default) or 'system'")
    return value


def ensure() -> str:
    """Set up the fonts of this process's drawings, once; which ones: ``"bundled"`` or ``"system"``.

    Call it after importing pygraphviz and before Graphviz lays out any text.
    """
    global _in_use
    if _in_use is None:
        with _lock:
            if _in_use is None:
                _in_use = "bundled" if _choice() == "bundled" and _install() else "system"
    return _in_use


def _graphviz_library() -> ctypes.CDLL | None:
    """The loaded Graphviz extension of pygraphviz; fontconfig and GObject are found through it.

    The wheel's copies of fontconfig, pango and cairo are its dependencies, so looking a symbol
    up through its handle finds the fontconfig that pango really uses, whatever the file is called.
    """
    from pygraphviz import _graphviz

    mode = getattr(os, "RTLD_NOLOAD", None)
    if mode is None:  # no dlopen (Windows)
        return None
    try:
        return ctypes.CDLL(_graphviz.__file__, mode=mode | os.RTLD_LAZY)
    except OSError:
        return None


def _pango_started(library: ctypes.CDLL) -> bool:
    """Whether pango has made a font map in this process, i.e. Graphviz has already measured text.

    Pango keeps the fonts it has matched, so a configuration made current after that would
    apply to some labels and not others.
    """
    try:
        type_from_name = library.g_type_from_name
    except AttributeError:
        return False
    type_from_name.restype = ctypes.c_size_t
    type_from_name.argtypes = [ctypes.c_char_p]
    return bool(type_from_name(b"PangoFcFontMap"))


def _install() -> bool:
    """Make a configuration seeing only the bundled fonts current; False (and a warning) if it cannot."""
    library = _graphviz_library()
    try:
        if library is None:
            raise AttributeError("no dynamic loader")
        create, add_file, set_current = (
            library.FcConfigCreate,
            library.FcConfigAppFontAddFile,
            library.FcConfigSetCurrent,
        )
    except AttributeError:
        _warn("rrall cannot reach the fontconfig of pygraphviz's Graphviz")
        return False
    if _pango_started(library):
        _warn("Graphviz laid out text in this process before rrall's first drawing")
        return False
    create.restype = ctypes.c_void_p
    create.argtypes = []
    add_file.restype = ctypes.c_int
    add_file.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    set_current.restype = ctypes.c_int
    set_current.argtypes = [ctypes.c_void_p]
    # The configuration is kept for the life of the process: fontconfig holds it as current.
    config = create()
    added = config and all(add_file(config, os.fsencode(FONTS_DIR / name)) for name in FONT_FILES)
    if not (added and set_current(config)):
        _warn(f"fontconfig did not take the fonts in {FONTS_DIR}")
        return False
    return True


def _warn(cause: str) -> None:
    level, frame = 2, sys._getframe(1)
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith("rrall"):
        level, frame = level + 1, frame.f_back  # point the warning at the caller's code
    warnings.warn(
        f"{cause}: drawings in this process use the system's fonts, so their bytes may differ "
        f"from other machines'. Draw with rrall first in the process, or set {SETTING}=system "
        "to choose the system's fonts without this warning.",
        RuntimeWarning,
        stacklevel=level,
    )
