"""Synthetic concept packs of any size, for benchmarks and scale tests: ``kg synth N OUT``.

The packs look like real ones: English and Chinese names and ~200-character
summaries in both languages (folded ``>-`` blocks, as the shipped graph writes
them), aliases, tags, study minutes, some references and interview questions,
and 2 to 5 typed edges per concept using every edge type, half of them with a
``why``. ``solves`` edges only point at concepts of kind ``problem``.

The study graph is acyclic by construction: concepts are numbered, every
study-order edge runs from a lower to a higher number. Concepts are grouped in
topics (one file each, in folders of 50 files); edges stay inside a topic,
except links to the *foundation* topics (the first ones), as in a course whose
chapters build on a shared base. A concept's ancestors are therefore a few
hundred to a few thousand concepts at any pack size, as in real packs.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "p"
>>> info = write_pack(60, out, files=4, seed=1)
>>> info["concepts"], info["files"]
(60, 4)
>>> from kg import load_pack
>>> [p.code for p in load_pack(out).problems if p.severity != "info"]
[]
"""
from __future__ import annotations

import json
import random
from pathlib import Path

from .fsutil import atomic_write, new_or_empty_folder
from .schema import KINDS
from .text import kind_name

_ADJ = [("Adaptive", "自适应"), ("Sparse", "稀疏"), ("Recurrent", "循环"), ("Convolutional", "卷积"), ("Residual", "残差"),
        ("Stochastic", "随机"), ("Contrastive", "对比"), ("Hierarchical", "层次"), ("Bayesian", "贝叶斯"), ("Graph", "图"),
        ("Variational", "变分"), ("Masked", "掩码"), ("Gated", "门控"), ("Attention", "注意力"), ("Spectral", "谱"),
        ("Quantized", "量化"), ("Distributed", "分布式"), ("Federated", "联邦"), ("Causal", "因果"), ("Robust", "鲁棒"),
        ("Multi-Head", "多头"), ("Self-Supervised", "自监督"), ("Low-Rank", "低秩"), ("Dense", "稠密"), ("Deep", "深度"),
        ("Linear", "线性"), ("Kernel", "核"), ("Implicit", "隐式"), ("Dynamic", "动态"), ("Latent", "潜在")]
_NOUN = [("Encoder", "编码器"), ("Decoder", "解码器"), ("Normalization", "归一化"), ("Regularization", "正则化"),
         ("Embedding", "嵌入"), ("Pooling", "池化"), ("Sampling", "采样"), ("Distillation", "蒸馏"), ("Transformer", "变换器"),
         ("Network", "网络"), ("Estimator", "估计器"), ("Objective", "目标函数"), ("Gradient", "梯度"), ("Memory", "记忆"),
         ("Routing", "路由"), ("Alignment", "对齐"), ("Retrieval", "检索"), ("Tokenizer", "分词器"), ("Scheduler", "调度器"),
         ("Initialization", "初始化"), ("Augmentation", "增强"), ("Pruning", "剪枝"), ("Search", "搜索"), ("Policy", "策略"),
         ("Critic", "评论家"), ("Diffusion", "扩散"), ("Flow", "流"), ("Mixture", "混合"), ("Projection", "投影"), ("Loss", "损失")]
_PROBLEM = [("Collapse", "坍塌"), ("Instability", "不稳定"), ("Drift", "漂移"), ("Overfitting", "过拟合"), ("Bias", "偏差"),
            ("Leakage", "泄漏"), ("Forgetting", "遗忘"), ("Explosion", "爆炸"), ("Saturation", "饱和"), ("Imbalance", "不平衡")]
_ACTION = ["compresses", "stabilises", "reweights", "aligns", "regularises", "routes", "normalises", "samples", "decodes", "scores"]
_OBJECT = ["hidden states", "gradients", "token embeddings", "attention weights", "feature maps", "noisy labels",
           "policy updates", "latent codes", "training batches", "long sequences"]
_ZH_ACTION = ["压缩", "稳定", "重新加权", "对齐", "正则化", "路由", "归一化", "采样", "解码", "打分"]
_ZH_OBJECT = ["隐藏状态", "梯度", "词元嵌入", "注意力权重", "特征图", "噪声标签", "策略更新", "潜在编码", "训练批次", "长序列"]
_KINDS = [k for k in KINDS if k != "problem"]
_EDGE_WEIGHTS = [("requires", 0.45), ("variant-of", 0.15), ("used-in", 0.2), ("solves", 0.2)]
_FILES_PER_FOLDER = 50


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are a subset of YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _folded(text: str, indent: str, width: int = 96) -> list[str]:
    """A ``>-`` block: the text wrapped at spaces (or every ``width`` characters when it has none)."""
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return [">-"] + [indent + line for line in lines]


def _plan(n: int, files: int, rng: random.Random) -> tuple[list[int], list[range]]:
    """Topic of each concept and each topic's range of concept numbers."""
    files = max(1, min(files, n))
    bounds = sorted(rng.sample(range(1, n), files - 1)) if files > 1 else []
    edges = [0, *bounds, n]
    topics = [range(edges[i], edges[i + 1]) for i in range(files)]
    topic_of = [0] * n
    for t, members in enumerate(topics):
        for i in members:
            topic_of[i] = t
    return topic_of, topics


_NAMES_ZH_SETS: dict[int, tuple[list, set]] = {}


def _names_zh_set(names_zh: list[str]) -> set[str]:
    """The Chinese names as a set, built once per generated pack."""
    cached = _NAMES_ZH_SETS.get(id(names_zh))
    if cached is None or cached[0] is not names_zh:
        _NAMES_ZH_SETS.clear()
        cached = _NAMES_ZH_SETS[id(names_zh)] = (names_zh, set(names_zh))
    return cached[1]


def generate(n: int, files: int | None = None, seed: int = 0):
    """Yield ``(relative file path, YAML text)`` for a pack of ``n`` concepts."""
    if n < 1:
        raise ValueError("a pack needs at least one concept")
    rng = random.Random(seed)
    files = files or max(1, min(n // 100 + 1, 2000))
    topic_of, topics = _plan(n, files, rng)
    foundation_topics = max(1, len(topics) // 20)
    foundation_end = topics[foundation_topics - 1].stop
    is_problem = [rng.random() < 0.12 for _ in range(n)]
    names, names_zh, ids = [], [], []
    seen: set[str] = set()
    for i in range(n):
        if is_problem[i]:
            (a, a_zh), (b, b_zh) = rng.choice(_ADJ), rng.choice(_PROBLEM)
        else:
            (a, a_zh), (b, b_zh) = rng.choice(_ADJ), rng.choice(_NOUN)
        name, name_zh = f"{a} {b}", f"{a_zh}{b_zh}"
        base = name.lower().replace(" ", "-")
        cid = base if base not in seen else f"{base}-{i}"
        if cid != base:
            name, name_zh = f"{name} {i}", f"{name_zh}{i}"
        seen.add(cid)
        ids.append(cid)
        names.append(name)
        names_zh.append(name_zh)
    problems_by_topic: dict[int, list[int]] = {}
    for i in range(n):
        if is_problem[i]:
            problems_by_topic.setdefault(topic_of[i], []).append(i)
    foundation_problems = [i for t in range(foundation_topics) for i in problems_by_topic.get(t, [])]

    def earlier(i: int) -> int | None:
        """A concept studied before i: mostly close by in the same topic, sometimes a foundation."""
        start = topics[topic_of[i]].start
        if i > start and (rng.random() < 0.8 or i >= foundation_end):
            if rng.random() < 0.7 or i >= foundation_end:
                return max(start, i - 1 - int(rng.expovariate(1 / 6)))
            return rng.randrange(start, i)
        if foundation_end and rng.random() < 0.7 and i >= foundation_end:
            return rng.randrange(0, min(foundation_end, i))
        return rng.randrange(start, i) if i > start else None

    out_edges: list[dict[str, list[int]]] = [dict() for _ in range(n)]
    degree = [0] * n
    types, weights = zip(*_EDGE_WEIGHTS)
    for i in range(n):
        wanted = rng.randint(2, 5)
        chosen: set[tuple[str, int]] = set()
        for _ in range(wanted * 3):
            if len(chosen) >= wanted:
                break
            edge_type = rng.choices(types, weights)[0]
            target = None
            if edge_type == "solves":
                pool = [p for p in problems_by_topic.get(topic_of[i], []) if p < i] or [p for p in foundation_problems if p < i]
                target = rng.choice(pool) if pool and not is_problem[i] else None
            elif edge_type == "used-in":
                stop = topics[topic_of[i]].stop
                target = min(stop - 1, i + 1 + int(rng.expovariate(1 / 4))) if i + 1 < stop else None
            else:
                target = earlier(i)
                if i >= foundation_end and rng.random() < 0.1 and foundation_end:
                    target = rng.randrange(0, foundation_end)
            if target is None or target == i or any(t == target for _, t in chosen):
                continue
            chosen.add((edge_type, target))
        for edge_type, target in sorted(chosen):
            out_edges[i].setdefault(edge_type, []).append(target)
            degree[i] += 1
            degree[target] += 1
    for i in range(n):  # nothing isolated: a concept with no edge at all requires its predecessor
        if degree[i] == 0 and i > 0:
            out_edges[i]["requires"] = [i - 1]
            degree[i] += 1
    if n > 1 and degree[0] == 0:
        out_edges[0]["used-in"] = [1]
    width = len(str(len(topics)))
    for t, members in enumerate(topics):
        folder = f"part-{t // _FILES_PER_FOLDER:03d}"
        area_en, area_zh = _ADJ[t % len(_ADJ)]
        lines = [f"# Synthetic topic {t}: {area_en} methods ({area_zh}方法). Generated by kg synth, seed {seed}.", ""]
        for i in members:
            lines.extend(_concept(i, t, area_en, ids, names, names_zh, is_problem, out_edges[i], rng))
        yield f"{folder}/topic-{t:0{width}d}.yaml", "\n".join(lines) + "\n"


def _concept(i, t, area, ids, names, names_zh, is_problem, edges, rng) -> list[str]:
    action, obj = rng.randrange(len(_ACTION)), rng.randrange(len(_OBJECT))
    name, name_zh = names[i], names_zh[i]
    if is_problem[i]:
        kind = "problem"
        summary = (f"{name} is a failure mode in which a model's {_OBJECT[obj]} degrade during training until the "
                   f"optimiser can no longer make progress. It shows up as a plateau or spike in the loss curve and is "
                   f"usually diagnosed by tracking {_OBJECT[(obj + 3) % 10]} over time.")
        summary_zh = (f"{name_zh}是一种训练中的失效模式:模型的{_ZH_OBJECT[obj]}逐渐退化,直到优化器无法继续取得进展。"
                      f"它表现为损失曲线的停滞或尖峰,通常通过观察{_ZH_OBJECT[(obj + 3) % 10]}来诊断。")
    else:
        kind = rng.choice(_KINDS)
        summary = (f"{name} is a {kind} that {_ACTION[action]} the {_OBJECT[obj]} of a network before they reach the next "
                   f"stage. It trades a little extra computation for steadier training and is a common building block "
                   f"in {area.lower()} models.")
        summary_zh = (f"{name_zh}是一种{kind_name(kind, 'zh')},它在网络把{_ZH_OBJECT[obj]}传给下一阶段之前先对其进行{_ZH_ACTION[action]}。"
                      f"它用少量额外计算换取更平稳的训练过程,是常见的基本组成部分。")
    words = name.split()
    out = [f"- id: {ids[i]}", f"  name: {_q(name)}", f"  name_zh: {_q(name_zh)}", f"  kind: {kind}",
           f'  section: "{t + 1}.{i % 40 + 1}"']
    out.append("  summary: " + "\n".join(_folded(summary, "    ")))
    out.append("  summary_zh: " + "\n".join(_folded(summary_zh, "    ", width=60)))
    if rng.random() < 0.6:
        short_zh = name_zh[:4]  # kept only when it is no other concept's name (that would be a name-collision)
        aliases = [''.join(w[0] for w in words).upper()] + ([short_zh] if short_zh == name_zh or short_zh not in _names_zh_set(names_zh) else [])
        out.append(f"  aliases: [{', '.join(_q(alias) for alias in aliases)}]")
    out.append(f"  tags: [{area.lower()}, topic-{t}]")
    out.append(f"  minutes: {rng.choice((10, 15, 20, 30, 45, 60, 90))}")
    for edge_type in ("requires", "variant-of", "used-in", "solves"):
        targets = edges.get(edge_type)
        if not targets:
            continue
        out.append(f"  {edge_type}:")
        for target in targets:
            if rng.random() < 0.5:
                out.append(f"    - to: {ids[target]}")
                out.append(f"      why: {_q(f'It {_ACTION[(action + target) % 10]} its output.')}")
                out.append(f"      why_zh: {_q(f'它{_ZH_ACTION[(action + target) % 10]}其输出。')}")
            else:
                out.append(f"    - {ids[target]}")
    if rng.random() < 0.1:
        out += ["  refs:", f"    - title: {_q(f'On {name}')}", f"      authors: [{_q('A. Author')}, {_q('B. Writer')}]",
                f"      year: {rng.randint(1990, 2024)}", f"      url: https://example.org/papers/{ids[i]}"]
    if rng.random() < 0.1:
        out += ["  questions:", f"    - q: {_q(f'What does {name} change in training?')}",
                f"      a: {_q(f'It {_ACTION[action]} the {_OBJECT[obj]}.')}",
                f"      q_zh: {_q(f'{name_zh}在训练中改变了什么?')}", f"      a_zh: {_q(f'它{_ZH_ACTION[action]}{_ZH_OBJECT[obj]}。')}"]
    out.append("")
    return out


def write_pack(n: int, out: str | Path, *, files: int | None = None, seed: int = 0) -> dict:
    """Write a synthetic pack of ``n`` concepts into the folder ``out`` (new or empty: otherwise
    :class:`~kg.errors.UsageError`); return counts."""
    root = new_or_empty_folder(out)
    count, size = 0, 0
    for relative, text in generate(n, files, seed):
        data = text.encode("utf-8")
        atomic_write(root / relative, data)  # like every kg write: never half a file
        count += 1
        size += len(data)
    return {"concepts": n, "files": count, "bytes": size, "path": str(root)}
