"""Every piece of text kg shows, in English and Chinese: names, edge sentences, reasons, durations,
kind names and the interface words of the command line.

One module answers "this text in this language"; the command line, the exports, the quiz, the
renderer and the app call it instead of choosing a field or a literal themselves. Pack text is
returned as written (never escaped: escaping belongs to each output format). A Chinese field that
is missing falls back to the English one, so a pack without translations still reads.

>>> from kg import load_pack
>>> pack = load_pack()
>>> names(pack, "focal-loss", "zh")
('焦点损失', 'Focal Loss')
>>> edge_sentence(pack, ("relu", "solves", "vanishing-gradient"), "en")
'ReLU solves Vanishing Gradient'
>>> duration(785, "zh"), duration(785, "en")
('13 小时 5 分钟', '13 h 05 min')
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .schema import EDGE_TYPES

if TYPE_CHECKING:
    from .pack import Pack

Edge = tuple[str, str, str]

#: The languages kg speaks, with their own names.
LANGS: dict[str, str] = {"en": "English", "zh": "中文"}

#: The pack's text fields that have a Chinese twin named ``<field>_zh``.
BILINGUAL_FIELDS = ("name", "summary", "why", "q", "a", "how")


# ---------------------------------------------------------------- pack text


def field_text(data: dict, field: str, lang: str) -> str:
    """``data[field]`` in ``lang``: the ``<field>_zh`` twin in Chinese when it is there, else the field.

    >>> field_text({"q": "Why?", "q_zh": "为什么?"}, "q", "zh"), field_text({"q": "Why?"}, "q", "zh")
    ('为什么?', 'Why?')
    """
    if lang != "en":
        translated = data.get(f"{field}_{lang}")
        if translated:
            return str(translated)
    value = data.get(field)
    return "" if value is None else str(value)


def other_text(data: dict, field: str, lang: str) -> str:
    """The same field in the other language, or "" when it is missing or says the same.

    >>> other_text({"summary": "S.", "summary_zh": "说明。"}, "summary", "zh")
    'S.'
    """
    first = field_text(data, field, lang)
    other = field_text(data, field, "en" if lang != "en" else "zh")
    return other if other != first else ""


def names(pack: "Pack", node: str, lang: str = "en") -> tuple[str, str]:
    """(name in ``lang``, the other name or ""); the id stands in for a missing English name."""
    data = pack.graph.nodes[node]
    en, zh = data.get("name") or node, data.get("name_zh") or ""
    first, second = (zh, en) if lang == "zh" and zh else (en, zh)
    return first, (second if second != first else "")


def label(pack: "Pack", node: str, lang: str = "en") -> str:
    """A concept's name in ``lang``, falling back to the English name, then the id."""
    return names(pack, node, lang)[0]


def name_line(pack: "Pack", node: str, lang: str = "en") -> str:
    """The name in ``lang`` with the other one in brackets: ``Focal Loss (焦点损失)``."""
    first, second = names(pack, node, lang)
    return first + (f" ({second})" if second else "")


def edge_sentence(pack: "Pack", edge: Edge, lang: str = "en") -> str:
    """One readable sentence for a written edge, with the names in ``lang``."""
    source, edge_type, target = edge
    return EDGE_TYPES[edge_type][lang].format(a=label(pack, source, lang), b=label(pack, target, lang))


def edge_reason(pack: "Pack", edge: Edge, lang: str = "en") -> str:
    """Why the edge holds (``why``, or ``why_zh`` in Chinese when written); "" when none is given."""
    source, edge_type, target = edge
    return field_text(pack.graph.edges[source, target, edge_type], "why", lang)


def relation_title(edge_type: str, direction: str, lang: str = "en") -> str:
    """The heading of a group of relations: "solves" (``direction`` "out") or "solved by" ("in")."""
    return EDGE_TYPES[edge_type][f"{'forward' if direction == 'out' else 'inverse'}_{lang}"]


def edge_type_name(edge_type: str, lang: str = "en") -> str:
    """The short name of an edge type for legends: "variant of", "变体"."""
    return EDGE_NAMES[lang].get(edge_type, edge_type)


def kind_name(kind: str | None, lang: str = "en") -> str:
    """The display name of a kind (the kind itself in English)."""
    kind = kind or "?"
    return KIND_NAMES[lang].get(kind, kind)


def duration(minutes: int, lang: str = "en") -> str:
    """Study time, read as the language reads it.

    >>> duration(45, "en"), duration(45, "zh"), duration(120, "en"), duration(120, "zh")
    ('45 min', '45 分钟', '2 h 00 min', '2 小时')
    """
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return word("duration_minutes", lang, m=rest)
    if not rest and lang == "zh":
        return word("duration_hours", lang, h=hours)
    return word("duration_hours_minutes", lang, h=hours, m=rest)


# ---------------------------------------------------------------- fixed words


KIND_NAMES: dict[str, dict[str, str]] = {
    "en": {},
    "zh": {
        "problem": "问题", "concept": "概念", "math": "数学", "technique": "技术", "architecture": "架构",
        "model": "模型", "layer": "层", "activation": "激活函数", "loss": "损失函数", "optimizer": "优化器",
        "metric": "指标", "paradigm": "范式", "framework": "框架", "tool": "工具", "application": "应用",
    },
}

EDGE_NAMES: dict[str, dict[str, str]] = {
    "en": {"requires": "requires", "variant-of": "variant of", "used-in": "used in", "solves": "solves"},
    "zh": {"requires": "需要", "variant-of": "变体", "used-in": "用于", "solves": "解决"},
}

#: key -> {lang: str.format template}. Every key has both languages with the same placeholders
#: (``tests/test_text.py`` checks it).
WORDS: dict[str, dict[str, str]] = {
    # kg compare
    "compare_vs": {"en": "vs", "zh": "对比"},
    "compare_shared": {"en": "What they share", "zh": "共同点"},
    "compare_parents": {"en": "both are variants of", "zh": "都是以下概念的变体"},
    "compare_prerequisites": {"en": "closest shared prerequisites ({count} shared in all)", "zh": "最接近的共同前置知识(共 {count} 个)"},
    "compare_nothing": {"en": "nothing in the graph", "zh": "图中没有共同点"},
    "compare_differ": {"en": "How they differ", "zh": "区别"},
    "compare_connect": {"en": "How they connect", "zh": "关联"},
    "compare_unconnected": {"en": "{a} and {b} are not connected", "zh": "{a} 与 {b} 之间没有关联"},
    "duration_minutes": {"en": "{m} min", "zh": "{m} 分钟"},
    "duration_hours": {"en": "{h} h", "zh": "{h} 小时"},
    "duration_hours_minutes": {"en": "{h} h {m:02d} min", "zh": "{h} 小时 {m} 分钟"},
    # kg order
    "plan_heading": {"en": "Study plan for {names}: {steps} step{s}, {time}", "zh": "{names} 的学习计划:{steps} 步,{time}"},
    "target": {"en": "target", "zh": "目标"},
    "because": {"en": "because ", "zh": "因为 "},
    # kg next
    "ready_heading": {"en": "{n} concept(s) ready to learn:", "zh": "可以学习的概念:{n} 个"},
    "and_more": {"en": "... and {n} more (--limit)", "zh": "…… 还有 {n} 个(--limit)"},
    # kg related / path / search
    "farther": {"en": "farther ({n}):", "zh": "更远的关系({n}):"},
    "not_connected": {"en": "{a} and {b} are not connected", "zh": "{a} 与 {b} 之间没有联系"},
    "connection": {"en": "Connection {number} ({steps} step{s}):", "zh": "联系 {number}({steps} 步):"},
    "full_stop": {"en": ".", "zh": "。"},
    "no_match": {"en": "no match", "zh": "没有匹配的概念"},
    # kg show
    "show_facts": {"en": "kind: {kind}   section: {section}   minutes: {minutes}", "zh": "类型:{kind}   章节:{section}   时长(分钟):{minutes}"},
    "aliases": {"en": "aliases: {aliases}", "zh": "别名:{aliases}"},
    "question": {"en": "Q: {q}\nA: {a}", "zh": "问:{q}\n答:{a}"},
    "reference": {"en": "ref: {ref}", "zh": "参考:{ref}"},
    "contrast": {"en": "contrasts with {other}: {how}", "zh": "对比 {other}: {how}"},
    "d2l_heading": {"en": "Dive into Deep Learning:", "zh": "动手学深度学习:"},
    # kg quiz at the terminal
    "quiz_none": {"en": "no questions for this topic", "zh": "这个主题没有题目"},
    "quiz_your_answer": {"en": "your answer (1-{n}): ", "zh": "你的答案 (1-{n}): "},
    "quiz_mark_right": {"en": "✓ right — answer: {n}) {answer}", "zh": "✓ 正确 — 答案: {n}) {answer}"},
    "quiz_mark_wrong": {"en": "✗ wrong — answer: {n}) {answer}", "zh": "✗ 错误 — 答案: {n}) {answer}"},
    "quiz_interview_line": {"en": "(interview question: {concept})", "zh": "(面试题: {concept})"},
    "quiz_press_enter": {"en": "press Enter to see the answer ", "zh": "按回车查看答案 "},
    "quiz_model_answer": {"en": "answer: {answer}", "zh": "参考答案: {answer}"},
    "quiz_did_you_know": {"en": "did you know it? [y/n]: ", "zh": "你答对了吗? [y/n]: "},
    "quiz_score_line": {"en": "score: {correct}/{total} ({percent}%)", "zh": "得分: {correct}/{total} ({percent}%)"},
    "quiz_review_heading": {"en": "review:", "zh": "复习清单:"},
    "saved_to": {"en": "saved to {path}", "zh": "已保存到 {path}"},
}


def word(key: str, lang: str = "en", **fields) -> str:
    """The interface text ``key`` in ``lang``, with ``fields`` filled in. ``s`` is filled for English
    plurals when a field named ``steps`` or ``n`` is given and ``s`` is not.

    >>> word("connection", "en", number=1, steps=2), word("connection", "zh", number=1, steps=2)
    ('Connection 1 (2 steps):', '联系 1(2 步):')
    """
    template = WORDS[key][lang]
    if "s" not in fields:
        count = fields.get("steps", fields.get("n"))
        fields["s"] = "" if count == 1 else "s"
    return template.format(**fields)
