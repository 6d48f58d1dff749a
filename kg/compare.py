"""Comparing two or three concepts: side by side, what they share, how they differ and how they connect.

The answer to the interview question "what is the difference between A and B": each concept's kind and
summary, what it solves and causes, what it is used in and a variant of; the parents (concepts all of them
are variants of, directly or not) and prerequisites they share; the written ``contrasts`` texts between
them; and the shortest connection between each pair.

Examples
--------
>>> from kg import load_pack
>>> pack = load_pack()
>>> result = compare(pack, ["relu", "leaky relu"])
>>> [side.id for side in result.sides]
['relu', 'leaky-relu']
>>> "activation-function" in result.common_parents
True
>>> len(result.connections[0].path) >= 1
True
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

import networkx as nx

from .errors import KgError
from .queries import connect

if TYPE_CHECKING:
    from .pack import Pack

#: Outgoing edge types listed for each side, in display order.
SIDE_RELATIONS = ("solves", "causes", "used-in", "variant-of", "requires")


class CompareError(KgError):
    """Compare needs two or three different concepts."""


@dataclass
class Side:
    id: str
    kind: str
    summary: str
    summary_zh: str
    #: edge type -> targets of this concept's outgoing edges of that type
    relations: dict[str, list[str]]


@dataclass
class Contrast:
    a: str
    b: str
    how: str
    how_zh: str


@dataclass
class Connection:
    a: str
    b: str
    #: written edges (source, type, target) from a towards b; empty when they are not connected
    path: list[tuple[str, str, str]]


@dataclass
class Comparison:
    sides: list[Side]
    #: concepts every compared concept is a variant of (through variant-of chains), closest first
    common_parents: list[str]
    #: the most specific shared prerequisites: in every plan, and not a prerequisite of another shared one
    closest_common_prerequisites: list[str]
    #: how many prerequisites all the plans share
    common_prerequisite_count: int
    contrasts: list[Contrast] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        for connection in data["connections"]:
            connection["path"] = [list(edge) for edge in connection["path"]]
        return data


def compare(pack: "Pack", names: list[str]) -> Comparison:
    """Compare two or three concepts named by id, name, Chinese name or alias.

    Raises :class:`CompareError` for fewer than two, more than three or repeated concepts, and
    :class:`~kg.errors.UnknownConcept` for a name the pack does not have.
    """
    ids = [pack.resolve(name) for name in names]
    if not 2 <= len(ids) <= 3 or len(set(ids)) != len(ids):
        raise CompareError(key="error_compare_count")
    graph, study = pack.graph, pack.study
    sides = []
    for node in ids:
        data = graph.nodes[node]
        relations = {edge_type: sorted((t for t, keyed in graph._succ[node].items() if edge_type in keyed), key=pack.order_key)
                     for edge_type in SIDE_RELATIONS}
        sides.append(Side(node, data.get("kind", ""), data.get("summary", ""), data.get("summary_zh", ""), relations))
    variant = nx.DiGraph((u, v) for u, v, k in graph.edges(keys=True) if k == "variant-of")
    parent_sets = [_variant_ancestors(variant, node) for node in ids]
    common_parents = set.intersection(*(set(p) for p in parent_sets))
    # closest first: by distance from the first concept
    parents = sorted(common_parents, key=lambda p: (parent_sets[0][p], pack.order_key(p)))
    plans = [nx.ancestors(study, node) for node in ids]
    shared = set.intersection(*plans) - set(ids)
    closest = sorted((p for p in shared if not any(q in shared for q in study._succ[p])), key=pack.order_key)
    contrasts, connections = [], []
    for a, b in combinations(ids, 2):
        for contrast in pack.contrasts(a):
            if contrast["to"] == b:
                contrasts.append(Contrast(a, b, contrast["how"], contrast.get("how_zh", "")))
        paths = connect(pack, a, b, max_paths=1)
        connections.append(Connection(a, b, paths[0] if paths else []))
    return Comparison(sides, parents, closest, len(shared), contrasts, connections)


def _variant_ancestors(variant: nx.DiGraph, node: str) -> dict[str, int]:
    """What ``node`` is a variant of, directly or through a chain, with the chain's length."""
    if node not in variant:
        return {}
    lengths = nx.single_source_shortest_path_length(variant, node)
    lengths.pop(node, None)
    return lengths
