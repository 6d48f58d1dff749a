"""The output shown in README.md and docs/study-orders.md is what kg prints now, for every ``$ kg`` line.

``python scripts/regenerate_docs.py`` rewrites both files; this test runs the same regeneration and
fails on any difference, so a graph edit cannot leave the documentation showing old answers.
"""
from __future__ import annotations

import difflib
import importlib.util

import pytest
from kgtest import ROOT

spec = importlib.util.spec_from_file_location("regenerate_docs", ROOT / "scripts" / "regenerate_docs.py")
regenerate_docs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(regenerate_docs)


@pytest.mark.parametrize("path", regenerate_docs.FILES, ids=lambda p: p.name)
def test_shown_output_is_current(path):
    shown = path.read_text(encoding="utf-8")
    assert shown.count("$ kg ") >= 10, "the documents show real commands"
    now = regenerate_docs.regenerate(path)
    diff = "\n".join(difflib.unified_diff(shown.splitlines(), now.splitlines(), "shown", "now", lineterm="", n=1))
    assert now == shown, f"{path.name} is out of date; run python scripts/regenerate_docs.py\n{diff[:3000]}"


def test_a_stale_line_is_noticed():
    text = "```console\n$ kg order adam\nStudy plan for Adam: 1 step\n```\n"
    assert regenerate_docs.regenerate_console_blocks(text) != text
