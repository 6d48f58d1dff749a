"""kg audit: plan sizes and heaviest edges agree with a brute-force oracle."""
from __future__ import annotations

import json
import random

import networkx as nx
import pytest

import kg.audit
from kg import load_pack
from kg.audit import audit
from kg.cli import main


def random_pack(tmp_path, seed: int, n: int = 40):
    """A random acyclic pack: concept i only points at concepts of lower index (requires) or higher (used-in)."""
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        lines.append(f"- {{id: c{i}, name: C{i}, name_zh: 甲{i}, kind: concept, summary: S., summary_zh: 摘要。")
        requires = sorted(rng.sample(range(i), min(i, rng.choice((0, 1, 1, 2, 3)))))
        used_in = sorted(rng.sample(range(i + 1, n), min(n - i - 1, rng.choice((0, 0, 1)))))
        fields = ""
        if requires:
            fields += ", requires: [" + ", ".join(f"c{j}" for j in requires) + "]"
        if used_in:
            fields += ", used-in: [" + ", ".join(f"c{j}" for j in used_in) + "]"
        lines[-1] += fields + "}"
    folder = tmp_path / f"pack{seed}"
    folder.mkdir()
    (folder / "a.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_pack(folder)


def brute_force(study: nx.DiGraph) -> list[tuple[int, int, str, str]]:
    base = {n: len(nx.ancestors(study, n)) for n in study}
    effects = []
    for u, v in study.edges():
        cut = study.copy()
        cut.remove_edge(u, v)
        shrink = [base[n] - len(nx.ancestors(cut, n)) for n in study]
        steps = sum(shrink)
        if steps:
            effects.append((steps, sum(1 for s in shrink if s), u, v))
    return effects


@pytest.mark.parametrize("seed", range(6))
def test_plan_sizes_and_heaviest_edges_match_brute_force(tmp_path, seed, monkeypatch):
    monkeypatch.setattr(kg.audit, "CHUNK", 7)  # exercise the chunked count on a small pack
    pack = random_pack(tmp_path, seed)
    report = audit(pack, top=10)
    assert report.plan_sizes == {n: len(nx.ancestors(pack.study, n)) + 1 for n in pack.study}
    assert report.exact
    truth = sorted(brute_force(pack.study), key=lambda e: (-e[0], -e[1]))
    found = [(e.steps, e.plans) for e in report.heaviest_edges]
    assert found == [(steps, plans) for steps, plans, *_ in truth[:10]]
    for edge in report.heaviest_edges:  # the named edge really has that effect
        assert (edge.steps, edge.plans, edge.before, edge.after) in truth


def test_median_and_percentile():
    assert kg.audit._median([1, 2, 3, 10]) == 2.5 and kg.audit._median([4]) == 4
    assert kg.audit._nearest_rank(list(range(1, 11)), 0.9) == 9
    assert kg.audit._nearest_rank(list(range(1, 101)), 0.9) == 90


def test_a_work_budget_makes_the_answer_inexact_not_wrong(tmp_path, monkeypatch):
    pack = random_pack(tmp_path, 3, n=60)
    exact = audit(pack, top=5)
    monkeypatch.setattr(kg.audit, "WORK_BUDGET", 1)
    bounded = audit(pack, top=5)
    assert not bounded.exact and bounded.evaluated == 1 and bounded.notes
    truth = {(steps, plans, u, v) for steps, plans, u, v in brute_force(pack.study)}
    assert all((e.steps, e.plans, e.before, e.after) in truth for e in bounded.heaviest_edges)
    assert exact.heaviest_edges[0].steps >= bounded.heaviest_edges[0].steps


def test_shipped_graph_plan_sizes():
    pack = load_pack()
    report = audit(pack)
    assert report.plan_sizes == {n: len(nx.ancestors(pack.study, n)) + 1 for n in pack.study}
    assert report.largest[0][1] == max(report.plan_sizes.values()) and report.exact


def test_cli_text_and_json(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    random_pack(tmp_path, 1)
    assert main(["audit", "--graph", str(tmp_path / "pack1"), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Plans from zero for 40 concepts: median") and "Heaviest edges" in out
    assert main(["audit", "--json", "--graph", str(tmp_path / "pack1")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["plan_sizes"]) == 40 and data["heaviest_edges"][0]["steps"] >= data["heaviest_edges"][-1]["steps"]
