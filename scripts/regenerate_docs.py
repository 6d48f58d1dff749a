"""Rewrite the real command output shown in README.md and docs/study-orders.md from the shipped graph.

Every ``$ kg ...`` line inside a ```` ```console ```` block is run (``kg`` is ``python -m kg``; a pipe to
``head`` or ``tail`` is honoured) and the lines under it, up to the next ``$`` line or the end of the block, are
replaced by what it prints now. ``docs/study-orders.md`` also gets its locality table recomputed: the
depth-first order of :func:`kg.queries.study_order` against the section order kg used before (a
lexicographic topological sort by guide section, then name), for every documented target.

Run from the checkout: ``python scripts/regenerate_docs.py``. ``tests/test_docs_current.py`` fails when
either file is out of date, so a graph edit cannot leave the documentation showing old answers.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = (ROOT / "README.md", ROOT / "docs" / "study-orders.md")
LOCALITY_START = "<!-- locality table: scripts/regenerate_docs.py -->"
LOCALITY_END = "<!-- end of locality table -->"


def run_shown(command: str) -> str:
    """The output of one ``$ kg ...`` line, run as the reader would run it."""
    words = shlex.split(command)
    keep = slice(None)
    if "|" in words:  # "| head -N" and "| tail -N" are the only pipes the docs use
        cut = words.index("|")
        count = int(words[cut + 2].lstrip("-"))
        keep = {"head": slice(None, count), "tail": slice(-count, None)}[words[cut + 1]]
        words = words[:cut]
    assert words[0] == "kg", command
    with tempfile.TemporaryDirectory(prefix="kg-docs-") as home:
        # a learner with no saved progress, and no cache or pack from the caller's shell
        env = {**os.environ, "COLUMNS": "120", "HOME": home, "KG_HOME": home, "KG_CACHE_DIR": home}
        env.pop("KG_GRAPH", None)
        env.pop("KG_DB", None)
        done = subprocess.run([sys.executable, "-m", "kg", *words[1:]], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300)
    lines = done.stdout.splitlines()
    return "\n".join(lines[keep])


def regenerate_console_blocks(text: str) -> str:
    out: list[str] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        index += 1
        if line.strip() != "```console":
            continue
        while index < len(lines) and lines[index].strip() != "```":
            current = lines[index]
            if current.startswith("$ kg "):
                out.append(current)
                out.extend(run_shown(current[2:]).split("\n"))
                index += 1
                while index < len(lines) and not lines[index].startswith("$ ") and lines[index].strip() != "```":
                    index += 1
                if index < len(lines) and lines[index].startswith("$ "):
                    out.append("")  # a blank line between one command's output and the next command
            else:
                out.append(current)
                index += 1
    return "\n".join(out)


def section_order(pack, nodes: list[str]) -> list[str]:
    """The order kg used before: a lexicographic topological sort of the plan by guide section, then name."""
    import networkx as nx

    return list(nx.lexicographical_topological_sort(pack.study.subgraph(nodes), key=pack.order_key))


def locality_table() -> str:
    from kg import load_pack
    from kg.queries import Plan, locality, study_order

    pack = load_pack()
    text = (ROOT / "docs" / "study-orders.md").read_text(encoding="utf-8")
    targets = re.findall(r"^\$ kg order (\S+)$", text, flags=re.MULTILINE)
    rows = ["| target | steps | locality, section order (before) | locality, depth-first order (now) |",
            "|---|---|---|---|"]
    for target in targets:
        plan = study_order(pack, [target])
        by_id = {step.id: step for step in plan.steps}
        before = Plan(plan.targets, plan.known, [by_id[n] for n in section_order(pack, list(by_id))], plan.pulled_by)
        rows.append(f"| {target} | {len(plan.steps)} | {locality(pack, before):.2f} | {locality(pack, plan):.2f} |")
    return "\n".join(rows)


def regenerate(path: Path) -> str:
    text = regenerate_console_blocks(path.read_text(encoding="utf-8"))
    if LOCALITY_START in text:
        head, rest = text.split(LOCALITY_START, 1)
        _, tail = rest.split(LOCALITY_END, 1)
        text = f"{head}{LOCALITY_START}\n{locality_table()}\n{LOCALITY_END}{tail}"
    return text


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path in FILES:
        new = regenerate(path)
        if new != path.read_text(encoding="utf-8"):
            stale.append(path.name)
            if not check:
                path.write_text(new, encoding="utf-8")
    if check and stale:
        print("out of date: " + ", ".join(stale))
        return 1
    print(("checked" if check else "regenerated") + ": " + ", ".join(p.name for p in FILES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
