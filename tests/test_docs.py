"""The documentation says what the code does: generated pages are current, every
example on a page runs and prints what the page shows, and the site builds."""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import json
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import gen_docs
import pytest

import rrall
from rrall import RR_ALL
from rrall._cli import build_parser
from rrall.engine import Choice, Subset
from rrall.rr_all import PATIENT_SCHEMA, READINGS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _unescape(markdown: str) -> str:
    return _normalise(re.sub(r"\\(.)", r"\1", markdown.replace("&lt;", "<")))


# -- generated pages ------------------------------------------------------------


def test_the_generated_pages_match_the_encoded_guideline() -> None:
    stale = gen_docs.stale()
    assert not stale, f"out of date: {stale}; run `python tools/gen_docs.py`"


def test_the_guideline_page_cites_every_span_every_node_quotes() -> None:
    page = _unescape((DOCS / "guideline.md").read_text(encoding="utf-8"))
    for node in RR_ALL.nodes:
        assert f"{{#{node.id}}}" in page, node.id
        for quote in node.quotes:
            assert f"> {_normalise(quote)}" in page, (node.id, quote)


def test_the_guideline_page_names_every_leaf_and_the_readings_it_rests_on() -> None:
    page = (DOCS / "guideline.md").read_text(encoding="utf-8")
    for leaf in RR_ALL.leaves:
        row = next(line for line in page.splitlines() if line.startswith(f"| [`{leaf.id}`]"))
        for reading_id in leaf.readings:
            assert f"interpretation.md#{reading_id.lower()}" in row, (leaf.id, reading_id)


def test_the_guideline_page_shows_the_flowchart_once_it_is_drawn() -> None:
    page = (DOCS / "guideline.md").read_text(encoding="utf-8")
    assert ("](flowchart.svg)" in page) == (DOCS / "flowchart.svg").exists()


def test_the_register_gives_each_reading_its_quote_literal_and_chosen_reading_and_why() -> None:
    page = _unescape((DOCS / "interpretation.md").read_text(encoding="utf-8"))
    for reading in READINGS:
        section = page.split(f"{{#{reading.id.lower()}}}", 1)[1].split("{#r", 1)[0]
        assert f"> {_normalise(reading.quote)}" in section
        assert f"**Literal reading.** {_normalise(reading.literal)}" in section
        assert f"**Chosen reading.** {_normalise(reading.chosen)}" in section
        assert f"**Why.** {_normalise(reading.why)}" in section


def test_the_register_lists_every_node_that_rests_on_each_reading() -> None:
    page = (DOCS / "interpretation.md").read_text(encoding="utf-8")
    for reading in READINGS:
        section = page.split(f"{{#{reading.id.lower()}}}", 1)[1].split("{#r", 1)[0]
        nodes_line = next(line for line in section.splitlines() if line.startswith("**Nodes:**"))
        listed = re.findall(r"guideline\.md#([\w-]+)", nodes_line)
        assert listed == [node.id for node in RR_ALL.nodes if reading.id in node.readings]


# -- hand-written pages ---------------------------------------------------------


def _python_blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.DOTALL)


@pytest.mark.parametrize("page", [p for p in PAGES if _python_blocks(p)], ids=lambda p: p.name)
def test_every_python_example_on_a_page_prints_what_the_page_shows(page: Path) -> None:
    text = "\n".join(_python_blocks(page))  # one session: later blocks use earlier names
    test = doctest.DocTestParser().get_doctest(text, {}, page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=sys.stdout.write)
    assert runner.summarize(verbose=False).failed == 0


_ERROR_EXAMPLE = re.compile(
    r'```json title="bad\.json"\n(?P<input>.*?)\n```\s*'
    r"```console\n\$ rrall walk bad\.json\n(?P<stderr>rrall: .*?)\n```",
    flags=re.DOTALL,
)


def _error_examples() -> list[tuple[str, str]]:
    page = (DOCS / "patient.md").read_text(encoding="utf-8")
    return [(match["input"], match["stderr"]) for match in _ERROR_EXAMPLE.finditer(page)]


@pytest.mark.parametrize(("data", "stderr"), _error_examples())
def test_each_error_the_patient_reference_shows_is_what_rrall_prints(
    data: str, stderr: str, tmp_path: Path
) -> None:
    (tmp_path / "bad.json").write_text(data + "\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "rrall", "walk", "bad.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stderr.strip(), run.stdout) == (2, stderr, "")


def test_the_patient_reference_shows_an_error_for_each_kind_of_problem() -> None:
    messages = " ".join(stderr for _, stderr in _error_examples())
    for problem in (
        "must be from",
        "must be a whole number",
        "must be one of",
        "is not a known field",
        "must be a list",
        "unknown item",
        "not in tkis_received",
        "must be at least 1 when status",
        "must be a JSON object",
        "not valid JSON",
    ):
        assert problem in messages, problem


def test_the_patient_reference_lists_every_field_with_its_values() -> None:
    page = (DOCS / "patient.md").read_text(encoding="utf-8")
    rows = {
        match[1]: match[0]
        for match in re.finditer(r"^\| `(\w+)` \|.*$", page, flags=re.MULTILINE)
        if match[1] != "Field"
    }
    assert list(rows) == list(PATIENT_SCHEMA.names)
    for fact in PATIENT_SCHEMA.facts:
        if isinstance(fact, Choice):
            values = fact.values
        elif isinstance(fact, Subset):
            values = fact.universe or ()
        else:
            values = (f"`{fact.minimum}` to `{fact.maximum}`",)
        for value in values:
            assert (f'`"{value}"`' if "`" not in value else value) in rows[fact.name], (fact.name, value)


def test_the_disclaimer_page_carries_the_statement_the_guideline_carries() -> None:
    page = (DOCS / "disclaimer.md").read_text(encoding="utf-8")
    quoted = _normalise(" ".join(line[2:] for line in page.splitlines() if line.startswith("> ")))
    assert _normalise(RR_ALL.disclaimer) in quoted


def _commands() -> set[str]:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    return set(subparsers.choices)  # type: ignore[arg-type]


def test_the_commands_page_has_a_how_to_for_every_command_and_no_other() -> None:
    page = (DOCS / "commands.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^## `rrall (\w+)`", page, flags=re.MULTILINE))
    assert documented == _commands()


def test_the_site_lists_every_page_and_every_listed_page_exists() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = config.split("\nnav:\n", 1)[1]
    listed = re.findall(r"^\s+- (?:[^:#]+: )?([\w/-]+\.md)\s*$", nav, flags=re.MULTILINE)
    assert sorted(listed) == sorted(page.name for page in PAGES), (
        "every docs/*.md must be in the nav of mkdocs.yml, and every nav entry must exist"
    )


# -- docstrings -----------------------------------------------------------------


def _modules() -> list[str]:
    names = ["rrall"]
    for info in pkgutil.walk_packages(rrall.__path__, "rrall."):
        if not info.name.endswith("__main__"):
            names.append(info.name)
    return names


@pytest.mark.parametrize("name", _modules())
def test_every_docstring_example_runs(name: str) -> None:
    try:
        module = importlib.import_module(name)
    except ImportError as error:  # an optional extra that is not installed
        pytest.skip(str(error))
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


# -- the site -------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None, reason="no mkdocs")
def test_the_site_builds_with_no_warning(tmp_path: Path) -> None:
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    run = subprocess.run(
        [mkdocs, "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": str(Path(sys.executable).parent)},
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "site" / "api" / "index.html").exists()
    assert json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_an_empty_patient_is_offered_every_option_as_the_reference_says() -> None:
    assert "So `{}` is a valid patient: every option the text names is offered" in (
        DOCS / "patient.md"
    ).read_text(encoding="utf-8")
    result = rrall.walk({})
    assert result.option_ids == tuple(leaf.id for leaf in RR_ALL.leaves)


_COMMAND_ERROR = re.compile(r"```console\n\$ rrall (?P<args>[^\n]+)\n(?P<stderr>rrall: [^\n]+)\n```")


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (match["args"], match["stderr"])
        for match in _COMMAND_ERROR.finditer((DOCS / "commands.md").read_text(encoding="utf-8"))
    ],
)
def test_each_error_the_commands_page_shows_is_what_rrall_prints(
    args: str, stderr: str, tmp_path: Path
) -> None:
    (tmp_path / "broken.json").write_text('{"name": 1}\n', encoding="utf-8")  # as the page describes it
    run = subprocess.run(
        [sys.executable, "-m", "rrall", *args.split()],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stderr.strip()) == (2, stderr)
