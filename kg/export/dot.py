"""Graphviz DOT: nodes coloured by kind, edges styled by type, every label escaped.

Everything taken from the pack goes inside a double-quoted DOT string, where only ``"`` and
``\\`` are special (a backslash also starts Graphviz's ``\\N``/``\\G``/``\\l`` label escapes), so
both are escaped and line breaks become spaces. No URL or HTML-like label is ever emitted,
so an SVG rendered from the file carries no link and no markup from the pack.

>>> print(quote('say "hi" \\\\N'))
"say \\"hi\\" \\\\N"
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..text import field_text, names
from .nodelink import node_link

if TYPE_CHECKING:
    from ..pack import Pack

#: Fill colour of each kind (light, so that black text stays readable).
KIND_COLOURS = {
    "problem": "#f8b4b4", "concept": "#e5e7eb", "math": "#fde68a", "technique": "#bbf7d0",
    "architecture": "#bfdbfe", "model": "#c7d2fe", "layer": "#a5f3fc", "activation": "#fbcfe8",
    "loss": "#fecaca", "optimizer": "#fed7aa", "metric": "#d9f99d", "paradigm": "#ddd6fe",
    "framework": "#e9d5ff", "tool": "#f5d0fe", "application": "#99f6e4",
}
DEFAULT_COLOUR = "#ffffff"

#: DOT attributes of each edge type.
EDGE_STYLES = {
    "requires": 'style=solid, color="#374151"',
    "variant-of": 'style=dashed, color="#7c3aed"',
    "used-in": 'style=dotted, color="#2563eb"',
    "solves": 'style=bold, color="#16a34a"',
    "causes": 'style=bold, color="#dc2626"',
}


def quote(text: object) -> str:
    """``text`` as a double-quoted DOT string that Graphviz shows literally."""
    value = " ".join(str(text).split()) if text is not None else ""
    # Graphviz decodes HTML entities in labels, so markup characters can be written as entities:
    # the file then holds no raw '<script' for an editor or a careless viewer to act on.
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(pack: "Pack", node: str, lang: str) -> str:
    first, second = names(pack, node, lang)
    return first + (f"\n{second}" if second else "")


def to_dot(pack: "Pack", nodes: Iterable[str] | None = None, lang: str = "en", **_options) -> str:
    data = node_link(pack, nodes)
    lines = [
        "digraph kg {",
        "  graph [rankdir=LR, charset=\"UTF-8\", fontname=\"Helvetica\", overlap=false];",
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];",
        "  edge [fontname=\"Helvetica\", fontsize=9];",
    ]
    for node in data["nodes"]:
        # A label's line break is written as DOT's own \n escape, added after quoting the text.
        label = "\\n".join(quote(part)[1:-1] for part in _label(pack, node["id"], lang).split("\n"))
        colour = KIND_COLOURS.get(node.get("kind"), DEFAULT_COLOUR)
        lines.append(f"  {quote(node['id'])} [label=\"{label}\", fillcolor=\"{colour}\", "
                     f"tooltip={quote(field_text(node, 'summary', lang))}, "
                     f"kind={quote(node.get('kind', ''))}];")
    for link in data["links"]:
        style = EDGE_STYLES.get(link["type"], "style=solid")
        lines.append(f"  {quote(link['source'])} -> {quote(link['target'])} [label={quote(link['type'])}, {style}, "
                     f"tooltip={quote(field_text(link, 'why', lang) or link['type'])}];")
    lines.append("  subgraph cluster_legend {")
    lines.append("    label=\"kinds\"; fontsize=10; style=dashed;")
    kinds = sorted({node.get("kind") for node in data["nodes"] if node.get("kind") in KIND_COLOURS})
    for kind in kinds:
        lines.append(f"    {quote('kind: ' + kind)} [label={quote(kind)}, fillcolor=\"{KIND_COLOURS[kind]}\"];")
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"
