"""Imports flow one way: no module of rrall imports, even inside a function, a module that
imports it back (imports under ``TYPE_CHECKING`` are for type checkers only and do not count)."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "rrall"


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The rrall modules ``path`` imports, at any depth, but not under ``if TYPE_CHECKING``."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {module for module in found if module in known and module != name}


def import_graph() -> dict[str, set[str]]:
    paths = sorted(SOURCE.rglob("*.py"))
    known = {module_name(path) for path in paths}
    return {module_name(path): imported_modules(path, known) for path in paths}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def without_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph less a package's own ``__init__`` importing from inside it (it re-exports)."""
    return {
        module: {t for t in targets if not t.startswith(module + ".")} if module.count(".") >= 0 else targets
        for module, targets in graph.items()
    }


def test_no_module_imports_a_module_that_imports_it_back() -> None:
    graph = without_packages(import_graph())
    # a submodule importing its package means importing the package's __init__, and so
    # every module the package re-exports
    assert cycles(graph) == []


def test_the_check_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_outside_the_engine_imports_a_private_engine_module() -> None:
    outside = {m: t for m, t in import_graph().items() if not m.startswith("rrall.engine")}
    private = {
        m: sorted(t for t in targets if t.startswith("rrall.engine.") and _private(t))
        for m, targets in outside.items()
    }
    assert {m: t for m, t in private.items() if t} == {}


def _private(module: str) -> bool:
    return any(part.startswith("_") for part in module.split("."))


#: The engine's folders, in order: each may import only the folders before it (and `exceptions`).
LAYERS = ("model", "walk", "tools", "draw")
BELOW = {"model": set(), "walk": {"model"}, "tools": {"model", "walk"}, "draw": {"model", "walk"}}


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["rrall", "engine"] and parts[2] in LAYERS else None


def test_each_engine_folder_imports_only_the_folders_below_it() -> None:
    upward = {
        (module, target)
        for module, targets in import_graph().items()
        if (layer := layer_of(module)) is not None
        for target in targets
        if target.startswith("rrall.engine")
        and target not in {"rrall.engine", "rrall.engine.exceptions", "rrall.engine._lazy"}
        and layer_of(target) not in {layer, *BELOW[layer]}
    }
    assert upward == set()


#: rrall's packages and top-level modules, bottom up: each imports only those of a lower rank.
RANKS = (
    ("rrall.engine", "rrall._version"),  # any guideline
    ("rrall.rr_all", "rrall.exceptions", "rrall._json"),  # the R/R ALL text, encoded; JSON from outside
    ("rrall._api", "rrall._render_api", "rrall._verify_api", "rrall.schemas"),  # walk, render, verify
    ("rrall.fhir",),  # FHIR R4 in and out
    ("rrall._testing", "rrall.testing", "rrall._hypothesis", "rrall.web"),  # strategies; pages
    ("rrall",),  # the public surface
    ("rrall.server",),  # the pages' server and the CDS Hooks service
    ("rrall._input", "rrall._cli_web", "rrall._cli_cds", "rrall._cli", "rrall.__main__"),  # the command line
)


def rank_of(module: str) -> int:
    for rank, members in enumerate(RANKS):
        if any(
            module == member or module.startswith(member + ".") for member in members if member != "rrall"
        ):
            return rank
    assert module == "rrall", f"{module} has no rank in RANKS"
    return RANKS.index(("rrall",))


def test_the_packages_import_only_those_below_them() -> None:
    upward = {
        (module, target)
        for module, targets in import_graph().items()
        for target in targets
        if rank_of(target) > rank_of(module)
    }
    assert upward == set()


def test_every_engine_module_sits_in_a_layer_folder() -> None:
    loose = sorted(
        p.name
        for p in (SOURCE / "engine").glob("*.py")
        if p.name not in {"__init__.py", "exceptions.py", "_lazy.py"}
    )
    assert loose == []


def test_the_engine_holds_nothing_of_rr_all() -> None:
    engine = {m: t for m, t in import_graph().items() if m.startswith("rrall.engine")}
    assert {
        m: sorted(t - _engine_and_version(t)) for m, t in engine.items() if t - _engine_and_version(t)
    } == {}


def _engine_and_version(targets: set[str]) -> set[str]:
    return {t for t in targets if t.startswith("rrall.engine") or t == "rrall._version"}


#: Errors that never leave rrall: each is caught inside it and worded as the error its caller gives.
CAUGHT_INSIDE = {
    "UsageError": "the command line's: it prints the message and exits with status 2",
    "TooComplex": "the strategies': they fall back to drawing and filtering",
    "JsonRefused": "the JSON reader's: its callers word it as their own (a usage error, a 400 or 413)",
}


def test_every_error_lives_in_one_module_and_is_exported() -> None:
    import rrall
    import rrall.engine
    from rrall import exceptions
    from rrall.engine import exceptions as engine_exceptions

    errors = {
        name: value
        for module in import_graph()
        if module != "rrall.__main__"
        for name, value in vars(__import__(module, fromlist=["_"])).items()
        if isinstance(value, type)
        and issubclass(value, Exception)
        and value.__module__.startswith("rrall")
        and not name.startswith("_")
        and name not in CAUGHT_INSIDE
    }
    # the engine's errors in the engine, the server's (above the engine) in rrall.exceptions
    assert {error.__module__ for error in errors.values()} == {"rrall.engine.exceptions", "rrall.exceptions"}
    assert set(errors) == set(exceptions.__all__) - {"Problem"}
    for name, error in errors.items():
        assert getattr(exceptions, name) is error
        assert issubclass(error, engine_exceptions.RrallError)
        if error.__module__ == "rrall.engine.exceptions":
            assert getattr(rrall.engine, name) is error
    assert rrall.InvalidRecord is exceptions.InvalidRecord


def test_no_function_is_longer_than_a_screen() -> None:
    long = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > 60:
                    long[module_name(path), node.name] = lines
    assert long == {}
