"""The concept-pack format, as data: fields, kinds, edge types and study-order rules.

Everything that defines what a valid pack is lives here, so that the loader,
the checks, the README and the tests all read one table.
"""
from __future__ import annotations

import re

#: Version of the pack format documented in ``docs/pack-format.md``.
FORMAT_VERSION = 1

#: A concept id: lowercase ASCII words joined by single hyphens, at most 80 characters.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX_LENGTH = 80

#: The vocabulary of ``kind``, with what each means.
KINDS: dict[str, str] = {
    "problem": "something that goes wrong or must be overcome (overfitting, vanishing gradients)",
    "concept": "an idea or definition (receptive field, Nash equilibrium)",
    "math": "a mathematical prerequisite (chain rule, probability distribution)",
    "technique": "a method applied during training or data handling (dropout, data augmentation)",
    "architecture": "a family of network designs (CNN, Transformer)",
    "model": "a specific published model or system (ResNet, GPT, AlphaGo)",
    "layer": "a building block or operation inside a network (convolution, pooling)",
    "activation": "an activation function (ReLU, sigmoid)",
    "loss": "a loss function (cross-entropy, focal loss)",
    "optimizer": "an optimisation algorithm (SGD, Adam)",
    "metric": "an evaluation measure (precision, F1)",
    "paradigm": "a way of learning or a field (reinforcement learning, pre-training)",
    "framework": "a software framework (PyTorch, TensorFlow)",
    "tool": "a deployment or serving tool or protocol (TorchServe, gRPC)",
    "application": "a task the methods are used for (machine translation, image generation)",
}

#: Edge types, each with the sentence pattern used to explain one edge.
EDGE_TYPES: dict[str, dict[str, str]] = {
    "requires": {
        "en": "{a} requires {b}",
        "zh": "{a} 需要先掌握 {b}",
        "inverse_en": "required by",
        "inverse_zh": "被以下概念需要",
        "forward_en": "requires",
        "forward_zh": "需要",
    },
    "variant-of": {
        "en": "{a} is a variant of {b}",
        "zh": "{a} 是 {b} 的一种变体",
        "inverse_en": "variants",
        "inverse_zh": "变体",
        "forward_en": "variant of",
        "forward_zh": "是以下概念的变体",
    },
    "used-in": {
        "en": "{a} is used in {b}",
        "zh": "{a} 用于 {b}",
        "inverse_en": "uses",
        "inverse_zh": "使用",
        "forward_en": "used in",
        "forward_zh": "用于",
    },
    "solves": {
        "en": "{a} solves {b}",
        "zh": "{a} 解决 {b}",
        "inverse_en": "solved by",
        "inverse_zh": "被以下方法解决",
        "forward_en": "solves",
        "forward_zh": "解决",
    },
    "causes": {
        "en": "{a} causes {b}",
        "zh": "{a} 会导致 {b}",
        "inverse_en": "caused by",
        "inverse_zh": "由以下原因引起",
        "forward_en": "causes",
        "forward_zh": "导致",
    },
}

#: Study-order semantics: for an edge ``A -[type]-> B``, whether the *target*
#: B comes before A (True) or A comes before B (False).
#:
#: ========== ===================
#: edge        study order
#: ========== ===================
#: A requires B   B before A
#: A variant-of B B before A
#: A used-in B    A before B
#: A solves P     P before A
#: A causes P     A before P
#: ========== ===================
TARGET_FIRST: dict[str, bool] = {
    "requires": True,
    "variant-of": True,
    "used-in": False,
    "solves": True,
    "causes": False,
}

#: Concept fields: name -> (required, expected type, description).
FIELDS: dict[str, tuple[bool, str, str]] = {
    "id": (True, "id", "unique lowercase kebab-case identifier"),
    "name": (True, "text", "English name"),
    "name_zh": (False, "text", "Chinese name (a warning if missing)"),
    "kind": (True, "kind", "one word from the kind vocabulary"),
    "summary": (True, "text", "one to three sentences in English"),
    "summary_zh": (False, "text", "one to three sentences in Chinese (a warning if missing)"),
    "aliases": (False, "text-list", "other names, abbreviations, Chinese synonyms"),
    "tags": (False, "text-list", "free-form labels"),
    "section": (False, "section", "where the concept sits in the guide, e.g. '7.4'; '0' for prerequisites"),
    "minutes": (False, "minutes", "study-time estimate in whole minutes (1 to 100000)"),
    "refs": (False, "refs", "references: title, authors, year, url"),
    "questions": (False, "questions", "interview questions: q, a, and optionally q_zh, a_zh"),
    "d2l": (False, "d2l", "Dive into Deep Learning pages covering the concept, e.g. 'chapter_convolutional-modern/resnet.html'"),
    **{edge: (False, "edges", f"outgoing '{edge}' edges") for edge in EDGE_TYPES},
    "contrasts": (False, "contrasts", "how the concept differs from another (symmetric, not a study-order edge)"),
}

REF_FIELDS = {"title": True, "authors": False, "year": False, "url": False}
QUESTION_FIELDS = {"q": True, "a": True, "q_zh": False, "a_zh": False}
EDGE_FIELDS = {"to": True, "why": False, "why_zh": False}
CONTRAST_FIELDS = {"to": True, "how": True, "how_zh": False}
#: Keys allowed in a file's optional header mapping ``pack:``; all text except ``sections``.
PACK_FIELDS = {"name", "format", "description", "license", "attribution", "source", "url", "languages", "sections"}
#: Fields of one entry of the header's ``sections:`` mapping (section id -> names).
SECTION_FIELDS = {"name": True, "name_zh": False}

#: A Dive into Deep Learning page key: relative, ``chapter_<part>/<page>.html``; shown under
#: https://d2l.ai/ and https://zh.d2l.ai/ (see ``kg/data/d2l_pages.json``).
D2L_PAGE_PATTERN = re.compile(r"^chapter_[a-z0-9_-]+/[a-z0-9_.-]+\.html$")
D2L_BASE = {"en": "https://d2l.ai/", "zh": "https://zh.d2l.ai/"}

#: Curriculum assertions (``expect:`` entries): kind -> what its two values are.
EXPECT_KINDS: dict[str, str] = {
    "before": "[A, B]: A is in the study plan of B from zero",
    "not-in-plan": "[A, B]: A is not in the study plan of B from zero",
    "max-steps": "[B, N]: the study plan of B from zero has at most N steps",
}
EXPECT_FIELDS = {*EXPECT_KINDS, "why", "why_zh"}


def pack_languages(header: dict) -> set[str]:
    """The languages a pack declares in its header (``languages: en`` or ``en, zh``); both when not declared.

    >>> sorted(pack_languages({})), sorted(pack_languages({"languages": "en"}))
    (['en', 'zh'], ['en'])
    """
    declared = {part.strip().lower() for part in header.get("languages", "").replace(",", " ").split()}
    return declared or {"en", "zh"}

SECTION_PATTERN = re.compile(r"^\d+(?:\.\d+)*$")
DEFAULT_MINUTES = 30


def section_key(section: str | None) -> tuple[int, ...]:
    """Sort key of a guide section, compared numerically part by part.

    >>> section_key("7.4") < section_key("7.10")
    True
    >>> section_key(None) > section_key("99")
    True
    """
    if not section or not SECTION_PATTERN.match(section):
        return (10**9,)
    return tuple(int(part) for part in section.split("."))
