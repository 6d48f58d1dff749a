"""Study orders that stay together: a depth-first order over prerequisites, and its locality figure."""
from __future__ import annotations

import json
import random
from pathlib import Path

import networkx as nx
import pytest

from kg import load_pack
from kg.cli import main
from kg.export.markdown import plan_markdown
from kg.queries import Plan, Step, locality, study_order

MINI = Path(__file__).parent / "fixtures" / "mini"
DOCUMENTED = ["focal-loss", "lstm", "transformer", "large-language-model", "resnet", "adam", "f1-score", "cyclegan",
              "deformable-convolution", "stable-diffusion"]


def section_order(pack, target: str) -> Plan:
    """The order kg used before: lexicographic topological sort by (is target, guide section, name)."""
    ids = {step.id for step in study_order(pack, [target]).steps}
    keys = {n: (n == target, *pack.order_key(n)) for n in ids}
    return Plan([target], [], [Step(n, 0) for n in nx.lexicographical_topological_sort(pack.study.subgraph(ids), key=keys.__getitem__)])


def random_pack(tmp_path, seed: int, n: int = 50):
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        requires = sorted(rng.sample(range(i), min(i, rng.choice((0, 1, 2, 3)))))
        section = rng.choice(("0", "1", "2", "7.4"))
        lines.append(f"- {{id: c{i:02d}, name: N{rng.randrange(1000)}, name_zh: 甲, kind: concept, section: '{section}', summary: S., "
                     f"summary_zh: 摘要。, requires: [{', '.join(f'c{j:02d}' for j in requires)}]}}")
    folder = tmp_path / f"p{seed}"
    folder.mkdir()
    (folder / "a.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_pack(folder)


@pytest.mark.parametrize("seed", range(8))
def test_order_is_a_topological_order_of_exactly_what_is_needed(tmp_path, seed):
    pack = random_pack(tmp_path, seed)
    rng = random.Random(seed)
    targets = rng.sample(sorted(pack.graph), 3)
    known = rng.sample(sorted(pack.graph), 2)
    plan = study_order(pack, targets, known)
    ids = [step.id for step in plan.steps]
    assert len(ids) == len(set(ids))
    # exactly: the targets and their ancestors, not entering known concepts
    reachable = nx.subgraph_view(pack.study, filter_node=lambda n: n not in known)
    expected = {t for t in targets if t not in known}
    for t in list(expected):
        expected |= nx.ancestors(reachable, t)
    assert set(ids) == expected
    position = {node: i for i, node in enumerate(ids)}
    for before, after in pack.study.subgraph(ids).edges():
        assert position[before] < position[after]
    # deterministic, and independent of the order the targets are named in
    assert [s.id for s in study_order(pack, list(reversed(targets)), known).steps] == ids


def test_prerequisites_of_one_concept_stay_together():
    # relu's own prerequisites come first, then relu right before the variant that needs it.
    pack = load_pack(MINI)
    ids = [s.id for s in study_order(pack, ["leaky-relu"]).steps]
    assert ids[-2:] == ["relu", "leaky-relu"]


@pytest.mark.parametrize("target", DOCUMENTED)
def test_locality_is_no_worse_than_the_section_order(shipped_pack, target):
    if target not in shipped_pack.graph:
        pytest.skip(f"{target} is not in the shipped graph")
    assert locality(shipped_pack, study_order(shipped_pack, [target])) <= locality(shipped_pack, section_order(shipped_pack, target))


def test_locality_counts_the_gap_to_the_first_step_that_needs_it():
    pack = load_pack(MINI)
    plan = study_order(pack, ["leaky-relu"])
    ids = [s.id for s in plan.steps]
    succ = pack.study._succ
    gaps = [min(j for j in range(i + 1, len(ids)) if ids[j] in succ[ids[i]]) - i for i in range(len(ids) - 1)]
    assert locality(pack, plan) == pytest.approx(sum(gaps) / len(gaps))
    assert locality(pack, Plan([], [], [])) == 0.0


def test_order_why_short_and_full(capsys, shipped_pack):
    plan = study_order(shipped_pack, ["adam"])
    long_chain = next(step for step in plan.steps if step.reason_length > 2)
    assert main(["order", "adam"]) == 0
    short = capsys.readouterr().out
    assert main(["order", "adam", "--why", "full"]) == 0
    full = capsys.readouterr().out
    assert "→ …" in short and "→ …" not in full and len(full) > len(short)
    assert main(["order", "adam", "--json", "--why", "full"]) == 0
    data = json.loads(capsys.readouterr().out)
    step = next(s for s in data["steps"] if s["id"] == long_chain.id)
    assert len(step["reason"]) == long_chain.reason_length and data["locality"] >= 1
    # without --why full, the chain stays whole through each step's first link (linear in the plan's size)
    assert main(["order", "adam", "--json"]) == 0
    steps = {s["id"]: s for s in json.loads(capsys.readouterr().out)["steps"]}
    chain, current = [], long_chain.id
    while steps[current]["pulled_by"]:
        edge = steps[current]["pulled_by"]
        chain.append(edge)
        current = edge[2] if edge[0] == current else edge[0]
    assert len(chain) == long_chain.reason_length


def test_markdown_plan_attaches_each_reason_to_the_concept_it_explains():
    pack = load_pack(MINI)
    text = plan_markdown(pack, ["leaky-relu"])
    relu, leaky = text.index("**ReLU"), text.index("**Leaky ReLU")
    reason = text.index("Keeps a small gradient where ReLU has none.")  # written on leaky-relu's variant-of edge
    assert reason > leaky > relu
    zh = plan_markdown(pack, ["leaky-relu"], lang="zh")
    assert zh.index("在 ReLU 梯度为零的地方保留一个小梯度。") > zh.index("**" + pack.graph.nodes["leaky-relu"]["name_zh"])
