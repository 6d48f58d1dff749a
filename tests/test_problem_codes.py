"""The one table of problem codes: every code defined once, used only if defined, documented row by row."""
from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest
from kgtest import ROOT

from kg.problems import CODES, Problem, codes_table, did_you_mean, did_you_mean_hint


def test_readme_table_is_the_generated_table_row_by_row():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("| code | severity | meaning |")
    shown = [line for line in readme[start:].splitlines() if line.startswith("|")]
    shown = shown[: len(codes_table().splitlines())]
    assert shown == codes_table().splitlines()


def test_the_generator_prints_the_table():
    result = subprocess.run([sys.executable, "-m", "kg.problems"], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout == codes_table()


def test_a_problem_with_an_unknown_code_cannot_be_made():
    with pytest.raises(ValueError, match="unknown problem code 'no-such-code'"):
        Problem("a.yaml", 1, 1, "no-such-code", "message")


def test_a_problem_without_a_hint_gets_the_codes_usual_fix():
    assert Problem("a.yaml", 1, 1, "self-loop", "m").hint == CODES["self-loop"].hint
    assert Problem("a.yaml", 1, 1, "self-loop", "m", "remove line 3").hint == "remove line 3"
    assert all(entry.severity in ("error", "warning", "info") and entry.description and entry.hint for entry in CODES.values())


def literal_codes(source: str) -> list[tuple[int, str]]:
    """(line, code) of every Problem(...) call whose code (the fourth argument) is written as a literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem":
            # Problem(path, line, col, code, ...) or Problem(path, *position, code, ...) where position is (line, col)
            args = [part for arg in node.args for part in ((arg, arg) if isinstance(arg, ast.Starred) else (arg,))]
            code = args[3] if len(args) >= 4 else None
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                found.append((node.lineno, code.value))
    return found


def test_every_code_the_library_emits_is_in_the_table():
    assert literal_codes('Problem(p, 1, 1, "self-loop", "m")\nProblem(p, *at, "typo-code", "m")') == [(1, "self-loop"), (2, "typo-code")]
    unknown, used = [], set()
    for path in sorted((ROOT / "kg").rglob("*.py")):
        for line, code in literal_codes(path.read_text(encoding="utf-8")):
            used.add(code)
            if code not in CODES:
                unknown.append(f"{path.relative_to(ROOT)}:{line}: {code}")
    assert unknown == []
    assert len(used) > len(CODES) // 2  # the scan sees the library's calls (a few codes are passed in variables)


def test_pack_format_doc_names_real_codes():
    text = (ROOT / "docs" / "pack-format.md").read_text(encoding="utf-8")
    named = re.findall(r"\b(?:error|warning|info)s?\s+`?([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)`?", text)
    assert named and [code for code in named if code not in CODES] == []


def test_did_you_mean_returns_the_match_and_the_hint_is_made_apart():
    assert did_you_mean("varient-of", ["variant-of", "requires"]) == "variant-of"
    assert did_you_mean("xyz", ["variant-of"]) is None
    assert did_you_mean("relux", {f"id-{n}": n for n in range(300)} | {"relu": 1}) == "relu"  # the rapidfuzz path, on keys
    assert did_you_mean_hint("variant-of") == "did you mean 'variant-of'?" and did_you_mean_hint(None) == ""
