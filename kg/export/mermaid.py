"""Mermaid ``flowchart`` (renders on GitHub inside a ```mermaid block): any name works.

Node ids are rebuilt from concept ids as ``c_`` plus letters, digits and underscores, so no id
can be a Mermaid keyword (``end``, ``graph``, ``click``...). Labels are always double-quoted,
and every ASCII character outside a small safe set becomes a Mermaid entity code (``#34;``),
so quotes, brackets, pipes, ``<``, ``>``, ``&``, backticks, ``#``, ``%`` and ``;`` cannot end a
label, start markup, a Markdown string or a comment. No ``click`` lines are ever written.

>>> escape('a "b" <c> [d] | `e`')
'a #34;b#34; #60;c#62; #91;d#93; #124; #96;e#96;'
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from ..text import names
from .nodelink import node_link

if TYPE_CHECKING:
    from ..pack import Pack

SAFE_ASCII = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:-+/'?!=_*~^$@")
ARROWS = {"requires": "-->", "variant-of": "-.->", "used-in": "-->", "solves": "==>", "causes": "==>"}
KIND_STYLES = {
    "problem": "#f8b4b4", "concept": "#e5e7eb", "math": "#fde68a", "technique": "#bbf7d0",
    "architecture": "#bfdbfe", "model": "#c7d2fe", "layer": "#a5f3fc", "activation": "#fbcfe8",
    "loss": "#fecaca", "optimizer": "#fed7aa", "metric": "#d9f99d", "paradigm": "#ddd6fe",
    "framework": "#e9d5ff", "tool": "#f5d0fe", "application": "#99f6e4",
}


def escape(text: object) -> str:
    """Text safe inside a double-quoted Mermaid label: one line, specials as ``#NN;`` codes."""
    value = " ".join(str(text or "").split())
    out = []
    for char in value:
        if char in SAFE_ASCII or (ord(char) > 127 and char.isprintable()):
            out.append(char)
        else:
            out.append(f"#{ord(char)};")
    return "".join(out)


def node_ids(ids: Iterable[str]) -> dict[str, str]:
    """Mermaid node id for each concept id: ``c_`` + [A-Za-z0-9_], unique."""
    result: dict[str, str] = {}
    used: set[str] = set()
    for concept in ids:
        base = "c_" + re.sub(r"[^A-Za-z0-9]", "_", concept)
        candidate, number = base, 2
        while candidate in used:
            candidate, number = f"{base}_{number}", number + 1
        used.add(candidate)
        result[concept] = candidate
    return result


def to_mermaid(pack: "Pack", nodes: Iterable[str] | None = None, lang: str = "en", **_options) -> str:
    data = node_link(pack, nodes)
    ids = node_ids(node["id"] for node in data["nodes"])
    lines = ["flowchart LR"]
    for node in data["nodes"]:
        first, second = names(pack, node["id"], lang)
        label = escape(first) + (f"<br/>{escape(second)}" if second else "")
        lines.append(f'  {ids[node["id"]]}["{label}"]')
    for link in data["links"]:
        arrow = ARROWS.get(link["type"], "-->")
        lines.append(f'  {ids[link["source"]]} {arrow}|"{escape(link["type"])}"| {ids[link["target"]]}')
    kinds: dict[str, list[str]] = {}
    for node in data["nodes"]:
        if node.get("kind") in KIND_STYLES:
            kinds.setdefault(node["kind"], []).append(ids[node["id"]])
    for kind in sorted(kinds):
        lines.append(f"  classDef k_{kind} fill:{KIND_STYLES[kind]},stroke:#555")
        lines.append(f"  class {','.join(kinds[kind])} k_{kind}")
    return "\n".join(lines) + "\n"
