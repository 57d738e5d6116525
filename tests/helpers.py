"""Helpers shared by the test modules."""

from __future__ import annotations

import io
import sys

from rrall._cli import main


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    """Run the command line in-process; returns (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        try:
            status = main(argv)
        except SystemExit as exit_:
            status = int(exit_.code or 0)
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return status, out.getvalue(), err.getvalue()
