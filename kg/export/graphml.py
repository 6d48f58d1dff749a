"""GraphML for Gephi, yEd and any NetworkX reader: names, kinds and edge types as attributes.

GraphML attributes hold scalars only, so lists (aliases, tags) become ``"; "``-joined text
and structured fields (refs, questions) become JSON text. XML escaping is the writer's job.

>>> from kg import load_pack
>>> "<graphml" in to_graphml(load_pack(), ["relu", "vanishing-gradient"])
True
"""
from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Iterable

import networkx as nx

from .nodelink import node_link

if TYPE_CHECKING:
    from ..pack import Pack

#: Node fields written as attributes, in this order; missing ones become "".
NODE_FIELDS = ("name", "name_zh", "kind", "section", "summary", "summary_zh", "aliases", "tags", "minutes", "refs", "questions")
LIST_SEPARATOR = "; "


def _scalar(value):
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return LIST_SEPARATOR.join(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def flat_graph(pack: "Pack", nodes: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The chosen concepts as a MultiDiGraph whose attributes are all strings or numbers.

    Every node has ``label`` (the English name, which Gephi and yEd show) and the fields of
    :data:`NODE_FIELDS`; every edge has ``relation`` (the edge type), ``label``, ``why`` and ``why_zh``,
    and its key is the edge type.
    """
    data = node_link(pack, nodes)
    graph = nx.MultiDiGraph(name=str(pack.header.get("name", "kg")))
    for node in data["nodes"]:
        attributes = {"label": node.get("name") or node["id"]}
        for name in NODE_FIELDS:
            value = node.get(name)
            attributes[name] = _scalar(value) if value is not None else ("" if name != "minutes" else 30)
        graph.add_node(node["id"], **attributes)
    for link in data["links"]:
        graph.add_edge(link["source"], link["target"], key=link["type"],
                       relation=link["type"], label=link["type"], why=link.get("why") or "",
                       why_zh=link.get("why_zh") or "")
    return graph


def to_graphml(pack: "Pack", nodes: Iterable[str] | None = None, **_options) -> str:
    buffer = io.BytesIO()
    nx.write_graphml(flat_graph(pack, nodes), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")
