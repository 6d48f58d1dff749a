"""kg.text: one place answers "this text in this language", complete in both languages."""
from __future__ import annotations

import ast
import re
import string
import subprocess
import sys

import pytest
from kgtest import ROOT

from kg import load_pack
from kg.text import (KIND_NAMES, LANGS, QUIZ_PROMPTS, WORDS, duration, edge_reason, edge_sentence, field_text, kind_name,
                     languages_from, name_line, names, other_text, relation_title, word)
from kg.schema import EDGE_TYPES, KINDS

MINI = ROOT / "tests" / "fixtures" / "mini"


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_every_word_exists_in_both_languages_with_the_same_placeholders():
    assert set(WORDS) == set(LANGS) == {"en", "zh"}
    assert set(WORDS["en"]) == set(WORDS["zh"])
    for key in WORDS["en"]:
        assert placeholders(WORDS["en"][key]) - {"s"} == placeholders(WORDS["zh"][key]) - {"s"}, key  # {s}: an English plural
    for key, templates in QUIZ_PROMPTS.items():
        assert set(templates) == set(LANGS) and placeholders(templates["en"]) == placeholders(templates["zh"]) == {"x"}, key


def test_no_word_is_defined_twice():
    """A dict literal keeps the last of two equal keys without a word: the table is read as written."""
    tree = ast.parse((ROOT / "kg" / "text.py").read_text(encoding="utf-8"))
    table = next(node.value for node in tree.body if isinstance(node, ast.AnnAssign) and node.target.id == "WORDS")
    for lang, words in zip(table.keys, table.values):
        keys = [key.value for key in words.keys]
        assert sorted(key for key in set(keys) if keys.count(key) > 1) == [], lang.value


#: How the code asks for a word: ``word("key", ...)``, the app's ``w("key", ...)``, a count's ``count(n, "key")``
#: (``key_one`` and ``key_many``) and a family of keys by prefix (``w(f"tab_{name}")``, ``w("edition_" + e)``).
ASKED = re.compile(r"""\b(?:w|word)\(\s*["']([a-z0-9_]+)["']\s*[,)]""")
COUNTED = re.compile(r"""\bcount\([^()]*?,\s*["']([a-z0-9_]+)["']\)""")
FAMILY = re.compile(r"""\b(?:w|word)\(\s*(?:f["']([a-z0-9_]+)\{|["']([a-z0-9_]+)["']\s*\+)""")


def test_every_word_the_code_asks_for_is_in_the_table():
    missing, families = [], 0
    for path in sorted([*(ROOT / "kg").rglob("*.py"), ROOT / "app.py"]):
        source = path.read_text(encoding="utf-8")
        for key in ASKED.findall(source):
            if key not in WORDS["en"]:
                missing.append(f"{path.name}: {key}")
        for key in COUNTED.findall(source):
            missing.extend(f"{path.name}: {key}{end}" for end in ("_one", "_many") if key + end not in WORDS["en"])
        for prefix in (a or b for a, b in FAMILY.findall(source)):
            families += 1
            if not any(key.startswith(prefix) for key in WORDS["en"]):
                missing.append(f"{path.name}: {prefix}*")
    assert missing == [] and families >= 5


def test_every_kind_and_edge_type_has_a_chinese_name():
    assert set(KIND_NAMES["zh"]) == set(KINDS)
    assert all(re.search(r"[\u4e00-\u9fff]", kind_name(kind, "zh")) for kind in KINDS)
    assert all(kind_name(kind, "en") == kind for kind in KINDS)
    for edge_type in EDGE_TYPES:
        for direction in ("out", "in"):
            assert re.search(r"[\u4e00-\u9fff]", relation_title(edge_type, direction, "zh")), (edge_type, direction)


@pytest.mark.parametrize("minutes, en, zh", [
    (0, "0 min", "0 分钟"), (45, "45 min", "45 分钟"), (60, "1 h 00 min", "1 小时"),
    (125, "2 h 05 min", "2 小时 5 分钟"), (785, "13 h 05 min", "13 小时 5 分钟"),
])
def test_durations_read_as_each_language_reads_them(minutes, en, zh):
    assert duration(minutes, "en") == en
    assert duration(minutes, "zh") == zh


def test_pack_text_in_a_language_falls_back_to_english():
    pack = load_pack(MINI)
    assert names(pack, "relu", "zh") == ("修正线性单元", "ReLU") and names(pack, "relu", "en") == ("ReLU", "修正线性单元")
    assert name_line(pack, "relu", "zh") == "修正线性单元 (ReLU)"
    assert edge_sentence(pack, ("relu", "solves", "vanishing-gradient"), "zh") == "修正线性单元 解决 梯度消失"
    assert edge_reason(pack, ("relu", "solves", "vanishing-gradient"), "zh") == "正输入时它的导数不会变小。"
    assert edge_reason(pack, ("relu", "solves", "vanishing-gradient"), "en") == "Its derivative does not shrink for positive inputs."
    question = {"q": "Why?", "a": "Because."}
    assert field_text(question, "q", "zh") == "Why?"  # no Chinese: the English text, never an empty answer
    assert other_text({"summary": "S.", "summary_zh": "说明。"}, "summary", "en") == "说明。"
    assert other_text({"summary": "S."}, "summary", "zh") == ""
    assert languages_from("en") == ("en", "zh")


def test_plural_and_unknown_language():
    assert word("connection", "en", number=1, steps=1) == "Connection 1 (1 step):"
    assert word("connection", "en", number=2, steps=3) == "Connection 2 (3 steps):"
    assert word("connection", "fr", number=2, steps=3) == "Connection 2 (3 steps):"  # an unknown language reads English


def test_language_choices_live_in_the_text_layer():
    """Outside kg/text.py no module picks a field or a literal by testing the language itself."""
    offenders = []
    for path in sorted([*(ROOT / "kg").rglob("*.py"), ROOT / "app.py"]):
        if path.name == "text.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""lang\s*[!=]=\s*["'](zh|en)["']|["'](zh|en)["']\s*[!=]=\s*\S*lang|\bif zh\b""", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_text_layer_imports_no_interface_toolkit():
    code = "import sys, kg.text; bad = [m for m in ('streamlit', 'pyvis') if m in sys.modules]; assert not bad, bad"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
