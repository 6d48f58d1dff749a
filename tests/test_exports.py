"""Every export format, read back by the tool that consumes it, on the shipped graph and on a hostile pack."""
from __future__ import annotations

import csv
import html
import io
import json
import sqlite3
import subprocess
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import networkx as nx
import pytest
import yaml
from kgtest import HOSTILE, require_module, require_tool
from kgtest import parse_html as collect

import kg
from kg.cli import main
from kg.export import EXPORTERS, select_nodes
from kg.export.anki import (FIELDS, MODEL_ID, QUESTION_FIELDS, QUESTION_MODEL_ID, REVERSE_MODEL_ID, ZH_NAME_MODEL_ID,
                            build_deck, study_sequence, to_anki)
from kg.export.csv import EDGE_COLUMNS, NODE_COLUMNS, to_csv, unguard
from kg.export.dot import to_dot
from kg.export.gexf import to_gexf
from kg.export.graphml import to_graphml
from kg.export.markdown import escape as md_escape
from kg.export.markdown import to_markdown
from kg.export.mermaid import escape as mm_escape
from kg.export.mermaid import to_mermaid

HOSTILE_URL = "javascript:alert(1)"


@pytest.fixture(scope="module")
def pack(shipped_pack):
    return shipped_pack


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Three concepts whose every text field is hostile; ids are Mermaid/DOT keywords."""
    folder = tmp_path_factory.mktemp("hostile")
    concepts = [
        {"id": "end", "name": "=1+2 " + HOSTILE, "name_zh": "终 " + HOSTILE, "kind": "problem", "section": "1.1",
         "summary": HOSTILE + "\nsecond line", "summary_zh": HOSTILE, "aliases": ["alias " + HOSTILE], "tags": ["x y", "<t>"],
         "questions": [{"q": HOSTILE, "a": HOSTILE, "q_zh": HOSTILE, "a_zh": HOSTILE}],
         "refs": [{"title": HOSTILE, "authors": [HOSTILE], "year": 2020, "url": "https://example.com/a?b=1&c=(2)"}]},
        {"id": "click", "name": HOSTILE, "name_zh": "点击", "kind": "technique", "summary": HOSTILE, "summary_zh": "摘要",
         "solves": [{"to": "end", "why": HOSTILE}], "requires": [{"to": "graph", "why": HOSTILE}]},
        {"id": "graph", "name": "@SUM(A1) " + HOSTILE, "name_zh": "图", "kind": "concept", "summary": "plain", "summary_zh": "平"},
    ]
    # JSON is YAML; its \u escapes keep U+2028 as written, where a YAML emitter lets the reader fold it
    (folder / "p.yaml").write_text(json.dumps(concepts, indent=1), encoding="utf-8")
    loaded = kg.load_pack(folder)
    assert not loaded.errors, [p.format() for p in loaded.errors]
    # A reference the loader would refuse, injected after loading: exporters must not trust the loader alone.
    loaded.graph.nodes["end"]["refs"].append({"title": "bad link " + HOSTILE, "url": HOSTILE_URL})
    return loaded


@pytest.fixture(scope="module")
def harmless(tmp_path_factory):
    folder = tmp_path_factory.mktemp("harmless")
    concepts = [
        {"id": "end", "name": "End", "name_zh": "终", "kind": "problem", "section": "1.1", "summary": "S.", "summary_zh": "摘",
         "questions": [{"q": "Q?", "a": "A."}], "refs": [{"title": "T", "url": "https://example.com/a?b=1&c=(2)"}]},
        {"id": "click", "name": "Click", "name_zh": "点击", "kind": "technique", "summary": "S.", "summary_zh": "摘",
         "solves": [{"to": "end", "why": "W."}], "requires": [{"to": "graph", "why": "W."}]},
        {"id": "graph", "name": "Graph", "name_zh": "图", "kind": "concept", "summary": "S.", "summary_zh": "摘"},
    ]
    (folder / "p.yaml").write_text(yaml.safe_dump(concepts, allow_unicode=True), encoding="utf-8")
    return kg.load_pack(folder)



def active_content(markup: str) -> set:
    """What can run or navigate: script tags, event-handler attributes, link targets, iframes, images."""
    found = set()
    for tag, attrs in collect(markup).tags:
        if tag in ("script", "iframe", "img", "object", "embed", "style"):
            found.add(("tag", tag))
        for name, value in attrs.items():
            if name.startswith("on"):
                found.add(("handler", tag, name))
            if name in ("href", "xlink:href", "src", "action", "formaction"):
                found.add(("link", tag, value))
    return found


# ---------------------------------------------------------------- the registry and the command


def test_every_format_is_registered():
    assert {"json", "graphml", "gexf", "dot", "mermaid", "csv", "markdown", "anki"} <= set(EXPORTERS)
    for name, (function, binary, suffix) in EXPORTERS.items():
        assert callable(function) and suffix.startswith(".")
        assert binary == (name == "anki")


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_every_format_exports_the_shipped_graph(pack, name):
    function, binary, _ = EXPORTERS[name]
    output = function(pack, select_nodes(pack))
    assert isinstance(output, bytes if binary else str) and len(output) > 100


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_cli_writes_each_format_atomically(tmp_path, name, capsys):
    target = tmp_path / f"out{EXPORTERS[name][2]}"
    assert main(["export", "--format", name, "--focus", "relu", "-o", str(target)]) == 0
    assert target.stat().st_size > 0
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert "wrote" in capsys.readouterr().err


def test_cli_binary_format_needs_a_file(capsys):
    assert main(["export", "--format", "anki"]) == 2
    assert "binary" in capsys.readouterr().err


def test_cli_passes_nodes_and_plan_options(capsys):
    assert main(["export", "--format", "csv", "--nodes", "--focus", "relu"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == NODE_COLUMNS and "relu" in [r[0] for r in rows[1:]]
    assert main(["export", "--format", "markdown", "--plan", "lstm", "--known", "rnn"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Study plan") and "- [ ] **Long Short-Term Memory" in out
    assert "Recurrent Neural Network" in out.split("\n- [ ]")[0]  # listed as known, not as a step


# ---------------------------------------------------------------- GraphML and GEXF, read back by networkx


def _check_flat_graph(pack, read, nodes):
    assert set(read.nodes) == set(nodes)
    expected = {(u, v, k) for u, v, k in pack.graph.edges(keys=True) if u in nodes and v in nodes}
    got = {(u, v, d["relation"]) for u, v, d in read.edges(data=True)}
    assert got == expected
    for node in nodes:
        data = pack.graph.nodes[node]
        assert read.nodes[node]["name"] == data["name"]
        assert read.nodes[node]["kind"] == data["kind"]
        assert read.nodes[node]["label"] == data["name"]
        assert read.nodes[node]["name_zh"] == data.get("name_zh", "")
        assert read.nodes[node]["aliases"] == "; ".join(data.get("aliases", []))
        if data.get("questions"):
            assert json.loads(read.nodes[node]["questions"]) == data["questions"]
    for u, v, d in read.edges(data=True):
        assert d["why"] == pack.graph.edges[u, v, d["relation"]].get("why", "")


def test_graphml_reads_back_with_networkx(pack):
    nodes = select_nodes(pack)
    read = nx.read_graphml(io.BytesIO(to_graphml(pack, nodes).encode("utf-8")), force_multigraph=True)
    _check_flat_graph(pack, read, nodes)
    assert read.number_of_edges() == pack.graph.number_of_edges()


def test_gexf_reads_back_with_networkx(pack):
    nodes = select_nodes(pack, focus="relu", depth=2)
    read = nx.read_gexf(io.BytesIO(to_gexf(pack, nodes).encode("utf-8")))
    _check_flat_graph(pack, read, nodes)


def test_graphml_and_gexf_keep_hostile_text_and_parallel_edges(hostile, tmp_path):
    hostile.graph.add_edge("click", "end", key="used-in", type="used-in", why="second edge, same pair")
    try:
        nodes = select_nodes(hostile)
        for read in (nx.read_graphml(io.BytesIO(to_graphml(hostile, nodes).encode()), force_multigraph=True),
                     nx.read_gexf(io.BytesIO(to_gexf(hostile, nodes).encode()))):
            _check_flat_graph(hostile, read, nodes)
            assert read.nodes["end"]["summary"] == HOSTILE + "\nsecond line"
            assert sorted(d["relation"] for _, _, d in read.edges("click", data=True)) == ["requires", "solves", "used-in"]
    finally:
        hostile.graph.remove_edge("click", "end", key="used-in")


# ---------------------------------------------------------------- DOT, read back by pydot and rendered by Graphviz


def test_dot_reads_back_with_pydot(pack):
    pydot = require_module("pydot")
    nodes = select_nodes(pack, focus="relu")
    (graph,) = pydot.graph_from_dot_data(to_dot(pack, nodes))
    names = {n.get_name().strip('"') for n in graph.get_nodes()} - {"node", "edge", "graph"}
    assert set(nodes) <= names
    edges = {(e.get_source().strip('"'), e.get_destination().strip('"'), e.get("label").strip('"')) for e in graph.get_edges()}
    assert edges == {(u, v, k) for u, v, k in pack.graph.edges(keys=True) if u in nodes and v in nodes}
    styles = {e.get("label").strip('"'): e.get("style") for e in graph.get_edges()}
    assert styles.get("solves") == "bold"
    relu = graph.get_node('"relu"')[0]
    assert relu.get("label").strip('"').split("\\n")[0] == "ReLU"
    assert relu.get("fillcolor") != graph.get_node('"vanishing-gradient"')[0].get("fillcolor")  # colours by kind


def test_dot_hostile_labels_parse_and_render_harmlessly(hostile, harmless):
    pydot = require_module("pydot")
    text = to_dot(hostile, select_nodes(hostile))
    (graph,) = pydot.graph_from_dot_data(text)
    node_names = {n.get_name().strip('"') for n in graph.get_nodes()}
    assert {"end", "click", "graph"} <= node_names
    assert len(graph.get_edges()) == 2
    # The label survives as one quoted string: unescaping gives back the name.
    label = graph.get_node('"click"')[0].get("label")
    assert label.startswith('"') and label.endswith('"')
    unescaped = html.unescape(label[1:-1].split("\\n")[0].replace('\\"', '"').replace("\\\\", "\\"))  # DOT escapes, then the entities Graphviz decodes
    assert unescaped == " ".join(HOSTILE.split())  # labels are one line: runs of white space (U+2028 too) become one space
    require_tool("dot")
    svgs = []
    for source in (text, to_dot(harmless, select_nodes(harmless))):
        result = subprocess.run(["dot", "-Tsvg"], input=source.encode("utf-8"), capture_output=True, timeout=60)
        assert result.returncode == 0, result.stderr.decode()
        assert b"Warning" not in result.stderr and b"Error" not in result.stderr, result.stderr.decode()
        svgs.append(result.stdout.decode("utf-8"))
    root = ET.fromstring(svgs[0].encode("utf-8"))  # well-formed XML
    assert root.tag.endswith("svg") and not [e for e in root.iter() if e.tag.endswith("script")]
    assert active_content(svgs[0]) == active_content(svgs[1]) == set()
    texts = " ".join(collect(svgs[0]).text)
    assert "<script>" in texts and "onerror" in texts  # shown as text, not markup


# ---------------------------------------------------------------- Mermaid

MERMAID_LINE = [
    r"flowchart LR",
    r'  c_[A-Za-z0-9_]+\["[^"\[\]<>`|]*(<br/>[^"\[\]<>`|]*)?"\]',
    r'  c_[A-Za-z0-9_]+ (-->|-\.->|==>)\|"[a-z-]+"\| c_[A-Za-z0-9_]+',
    r"  classDef k_[a-z]+ fill:#[0-9a-f]{6},stroke:#555",
    r"  class c_[A-Za-z0-9_]+(,c_[A-Za-z0-9_]+)* k_[a-z]+",
]


def _check_mermaid(text):
    import re

    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "flowchart LR"
    for line in lines:
        assert any(re.fullmatch(pattern, line) for pattern in MERMAID_LINE), line
    return lines


def test_mermaid_structure_on_shipped_graph(pack):
    nodes = select_nodes(pack, focus="relu")
    lines = _check_mermaid(to_mermaid(pack, nodes))
    declared = [line for line in lines if '["' in line]
    assert len(declared) == len(nodes)
    assert '  c_relu ==>|"solves"| c_vanishing_gradient' in lines


def test_mermaid_hostile_names_stay_inside_labels(hostile):
    text = to_mermaid(hostile, select_nodes(hostile))
    lines = _check_mermaid(text)
    assert any(line.startswith("  c_end[") for line in lines)  # the keyword id is prefixed
    assert "click" not in [line.split()[0] for line in lines[1:]]  # no click directive
    for forbidden in ("<script", "<img", "`", "%%"):
        assert forbidden not in text
    # Entity codes decode back to the original name (#NN; is a decimal code point, as Mermaid reads it).
    import re

    label = re.search(r'c_click\["(.*)"\]', text).group(1)
    decoded = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label.split("<br/>")[0])
    assert decoded == " ".join(HOSTILE.split())  # a label is one line: runs of white space (U+2028 too) become one space


def test_mermaid_escape_examples():
    assert mm_escape('a"b') == "a#34;b"
    assert mm_escape("#quot;") == "#35;quot#59;"
    assert mm_escape("line\nbreak") == "line break"
    assert mm_escape("中文 名") == "中文 名"


# ---------------------------------------------------------------- CSV, read back by the csv module


def test_csv_edges_read_back(pack):
    nodes = select_nodes(pack)
    rows = list(csv.DictReader(io.StringIO(to_csv(pack, nodes), newline="")))
    assert list(rows[0]) == EDGE_COLUMNS
    assert len(rows) == pack.graph.number_of_edges()
    for row in rows:
        u, t, v = unguard(row["source"]), unguard(row["type"]), unguard(row["target"])
        assert unguard(row["why"]) == pack.graph.edges[u, v, t].get("why", "")
        assert unguard(row["source_name"]) == pack.graph.nodes[u]["name"]
        assert unguard(row["target_name_zh"]) == pack.graph.nodes[v].get("name_zh", "")


def test_csv_nodes_table_reads_back(pack):
    nodes = select_nodes(pack, focus="relu")
    rows = list(csv.DictReader(io.StringIO(to_csv(pack, nodes, nodes_table=True), newline="")))
    assert [r["id"] for r in rows] == sorted(nodes)
    relu = next(r for r in rows if r["id"] == "relu")
    assert relu["summary"] == pack.graph.nodes["relu"]["summary"] and relu["kind"] == "activation"


def test_csv_hostile_text_round_trips_and_formulas_are_guarded(hostile):
    text = to_csv(hostile, select_nodes(hostile))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 2
    for row in rows:
        assert unguard(row["why"]) == " ".join(HOSTILE.split())  # one line: U+2028 is white space
        assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values())
    by_source = {(r["source"], r["target"]): r for r in rows}
    assert by_source[("click", "end")]["target_name"] == "'=1+2 " + HOSTILE
    assert unguard(by_source[("click", "graph")]["target_name"]) == "@SUM(A1) " + HOSTILE
    table = list(csv.DictReader(io.StringIO(to_csv(hostile, select_nodes(hostile), nodes_table=True), newline="")))
    end = next(r for r in table if r["id"] == "end")
    assert unguard(end["summary"]) == HOSTILE + "\nsecond line"  # the line break is kept, inside quotes


# ---------------------------------------------------------------- Markdown, rendered by a CommonMark parser


def _render_markdown(text):
    markdown_it = require_module("markdown_it")
    return markdown_it.MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table").enable("strikethrough").render(text)


def test_markdown_plan_is_a_checklist_in_study_order(pack):
    from kg.queries import study_order

    plan = study_order(pack, ["lstm"])
    text = to_markdown(pack, [s.id for s in plan.steps], plan=["lstm"])
    checks = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert len(checks) == len(plan.steps)
    for line, step in zip(checks, plan.steps):
        assert md_escape(pack.graph.nodes[step.id]["name"]) in line and "min" in line
    assert text.count("  - because: ") == len(plan.steps) - 1
    html = _render_markdown(text)
    assert html.count("<li>") >= len(plan.steps)


def test_markdown_sheet_has_a_section_per_concept(pack):
    nodes = select_nodes(pack, focus="relu")
    text = to_markdown(pack, nodes)
    assert text.count("\n## ") == len(nodes)
    html = _render_markdown(text)
    assert html.count("<h2>") == len(nodes)
    assert "Vanishing Gradient" in html


def test_markdown_hostile_text_renders_as_text(hostile, harmless):
    for text in (to_markdown(hostile, select_nodes(hostile)), to_markdown(hostile, None, plan=["click"])):
        html = _render_markdown(text)
        safe = _render_markdown(to_markdown(harmless, select_nodes(harmless)))
        hostile_active, harmless_active = active_content(html), active_content(safe)
        assert hostile_active <= harmless_active, hostile_active - harmless_active
        assert all(value.startswith("https://") for kind, *rest in hostile_active if kind == "link" for value in rest[1:])
        assert "<script" not in html and "<img" not in html and "<b>b</b>" not in html
        shown = "".join(collect(html).text)
        assert "</script><script>window.__pwned=1</script>" in shown  # visible, as text
    sheet = to_markdown(hostile, select_nodes(hostile))
    assert HOSTILE_URL not in sheet.replace("javascript:alert(1) ", "")  # the bad ref url is never a link


def test_markdown_has_no_raw_angle_brackets_without_a_renderer(hostile):
    """Runs even where markdown-it-py is missing: the only ``<`` written is a link destination ``<https://...>``."""
    import re

    for text in (to_markdown(hostile, select_nodes(hostile)), to_markdown(hostile, None, plan=["click"])):
        assert re.findall(r"<(?!https?://)", text) == []
        assert ">" not in re.sub(r"<https?://[^<>\s]*>", "", text).replace("—", "")


def test_markdown_escape_examples():
    assert md_escape("a<b>&c") == "a&lt;b&gt;&amp;c"
    assert md_escape("[x](y)") == "\\[x\\](y)"
    assert md_escape("two\nlines") == "two lines"


# ---------------------------------------------------------------- Anki, opened as Anki's SQLite collection


def _collection(data: bytes, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "collection.anki2" in archive.namelist()
        archive.extract("collection.anki2", tmp_path)
    return sqlite3.connect(tmp_path / "collection.anki2")


def test_anki_package_opens_as_an_anki_collection(pack, tmp_path):
    import genanki

    nodes = select_nodes(pack)
    db = _collection(to_anki(pack, nodes), tmp_path)
    notes = db.execute("SELECT guid, mid, tags, flds FROM notes WHERE mid = ?", (MODEL_ID,)).fetchall()
    assert len(notes) == len(nodes)
    written = sum(len(pack.graph.nodes[n].get("questions") or []) for n in nodes)
    assert db.execute("SELECT count(*) FROM cards").fetchone()[0] == len(nodes) + written  # a card per question note too
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0])
    assert str(MODEL_ID) in models and [f["name"] for f in models[str(MODEL_ID)]["flds"]] == FIELDS
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    assert any(d["name"].startswith("kg::") for d in decks.values())
    by_id = {}
    for guid, mid, tags, fields in notes:
        values = dict(zip(FIELDS, fields.split("\x1f")))
        by_id[values["Id"]] = values
        assert mid == MODEL_ID
        assert guid == genanki.guid_for("kg-concept", values["Id"])
        data = pack.graph.nodes[values["Id"]]
        assert f"kind::{data['kind']}" in tags.split()
        if data.get("section"):  # the section by number and by its names in both languages, not a bare number
            names = [pack.section_name(data["section"], lang) for lang in ("en", "zh")]
            named = "_".join([data["section"], *dict.fromkeys(n for n in names if n)]).replace(" ", "_")
            assert f"section::{named}" in tags.split()
    assert set(by_id) == set(nodes)
    # Cards come due in study order: every prerequisite before what needs it.
    due = dict(db.execute("SELECT n.flds, c.due FROM cards c JOIN notes n ON c.nid = n.id WHERE n.mid = ?", (MODEL_ID,)).fetchall())
    position = {fields.split("\x1f")[0]: number for fields, number in due.items()}
    for before, after in pack.study.edges:
        assert position[before] < position[after], (before, after)
    relu = by_id["relu"]
    assert relu["Name"] == "ReLU" and relu["NameZh"] == pack.graph.nodes["relu"]["name_zh"]
    assert "Vanishing Gradient" in relu["Relations"] and "Why does ReLU help" in relu["Questions"]


def test_anki_note_ids_are_stable_between_exports(pack, tmp_path):
    nodes = select_nodes(pack, focus="relu")
    first = _collection(to_anki(pack, nodes, timestamp=1_700_000_000), tmp_path / "a")
    second = _collection(to_anki(pack, nodes, timestamp=1_800_000_000), tmp_path / "b")
    query = "SELECT guid, mid FROM notes ORDER BY guid"
    assert first.execute(query).fetchall() == second.execute(query).fetchall()
    assert json.loads(first.execute("SELECT decks FROM col").fetchone()[0]).keys() == json.loads(second.execute("SELECT decks FROM col").fetchone()[0]).keys()


def test_anki_hostile_fields_are_escaped(hostile, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # genanki warns about unescaped HTML in fields
        data = to_anki(hostile, select_nodes(hostile))
    db = _collection(data, tmp_path)
    allowed = {"ul", "li", "b", "br"}
    for (fields, tags) in db.execute("SELECT flds, tags FROM notes"):
        for field in fields.split("\x1f"):
            tags_found = {tag for tag, _ in collect(field).tags}
            assert tags_found <= allowed, tags_found
            assert all(not attrs for _, attrs in collect(field).tags)
        assert "x_y" in tags or "click" in fields or "graph" in fields
    end = next(f for (f,) in db.execute("SELECT flds FROM notes") if f.startswith("end\x1f"))
    values = dict(zip(FIELDS, end.split("\x1f")))
    assert "".join(collect(values["Name"]).text) == "=1+2 " + HOSTILE


def test_anki_study_sequence_puts_prerequisites_first(pack):
    order = study_sequence(pack, select_nodes(pack, plan=["lstm"]))
    assert order.index("rnn") < order.index("lstm")
    assert [n.fields[0] for n in build_deck(pack, order).notes if n.model.model_id == MODEL_ID] == order


def test_anki_one_note_per_interview_question_and_the_optional_name_cards(pack, tmp_path):
    import genanki

    nodes = select_nodes(pack, plan=["relu"])
    db = _collection(to_anki(pack, nodes, anki_reverse=True, anki_zh_names=True), tmp_path)
    by_model: dict[int, list] = {}
    for guid, mid, tags, fields in db.execute("SELECT guid, mid, tags, flds FROM notes"):
        by_model.setdefault(mid, []).append((guid, tags.split(), fields.split("\x1f")))
    questions = by_model[QUESTION_MODEL_ID]
    expected = [(n, i, q) for n in nodes for i, q in enumerate(pack.graph.nodes[n].get("questions") or [], 1)]
    assert len(questions) == len(expected) > 0
    fields_by_id = {values[0]: (guid, tags, dict(zip(QUESTION_FIELDS, values))) for guid, tags, values in questions}
    for node, number, question in expected:
        guid, tags, values = fields_by_id[f"{node}#{number}"]
        assert guid == genanki.guid_for("kg-question", node, number)
        assert values["Question"] == html.escape(question["q"]) and values["Answer"] == html.escape(question["a"])
        assert values["QuestionZh"] == html.escape(question.get("q_zh", "")) and values["AnswerZh"] == html.escape(question.get("a_zh", ""))
        section = pack.graph.nodes[node]["section"]
        assert f"concept::{node}" in tags and any(t == f"section::{section}" or t.startswith(f"section::{section}_") for t in tags)
    assert len(by_model[REVERSE_MODEL_ID]) == len(nodes)
    zh_named = [n for n in nodes if pack.graph.nodes[n].get("name_zh") and pack.graph.nodes[n]["name_zh"] != pack.graph.nodes[n]["name"]]
    assert sorted(values[0] for _, _, values in by_model[ZH_NAME_MODEL_ID]) == sorted(zh_named)
    plain = _collection(to_anki(pack, nodes, anki_questions=False), tmp_path / "plain")
    assert {mid for (mid,) in plain.execute("SELECT mid FROM notes")} == {MODEL_ID}


# ---------------------------------------------------------------- HTML (the shared renderer), parsed as HTML


def _html_parts(page: str):
    parser = collect(page)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    handlers = {(tag, name) for tag, attrs in parser.tags for name in attrs if name.startswith("on")}
    links = {(tag, name, value) for tag, attrs in parser.tags for name, value in attrs.items()
             if name in ("href", "src", "action", "formaction", "xlink:href")}
    return scripts, handlers, links


def _page_data(page: str) -> dict:
    import re

    block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert block, "the page carries its data as one JSON block"
    return json.loads(block.group(1))


@pytest.fixture(scope="module")
def html_exporter():
    return EXPORTERS["html"][0]


def test_html_is_one_offline_page_with_every_chosen_concept(pack, html_exporter):
    nodes = select_nodes(pack)
    page = html_exporter(pack, nodes)
    assert page.startswith("<!DOCTYPE html>")
    scripts, handlers, links = _html_parts(page)
    assert not handlers and not links  # nothing loaded from anywhere, no inline handlers
    assert all(not attrs.get("src") for attrs in scripts)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    data = _page_data(page)
    assert {n["id"] for n in data["nodes"]} == set(nodes)


def test_html_hostile_pack_has_the_scripts_of_a_harmless_one(hostile, harmless, html_exporter):
    bad = html_exporter(hostile, select_nodes(hostile), focus="click")
    good = html_exporter(harmless, select_nodes(harmless), focus="click")
    assert _html_parts(bad) == _html_parts(good)
    assert "<img" not in bad and "</script><script>window.__pwned" not in bad
    data = _page_data(bad)
    names = json.dumps(data, ensure_ascii=False)
    assert 'onerror=\\"window.__pwned=2\\"' in names  # the text is there, as (JSON) data


def test_cli_html_export_with_focus_and_plan(tmp_path, html_exporter, capsys):
    for extra in (["--focus", "relu"], ["--plan", "lstm"]):
        target = tmp_path / "page.html"
        assert main(["export", "--format", "html", *extra, "-o", str(target)]) == 0
        page = target.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and _page_data(page)["nodes"]


def test_markdown_concept_sheet_titles_relations_in_chinese():
    from kg import load_pack
    from kg.export.markdown import to_markdown

    text = to_markdown(load_pack(), ["focal-loss"], lang="zh")
    assert "- 解决: 类别不平衡" in text and "solves:" not in text
