"""The public API is what docs/api.md documents: every module declares a sorted
``__all__`` of names that exist, every public name is documented, and every
public class and function says what it does."""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import pkgutil
import re
import subprocess
import sys
from enum import Enum
from pathlib import Path
from types import ModuleType

import pytest

import rrall

ROOT = Path(__file__).resolve().parent.parent
API_PAGE = ROOT / "docs" / "api.md"


def _module_names() -> list[str]:
    names = ["rrall"]
    for info in pkgutil.walk_packages(rrall.__path__, "rrall."):
        if not info.name.endswith("__main__"):  # importing it runs the command line
            names.append(info.name)
    return names


def _import(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as error:  # an optional extra that is not installed
        pytest.skip(str(error))


def _isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


@pytest.mark.parametrize("name", _module_names())
def test_each_module_declares_a_sorted_all_of_names_that_exist(name: str) -> None:
    module = _import(name)
    assert hasattr(module, "__all__"), f"{name} declares no __all__"
    exported = list(module.__all__)
    assert exported == sorted(exported, key=_isort_key)
    assert len(set(exported)) == len(exported)
    for public in exported:
        assert hasattr(module, public), f"{name}.__all__ names {public!r}, which does not exist"


def _documented() -> dict[str, set[str]]:
    """Names the API page documents, by module: `::: mod.Name` or a `mod.Name` term."""
    page = API_PAGE.read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    for match in re.finditer(r"^(?:::: |`)(rrall(?:\.\w+)*)\.(\w+)`?\s*$", page, flags=re.MULTILINE):
        found.setdefault(match[1], set()).add(match[2])
    return found


def test_the_api_page_documents_each_name_once() -> None:
    page = API_PAGE.read_text(encoding="utf-8")
    names = re.findall(r"^::: ([\w.]+)\s*$", page, flags=re.MULTILINE)
    assert sorted(name for name in set(names) if names.count(name) > 1) == []


def test_the_api_page_documents_exactly_the_names_rrall_exports() -> None:
    assert _documented()["rrall"] == set(rrall.__all__)


def _public_packages() -> list[str]:
    return [
        f"rrall.{info.name}" for info in pkgutil.iter_modules(rrall.__path__) if not info.name.startswith("_")
    ]


@pytest.mark.parametrize("name", _public_packages())
def test_the_api_page_documents_every_name_each_public_module_exports(name: str) -> None:
    module = _import(name)
    documented = _documented()
    assert name in documented, f"docs/api.md documents nothing of {name}"
    assert documented[name] <= set(module.__all__), "the page documents names the module does not export"
    for public in module.__all__:
        same_at_top = public in rrall.__all__ and getattr(rrall, public) is getattr(module, public)
        assert public in documented[name] or same_at_top, f"{name}.{public} is not documented"


def _public_objects() -> list[tuple[str, object]]:
    seen: dict[int, tuple[str, object]] = {}
    for name in ["rrall", *_public_packages()]:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for public in module.__all__:
            value = getattr(module, public)
            if inspect.isclass(value) or inspect.isfunction(value):
                seen.setdefault(id(value), (f"{name}.{public}", value))
    return sorted(seen.values(), key=lambda item: item[0])


def _own_public_members(cls: type) -> list[tuple[str, object]]:
    if issubclass(cls, Enum):
        return []
    members = []
    for attribute, value in vars(cls).items():
        if attribute.startswith("_"):
            continue
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if inspect.isfunction(value) or isinstance(value, property) or hasattr(value, "func"):
            members.append((attribute, value))
    return members


@pytest.mark.parametrize(("name", "value"), _public_objects(), ids=[n for n, _ in _public_objects()])
def test_every_public_class_and_function_has_a_docstring(name: str, value: object) -> None:
    assert inspect.getdoc(value), f"{name} has no docstring"
    if inspect.isclass(value):
        for attribute, member in _own_public_members(value):
            doc = getattr(member, "__doc__", None) or getattr(getattr(member, "func", None), "__doc__", None)
            assert doc, f"{name}.{attribute} has no docstring"


def _docstrings(value: object) -> list[str]:
    docs = [inspect.getdoc(value) or ""]
    if inspect.isclass(value):
        for _, member in _own_public_members(value):
            target = getattr(member, "fget", None) or getattr(member, "func", None) or member
            docs.append(inspect.getdoc(target) or "")
    return docs


@pytest.mark.parametrize(("name", "value"), _public_objects(), ids=[n for n, _ in _public_objects()])
def test_every_docstring_example_sits_in_an_examples_section(name: str, value: object) -> None:
    """Google style: `>>>` lines go under "Examples:", which the API page shows as code."""
    for doc in _docstrings(value):
        if ">>>" in doc:
            before = doc.split(">>>", 1)[0]
            assert re.search(r"^Examples:\s*$", before, flags=re.MULTILINE), f"{name}: >>> outside Examples:"


def test_the_version_comes_from_one_place() -> None:
    assert importlib.metadata.version("rrall") == rrall.__version__


def test_python_dash_m_rrall_is_the_rrall_command() -> None:
    def run(*command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)

    script = str(Path(sys.executable).parent / "rrall")
    patient = "examples/patients/ph-positive-imatinib-relapse.json"
    for arguments in (["--version"], ["walk", "--format", "json", patient], ["walk", "missing.json"]):
        module, console = run(sys.executable, "-m", "rrall", *arguments), run(script, *arguments)
        assert (module.returncode, module.stdout, module.stderr) == (
            console.returncode,
            console.stdout,
            console.stderr,
        )
    assert run(sys.executable, "-m", "rrall", "--version").stdout == f"rrall {rrall.__version__}\n"


def test_the_changelog_has_a_section_for_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(rrall.__version__)}\]", changelog, flags=re.MULTILINE)
