"""kg import metacademy: the third-party graph becomes a clean pack with the same prerequisite structure."""
from __future__ import annotations

import json

import networkx as nx
import pytest
from kgtest import shared_path

from kg import load_pack
from kg.cli import main
from kg.importers import import_metacademy, metacademy_id


@pytest.fixture(scope="module")
def data():
    """The Metacademy data set; missing, every test here skips (fails under CI=true)."""
    folder = shared_path("datasets", "metacademy")
    shared_path("datasets", "metacademy", "concepts.jsonl")
    return folder


def _raw_graph(data) -> nx.DiGraph:
    graph = nx.DiGraph()
    with open(data / "concepts.jsonl", encoding="utf-8") as stream:
        graph.add_nodes_from(json.loads(line)["tag"] for line in stream if line.strip())
    with open(data / "dependencies.jsonl", encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                dep = json.loads(line)
                graph.add_edge(dep["requires"], dep["concept"])  # learn 'requires' first
    return graph


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory, data):
    out = tmp_path_factory.mktemp("meta") / "pack"
    report = import_metacademy(data, out)
    assert report["notes"] == []
    return out


def test_order_lists_exactly_the_17_ancestors(data, pack_dir, capsys):
    raw = _raw_graph(data)
    expected = {metacademy_id(tag) for tag in nx.ancestors(raw, "convolutional_nets")}
    assert len(expected) == 17
    assert main(["order", "convolutional-nets", "--graph", str(pack_dir), "--no-cache", "--json"]) == 0
    steps = json.loads(capsys.readouterr().out)["steps"]
    assert steps[-1]["id"] == "convolutional-nets" and steps[-1]["target"]
    assert {s["id"] for s in steps[:-1]} == expected
    assert len(steps) == 18
    position = {s["id"]: i for i, s in enumerate(steps)}
    for before, after in raw.subgraph(nx.ancestors(raw, "convolutional_nets") | {"convolutional_nets"}).edges:
        assert position[metacademy_id(before)] < position[metacademy_id(after)]


def test_check_exits_zero_without_translation_warnings(pack_dir, capsys):
    assert main(["check", "--graph", str(pack_dir), "--no-cache"]) == 0
    output = capsys.readouterr().out
    assert " 0 error(s)" in output
    assert "missing-name-zh" not in output and "missing-summary-zh" not in output


def test_content_is_kept(data, pack_dir):
    pack = load_pack(pack_dir)
    raw = _raw_graph(data)
    assert pack.graph.number_of_nodes() == raw.number_of_nodes() == 487
    assert pack.graph.number_of_edges() == raw.number_of_edges() == 1208
    assert {k for _, _, k in pack.graph.edges(keys=True)} == {"requires"}
    assert pack.header["license"] == "CC BY-SA 3.0"
    assert "Metacademy" in pack.header["attribution"] and pack.header["source"].startswith("https://")
    assert pack.header["languages"] == "en"
    with open(data / "concepts.jsonl", encoding="utf-8") as stream:
        first = json.loads(stream.readline())
    node = pack.graph.nodes[metacademy_id(first["tag"])]
    assert node["name"] == first["title"]
    assert node["summary"] == " ".join(first["summary"].split())
    assert node["minutes"] == round(first["learn_time_hours"] * 60)
    with open(data / "dependencies.jsonl", encoding="utf-8") as stream:
        dep = json.loads(stream.readline())
    edge = pack.graph.edges[metacademy_id(dep["concept"]), metacademy_id(dep["requires"]), "requires"]
    assert edge["why"] == dep["reason"]
    assert (pack_dir / "LICENSE.md").is_file()


def test_without_languages_header_the_warnings_come_back(pack_dir, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for file in pack_dir.glob("*.yaml"):
        (copy / file.name).write_text(file.read_text(encoding="utf-8").replace('  languages: "en"\n', ""), encoding="utf-8")
    codes = {p.code for p in load_pack(copy).problems}
    assert {"missing-name-zh", "missing-summary-zh"} <= codes
    assert not any(p.severity == "error" for p in load_pack(copy).problems)


def test_cli_import_refuses_non_empty_folder(data, pack_dir):
    assert main(["import", "metacademy", str(data), str(pack_dir)]) == 2
