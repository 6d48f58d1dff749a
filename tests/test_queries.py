"""Study order, fringe, related, path, search and stats on a small hand-checked pack."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg import UnknownConcept, load_pack
from kg.queries import connect, fringe, group_relations, related, stats, study_order
from kg.text import edge_sentence as sentence
from kg.search import search

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def pack():
    loaded = load_pack(MINI)
    assert loaded.problems == []
    return loaded


def ids(plan):
    return [step.id for step in plan.steps]


def test_order_lists_prerequisites_before_the_target_with_reasons(pack):
    plan = study_order(pack, ["leaky-relu"])
    assert ids(plan) == ["chain-rule", "backpropagation", "vanishing-gradient", "relu", "leaky-relu"]
    assert plan.steps[-1].is_target and plan.steps[-1].reason == []
    assert plan.steps[3].reason == [("leaky-relu", "variant-of", "relu")]
    assert plan.steps[0].reason[0] == ("backpropagation", "requires", "chain-rule")
    assert plan.total_minutes == 20 + 45 + 30 + 15 + 30


def test_order_leaves_out_known_concepts_and_what_only_they_need(pack):
    plan = study_order(pack, ["Leaky ReLU"], known=["backprop"])
    assert ids(plan) == ["vanishing-gradient", "relu", "leaky-relu"]


def test_order_puts_targets_last_and_uses_guide_order_for_ties(pack):
    # vanishing-gradient is itself needed by neural-network (through relu), so it comes as late as it can, not last.
    plan = study_order(pack, ["neural-network", "vanishing-gradient"])
    assert ids(plan) == ["chain-rule", "backpropagation", "gradient-descent", "vanishing-gradient", "relu", "neural-network"]
    plan = study_order(pack, ["gradient-descent", "chain-rule"])
    assert ids(plan) == ["chain-rule", "gradient-descent"]  # both targets, no links: guide order then name


def test_order_accepts_chinese_names(pack):
    assert ids(study_order(pack, ["反向传播"])) == ["chain-rule", "backpropagation"]


def test_unknown_name_suggests(pack):
    with pytest.raises(UnknownConcept) as caught:
        study_order(pack, ["backpropogation"])
    assert "backpropagation" in caught.value.suggestions


def test_fringe_is_what_has_all_prerequisites_known(pack):
    assert fringe(pack, []) == ["chain-rule", "gradient-descent"]
    assert fringe(pack, ["chain-rule"]) == ["backpropagation", "gradient-descent"]
    ready = fringe(pack, ["chain-rule", "backpropagation", "gradient-descent"])
    assert "vanishing-gradient" in ready and "neural-network" not in ready  # NN also needs relu (used-in)


def test_related_groups_by_relation_and_direction(pack):
    groups = dict(group_relations(related(pack, "relu")))
    assert [r.neighbour for r in groups["solves"]] == ["vanishing-gradient"]
    assert [r.neighbour for r in groups["variants"]] == ["leaky-relu"]
    assert [r.neighbour for r in groups["used in"]] == ["neural-network"]
    assert groups["solves"][0].why == "Its derivative does not shrink for positive inputs."


def test_related_filters_by_type_and_reaches_depth(pack):
    assert [r.neighbour for r in related(pack, "relu", types=["variant-of"])] == ["leaky-relu"]
    deeper = related(pack, "leaky-relu", depth=2)
    assert {r.neighbour for r in deeper if r.distance == 2} == {"vanishing-gradient", "neural-network"}


def test_path_finds_the_shortest_connection_in_either_direction(pack):
    paths = connect(pack, "leaky-relu", "backpropagation")
    assert paths == [
        [("leaky-relu", "variant-of", "relu"), ("relu", "used-in", "neural-network"), ("backpropagation", "used-in", "neural-network")],
        [("leaky-relu", "variant-of", "relu"), ("relu", "solves", "vanishing-gradient"), ("vanishing-gradient", "requires", "backpropagation")],
    ]
    assert connect(pack, "leaky-relu", "backpropagation", max_paths=1) == paths[:1]
    path = paths[0]
    assert sentence(pack, path[0]) == "Leaky ReLU is a variant of ReLU"
    assert sentence(pack, path[0], "zh") == "带泄漏的 ReLU 是 修正线性单元 的一种变体"


def test_path_between_unconnected_concepts_is_empty(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "- {id: a, name: A, kind: concept, summary: S., requires: [b]}\n- {id: b, name: B, kind: concept, summary: S.}\n"
        "- {id: c, name: C, kind: concept, summary: S., requires: [d]}\n- {id: d, name: D, kind: concept, summary: S.}\n")
    assert connect(load_pack(tmp_path), "a", "c") == []


def test_search_ranks_exact_then_prefix_then_fuzzy(pack):
    assert search(pack, "relu")[0].id == "relu"
    assert search(pack, "ReL")[0].id == "relu"
    assert search(pack, "backpropogation")[0].id == "backpropagation"
    assert search(pack, "梯度")[0].id in {"gradient-descent", "vanishing-gradient"}
    assert search(pack, "rectified")[0].id == "relu"
    assert search(pack, "   ") == []


def test_stats(pack):
    result = stats(pack)
    assert result["concepts"] == 7 and result["edges"] == 7
    assert result["edge_types"]["used-in"] == 2
    assert result["roots"] == ["chain-rule", "gradient-descent"]
    assert result["longest_chain"] == ["chain-rule", "backpropagation", "vanishing-gradient", "relu", "leaky-relu"]
