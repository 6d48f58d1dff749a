"""Choosing which concepts a view shows and where they sit: neighbourhoods, the node cap, deterministic positions.

Positions are computed here, in Python, so that the browser never has to run a physics
simulation to settle a graph (vis-network's physics needs tens of seconds for a few hundred
nodes without a GPU): layers by study order for plans and whole graphs, rings around the focus
for neighbourhoods.

>>> from kg import load_pack
>>> pack = load_pack()
>>> neighbourhood(pack, "focal-loss", 1)[0]
'focal-loss'
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Iterable

from .schema import EDGE_TYPES

if TYPE_CHECKING:
    from .pack import Pack

#: The most concepts drawn at once; above it the view is cut to the concepts nearest the focus.
MAX_NODES = 300
LAYOUTS = ("auto", "layered", "radial", "sections")


def chapter(section: str | None) -> str:
    """The top-level part of a guide section: '7.4' -> '7'; '' when there is none."""
    return (section or "").split(".", 1)[0]


# --------------------------------------------------------------------------- choosing nodes

def neighbourhood(pack: "Pack", focus: str, depth: int = 1, *, types: Iterable[str] | None = None,
                  kinds: Iterable[str] | None = None, chapters: Iterable[str] | None = None) -> list[str]:
    """The focus and every concept within ``depth`` edges of it (either direction), nearest first.

    Only edges of ``types`` are followed and only concepts of ``kinds`` in ``chapters`` are entered
    (``None`` means no filter); the focus itself is always included. Ties are in guide order.

    >>> from kg import load_pack
    >>> neighbourhood(load_pack(), "focal-loss", 1, types=["solves"])
    ['focal-loss', 'class-imbalance']
    """
    from .queries import neighbourhood_layers

    layers = neighbourhood_layers(pack, focus, depth, types=types, kinds=kinds, chapters=chapters)
    return [node for layer in layers for node in layer]


def cap_nodes(nodes: list[str], cap: int = MAX_NODES, focus: str | None = None) -> list[str]:
    """At most ``cap`` of ``nodes``, keeping their order (nearest or earliest first) and the focus."""
    unique = list(dict.fromkeys(nodes))
    if len(unique) <= cap:
        return unique
    kept = unique[:cap]
    if focus is not None and focus in unique and focus not in kept:
        kept = [focus] + kept[: cap - 1]
    return kept


def view_edges(pack: "Pack", nodes: Iterable[str], types: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
    """Written edges (source, type, target) between the given concepts, in a stable order."""
    keep = set(nodes)
    allowed = set(types) if types is not None else set(EDGE_TYPES)
    graph = pack.graph
    edges = []
    for source in sorted(keep):
        for target, keyed in sorted(graph.succ[source].items()):
            if target in keep:
                edges.extend((source, edge_type, target) for edge_type in sorted(keyed) if edge_type in allowed)
    return edges


# --------------------------------------------------------------------------- layout

def layered_positions(pack: "Pack", nodes: list[str], *, dx: float = 240.0, dy: float = 80.0,
                      per_column: int = 18) -> dict[str, tuple[float, float]]:
    """Columns by study order (left: learn first), rows ordered to follow their predecessors.

    A node's column is the length of the longest study-order chain leading to it inside ``nodes``;
    a cycle (only in a broken pack) is kept together in one column. Tall columns wrap.
    """
    import networkx as nx

    keep = list(dict.fromkeys(nodes))
    if not keep:
        return {}
    sub = pack.study.subgraph(keep)
    condensed = nx.condensation(sub)
    members = condensed.graph["mapping"]  # node -> component
    comp_layer: dict[int, int] = {}
    comp_key = {c: min(pack.order_key(n) for n in condensed.nodes[c]["members"]) for c in condensed}
    for comp in nx.lexicographical_topological_sort(condensed, key=comp_key.__getitem__):
        preds = list(condensed.predecessors(comp))
        comp_layer[comp] = 1 + max(comp_layer[p] for p in preds) if preds else 0
    layers: dict[int, list[str]] = {}
    for node in keep:
        layers.setdefault(comp_layer[members[node]], []).append(node)
    positions: dict[str, tuple[float, float]] = {}
    rank: dict[str, float] = {}
    x = 0.0
    for layer in sorted(layers):
        column = layers[layer]

        def bary(node: str) -> float:
            ranks = [rank[p] for p in sub.predecessors(node) if p in rank]
            return sum(ranks) / len(ranks) if ranks else math.inf

        column.sort(key=lambda n: (bary(n), pack.order_key(n)))
        wraps = max(1, math.ceil(len(column) / per_column))
        height = math.ceil(len(column) / wraps)
        for index, node in enumerate(column):
            sub_column, row = divmod(index, height)
            rows_here = min(height, len(column) - sub_column * height)
            positions[node] = (round(x + sub_column * dx * 0.55, 1), round((row - (rows_here - 1) / 2) * dy, 1))
            rank[node] = row
        x += dx * (1 + 0.55 * (wraps - 1))
    return positions


def radial_positions(pack: "Pack", nodes: list[str], focus: str, *, ring: float = 230.0,
                     spacing: float = 90.0) -> dict[str, tuple[float, float]]:
    """The focus in the middle and one ring per distance; children sit near their parent's angle."""
    keep = list(dict.fromkeys(nodes))
    if focus not in keep:
        return layered_positions(pack, keep)
    import networkx as nx

    # Rings by distance inside the view; a node's parent is its first neighbour, in guide order, one ring in.
    inside = pack.graph.subgraph(keep).to_undirected(as_view=True)
    distance: dict[str, int] = {}
    parent: dict[str, str] = {}
    angle = {focus: 0.0}
    previous: list[str] = []
    for level, layer in enumerate(nx.bfs_layers(inside, [focus])):
        layer.sort(key=pack.order_key)
        this_ring = set(layer)
        for node in layer:
            distance[node] = level
        for node in previous:
            for other in sorted((n for n in inside[node] if n in this_ring and n not in parent), key=pack.order_key):
                parent[other] = node
        previous = layer
    far = max(distance.values()) + 1
    for node in keep:
        distance.setdefault(node, far)
    by_ring: dict[int, list[str]] = {}
    for node in keep:
        if node != focus:
            by_ring.setdefault(distance[node], []).append(node)
    positions = {focus: (0.0, 0.0)}
    radius = 0.0
    for level in sorted(by_ring):
        members = by_ring[level]
        members.sort(key=lambda n: (angle.get(parent.get(n, ""), math.inf), pack.order_key(n)))
        radius = max(radius + ring * 0.75, level * ring, len(members) * spacing / (2 * math.pi))
        count = len(members)
        for index, node in enumerate(members):
            theta = -math.pi / 2 + 2 * math.pi * index / count
            angle[node] = (theta + math.pi / 2) % (2 * math.pi)
            positions[node] = (round(radius * math.cos(theta), 1), round(radius * math.sin(theta), 1))
    return positions


def section_positions(pack: "Pack", nodes: list[str], *, cell: float = 420.0,
                      spacing: float = 70.0) -> dict[str, tuple[float, float]]:
    """One square cell per guide chapter, in guide order on a grid; a chapter's concepts in a block inside it.

    This is the overview's layout: a chapter's cluster sits at the centre of its cell, and an opened
    chapter shows its concepts around that centre, in guide order, without covering its neighbours.

    >>> from kg import load_pack
    >>> pack = load_pack()
    >>> spots = section_positions(pack, ["relu", "sigmoid", "focal-loss"])
    >>> spots["relu"] != spots["focal-loss"]
    True
    """
    by_chapter: dict[str, list[str]] = {}
    for node in dict.fromkeys(nodes):
        by_chapter.setdefault(chapter(pack.graph.nodes[node].get("section")), []).append(node)
    chapters = sorted(by_chapter, key=lambda c: tuple(int(p) for p in c.split(".")) if c else (10**6,))
    across = max(1, math.ceil(math.sqrt(len(chapters) * 1.6)))  # a wide canvas: more columns than rows
    widest = max((len(m) for m in by_chapter.values()), default=1)
    cell = max(cell, spacing * (math.ceil(math.sqrt(widest)) + 1))
    positions: dict[str, tuple[float, float]] = {}
    for index, chapter_id in enumerate(chapters):
        row, col = divmod(index, across)
        members = sorted(by_chapter[chapter_id], key=pack.order_key)
        side = max(1, math.ceil(math.sqrt(len(members))))
        for rank, node in enumerate(members):
            r, c = divmod(rank, side)
            positions[node] = (round(col * cell + (c - (side - 1) / 2) * spacing, 1),
                               round(row * cell + (r - (side - 1) / 2) * spacing * 0.8, 1))
    return positions


def positions_for(pack: "Pack", nodes: list[str], *, focus: str | None = None, layout: str = "auto") -> dict[str, tuple[float, float]]:
    """``auto``: rings around the focus when there is one, else layers by study order."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    if layout == "sections":
        return section_positions(pack, nodes)
    if layout == "radial" or (layout == "auto" and focus is not None and focus in nodes):
        if focus is None:
            return layered_positions(pack, nodes)
        return radial_positions(pack, nodes, focus)
    return layered_positions(pack, nodes)
