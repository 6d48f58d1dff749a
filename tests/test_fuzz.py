"""Fuzz: every command over generated hostile packs and files ends in exit 0, 1 or 2, never a traceback.

The top-level guard in kg.cli turns any unexpected exception into one line starting "kg: internal
error"; this test fails when that line (or a traceback) appears, so the guard cannot hide a bug.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import hostile
from kg.cli import main

PIECES = ["- id: a\n  name: A\n  kind: concept\n  summary: S.\n", "  requires: [a, b, zz]\n", "  aliases: [A, \"\\e[2K\\r\"]\n",
          "- {id: b, name: \"B\\u202e\", kind: problem, summary: S., solves: [a]}\n", "  used-in: [{to: a, why: \"\\x9b\"}]\n",
          "[", "{", "- 5\n", "&x a", "*x", "!!python/object:os.system\n", "\x00", "\ufeff", "id: ", ":", "- ", "\n", "causes: [a]\n",
          "  contrasts: [{to: b, how: x}]\n", "  minutes: -1\n", "  section: x\n", "  refs: [{title: t, url: \"javascript:x\"}]\n"]
SHAPES = [lambda: hostile.chain(30), lambda: hostile.grid(5, 5), lambda: hostile.star(20), lambda: hostile.complete_dag(15),
          lambda: hostile.bottleneck(5, 20), lambda: hostile.unknown_targets(30), lambda: hostile.bare_numbers(50),
          lambda: hostile.long_aliases(3, 2000)]
TEXTS = st.one_of(st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
                  st.sampled_from(range(len(SHAPES))).map(lambda i: SHAPES[i]()),
                  st.text(max_size=200))
NAMES = st.sampled_from(["a", "b", "c0", "c29", "g-0-0", "hub", "d14", "zz", "\x1b[2K", "Ａ", ""])


def commands(first: str, second: str, folder: Path, out: Path) -> list[list[str]]:
    return [["check"], ["check", "--json", "--strict"], ["order", first], ["order", first, "--json"], ["next", "--known", first],
            ["related", first, "--depth", "3"], ["path", first, second, "--max", "50"], ["show", first], ["search", first or "x"],
            ["stats"], ["export", "--format", "markdown", "--focus", first or "a"], ["export", "--format", "html", "-o", str(out)],
            ["export", "--format", "dot", "--plan", first or "a"], ["quiz", "--count", "3", "--answers", "1,2,y", "--topic", first or "a"],
            ["quiz", "--flashcards", "--count", "2"]]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXTS, min_size=1, max_size=3), english=st.booleans(), first=NAMES, second=NAMES)
def test_no_command_ends_in_a_traceback(texts, english, first, second, capsys, monkeypatch):
    work = Path(tempfile.mkdtemp(prefix="kg-fuzz-"))
    try:
        monkeypatch.setenv("KG_CACHE_DIR", str(work / "cache"))
        folder = hostile.write(work / "pack", {f"f{i}.yaml": text for i, text in enumerate(texts)}, english_only=english)
        for argv in commands(first, second, folder, work / "out.html"):
            code = main([*argv, "--graph", str(folder)])
            out, err = capsys.readouterr()
            assert code in (0, 1, 2), argv
            assert "internal error" not in err and "Traceback" not in err, (argv, err)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00", b"{}", b'{"items": []}', b"[]" * 1000, b'{"items": [{"id": 1}]}'])
def test_no_quiz_file_ends_in_a_traceback(tmp_path, capsys, content):
    folder = hostile.write(tmp_path / "pack", hostile.chain(5))
    review = tmp_path / "r.json"
    review.write_bytes(content)
    for option in ("--review", "--retry"):
        code = main(["quiz", option, str(review), "--answers", "1", "--graph", str(folder)])
        out, err = capsys.readouterr()
        assert code in (0, 1, 2) and "internal error" not in err
