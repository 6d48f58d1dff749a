"""Node-link JSON: every field of every concept, and every edge with its type and why."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from ..pack import Pack


def node_link(pack: "Pack", nodes: Iterable[str] | None = None) -> dict:
    """``{"nodes": [{"id", ...fields}], "links": [{"source", "target", "type", "why", "why_zh"}]}``.

    >>> from kg import load_pack
    >>> data = node_link(load_pack(), ["relu", "vanishing-gradient"])
    >>> [link["type"] for link in data["links"]]
    ['solves']
    """
    graph = pack.graph
    chosen = sorted(graph if nodes is None else set(nodes) & set(graph))
    keep = set(chosen)
    return {
        "format": 1,
        "nodes": [{"id": node, **graph.nodes[node]} for node in chosen],
        "links": [
            {"source": u, "target": v, "type": k, "why": d.get("why", ""), "why_zh": d.get("why_zh", "")}
            for u in chosen for v, keyed in sorted(graph.succ[u].items()) if v in keep for k, d in sorted(keyed.items())
        ],
    }


def to_json(pack: "Pack", nodes: Iterable[str] | None = None, **_options) -> str:
    return json.dumps(node_link(pack, nodes), ensure_ascii=False, indent=2) + "\n"
