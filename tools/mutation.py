"""Mutation testing of the encoded guideline: ``make mutation``.

Runs mutmut 2 (configured under ``[tool.mutmut]`` in pyproject.toml) over
src/rrall/rr_all/guideline.py: every threshold, branch target, condition,
value and label is changed one at a time, and the fast tests (golden cases,
leaves, build-time checks, generated pages) must notice. mutmut 2 edits the
file it mutates in place, so the run happens in a scratch copy of the project
and the working tree is never touched. mutmut 3 is not used: it mutates only
code inside functions, and the guideline is module-level data.

Prints ``killed K of N`` and every surviving mutant as a diff; exits 1 when
fewer than ``--minimum`` percent (default 95) are killed.

    python tools/mutation.py [--minimum 95] [--keep]

mutmut's runner is ``python tools/mutation.py --tests PYTEST-ARGS...``: mutmut 2
counts only exit status 1 as a failing test run, so a mutant that breaks the
import (pytest's status 2, "error during collection") would count as
surviving; the runner turns every failing status into 1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("src", "tests", "tools", "docs", "examples", "pyproject.toml", "mkdocs.yml")


def _copy_project(into: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".mutmut-cache", "site")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, into / name)


def _mutmut(where: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    binary = Path(sys.executable).parent
    env = {
        **os.environ,
        "PYTHONPATH": str(where / "src"),  # the copy, not the editable install
        "PYTHONDONTWRITEBYTECODE": "1",  # a stale .pyc must never hide a mutant
        "PATH": f"{binary}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return subprocess.run(
        [str(binary / "mutmut"), *arguments], cwd=where, env=env, capture_output=True, text=True, check=False
    )


def _ids(where: Path, status: str) -> list[str]:
    return _mutmut(where, "result-ids", status).stdout.split()


def run_tests(pytest_args: list[str]) -> int:
    """Run pytest; 0 when every test passes, 1 for any failure, collection errors included."""
    status = subprocess.run([sys.executable, "-m", "pytest", *pytest_args], check=False).returncode
    return 0 if status == 0 else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--tests"]:
        return run_tests(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minimum", type=float, default=95.0, help="percent of mutants that must be killed")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy (and its mutmut cache)")
    args = parser.parse_args(argv)

    where = Path(tempfile.mkdtemp(prefix="rrall-mutation-"))
    try:
        _copy_project(where)
        for _attempt in range(5):  # mutmut 2 resumes where it stopped; it sometimes stops on a cache error
            run = _mutmut(where, "run", "--no-progress", "--simple-output")
            if not run.returncode & 1 or not _ids(where, "untested"):
                break
        if run.returncode & 1 and not _ids(where, "killed"):  # e.g. the tests fail before any mutation
            sys.stdout.write(run.stdout + run.stderr)
            return 1
        # "suspicious": killed, but the tests took much longer than the baseline (a busy machine).
        killed = _ids(where, "killed") + _ids(where, "suspicious")
        others = {status: _ids(where, status) for status in ("survived", "timeout", "untested", "skipped")}
        total = len(killed) + sum(len(ids) for ids in others.values())
        print(f"killed {len(killed)} of {total} mutants of src/rrall/rr_all/guideline.py")
        for status, ids in others.items():
            for mutant in ids:
                print(f"\n{status}: mutant {mutant}")
                print(_mutmut(where, "show", mutant).stdout.rstrip())
        share = 100.0 * len(killed) / total if total else 100.0
        if share < args.minimum:
            print(f"\nonly {share:.1f}% killed; at least {args.minimum:g}% must be")
            return 1
        return 0
    finally:
        if args.keep:
            print(f"\nscratch copy kept in {where}")
        else:
            shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
