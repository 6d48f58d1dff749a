"""The one table of problem codes: every code defined once with its templates in both languages, used only
with the fields its templates name, documented row by row."""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

import pytest
from kgtest import ROOT

from kg import Limits, load_pack
from kg.cli import main
from kg.problems import (CODES, DID_YOU_MEAN, PHRASES, SUMMARIES, Phrase, Problem, codes_table, did_you_mean,
                         placeholders, problem)
from kg.schema import CONTRAST_FIELDS, EDGE_FIELDS, EDGE_TYPES, EXPECT_KINDS, FIELDS, KINDS, PACK_FIELDS

CODE_FIXTURES = ROOT / "tests" / "fixtures" / "codes"


def test_readme_table_is_the_generated_table_row_by_row():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("| code | severity | meaning |")
    shown = [line for line in readme[start:].splitlines() if line.startswith("|")]
    shown = shown[: len(codes_table().splitlines())]
    assert shown == codes_table().splitlines()


def test_the_generator_prints_the_table():
    result = subprocess.run([sys.executable, "-m", "kg.problems"], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout == codes_table()


def test_a_problem_with_an_unknown_code_or_phrase_cannot_be_made():
    with pytest.raises(ValueError, match="unknown problem code 'no-such-code'"):
        problem("no-such-code", ("a.yaml", 1, 1))
    with pytest.raises(ValueError, match="unknown phrase 'txet'"):
        Phrase("txet")


def test_every_code_has_a_severity_a_description_and_both_templates_in_both_languages():
    for code, entry in CODES.items():
        assert entry.severity in ("error", "warning", "info") and entry.description, code
        for template in (entry.message, entry.hint):
            assert set(template) == {"en", "zh"} and all(text.strip() for text in template.values()), code


def test_chinese_templates_use_the_same_fields_as_the_english_ones():
    templates = {f"{code} {part}": getattr(entry, part) for code, entry in (*CODES.items(), *SUMMARIES.items())
                 for part in ("message", "hint")}
    templates |= {f"phrase {name}": text for name, text in PHRASES.items()} | {"did you mean": DID_YOU_MEAN}
    differ = {name: (placeholders(text["en"]), placeholders(text["zh"])) for name, text in templates.items()
              if placeholders(text["en"]) != placeholders(text["zh"])}
    assert differ == {}
    not_words = {"phrase the-concepts-value", "phrase id", "phrase id-of"}  # a key or "id": the same in both languages
    words = {name: text for name, text in templates.items() if re.search(r"[a-z]{2}", re.sub(r"\{[^{}]*\}", "", text["en"]))}
    assert [name for name, text in words.items() if name not in not_words and not re.search(r"[\u4e00-\u9fff]", text["zh"])] == []


def _fields_of(code: str) -> set[str]:
    entry = CODES[code]
    return {name for part in (entry.message, entry.hint) for name, _ in placeholders(part["en"])}


def _codes_of(node: ast.expr) -> list[str] | None:
    """The code(s) a call passes: a literal, or a conditional choosing between literals; None otherwise."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _codes_of(node.body), _codes_of(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def problem_calls(source: str) -> list[tuple[int, list[str] | None, set[str] | None, set[str]]]:
    """(line, codes, keyword names or None for **fields, literal phrases) of every ``problem(...)`` call."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "problem" and node.args:
            names = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
            phrases = {k.value.args[0].value for k in node.keywords if isinstance(k.value, ast.Call)
                       and getattr(k.value.func, "id", None) == "Phrase" and isinstance(k.value.args[0], ast.Constant)}
            found.append((node.lineno, _codes_of(node.args[0]), names, phrases))
    return found


def library_sources():
    return [(path.relative_to(ROOT), path.read_text(encoding="utf-8")) for path in sorted((ROOT / "kg").rglob("*.py"))]


def test_every_call_passes_exactly_the_fields_of_its_codes_templates():
    # the scan itself: a missing field, an extra field and an unknown code are each seen
    sample = ('problem("self-loop", at, concept=a)\nproblem("self-loop", at, concept=a, field=t, colour=c)\n'
              'problem("no-such-code", at)\nproblem("solves-non-problem" if s else "causes-non-problem", at, source=a, target=b, kind=k)')
    assert [(line, codes, names) for line, codes, names, _ in problem_calls(sample)] == [
        (1, ["self-loop"], {"concept"}), (2, ["self-loop"], {"concept", "field", "colour"}), (3, ["no-such-code"], set()),
        (4, ["solves-non-problem", "causes-non-problem"], {"source", "target", "kind"})]
    wrong, used = [], set()
    for path, source in library_sources():
        for line, codes, names, phrases in problem_calls(source):
            where = f"{path}:{line}"
            if codes is None or names is None:
                wrong.append(f"{where}: the code and the fields must be written out at the call")
                continue
            for code in codes:
                if code not in CODES:
                    wrong.append(f"{where}: unknown code {code}")
                    continue
                used.add(code)
                wanted = _fields_of(code) | {name for phrase in phrases for name, _ in placeholders(PHRASES[phrase]["en"])}
                passed = names - {"suggestion"}  # the closest known word, for the "did you mean" hint
                if passed != wanted:
                    wrong.append(f"{where}: {code} passes {sorted(passed)}, its templates use {sorted(wanted)}")
    assert wrong == []
    assert used == set(CODES), f"codes no check makes: {sorted(set(CODES) - used)}"


def test_the_library_makes_problems_only_through_the_code_table():
    """No sentence is written at a call site: ``Problem(...)`` is built only in kg/problems.py, every phrase exists."""
    for path, source in library_sources():
        tree = ast.parse(source)
        calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
        if path.name != "problems.py":
            assert [n.lineno for n in calls if getattr(n.func, "id", None) == "Problem"] == [], path
        for node in calls:
            if getattr(node.func, "id", None) == "Phrase" and isinstance(node.args[0], ast.Constant):
                assert node.args[0].value in PHRASES, f"{path}:{node.lineno}"


def fixture_problems() -> list[Problem]:
    """The problems of every code's failing fixture (loaded as tests/test_checks.py loads them)."""
    problems = load_pack(CODE_FIXTURES / "no-such-pack").problems
    for fixture in sorted([*CODE_FIXTURES.glob("*.yaml"), *CODE_FIXTURES.glob("*.zip")]):
        problems += load_pack(fixture, limits=Limits(max_file_bytes=1000) if fixture.stem == "limit-exceeded" else Limits()).problems
    return problems


def test_every_fixture_problem_reads_in_both_languages():
    problems = fixture_problems()
    assert {p.code for p in problems} == set(CODES)
    for p in problems:
        assert p.message_in("zh") != p.message and p.hint_in("zh") != p.hint, p
        assert re.search(r"[\u4e00-\u9fff]", p.message_in("zh") + p.hint_in("zh")), p


def test_a_problem_keeps_its_code_and_fields_and_pack_text_is_shown_as_written():
    p = problem("unknown-target", ("a.yaml", 3, 5), field="requires", target="<b>relux</b>", suggestion="relu")
    assert dict(p.fields) == {"field": "requires", "target": "<b>relux</b>", "suggestion": "relu"}
    assert p.message == "'requires' points at unknown concept '<b>relux</b>'"
    assert p.message_in("zh") == "“requires”指向不存在的概念“<b>relux</b>”"
    assert (p.hint, p.hint_in("zh")) == ("did you mean 'relu'?", "是否应为“relu”?")
    assert problem("unknown-target", ("a.yaml", 3, 5), field="requires", target="x", suggestion=None).hint == \
        CODES["unknown-target"].hint["en"]
    assert problem("wrong-type", ("a.yaml", 1, 1), field="d2l", expected=Phrase("list"), found=Phrase("text")).message_in("zh") == \
        "“d2l”应为列表,而不是文本"


def test_check_json_keeps_english_messages_and_adds_the_fields(capsys):
    main(["check", "--json", "--lang", "zh", "--no-cache", "--graph", str(CODE_FIXTURES / "unknown-target.yaml")])
    (record,) = [p for p in json.loads(capsys.readouterr().out)["problems"] if p["code"] == "unknown-target"]
    assert list(record) == ["path", "line", "col", "code", "message", "hint", "severity", "fields"]
    assert record["message"] == f"'{record['fields']['field']}' points at unknown concept '{record['fields']['target']}'"
    assert record["severity"] == "error"


def test_check_speaks_chinese_with_lang_zh(capsys):
    fixture = str(CODE_FIXTURES / "unknown-target.yaml")
    main(["check", "--no-cache", "--graph", fixture])
    english = capsys.readouterr().out
    main(["check", "--no-cache", "--lang", "zh", "--graph", fixture])
    chinese = capsys.readouterr().out
    assert "error unknown-target: 'requires' points at unknown concept" in english and "hint:" in english
    assert "错误 unknown-target:“requires”指向不存在的概念" in chinese and "建议:" in chinese and "hint:" not in chinese


def test_pack_format_doc_names_real_codes_only():
    text = (ROOT / "docs" / "pack-format.md").read_text(encoding="utf-8")
    vocabulary = {*EDGE_TYPES, *EXPECT_KINDS, *KINDS, *FIELDS, *PACK_FIELDS, *EDGE_FIELDS, *CONTRAST_FIELDS}
    quoted = set(re.findall(r"`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`", text))
    named = set(re.findall(r"\b(?:error|warning|info)s?\s+`?([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)`?", text))
    assert named and quoted & set(CODES)
    assert sorted((quoted | named) - vocabulary - set(CODES)) == []
    assert re.findall(r"`[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+`", text) == []  # no made-up `W-ZH-NAME` style codes


def test_did_you_mean_returns_the_match():
    assert did_you_mean("varient-of", ["variant-of", "requires"]) == "variant-of"
    assert did_you_mean("xyz", ["variant-of"]) is None
    assert did_you_mean("relux", {f"id-{n}": n for n in range(300)} | {"relu": 1}) == "relu"  # the rapidfuzz path, on keys


@pytest.mark.parametrize("use_c", [True, False], ids=["libyaml", "pure"])
def test_a_yaml_syntax_error_is_said_in_chinese_by_either_parser(use_c, capsys):
    (record,) = load_pack(CODE_FIXTURES / "yaml-syntax.yaml", use_c=use_c).problems
    chinese = record.message_in("zh")
    assert chinese.startswith("YAML 格式不正确:解析流式序列时:") and "“,”或“]”" in chinese and "(4:7)" in chinese, chinese
    assert not re.search(r"[A-Za-z]{3,}", chinese.replace("YAML", "")), chinese  # no parser word left in English
    assert record.message.startswith("not well-formed YAML: while parsing a flow sequence")  # English as the parser says it
    fields = record.to_dict()["fields"]
    assert fields["detail"].startswith("while parsing a flow sequence") and fields["detail_zh"].startswith("解析流式序列时")


def test_an_unknown_yaml_complaint_stays_as_the_parser_wrote_it():
    from kg.problems import yaml_complaint

    assert yaml_complaint("while parsing a gizmo: something odd (1:2)").in_lang("zh") == "while parsing a gizmo: something odd (1:2)"
    assert yaml_complaint("a brand new complaint").in_lang("zh") == "a brand new complaint"
    # a construct kg does not know keeps the parser's words for it; the complaint it knows is in Chinese
    assert yaml_complaint("while parsing a gizmo: found unexpected end of stream").in_lang("zh") == "while parsing a gizmo: 文件意外结束"


def test_the_systems_common_reasons_are_said_in_chinese_and_the_json_keeps_its_words(tmp_path, monkeypatch, capsys):
    import os

    (tmp_path / "a.yaml").write_text("- {id: a, name: A, kind: concept, summary: S.}\n", encoding="utf-8")
    real_open = os.open

    def refusing_open(path, *args, **kwargs):  # the tests run as root, which no file mode refuses
        if str(path).endswith("a.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    main(["check", "--no-cache", "--lang", "zh", "--graph", str(tmp_path)])
    assert "错误 io-error:无法读取:没有读取权限" in capsys.readouterr().out
    main(["check", "--no-cache", "--json", "--graph", str(tmp_path)])
    (record,) = json.loads(capsys.readouterr().out)["problems"]
    assert record["message"] == "cannot be read: Permission denied"
    assert record["fields"] == {"reason": "Permission denied", "reason_zh": "没有读取权限"}
