"""A drawing is the same bytes on every machine, whatever fonts the machine has.

Each render here runs in a fresh process, as a user's would, under a fontconfig
configuration that shows the process other system fonts: none at all, a serif font
only, DejaVu Sans only (wider than Helvetica: the case that broke the committed
renders), or the machine's own.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
import render_docs

from rrall import render
from rrall.engine.draw import _fonts
from rrall.engine.draw._render import _fixed_pdf_date

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_FONTS = Path("/usr/share/fonts")

#: Draws every committed render, the Jupyter displays and `rrall render -o` for each format, and
#: prints the SHA-256 of each by the name of the committed file it should equal.
CHILD = """
import hashlib, json, sys
import render_docs
from rrall import RR_ALL, walk
from rrall._cli import main

def sha(data): return hashlib.sha256(data).hexdigest()
drawn = {path.name: [sha(data)] for path, data in render_docs.renders().items()}
drawn["flowchart.svg"].append(sha(RR_ALL._repr_mimebundle_()["image/svg+xml"].encode()))
drawn["patient-route.svg"].append(sha(walk(render_docs.EXAMPLE_PATIENT)._repr_svg_().encode()))
for fmt in ("svg", "png", "pdf"):
    assert main(["render", "-o", f"flowchart.{fmt}"]) == 0
    drawn[f"flowchart.{fmt}"].append(sha(open(f"flowchart.{fmt}", "rb").read()))
print(json.dumps(drawn))
"""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fontconfig(tmp_path: Path, fonts: list[Path]) -> Path:
    """A fontconfig configuration that sees only ``fonts`` (copied to a folder of their own)."""
    folder = tmp_path / "system-fonts"
    folder.mkdir()
    for number, font in enumerate(fonts):  # a folder each: Liberation 1 and 2 share file names
        (folder / str(number)).mkdir()
        (folder / str(number) / font.name).write_bytes(font.read_bytes())
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{folder}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n"
    )
    return config


def _system_font(*names: str) -> list[Path]:
    found = [path for name in names for path in SYSTEM_FONTS.rglob(name)]
    if not found:
        pytest.skip(f"none of {', '.join(names)} is installed under {SYSTEM_FONTS}")
    return found


def _child(code: str, tmp_path: Path, config: Path | None, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh Python in an empty folder, seeing the system fonts ``config`` allows."""
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    environment = {k: v for k, v in os.environ.items() if k not in ("RRALL_FONTS", "FONTCONFIG_FILE")}
    environment.update(PYTHONPATH=str(ROOT / "tools"), **env)
    if config is not None:
        environment["FONTCONFIG_FILE"] = str(config)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=work, env=environment, capture_output=True, text=True, timeout=300
    )


FONT_SETS = {
    "no system fonts": [],
    "a serif font only": ["DejaVuSerif.ttf", "LiberationSerif-Regular.ttf", "NotoSerif-Regular.ttf"],
    "DejaVu Sans only": ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"],
    # The system's Liberation Sans (1.07 on Debian's fonts-liberation) beside a second copy of 2.1.5.
    "DejaVu and Liberation Sans 1 and 2": ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "bundled"],
    "the machine's own fonts": None,
}
#: Each set runs in another time zone and locale too: neither may reach the bytes.
ZONES = ["UTC", "America/New_York", "Asia/Kolkata", "Europe/Berlin", "Australia/Adelaide"]
LOCALES = ["C.UTF-8", "C", "en_US.UTF-8", "de_DE.UTF-8", "POSIX"]


@pytest.mark.parametrize(("index", "font_set"), list(enumerate(FONT_SETS)))
def test_every_render_is_byte_for_byte_the_committed_one_whatever_fonts_the_machine_has(
    index: int, font_set: str, tmp_path: Path
) -> None:
    names = FONT_SETS[font_set]
    config = None
    if names is not None:
        fonts = _system_font(*(n for n in names if n != "bundled")) if names else []
        if "bundled" in names:
            fonts += [_fonts.FONTS_DIR / name for name in _fonts.FONT_FILES]
        config = _fontconfig(tmp_path, fonts)
    before = sorted(_fonts.FONTS_DIR.iterdir())
    done = _child(CHILD, tmp_path, config, TZ=ZONES[index], LC_ALL=LOCALES[index])
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no Fontconfig warning, no RuntimeWarning
    drawn = json.loads(done.stdout)
    assert set(drawn) == {path.name for path in render_docs.renders()}
    for name, digests in drawn.items():
        committed = _sha((render_docs.DOCS / name).read_bytes())
        assert digests == [committed] * len(digests), f"docs/{name} under {font_set}"
    # Nothing written while drawing: no font cache or .uuid file, in the package or the working folder;
    # the system's configuration is never even read (it would have filled its cache folder).
    assert sorted(_fonts.FONTS_DIR.iterdir()) == before
    assert not (tmp_path / "cache").exists()
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == [
        "flowchart.pdf",
        "flowchart.png",
        "flowchart.svg",
    ]


def test_with_rrall_fonts_system_the_machine_s_fonts_measure_the_text_instead(tmp_path: Path) -> None:
    config = _fontconfig(tmp_path, _system_font("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    code = "import sys, rrall; sys.stdout.buffer.write(rrall.render())"
    ours, theirs = _child(code, tmp_path, config), _child(code, tmp_path, config, RRALL_FONTS="system")
    assert ours.returncode == theirs.returncode == 0
    assert ours.stdout.encode() == (render_docs.DOCS / "flowchart.svg").read_bytes()
    width = re.compile(r'<svg width="(\d+)pt"')
    assert int(width.findall(theirs.stdout)[0]) > int(width.findall(ours.stdout)[0])  # DejaVu is wider


def test_an_unknown_rrall_fonts_setting_is_refused_naming_the_setting(tmp_path: Path) -> None:
    code = "import rrall\ntry:\n    rrall.render()\nexcept ValueError as error:\n    print(error)"
    done = _child(code, tmp_path, None, RRALL_FONTS="comic-sans")
    assert done.stdout == "RRALL_FONTS='comic-sans': expected 'bundled' (the default) or 'system'\n"


def test_the_command_line_refuses_an_unknown_rrall_fonts_setting_in_one_line(tmp_path: Path) -> None:
    done = _child("from rrall._cli import main; main(['render'])", tmp_path, None, RRALL_FONTS="comic-sans")
    assert done.returncode == 2
    assert done.stderr == "rrall: RRALL_FONTS='comic-sans': expected 'bundled' (the default) or 'system'\n"
    assert done.stdout == ""


DRAW_FIRST = """
import warnings, pygraphviz, rrall
warnings.simplefilter("error" if {strict} else "default")
graph = pygraphviz.AGraph()
graph.add_node("a", label="Has the disease failed a TKI?", fontname="Helvetica,Arial,sans-serif")
graph.draw(format="svg", prog="dot")
try:
    rrall.render()
except RuntimeWarning as warning:
    print(warning)
"""


def test_when_pygraphviz_measured_text_before_rrall_the_first_drawing_warns_as_the_docs_say(
    tmp_path: Path,
) -> None:
    done = _child(DRAW_FIRST.format(strict=True), tmp_path, None)
    assert done.stdout.startswith(
        "Graphviz laid out text in this process before rrall's first drawing: drawings in this "
        "process use the system's fonts"
    )
    assert (
        "Graphviz laid out text in this process before rrall" in (ROOT / "docs" / "commands.md").read_text()
    )
    chose = _child(DRAW_FIRST.format(strict=True), tmp_path, None, RRALL_FONTS="system")
    assert chose.returncode == 0
    assert chose.stdout == ""


def test_after_rrall_s_first_drawing_every_font_name_in_the_process_is_the_bundled_font(
    tmp_path: Path,
) -> None:
    code = """
import pygraphviz, rrall
rrall.render()
def width(font):
    graph = pygraphviz.AGraph()
    graph.add_node("a", label="Has the disease failed a TKI?", fontname=font)
    graph.layout(prog="dot")
    return graph.get_node("a").attr["width"]
print(width("DejaVu Serif") == width("Liberation Sans") == width("Helvetica"))
"""
    assert _child(code, tmp_path, None).stdout == "True\n"


def test_drawing_leaves_the_environment_as_it_was() -> None:
    before = dict(os.environ)
    render(format="png")
    assert dict(os.environ) == before


def test_pygraphviz_is_pinned_to_the_version_the_committed_renders_were_drawn_with() -> None:
    (pin,) = re.findall(r'^\s*"(pygraphviz[^"]*)",', (ROOT / "pyproject.toml").read_text(), re.MULTILINE)
    assert pin == f"pygraphviz=={version('pygraphviz')}", (
        "a new wheel can move every byte: see docs/commands.md"
    )


def test_the_bundled_fonts_come_with_their_licence_and_the_checksums_of_their_source() -> None:
    licence = (_fonts.FONTS_DIR / "LICENSE").read_text()
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Copyright (c) 2012 Red Hat, Inc. with Reserved Font Name Liberation." in licence
    provenance = (_fonts.FONTS_DIR / "README.md").read_text()
    for name in _fonts.FONT_FILES:
        assert f"{_sha((_fonts.FONTS_DIR / name).read_bytes())}  {name}" in provenance


def _cross_references_hold(pdf: bytes) -> bool:
    """Whether ``startxref`` points at the table, and each entry of the table at its object."""
    table = pdf.rindex(b"\nxref\n") + 1
    if int(re.findall(rb"startxref\s+(\d+)", pdf)[-1]) != table:
        return False
    entries = re.findall(rb"^(\d{10}) \d{5} ([nf])", pdf[table:], re.MULTILINE)
    return all(
        pdf[int(offset) :].startswith(b"%d 0 obj" % number)
        for number, (offset, kind) in enumerate(entries)
        if kind == b"n"
    )


def test_a_pdf_carries_a_fixed_creation_date_and_its_cross_references_still_point_at_each_object(
    tmp_path: Path,
) -> None:
    code = (
        "import sys; from rrall import RR_ALL; from rrall.engine.draw._render import to_agraph;"
        "sys.stdout.buffer.write(to_agraph(RR_ALL).draw(format='pdf', prog='dot'))"
    )
    work = tmp_path / "work"
    work.mkdir()
    environment = dict(os.environ, TZ="Asia/Kolkata")
    cairo = subprocess.run([sys.executable, "-c", code], cwd=work, env=environment, capture_output=True)
    stamped = cairo.stdout  # as cairo writes it: the local time, and the zone
    assert re.search(rb"/CreationDate \(D:\d{14}\+05'30\)", stamped)
    assert _cross_references_hold(stamped)
    pdf = render(format="pdf")
    assert isinstance(pdf, bytes)
    assert b"/CreationDate (D:19700101000000Z)" in pdf
    assert _fixed_pdf_date(stamped) == pdf
    assert _cross_references_hold(pdf)


def test_where_fontconfig_is_out_of_reach_drawings_use_the_system_s_fonts_and_a_warning_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_fonts, "_graphviz_library", lambda: None)
    with pytest.warns(RuntimeWarning, match="rrall cannot reach the fontconfig of pygraphviz's Graphviz"):
        assert _fonts._install() is False
