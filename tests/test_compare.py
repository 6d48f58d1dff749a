"""kg compare: two or three concepts side by side, what they share, how they differ and connect."""
from __future__ import annotations

import json

import pytest

from kg import load_pack
from kg.cli import main
from kg.compare import CompareError, compare

PACK = """\
- {id: gd, name: Gradient Descent, name_zh: 梯度下降, kind: optimizer, summary: S., summary_zh: 摘要。, variant-of: [optimiser], requires: [loss]}
- {id: optimiser, name: Optimiser, name_zh: 优化器, kind: concept, summary: S., summary_zh: 摘要。, requires: [loss]}
- {id: loss, name: Loss, name_zh: 损失, kind: loss, summary: S., summary_zh: 摘要。}
- {id: slow, name: Slow Convergence, name_zh: 收敛慢, kind: problem, summary: S., summary_zh: 摘要。}
- {id: sgd, name: SGD, name_zh: 随机梯度下降, kind: optimizer, summary: Noisy steps., summary_zh: 噪声步。, variant-of: [gd], causes: [slow]}
- id: adam
  name: Adam
  name_zh: 自适应矩估计
  kind: optimizer
  summary: Adaptive steps.
  summary_zh: 自适应步长。
  variant-of: [gd]
  solves: [slow]
  contrasts:
    - {to: sgd, how: Adam scales each parameter's step; SGD uses one rate., how_zh: Adam 按参数缩放步长；SGD 共用一个学习率。}
- {id: island, name: Island, name_zh: 孤岛, kind: concept, summary: S., summary_zh: 摘要。}
"""


@pytest.fixture()
def pack(tmp_path):
    (tmp_path / "a.yaml").write_text(PACK, encoding="utf-8")
    return load_pack(tmp_path)


def test_sides_shared_contrast_and_connection(pack):
    result = compare(pack, ["SGD", "adam"])
    sgd, adam = result.sides
    assert (sgd.kind, sgd.relations["causes"], adam.relations["solves"]) == ("optimizer", ["slow"], ["slow"])
    assert result.common_parents == ["gd", "optimiser"]  # closest first
    assert result.closest_common_prerequisites == ["gd"] and result.common_prerequisite_count == 3
    assert [(c.a, c.b, c.how_zh) for c in result.contrasts] == [("sgd", "adam", "Adam 按参数缩放步长；SGD 共用一个学习率。")]
    assert len(result.connections) == 1 and len(result.connections[0].path) == 2


def test_three_concepts_give_three_pairs(pack):
    result = compare(pack, ["sgd", "adam", "gd"])
    assert [(c.a, c.b) for c in result.connections] == [("sgd", "adam"), ("sgd", "gd"), ("adam", "gd")]
    assert result.common_parents == ["optimiser"]


def test_unconnected_concepts(pack):
    result = compare(pack, ["island", "sgd"])
    assert result.connections[0].path == [] and result.common_prerequisite_count == 0 and result.contrasts == []


@pytest.mark.parametrize("names", [["sgd"], ["sgd", "SGD"], ["sgd", "adam", "gd", "loss"]])
def test_two_or_three_different_concepts(pack, names):
    with pytest.raises(CompareError):
        compare(pack, names)


def test_cli_text_in_both_languages_and_json(pack, capsys):
    graph = str(pack.root)
    assert main(["compare", "sgd", "adam", "--graph", graph]) == 0
    out = capsys.readouterr().out
    assert out.startswith("SGD (随机梯度下降)  vs  Adam (自适应矩估计)")
    assert "How they differ" in out and "Adam scales each parameter's step" in out and "causes: Slow Convergence" in out
    assert main(["compare", "sgd", "adam", "--lang", "zh", "--graph", graph]) == 0
    out = capsys.readouterr().out
    assert "区别" in out and "Adam 按参数缩放步长" in out and "scales" not in out
    assert main(["compare", "sgd", "adam", "--json", "--graph", graph]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sides"][0]["id"] == "sgd" and data["contrasts"][0]["how"].startswith("Adam")
