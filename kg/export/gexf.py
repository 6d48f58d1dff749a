"""GEXF 1.2 for Gephi: the same flat attributes as GraphML (see :func:`graphml.flat_graph`).

>>> from kg import load_pack
>>> "<gexf" in to_gexf(load_pack(), ["relu"])
True
"""
from __future__ import annotations

import io
from typing import TYPE_CHECKING, Iterable

import networkx as nx

from .graphml import flat_graph

if TYPE_CHECKING:
    from ..pack import Pack


def to_gexf(pack: "Pack", nodes: Iterable[str] | None = None, **_options) -> str:
    graph = flat_graph(pack, nodes)
    # GEXF takes the edge's "label" as an XML attribute; "relation" and "why" become attvalues.
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    return buffer.getvalue().decode("utf-8")
