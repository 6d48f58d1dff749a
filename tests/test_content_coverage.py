"""The shipped graph covers the guide: every section, the key terms, bilingual fields, edges, questions.

The guide's section list is read from ``shared/seed/guide.txt`` (sections 1 to 14 only; what
follows section 15 "总结" is not part of it). Outside CI the section test is skipped when the
guide is absent; in CI (``CI=true``) a missing guide is a failure.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from kgtest import shared_path

import kg
from kg import load_pack

PACK_PATH = Path(kg.__file__).resolve().parent.parent / "graph"

#: Numbered headings of the guide: "7. 损失函数……" or "7.4 Focal Loss……".
HEADING = re.compile(r"^\s*(\d+)\.(\d+)?\s+\S")
LAST_SECTION = 14


def guide_sections(text: str) -> list[str]:
    """Section numbers ("1", "1.1", ..., "14") of the guide, in order, stopping after section 14."""
    found: list[str] = []
    for line in text.splitlines():
        match = HEADING.match(line)
        if not match:
            continue
        major, minor = int(match.group(1)), match.group(2)
        if minor is None and major > LAST_SECTION:
            break  # section 15 "总结" and the related-articles list are not part of the guide
        if not 1 <= major <= LAST_SECTION:
            continue
        number = f"{major}.{int(minor)}" if minor is not None else str(major)
        if number not in found:
            found.append(number)
    return found


@pytest.fixture(scope="module")
def pack():
    return load_pack(PACK_PATH)  # its validity is checked by test_checks / `kg check`


@pytest.fixture(scope="module")
def sections() -> list[str]:
    guide = shared_path("seed", "guide.txt")
    found = guide_sections(guide.read_text(encoding="utf-8"))
    assert found, "no numbered headings were found in the guide"
    return found


def test_heading_parser_reads_sections_and_stops_at_the_summary():
    text = "intro\n1. 基础\n1.1 神经网络\n1.2 架构\n2. 优化\n14. 大模型\n15. 总结\n16. 相关文章\n3.1 不是指南\n"
    assert guide_sections(text) == ["1", "1.1", "1.2", "2", "14"]


def test_the_guide_has_the_expected_shape(sections):
    majors = [s for s in sections if "." not in s]
    assert majors == [str(n) for n in range(1, LAST_SECTION + 1)]
    for sub in ("1.1", "1.2", "3.1", "3.2", "4.1", "4.2", "6.1", "6.2", "7.4", "8.2", "9.3"):
        assert sub in sections


def test_every_section_of_the_guide_has_concepts(pack, sections):
    used = {data.get("section") for _, data in pack.graph.nodes(data=True)}
    missing = []
    for number in sections:
        has_subsections = any(s.startswith(number + ".") for s in sections)
        if has_subsections:
            # A parent heading such as "7." is covered by its own concepts or by its subsections'.
            covered = number in used or any(u and u.startswith(number + ".") for u in used)
        else:
            covered = number in used
        if not covered:
            missing.append(number)
    assert not missing, f"guide sections with no concept in the pack: {missing}"


def test_the_pack_is_large_enough(pack):
    assert pack.graph.number_of_nodes() >= 120


def test_every_concept_is_bilingual_and_connected(pack):
    problems = []
    for node, data in pack.graph.nodes(data=True):
        if not (data.get("name_zh") or "").strip():
            problems.append(f"{node}: no name_zh")
        if not (data.get("summary_zh") or "").strip():
            problems.append(f"{node}: no summary_zh")
        if pack.graph.degree(node) == 0:
            problems.append(f"{node}: no edges")
    assert not problems, "\n".join(problems)


def test_the_most_central_concepts_have_questions(pack):
    graph = pack.graph
    ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))[:40]
    without = [f"{n} (degree {graph.degree(n)})" for n in ranked if not graph.nodes[n].get("questions")]
    assert not without, f"central concepts without interview questions: {without}"


#: Key terms of the guide, sections 1-14, in the guide's Chinese and in English.
KEY_TERMS = [
    # 1 basics and architectures
    "神经网络", "neural network", "神经元", "激活函数", "activation function", "ReLU", "Sigmoid", "Tanh",
    "梯度消失", "vanishing gradient", "卷积神经网络", "CNN", "LeNet", "AlexNet", "VGG", "ResNet",
    "残差连接", "residual connection", "循环神经网络", "RNN", "LSTM", "GRU", "Transformer",
    "自注意力机制", "self-attention", "长距离依赖", "机器翻译", "machine translation", "文本生成",
    # 2 optimisation
    "随机梯度下降", "SGD", "Adam", "一阶矩估计", "二阶矩估计", "局部最小值",
    # 3 data
    "数据增强", "data augmentation", "SMOTE", "SamplePairing", "归一化", "标准化",
    # 4 training and evaluation
    "过拟合", "overfitting", "欠拟合", "underfitting", "正则化", "提前终止", "准确率", "精确率", "召回率",
    "F1", "precision", "recall",
    # 5 frameworks
    "TensorFlow", "PyTorch", "静态图", "动态图",
    # 6 compression and deployment
    "剪枝", "pruning", "量化", "quantization", "TorchServe", "gRPC",
    # 7 losses
    "均方误差", "MSE", "交叉熵损失", "cross-entropy loss", "合页损失", "hinge loss", "焦点损失", "focal loss",
    "类别不平衡",
    # 8 convolutions
    "标准卷积", "感受野", "蛇形卷积", "snake convolution", "可变形卷积", "deformable convolution",
    # 9 training tricks
    "批量归一化", "batch normalization", "内部协变量偏移", "Dropout", "学习率调度", "余弦衰减",
    # 10 diffusion
    "扩散模型", "diffusion model", "生成模型", "马尔可夫链", "Markov chain", "前向扩散过程", "反向扩散过程",
    "条件扩散模型", "DALL·E", "Stable Diffusion", "图像生成", "文本到图像生成", "视频生成",
    # 11 GAN
    "生成对抗网络", "GAN", "生成器", "判别器", "对抗训练", "纳什均衡", "Nash equilibrium", "条件 GAN", "cGAN",
    "CycleGAN", "风格转换", "超分辨率",
    # 12 reinforcement learning
    "强化学习", "reinforcement learning", "智能体", "环境", "状态", "动作", "奖励", "策略", "policy",
    "累积奖励", "AlphaGo", "机器人控制", "资源管理", "推荐系统",
    # 13 imitation learning
    "模仿学习", "imitation learning", "行为克隆", "behavior cloning", "逆强化学习",
    "inverse reinforcement learning", "奖励函数", "专家示范", "自动驾驶",
    # 14 large language models
    "大模型", "大语言模型", "LLM", "预训练", "pre-training", "掩码语言模型", "MLM", "下一句预测", "NSP",
    "微调", "fine-tuning", "下游任务", "提示学习", "prompt learning", "GPT", "BERT", "Bard",
    "问答系统", "文本分类", "情感分析", "代码生成", "内容创作",
    "计算资源需求高", "数据需求大", "模型偏见", "解释性差",
]


def test_key_terms_list_is_substantial():
    assert len(KEY_TERMS) >= 80
    assert len(set(KEY_TERMS)) == len(KEY_TERMS)


@pytest.mark.parametrize("term", KEY_TERMS)
def test_key_term_resolves(pack, term):
    try:
        node = pack.resolve(term)
    except kg.UnknownConcept as exc:
        pytest.fail(f"guide term {term!r} names no concept: {exc}")
    assert node in pack.graph
