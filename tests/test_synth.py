"""kg synth: synthetic packs are valid, acyclic, bilingual, use every edge type and are reproducible."""
from __future__ import annotations

import networkx as nx
import pytest

from kg import load_pack
from kg.cli import main
from kg.synth import generate, write_pack


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth") / "pack"
    info = write_pack(600, root, files=12, seed=7)
    assert info["files"] == 12
    return root


def test_pack_is_valid_and_acyclic(pack_dir):
    pack = load_pack(pack_dir)
    assert [p for p in pack.problems if p.severity != "info"] == []
    assert pack.graph.number_of_nodes() == 600
    assert nx.is_directed_acyclic_graph(pack.study)


def test_every_edge_type_and_degree(pack_dir):
    pack = load_pack(pack_dir)
    types = {k for _, _, k in pack.graph.edges(keys=True)}
    assert types == {"requires", "variant-of", "used-in", "solves"}
    for source, target, k in pack.graph.edges(keys=True):
        if k == "solves":
            assert pack.graph.nodes[target]["kind"] == "problem"
    out_degrees = [pack.graph.out_degree(n) for n in pack.graph]
    assert max(out_degrees) <= 5
    assert sum(out_degrees) / len(out_degrees) >= 2


def test_bilingual_names_and_summaries(pack_dir):
    pack = load_pack(pack_dir)
    for _, data in pack.graph.nodes(data=True):
        assert data["name"] and data["name_zh"]
        assert 150 <= len(data["summary"]) <= 300
        assert any("\u4e00" <= ch <= "\u9fff" for ch in data["summary_zh"])


def test_same_seed_same_pack():
    assert list(generate(200, 3, seed=1)) == list(generate(200, 3, seed=1))
    assert list(generate(200, 3, seed=1)) != list(generate(200, 3, seed=2))


def test_cli_synth_then_check(tmp_path, capsys):
    out = tmp_path / "p"
    assert main(["synth", "150", str(out), "--files", "5", "--seed", "3"]) == 0
    assert len(list(out.rglob("*.yaml"))) == 5
    assert main(["check", "--graph", str(out), "--no-cache"]) == 0
    assert main(["synth", "10", str(out)]) == 2  # refuses a non-empty folder


def test_benchmark_measures_a_small_pack(tmp_path, monkeypatch):
    """The benchmark's worker runs end to end and reports every row (values are never asserted: timing varies)."""
    from kg.bench import ROWS, measure, table

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    write_pack(120, tmp_path / "p", files=3, seed=5)
    result = measure(tmp_path / "p", runs=1)
    assert result["concepts"] == 120 and result["errors"] == 0
    assert result["warm_matches_cold"] is True
    assert result["order_steps"] >= 1 and result["search_typo_found"] in (True, False)
    rendered = table({"synth": result})
    assert len(rendered.splitlines()) == len(ROWS) + 2
