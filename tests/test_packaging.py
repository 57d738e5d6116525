"""The package builds (sdist, then the wheel from the sdist) and installs cleanly
in a fresh virtual environment, where `rrall` walks an example patient."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import rrall

ROOT = Path(__file__).resolve().parent.parent
PATIENT = ROOT / "examples" / "patients" / "ph-negative-t-cell-second-relapse.json"
OFFLINE = (
    "Could not find a version that satisfies",
    "No matching distribution found",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
)

#: The fonts every drawing uses, with their licence and where they came from.
FONTS = (
    "LiberationSans-Regular.ttf",
    "LiberationSans-Bold.ttf",
    "LiberationSans-Italic.ttf",
    "LICENSE",
    "README.md",
)

pytestmark = pytest.mark.slow


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, check=False, timeout=900
    )
    if run.returncode != 0 and any(sign in run.stdout + run.stderr for sign in OFFLINE):
        pytest.skip(f"no package index reachable: {' '.join(map(str, command))}")
    assert run.returncode == 0, f"{command}\n{run.stdout}\n{run.stderr}"
    return run


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("build") is None:
        pytest.skip("the `build` package is not installed (it is in the dev extra)")
    out = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--outdir", out, ROOT, cwd=out)  # the wheel is built from the sdist
    return out


def _one(dist: Path, pattern: str) -> Path:
    (found,) = dist.glob(pattern)
    return found


def test_the_wheel_ships_the_code_the_source_text_and_the_typing_marker(dist: Path) -> None:
    wheel = _one(dist, f"rrall-{rrall.__version__}-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(f"rrall-{rrall.__version__}.dist-info/entry_points.txt")
    assert {"rrall/__init__.py", "rrall/py.typed", "rrall/rr_all/source.txt"} <= names
    assert {f"rrall/engine/draw/fonts/{name}" for name in FONTS} <= names
    assert not any(name.startswith(("tests/", "docs/", "examples/")) for name in names)
    assert b"rrall = rrall._cli:main" in entry_points
    # Hypothesis's plugin hook, outside the package so that `import hypothesis` imports no rrall.
    assert "_rrall_hypothesis.py" in names
    assert b"_ = _rrall_hypothesis:setup" in entry_points


def test_the_wheel_ships_the_pages_css_and_javascript(dist: Path) -> None:
    wheel = _one(dist, f"rrall-{rrall.__version__}-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    pages = ("base.css", "report.css", "explorer.css", "explorer.js", "flowchart.js")
    assert {f"rrall/web/static/{name}" for name in pages} <= names  # served, and inlined in reports


def test_the_sdist_ships_what_builds_tests_and_documents_the_package(dist: Path) -> None:
    sdist = _one(dist, f"rrall-{rrall.__version__}.tar.gz")
    prefix = f"rrall-{rrall.__version__}/"
    with tarfile.open(sdist) as archive:
        names = {name.removeprefix(prefix) for name in archive.getnames()}
    expected = {
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "mkdocs.yml",
        "src/rrall/py.typed",
        "src/rrall/rr_all/source.txt",
        *(f"src/rrall/engine/draw/fonts/{name}" for name in FONTS),
        "docs/index.md",
        "tools/gen_docs.py",
        "tests/test_docs.py",
        f"examples/patients/{PATIENT.name}",
    }
    assert expected <= names


def test_the_wheel_installs_in_a_fresh_venv_and_walks_a_patient(dist: Path, tmp_path: Path) -> None:
    wheel = _one(dist, "*.whl")
    _run(sys.executable, "-m", "venv", tmp_path / "venv", cwd=tmp_path)
    bin_dir = tmp_path / "venv" / ("Scripts" if sys.platform == "win32" else "bin")
    _run(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)

    walked = _run(bin_dir / "rrall", "walk", PATIENT, cwd=tmp_path)
    assert "Nelarabine" in walked.stdout
    assert "not medical advice" in walked.stdout
    version = _run(bin_dir / "python", "-m", "rrall", "--version", cwd=tmp_path)
    assert version.stdout == f"rrall {rrall.__version__}\n"
    where = _run(bin_dir / "python", "-c", "import rrall; print(rrall.__file__)", cwd=tmp_path)
    assert str(tmp_path / "venv") in where.stdout, "the test must use the installed copy, not src/"
    _run(bin_dir / "rrall", "render", "-o", tmp_path / "flowchart.png", cwd=tmp_path)
    assert (tmp_path / "flowchart.png").read_bytes() == (ROOT / "docs" / "flowchart.png").read_bytes()
