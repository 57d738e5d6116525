"""The flowchart is drawn from the guideline alone, and shows a patient's route on it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pygraphviz
import pytest
import render_docs
from hypothesis import given
from hypothesis import strategies as st

from rrall import RR_ALL, Patient, WalkResult, render, walk
from rrall._cli import main
from rrall.engine import Branch, Choice, Decision, Guideline, Is, Reading, Regimen, Schema
from rrall.engine import walk as engine_walk
from rrall.engine.draw._render import mermaid_text, to_agraph

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"

#: Ph-positive B-cell ALL after two failed TKIs, CD20 unknown: the patient of docs/patient-route.*.
TWO_TKIS_FAILED = render_docs.EXAMPLE_PATIENT


def svg_tree(data: bytes | str) -> ET.Element:
    assert isinstance(data, bytes)
    return ET.fromstring(data)


def groups(root: ET.Element, kind: str) -> dict[str, ET.Element]:
    """The <g> elements of one kind (node, edge, cluster) by their id."""
    found = {}
    for g in root.iter(f"{SVG}g"):
        if kind in g.get("class", "").split():
            found[g.get("id", "")] = g
    return found


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def text_of(element: ET.Element) -> str:
    """The words an element shows, lines joined by single spaces."""
    return " ".join(" ".join(t.text or "" for t in element.iter(f"{SVG}text")).split())


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def whole() -> ET.Element:
    return svg_tree(render())


@pytest.fixture(scope="module")
def route() -> tuple[WalkResult, ET.Element]:
    result = walk(TWO_TKIS_FAILED)
    return result, svg_tree(render(result))


# -- import and formats --------------------------------------------------------


def test_importing_rrall_does_not_load_graphviz_until_the_first_render() -> None:
    code = (
        "import sys, rrall; rrall.walk(rrall.Patient(ph='negative'));"
        "print('pygraphviz' in sys.modules, end=' '); rrall.render(); print('pygraphviz' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False True"


@pytest.mark.parametrize(
    ("fmt", "kind", "start"),
    [("svg", bytes, b"<?xml"), ("png", bytes, b"\x89PNG"), ("pdf", bytes, b"%PDF"), ("dot", str, "digraph")],
)
def test_each_format_comes_back_as_its_own_kind_of_data(fmt: str, kind: type, start: bytes | str) -> None:
    drawing = render(format=fmt)
    assert isinstance(drawing, kind)
    assert drawing.startswith(start)  # type: ignore[arg-type]


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'jpeg'"):
        render(format="jpeg")


def test_a_walk_on_another_guideline_cannot_be_drawn_on_this_one() -> None:
    tiny = tiny_guideline("x?", "a", "b", "yes", "no")
    with pytest.raises(ValueError, match="walk result is on 'tiny'"):
        render(engine_walk({"x": "a"}, tiny))


def test_the_same_input_gives_byte_identical_svg_pdf_and_png_even_in_another_process() -> None:
    result = walk(TWO_TKIS_FAILED)
    for fmt in ("svg", "pdf", "png"):
        assert render(result, format=fmt) == render(result, format=fmt)
    code = "import sys, rrall; sys.stdout.buffer.write(rrall.render())"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env)
    assert done.returncode == 0, done.stderr.decode()
    other = done.stdout
    assert other == render()


# -- what the chart shows --------------------------------------------------------


def test_every_node_element_has_the_node_id_as_its_id_the_eighteen_leaves_included(whole: ET.Element) -> None:
    nodes = groups(whole, "node")
    assert set(nodes) == set(RR_ALL.by_id)
    assert {leaf.id for leaf in RR_ALL.leaves} <= set(nodes)
    assert len(RR_ALL.leaves) == 18


def test_every_node_shows_its_label_and_has_its_quote_as_tooltip(whole: ET.Element) -> None:
    nodes = groups(whole, "node")
    for node in RR_ALL.nodes:
        assert words(node.label) in text_of(nodes[node.id])
        (link,) = nodes[node.id].iter(f"{SVG}a")
        assert link.get(f"{XLINK}title") == " … ".join(node.quotes)


def test_regimen_leaves_show_their_drugs_brands_and_currency_notes(whole: ET.Element) -> None:
    nodes = groups(whole, "node")
    for leaf in RR_ALL.leaves:
        shown = text_of(nodes[leaf.id])
        for item in (*leaf.drugs, *leaf.brands, *leaf.notes):
            assert words(item).lower() in shown.lower(), (leaf.id, item)


def test_every_edge_carries_the_answer_it_stands_for(whole: ET.Element) -> None:
    edges = groups(whole, "edge")
    for node in RR_ALL.nodes:
        for branch in node.branches:
            edge = edges[f"{node.id}--{branch.to}"]
            assert text_of(edge) == words(RR_ALL.edge_label(branch))


def test_readings_are_footnote_markers_on_the_nodes_they_touch_with_the_footnotes_on_the_chart(
    whole: ET.Element,
) -> None:
    nodes = groups(whole, "node")
    everything = text_of(whole)
    for node in RR_ALL.nodes:
        texts = nodes[node.id].iter(f"{SVG}text")
        superscripts = [t.text for t in texts if t.get("baseline-shift") == "super"]
        assert superscripts == ([f" {','.join(node.readings)}"] if node.readings else []), node.id
    for reading in RR_ALL.readings:
        assert f"{reading.id} {words(reading.title)}" in everything


def test_ph_negative_and_ph_positive_are_visible_sections_holding_their_nodes(whole: ET.Element) -> None:
    clusters = {text_of(g): g for g in groups(whole, "cluster").values()}
    assert {"Ph-negative ALL", "Ph-positive ALL"} <= set(clusters)
    graph = to_agraph(RR_ALL)  # kept alive: pygraphviz subgraphs do not hold their graph
    chart = graph.get_subgraph("cluster_chart")
    sections = {re.sub("<[^>]*>", "", sub.graph_attr["label"]): set(sub.nodes()) for sub in chart.subgraphs()}
    for section in ("Ph-negative ALL", "Ph-positive ALL"):
        members = {node.id for node in RR_ALL.nodes if node.section == section}
        assert sections[section] == members


def test_the_disclaimer_is_on_the_chart(whole: ET.Element) -> None:
    assert words(RR_ALL.disclaimer) in text_of(whole)


# -- a patient's route -------------------------------------------------------------


def test_nodes_and_edges_on_the_route_carry_on_path_and_nothing_else_does(
    route: tuple[WalkResult, ET.Element],
) -> None:
    result, root = route
    taken = {(step.node, to) for step in result.path for to in step.taken}
    visited = {step.node for step in result.path} | {to for _, to in taken}
    for node_id, element in groups(root, "node").items():
        assert ("on-path" in classes(element)) == (node_id in visited), node_id
    for edge_id, element in groups(root, "edge").items():
        source, target = edge_id.split("--")
        assert ("on-path" in classes(element)) == ((source, target) in taken), edge_id


def test_a_ph_positive_route_after_failed_tkis_crosses_into_the_ph_negative_regimens(
    route: tuple[WalkResult, ET.Element],
) -> None:
    _, root = route
    edges, nodes = groups(root, "edge"), groups(root, "node")
    assert "on-path" in classes(edges["ph-positive--ph-negative-regimens"])
    assert "on-path" in classes(edges["ph-positive--different-tki"])  # a TKI not yet received, too (R2)
    assert "on-path" not in classes(nodes["ph-negative"])


def test_offered_conditional_and_excluded_leaves_carry_their_class(
    route: tuple[WalkResult, ET.Element],
) -> None:
    result, root = route
    nodes = groups(root, "node")
    assert result.conditional
    assert result.excluded
    assert result.definite
    for option in result.options:
        assert "offered" in classes(nodes[option.id])
        assert ("conditional" in classes(nodes[option.id])) == (not option.definite)
    for exclusion in result.excluded:
        assert classes(nodes[exclusion.id]) == {"node", "excluded"}


def test_the_route_names_the_patient_facts_it_was_drawn_for(route: tuple[WalkResult, ET.Element]) -> None:
    _, root = route
    assert "Ph status: positive; lineage: B" in text_of(root)


# -- Jupyter -----------------------------------------------------------------------


def test_a_guideline_and_a_walk_result_display_themselves_as_svg_in_jupyter() -> None:
    bundle = RR_ALL._repr_mimebundle_()
    assert bundle["image/svg+xml"] == render().decode()  # type: ignore[union-attr]
    assert bundle["text/plain"] == f"<Guideline 'rr-all': {len(RR_ALL.nodes)} nodes, 18 leaves>"
    result = walk(TWO_TKIS_FAILED)
    assert result._repr_svg_() == render(result).decode()  # type: ignore[union-attr]
    assert "image/svg+xml" in result._repr_mimebundle_()


def test_a_walk_result_draws_its_route_on_the_guideline_it_walked_with_no_registry() -> None:
    unseen = tiny_guideline("x?", "a", "b", "yes", "no", name="never-drawn")
    result = engine_walk({"x": "a"}, unseen)
    assert result.walked is unseen
    svg = result._repr_svg_()
    assert svg is not None
    assert 'class="node on&#45;path offered"' in svg
    bundle = result._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "image/svg+xml", "text/html"}
    assert bundle["image/svg+xml"] == svg


# -- Mermaid -----------------------------------------------------------------------


def test_mermaid_keeps_the_node_ids_and_is_a_top_down_flowchart() -> None:
    chart = render(format="mermaid")
    assert isinstance(chart, str)
    assert chart.startswith("flowchart TD\n")
    declared = re.findall(r"^\s+([\w-]+)[\[({]\"", chart, re.MULTILINE)
    assert set(RR_ALL.by_id) <= set(declared)
    assert len(re.findall(r"^\s+[\w-]+ -->", chart, re.MULTILINE)) == RR_ALL.graph.number_of_edges()


def test_mermaid_styles_the_route_with_class_definitions() -> None:
    result = walk(TWO_TKIS_FAILED)
    chart = render(result, format="mermaid")
    assert isinstance(chart, str)
    for name in ("on-path", "offered", "conditional", "excluded"):
        assert f"classDef {name} " in chart
    members = dict(re.findall(r"^\s+class (\S+) (\S+)$", chart, re.MULTILINE)[::-1])
    by_class = {name: set(ids.split(",")) for ids, name in members.items()}
    assert by_class["excluded"] == {e.id for e in result.excluded}
    assert by_class["conditional"] == {o.id for o in result.conditional}
    edges = re.findall(r"^\s+([\w-]+) -->(?:\|\"[^\"]*\"\|)? ([\w-]+)$", chart, re.MULTILINE)
    (styled,) = re.findall(r"^\s+linkStyle (\S+) ", chart, re.MULTILINE)
    taken = {(step.node, to) for step in result.path for to in step.taken}
    assert {edges[int(i)] for i in styled.split(",")} == taken


def test_mermaid_carries_the_patient_caption_the_legend_and_the_disclaimer_like_the_svg() -> None:
    result = walk(TWO_TKIS_FAILED)
    chart = render(result, format="mermaid")
    assert isinstance(chart, str)
    (notes,) = re.findall(r'^\s+footnotes\["(.*)"\]$', chart, re.MULTILINE)
    rows = mermaid_decode(notes).split("\n")
    assert rows[0].startswith("<b>Route of the patient with age: 30; Ph status: positive; lineage: B;")
    assert rows[1] == (
        "<b>Green</b>: the route and the options offered. "
        "<b>Dashed amber</b>: offered if the unknown facts allow. <b>Grey</b>: not offered."
    )
    assert rows[-1] == f"<small>{RR_ALL.disclaimer}</small>"
    assert {f"{r.id}: {r.title}" for r in RR_ALL.readings} <= set(rows)
    whole = render(format="mermaid")
    assert isinstance(whole, str)
    assert "Route of the patient" not in whole
    assert "Green" not in whole
    assert mermaid_text(RR_ALL.disclaimer) in whole


# -- escaping: hostile labels on a small guideline ------------------------------

QUESTION = 'Is it "x" & <y>; \\N &amp; [z]?'
SOURCE = f"{QUESTION} If so, take A. Otherwise take B."

NASTY = st.sampled_from(
    ['"', "<", ">", "&", "]", "[", ";", "\n", "\\", "{", "}", "|", "#", "`", "'", " ", "--"]
)
TEXT = st.lists(
    st.one_of(NASTY, st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))),
    min_size=1,
    max_size=25,
).map("".join)


def tiny_guideline(
    question: str,
    left: str,
    right: str,
    yes: str,
    no: str,
    *,
    section: str = "Section",
    title: str = "A reading",
    note: str = "a note",
    name: str = "tiny",
    ids: tuple[str, str, str] = ("ask", "take-a", "take-b"),
) -> Guideline:
    """One decision on a choice fact, two leaves, one reading: labels (and ids) as given."""
    ask, take_a, take_b = ids
    schema = Schema((Choice("x", "x", ("a", "b")),))
    return Guideline(
        name=name,
        title=f"{name} guideline",
        source=SOURCE,
        schema=schema,
        root=ask,
        nodes=(
            Decision(
                ask,
                question,
                QUESTION,
                (Branch(take_a, Is("x", "a"), yes), Branch(take_b, Is("x", "b"), no)),
                readings="R1",
                section=section,
            ),
            Regimen(take_a, left, "take A", drugs=("alpha", "beta"), notes=note),
            Regimen(take_b, right, "take B"),
        ),
        readings=(Reading("R1", title, QUESTION, "literal", "chosen", "why"),),
    )


def mermaid_decode(text: str) -> str:
    named = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}
    text = text.replace("<br>", "\n")
    return re.sub(r"#(\w+);", lambda m: named.get(m[1]) or chr(int(m[1])), text)


MERMAID_LINE = re.compile(
    r'\s+[\w-]+(\["[^"]*"\]|\("[^"]*"\)|\{"[^"]*"\})'  # a node
    r'|\s+[\w-]+ -->(\|"[^"]*"\|)? [\w-]+'  # an edge
    r'|\s+subgraph [\w-]+\["[^"]*"\]|\s+end'  # a section
    r"|\s+class(Def)? [\w,-]+ .*|\s+linkStyle [\d,]+ .*|flowchart TD"  # styles
)


@given(question=TEXT, left=TEXT, right=TEXT, yes=TEXT, no=TEXT, section=TEXT, title=TEXT, note=TEXT)
def test_no_label_can_break_or_inject_into_svg_dot_or_mermaid(
    question: str, left: str, right: str, yes: str, no: str, section: str, title: str, note: str
) -> None:
    guideline = tiny_guideline(question, left, right, yes, no, section=section, title=title, note=note)
    result = engine_walk({"x": "a"}, guideline)

    # SVG: well-formed XML, exactly the expected nodes and edges, every text shown as given.
    root = svg_tree(render(result, guideline=guideline))
    assert not {e.tag for e in root.iter()} - {
        f"{SVG}{tag}" for tag in ("svg", "g", "title", "text", "polygon", "path", "ellipse", "a", "polyline")
    }
    nodes, edges = groups(root, "node"), groups(root, "edge")
    assert set(nodes) == {"ask", "take-a", "take-b"}
    assert set(edges) == {"ask--take-a", "ask--take-b"}
    assert text_of(nodes["ask"]) == words(f"{question} R1")
    assert text_of(nodes["take-a"]) == words(f"{left} alpha, beta {note}")
    assert text_of(nodes["take-b"]) == words(right)
    assert (text_of(edges["ask--take-a"]), text_of(edges["ask--take-b"])) == (words(yes), words(no))
    clusters = [text_of(g) for g in groups(root, "cluster").values()]
    assert words(section) in clusters
    assert f"R1 {words(title)}" in text_of(root)
    assert classes(nodes["take-a"]) == {"node", "on-path", "offered"}
    assert classes(nodes["take-b"]) == {"node", "excluded"}

    # DOT: parses back to the same nodes, edges and labels.
    dot = render(result, guideline=guideline, format="dot")
    assert isinstance(dot, str)
    parsed, built = pygraphviz.AGraph(string=dot), to_agraph(guideline, result)
    assert sorted(parsed.nodes()) == ["ask", "take-a", "take-b"]
    assert parsed.number_of_edges() == 2
    for node_id in ("ask", "take-a", "take-b"):
        assert parsed.get_node(node_id).attr["label"] == built.get_node(node_id).attr["label"]

    # Mermaid: every line is one statement of the expected shape; labels decode back to the text.
    chart = render(result, guideline=guideline, format="mermaid")
    assert isinstance(chart, str)
    for line in chart.splitlines():
        assert MERMAID_LINE.fullmatch(line), line
    labels = [mermaid_decode(label) for label in re.findall(r'"([^"]*)"', chart)]
    assert f"{question} <sup>R1</sup>" in labels
    assert {yes, no, section} <= set(labels)
    assert any(label.startswith(f"{left}\n<small>alpha, beta</small>") for label in labels)


def test_mermaid_text_uses_entity_codes_for_quotes_and_markup() -> None:
    assert mermaid_text('say "hi" <b> & #1; ]') == "say #quot;hi#quot; #lt;b#gt; #amp; #35;1#59; #93;"


def test_graphviz_escapes_in_labels_are_shown_as_written() -> None:
    guideline = tiny_guideline("\\N \\G \\\\ \\", "a", "b", "\\E", "\\L")
    root = svg_tree(render(guideline=guideline))
    assert text_of(groups(root, "node")["ask"]) == "\\N \\G \\\\ \\ R1"
    assert text_of(groups(root, "edge")["ask--take-a"]) == "\\E"
    (link,) = groups(root, "node")["ask"].iter(f"{SVG}a")
    assert link.get(f"{XLINK}title") == QUESTION


def test_node_ids_that_are_not_plain_words_still_name_their_svg_elements_and_mermaid_nodes() -> None:
    ids = ('ask "me" & <you> \\N', "end", "take--b")
    guideline = tiny_guideline("x?", "a", "b", "yes", "no", ids=ids)
    root = svg_tree(render(guideline=guideline))
    assert set(groups(root, "node")) == set(ids)
    chart = render(guideline=guideline, format="mermaid")
    assert isinstance(chart, str)
    declared = re.findall(r"^\s+(\S+?)[\[({]\"", chart, re.MULTILINE)
    assert len(set(declared)) == 4  # three nodes and the footnotes, none under a keyword or an arrow
    assert not {"end", "take--b"} & set(declared)
    assert all(MERMAID_LINE.fullmatch(line) for line in chart.splitlines())


def test_control_characters_cannot_make_the_svg_invalid() -> None:
    guideline = tiny_guideline("x\x00?\x1b", "a\x7f", "b\ufffe", "yes\x08", "no")
    root = svg_tree(render(guideline=guideline))
    assert text_of(groups(root, "node")["ask"]) == "x\ufffd?\ufffd R1"


# -- command line -------------------------------------------------------------------


def test_render_writes_the_format_its_file_extension_names(tmp_path: Path) -> None:
    for name, start in (("chart.svg", b"<?xml"), ("chart.png", b"\x89PNG"), ("chart.mmd", b"flowchart TD")):
        assert main(["render", "-o", str(tmp_path / name)]) == 0
        assert (tmp_path / name).read_bytes().startswith(start)


def test_render_highlights_the_route_of_the_patient_file(tmp_path: Path) -> None:
    patient = ROOT / "examples" / "patients" / "ph-positive-imatinib-relapse.json"
    assert main(["render", "--patient", str(patient), "-o", str(tmp_path / "route.svg")]) == 0
    root = svg_tree((tmp_path / "route.svg").read_bytes())
    result = walk(Patient.from_dict(json.loads(patient.read_text())))
    assert {n for n, g in groups(root, "node").items() if "offered" in classes(g)} == set(result.option_ids)


def test_render_prints_text_formats_and_svg_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["render", "--format", "dot"]) == 0
    assert capsysbinary.readouterr().out.startswith(b'digraph "rr-all"')
    assert main(["render"]) == 0
    assert capsysbinary.readouterr().out == render()


def test_render_refuses_to_write_png_to_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(SystemExit) as stop:
        main(["render", "--format", "png"])
    assert stop.value.code == 2
    assert (
        capsys.readouterr().err
        == "rrall: not writing PNG to a terminal: give -o FILE, or redirect the output\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--patient", "{bad}"], "not valid JSON"),
        (["--patient", '{"ph": "maybe"}'], "invalid patient: ph"),
        (["-o", "chart.jpeg"], "cannot tell the format from"),
    ],
)
def test_bad_input_to_render_exits_2_with_one_line(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if args[0] == "--patient":
        (tmp_path / "p.json").write_text(args[1])
        args = ["--patient", str(tmp_path / "p.json")]
    else:
        args = ["-o", str(tmp_path / args[1])]
    with pytest.raises(SystemExit) as stop:
        main(["render", *args])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert message in err
    assert err.count("\n") == 1


# -- committed renders ----------------------------------------------------------------


def test_the_committed_renders_under_docs_are_what_the_code_draws() -> None:
    for path, data in render_docs.renders().items():
        assert path.exists(), f"{path} is missing: run `make docs-images`"
        assert path.read_bytes() == data, f"{path} drifted from the code: run `make docs-images`"
