"""The pack-format additions: why_zh, causes, contrasts, d2l pages, section names and curriculum assertions."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from kg import d2l, load_pack
from kg.cli import main
from kg.queries import study_order
from kg.text import edge_reason as why

from kgtest import shared_path

ROOT = Path(__file__).resolve().parents[1]

A_B = """\
- id: sigmoid
  name: Sigmoid
  name_zh: S 型函数
  kind: activation
  summary: S.
  summary_zh: 摘要。
  causes:
    - to: vanishing-gradient
      why: Its derivative is at most 0.25.
      why_zh: 它的导数至多为 0.25。
- id: vanishing-gradient
  name: Vanishing Gradient
  name_zh: 梯度消失
  kind: problem
  summary: S.
  summary_zh: 摘要。
- id: relu
  name: ReLU
  name_zh: 修正线性单元
  kind: activation
  summary: S.
  summary_zh: 摘要。
  solves:
    - to: vanishing-gradient
      why: Its derivative is 1 for positive inputs.
  contrasts:
    - to: sigmoid
      how: ReLU is unbounded above and cheap; sigmoid saturates at both ends.
      how_zh: ReLU 上无界且计算便宜；S 型函数两端饱和。
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture()
def small(tmp_path) -> Path:
    return write(tmp_path / "pack", "a.yaml", A_B)


def codes(pack) -> list[tuple[str, int]]:
    return [(p.code, p.line) for p in pack.problems]


# --- why_zh ---------------------------------------------------------------------------------------

def test_why_zh_is_shown_in_chinese_and_english_is_the_fallback(small):
    pack = load_pack(small)
    edge = ("sigmoid", "causes", "vanishing-gradient")
    assert why(pack, edge) == "Its derivative is at most 0.25."
    assert why(pack, edge, "zh") == "它的导数至多为 0.25。"
    assert why(pack, ("relu", "solves", "vanishing-gradient"), "zh") == "Its derivative is 1 for positive inputs."


def test_missing_why_zh_is_one_warning_per_untranslated_edge(small):
    pack = load_pack(small)
    assert [(p.code, p.line) for p in pack.problems if p.code == "missing-why-zh"] == [("missing-why-zh", 24)]
    english_only = write(small, "header.yaml", "pack: {name: P, languages: en}\n")
    assert "missing-why-zh" not in {p.code for p in load_pack(english_only).problems}


def test_related_in_chinese_prints_the_chinese_reason(small, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["related", "sigmoid", "--lang", "zh", "--graph", str(small)]) == 0
    out = capsys.readouterr().out
    assert "它的导数至多为 0.25。" in out and "at most" not in out


# --- causes ---------------------------------------------------------------------------------------

def test_causes_puts_the_cause_before_the_problem(small):
    pack = load_pack(small)
    ids = [step.id for step in study_order(pack, ["relu"]).steps]
    assert ids.index("sigmoid") < ids.index("vanishing-gradient") < ids.index("relu")
    assert pack.study.has_edge("sigmoid", "vanishing-gradient")


# --- contrasts ------------------------------------------------------------------------------------

def test_contrasts_are_symmetric_and_not_study_order(small):
    pack = load_pack(small)
    assert [c["to"] for c in pack.contrasts("sigmoid")] == ["relu"]
    assert pack.contrasts("relu")[0]["how_zh"].startswith("ReLU 上无界")
    assert not pack.study.has_edge("relu", "sigmoid") and not pack.study.has_edge("sigmoid", "relu")
    assert pack.contrast_where[("relu", "sigmoid")][1] == 27


@pytest.mark.parametrize("entry, code", [
    ("{to: tanh, how: Differs.}", "unknown-target"),
    ("{to: relu, how: Differs.}", "self-loop"),
    ("{to: sigmoid}", "missing-field"),
    ("{to: sigmoid, how: Differs., why: no}", "unknown-field"),
    ("sigmoid", "wrong-type"),
])
def test_bad_contrasts_are_located_problems(tmp_path, entry, code):
    text = A_B.replace("  contrasts:\n    - to: sigmoid\n      how: ReLU is unbounded above and cheap; sigmoid saturates at both ends.\n"
                       "      how_zh: ReLU 上无界且计算便宜；S 型函数两端饱和。\n", f"  contrasts:\n    - {entry}\n")
    pack = load_pack(write(tmp_path, "a.yaml", text))
    assert (code, 27) in codes(pack)


def test_related_and_show_list_contrasts(small, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["related", "sigmoid", "--graph", str(small)]) == 0
    assert "contrasts with ReLU (修正线性单元): ReLU is unbounded" in capsys.readouterr().out
    assert main(["show", "relu", "--lang", "zh", "--graph", str(small)]) == 0
    assert "对比 S 型函数 (Sigmoid): ReLU 上无界" in capsys.readouterr().out
    assert main(["related", "sigmoid", "--json", "--graph", str(small)]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert {"neighbour": "relu", "type": "contrasts"}.items() <= entries[-1].items()


# --- d2l ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("page, code", [
    ("https://d2l.ai/chapter_convolutional-modern/resnet.html", "bad-value"),
    ("/chapter_convolutional-modern/resnet.html", "bad-value"),
    ("chapter_convolutional-modern/resnet", "bad-value"),
    ("chapter_convolutional-modern/resnet2.html", "unknown-d2l-page"),
])
def test_d2l_pages_are_checked(tmp_path, page, code):
    text = A_B.replace("  causes:\n", f"  d2l: [{page!r}]\n  causes:\n", 1)
    assert (code, 7) in codes(load_pack(write(tmp_path, "a.yaml", text)))


def test_d2l_links_show_both_editions_only_where_they_exist(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    english_only = next(page for page, editions in d2l.pages().items() if list(editions) == ["en"])
    text = A_B.replace("  causes:\n", f"  d2l: [chapter_convolutional-modern/resnet.html, {english_only}]\n  causes:\n", 1)
    folder = write(tmp_path, "a.yaml", text)
    assert main(["show", "sigmoid", "--json", "--graph", str(folder)]) == 0
    links = json.loads(capsys.readouterr().out)["d2l_links"]
    assert links[0]["zh"] == "https://zh.d2l.ai/chapter_convolutional-modern/resnet.html"
    assert links[1]["en"] == f"https://d2l.ai/{english_only}" and "zh" not in links[1]
    assert main(["show", "sigmoid", "--graph", str(folder)]) == 0
    assert "https://d2l.ai/chapter_convolutional-modern/resnet.html" in capsys.readouterr().out


def _sections_jsonl() -> Path:
    return shared_path("datasets", "d2l", "sections.jsonl")  # skips outside CI, fails under CI=true


def test_shipped_d2l_table_is_the_one_built_from_sections_jsonl():
    assert d2l.table_from_sections(_sections_jsonl())["pages"] == d2l.pages()


def test_every_d2l_page_of_the_shipped_graph_is_a_page_of_the_book():
    book = {json.loads(line)["page"] for line in _sections_jsonl().read_text(encoding="utf-8").splitlines() if line.strip()}
    pack = load_pack()
    used = {(node, page) for node, pages in pack.graph.nodes(data="d2l") if pages for page in pages}
    assert not [pair for pair in used if pair[1] not in book]


# --- section names --------------------------------------------------------------------------------

def test_section_names_come_from_the_header(tmp_path):
    folder = write(tmp_path, "a.yaml", A_B)
    write(folder, "pack.yaml", """\
        pack:
          name: P
          sections:
            "7": {name: Loss functions, name_zh: 损失函数}
            "7.4": {name: Focal loss}
        """)
    pack = load_pack(folder)
    assert not [p for p in pack.problems if p.code != "missing-why-zh"]
    assert pack.section_name("7", "zh") == "损失函数" and pack.section_name("7.4", "zh") == "Focal loss"
    assert pack.section_name("8") == "" and pack.section_name(None) == ""


@pytest.mark.parametrize("sections, code", [
    ('{"7.x": {name: A}}', "bad-value"),
    ('{"7": {name_zh: 甲}}', "missing-field"),
    ('{"7": {name: A, title: B}}', "unknown-field"),
    ('{"7": Losses}', "wrong-type"),
    ("[a, b]", "wrong-type"),
])
def test_bad_section_names_are_located(tmp_path, sections, code):
    pack = load_pack(write(tmp_path, "pack.yaml", f"pack:\n  name: P\n  sections: {sections}\n"))
    assert [(p.code, p.line) for p in pack.problems] == [(code, 3)]


def test_shipped_header_names_every_guide_section_in_both_languages():
    pack = load_pack()
    wanted = ["0", "1", "1.1", "1.2", "2", "3", "3.1", "3.2", "4", "4.1", "4.2", "5", "6", "6.1", "6.2", "7",
              "7.1", "7.2", "7.3", "7.4", "8", "8.1", "8.2", "8.3", "9", "9.1", "9.2", "9.3", "10", "11", "12", "13",
              "14", "16", "17", "18", "19"]
    for section in wanted:
        names = pack.header["sections"][section]
        assert names["name"] and names["name_zh"], section
    assert pack.section_name("14", "zh") == "大语言模型"  # the guide's 大模型 ("large models") is broader than LLMs
    used = {section for _, section in pack.graph.nodes(data="section") if section}
    assert not used - set(pack.header["sections"]), "a concept's section has no name in graph/pack.yaml"


# --- curriculum assertions ------------------------------------------------------------------------

CHAIN = """\
concepts:
  - {id: a, name: A, name_zh: 甲, kind: concept, summary: S., summary_zh: 摘要。}
  - {id: b, name: B, name_zh: 乙, kind: concept, summary: S., summary_zh: 摘要。, requires: [a]}
  - {id: c, name: C, name_zh: 丙, kind: concept, summary: S., summary_zh: 摘要。, requires: [b]}
  - {id: d, name: D, name_zh: 丁, kind: concept, summary: S., summary_zh: 摘要。, requires: [a]}
"""


def check(tmp_path, *entries: str) -> list[tuple[str, int]]:
    text = CHAIN + "expect:\n" + "".join(f"  - {entry}\n" for entry in entries)
    return codes(load_pack(write(tmp_path, "a.yaml", text)))


def test_assertions_that_hold_are_silent(tmp_path):
    assert check(tmp_path, "{before: [a, c], why: Transitively.}", "{not-in-plan: [d, c], why: Unrelated.}",
                 "{max-steps: [c, 3], why: Three steps.}", "{max-steps: [c, '3'], why: Quoted numbers are numbers.}") == []


def test_assertions_that_fail_are_located(tmp_path):
    assert check(tmp_path, "{before: [d, c], why: Not so.}", "{not-in-plan: [a, c], why: Not so.}",
                 "{max-steps: [c, 2], why: Not so.}") == [("expect-failed", 7), ("expect-failed", 8), ("expect-failed", 9)]


def test_failed_not_in_plan_names_the_chain_that_drags_it_in(tmp_path):
    pack = load_pack(write(tmp_path, "a.yaml", CHAIN + "expect:\n  - {not-in-plan: [a, c], why: Not so.}\n"))
    assert "via a -> b -> c" in pack.problems[0].message


def test_a_failed_assertion_gives_its_why_zh_in_chinese(tmp_path, capsys):
    folder = write(tmp_path, "a.yaml", CHAIN + "expect:\n"
                   "  - {not-in-plan: [a, c], why: C must not drag A in., why_zh: 学 C 不应先学 A。}\n"
                   "  - {before: [d, c], why: D comes first.}\n")
    assert main(["check", "--no-cache", "--lang", "zh", "--graph", str(folder)]) == 1
    chinese = capsys.readouterr().out
    assert "断言的理由:学 C 不应先学 A。 请删除或改写把它引入计划的那条关系。" in chinese
    assert "C must not drag A in" not in chinese
    assert "断言的理由:D comes first." in chinese  # no why_zh: the English why, as every Chinese field falls back
    assert main(["check", "--no-cache", "--graph", str(folder)]) == 1
    assert "expected because: C must not drag A in. Remove or retype" in capsys.readouterr().out
    main(["check", "--no-cache", "--json", "--graph", str(folder)])
    first, second = json.loads(capsys.readouterr().out)["problems"]
    assert first["hint"].startswith("expected because: C must not drag A in.")
    assert (first["fields"]["why"], first["fields"]["why_zh"]) == ("C must not drag A in.", "学 C 不应先学 A。")
    assert second["fields"]["why"] == "D comes first." and "why_zh" not in second["fields"]


def test_why_zh_of_an_assertion_must_be_text(tmp_path):
    assert check(tmp_path, "{before: [a, c], why: W., why_zh: [W]}") == [("expect-malformed", 7)]


@pytest.mark.parametrize("entry", [
    "{before: [a, c]}",                          # no why
    "{before: [a, c], after: [c, a], why: W.}",   # unknown key
    "{before: [a, c], max-steps: [c, 3], why: W.}",
    "{before: a, why: W.}",
    "{before: [a, b, c], why: W.}",
    "{before: [a, a], why: W.}",
    "{max-steps: [c, many], why: W.}",
    "{max-steps: [c, 0], why: W.}",
    "{before: [a, [b]], why: W.}",
    "{before: [a, c], why: [W]}",
    "before: [a, c]",
])
def test_malformed_assertions(tmp_path, entry):
    assert [code for code, _ in check(tmp_path, entry)] == ["expect-malformed"]


def test_expect_must_be_a_list(tmp_path):
    pack = load_pack(write(tmp_path, "a.yaml", CHAIN + "expect: {before: [a, c]}\n"))
    assert codes(pack) == [("expect-malformed", 6)]


def test_unknown_concepts_get_a_suggestion(tmp_path):
    pack = load_pack(write(tmp_path, "a.yaml", CHAIN.replace("id: c,", "id: conv,").replace("[b]}", "[b]}", 1)
                           .replace("requires: [b]", "requires: [b]") + "expect:\n  - {max-steps: [cnv, 3], why: W.}\n"))
    (problem,) = [p for p in pack.problems if p.code == "expect-unknown-concept"]
    assert (problem.line, problem.hint) == (7, "did you mean 'conv'?")


@pytest.mark.parametrize("second", ["{not-in-plan: [a, c], why: W.}", "{before: [c, a], why: W.}"])
def test_contradictions(tmp_path, second):
    assert check(tmp_path, "{before: [a, c], why: W.}", second) == [("expect-contradiction", 8)]


def test_an_expectations_file_holds_only_expect(tmp_path):
    folder = write(tmp_path, "a.yaml", CHAIN)
    write(folder / "expectations", "x.yaml", "# teacher's assertions\nexpect:\n  - {before: [d, c], why: W.}\n")
    pack = load_pack(folder)
    assert len(pack.expectations) == 1
    assert [(Path(p.path).name, p.line, p.code) for p in pack.problems] == [("x.yaml", 3, "expect-failed")]


def test_markdown_sheets_and_anki_notes_carry_both_d2l_editions(tmp_path):
    from kg.export.anki import FIELDS, build_deck
    from kg.export.markdown import sheet_markdown

    text = A_B.replace("  causes:\n", "  d2l: [chapter_convolutional-modern/resnet.html]\n  causes:\n", 1)
    pack = load_pack(write(tmp_path, "a.yaml", text))
    sheet = sheet_markdown(pack, ["sigmoid"])
    assert "[Residual Networks (ResNet) and ResNeXt](<https://d2l.ai/chapter_convolutional-modern/resnet.html>)" in sheet
    assert "(<https://zh.d2l.ai/chapter_convolutional-modern/resnet.html>)" in sheet
    assert sheet_markdown(pack, ["sigmoid"], lang="zh").index("zh.d2l.ai") < sheet_markdown(pack, ["sigmoid"], lang="zh").index("//d2l.ai")
    assert "### How it differs\n\n- vs ReLU (修正线性单元): ReLU is unbounded above" in sheet
    assert "- 对比 修正线性单元 (ReLU): ReLU 上无界" in sheet_markdown(pack, ["sigmoid"], lang="zh")
    (note,) = [n for n in build_deck(pack).notes if n.fields[0] == "sigmoid"]
    reading = dict(zip(FIELDS, note.fields))["Reading"]
    assert '<a href="https://d2l.ai/chapter_convolutional-modern/resnet.html">' in reading and "zh.d2l.ai" in reading
    assert dict(zip(FIELDS, [n for n in build_deck(pack).notes if n.fields[0] == "relu"][0].fields))["Reading"] == ""


@pytest.mark.parametrize("limit", [0, 20_000])
def test_assertions_give_the_same_answer_by_search_and_by_bitsets(tmp_path, monkeypatch, limit):
    import kg.expect

    monkeypatch.setattr(kg.expect, "BITSET_LIMIT", limit)
    assert check(tmp_path, "{before: [d, c], why: Not so.}", "{not-in-plan: [a, c], why: Not so.}",
                 "{max-steps: [c, 2], why: Not so.}", "{before: [b, c], why: Holds.}", "{max-steps: [c, 3], why: Holds.}") == \
        [("expect-failed", 7), ("expect-failed", 8), ("expect-failed", 9)]
