"""Exporters: each turns a pack (or a part of it) into one file format.

``EXPORTERS`` maps a format name to ``(function, binary, default_suffix)``; every
function takes ``(pack, nodes, **options)`` where ``nodes`` is the set of concept ids to
include (already chosen by ``--focus``/``--plan``) and returns ``str`` or ``bytes``.
``kg export`` passes ``lang``, ``plan``, ``known``, ``focus`` and ``nodes_table`` (``--nodes``)
to every exporter, which takes the ones it uses and ignores the rest.
"""
from __future__ import annotations

from .anki import to_anki
from .csv import to_csv
from .dot import to_dot
from .gexf import to_gexf
from .graphml import to_graphml
from .html import to_html
from .markdown import to_markdown
from .mermaid import to_mermaid
from .nodelink import to_json

EXPORTERS: dict[str, tuple] = {
    "json": (to_json, False, ".json"),
    "graphml": (to_graphml, False, ".graphml"),
    "gexf": (to_gexf, False, ".gexf"),
    "dot": (to_dot, False, ".dot"),
    "mermaid": (to_mermaid, False, ".mmd"),
    "csv": (to_csv, False, ".csv"),
    "markdown": (to_markdown, False, ".md"),
    "anki": (to_anki, True, ".apkg"),
    "html": (to_html, False, ".html"),
}


def select_nodes(pack, *, focus: str | None = None, depth: int = 1, plan: list[str] | None = None, known: list[str] | None = None) -> list[str]:
    """The concept ids an export covers: the whole pack, a focus neighbourhood, or a study plan."""
    from ..queries import related, study_order

    if plan:
        return [step.id for step in study_order(pack, plan, known or []).steps]
    if focus:
        start = pack.resolve(focus)
        return sorted({start, *(r.neighbour for r in related(pack, start, depth=depth))}, key=pack.order_key)
    return sorted(pack.graph, key=pack.order_key)
