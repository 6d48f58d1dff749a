"""Study questions answered on a loaded pack: order, next, related, path, stats.

Every function takes the pack first and names concepts by id, name or alias.
Answers are deterministic: ties are broken by guide section, then English name.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

import networkx as nx

from .schema import DEFAULT_MINUTES, EDGE_TYPES

if TYPE_CHECKING:
    from .pack import Pack

Edge = tuple[str, str, str]  # (source, type, target) as written


def label(pack: "Pack", node: str, lang: str = "en") -> str:
    """A concept's name in ``lang``, falling back to the English name, then the id."""
    return names(pack, node, lang)[0]


def names(pack: "Pack", node: str, lang: str = "en") -> tuple[str, str]:
    """(name in ``lang``, the other name or ""), e.g. ``("焦点损失", "Focal Loss")`` in Chinese.

    >>> from kg import load_pack
    >>> names(load_pack(), "focal-loss", "zh")
    ('焦点损失', 'Focal Loss')
    """
    data = pack.graph.nodes[node]
    en, zh = data.get("name") or node, data.get("name_zh") or ""
    first, second = (zh, en) if lang == "zh" and zh else (en, zh)
    return first, (second if second != first else "")


def sentence(pack: "Pack", edge: Edge, lang: str = "en") -> str:
    """One readable sentence for a written edge.

    >>> from kg import load_pack
    >>> sentence(load_pack(), ("relu", "solves", "vanishing-gradient"))
    'ReLU solves Vanishing Gradient'
    """
    source, edge_type, target = edge
    return EDGE_TYPES[edge_type][lang].format(a=label(pack, source, lang), b=label(pack, target, lang))


def why(pack: "Pack", edge: Edge, lang: str = "en") -> str:
    """The reason written on an edge in ``lang``: ``why_zh`` in Chinese, falling back to ``why`` only when it is missing."""
    source, edge_type, target = edge
    data = pack.graph.edges[source, target, edge_type]
    return (data.get("why_zh") if lang == "zh" else None) or data.get("why", "")


@dataclass
class Step:
    id: str
    minutes: int
    #: the chain of written edges from this concept up to a target that pulled it in (empty for a target)
    reason: list[Edge] = field(default_factory=list)
    is_target: bool = False


@dataclass
class Plan:
    targets: list[str]
    known: list[str]
    steps: list[Step]

    @property
    def total_minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


def study_order(pack: "Pack", targets: Iterable[str], known: Iterable[str] = ()) -> Plan:
    """Everything the targets need, in study order, targets last, with why each step is there.

    Known concepts, and what is needed only through them, are left out.

    Examples
    --------
    >>> from kg import load_pack
    >>> pack = load_pack()
    >>> plan = study_order(pack, ["lstm"])
    >>> [s.id for s in plan.steps][-1]
    'lstm'
    >>> ids = [s.id for s in plan.steps]
    >>> ids.index("rnn") < ids.index("lstm")
    True
    >>> "rnn" in [s.id for s in study_order(pack, ["lstm"], known=["rnn"]).steps]
    False
    """
    target_ids = _unique(pack.resolve(t) for t in targets)
    known_ids = set(_unique(pack.resolve(k) for k in known))
    study = pack.study
    # Backward BFS from the targets through the study graph, not entering known concepts.
    reached_by: dict[str, tuple[str, str] | None] = {}
    queue = deque()
    for target in target_ids:
        if target not in known_ids:
            reached_by[target] = None
            queue.append(target)
    while queue:
        node = queue.popleft()
        for before in sorted(study._pred[node], key=pack.order_key):
            if before not in reached_by and before not in known_ids:
                reached_by[before] = (node, before)
                queue.append(before)
    target_set = set(target_ids)
    needed = study.subgraph(reached_by)
    keys = {node: (node in target_set, *pack.order_key(node)) for node in reached_by}
    try:
        ordered = list(nx.lexicographical_topological_sort(needed, key=keys.__getitem__))
    except nx.NetworkXUnfeasible:
        from .errors import PackError

        raise PackError("the study order needed here has a cycle, so it has no first step; run 'kg check' to see it") from None
    steps = []
    for node in ordered:
        chain = []
        current = node
        while reached_by[current] is not None:
            after, _ = reached_by[current]
            chain.append(min(study.edges[current, after]["via"]))
            current = after
        minutes = pack.graph.nodes[node].get("minutes", DEFAULT_MINUTES)
        steps.append(Step(node, minutes, chain, node in target_set))
    return Plan(target_ids, sorted(known_ids), steps)


def fringe(pack: "Pack", known: Iterable[str]) -> list[str]:
    """Concepts not yet known whose prerequisites (study-order predecessors) are all known.

    >>> from kg import load_pack
    >>> pack = load_pack()
    >>> before_lstm = [step.id for step in study_order(pack, ["lstm"]).steps][:-1]
    >>> "lstm" in fringe(pack, before_lstm), "lstm" in fringe(pack, [c for c in before_lstm if c != "rnn"])
    (True, False)
    """
    known_ids = {pack.resolve(k) for k in known}
    study = pack.study
    result = [node for node in study if node not in known_ids and all(p in known_ids for p in study._pred[node])]
    return sorted(result, key=pack.order_key)


#: (edge type, direction) -> group label; "out" means the concept is the edge's source.
RELATION_GROUPS: list[tuple[str, str, str]] = [
    (edge_type, direction, EDGE_TYPES[edge_type]["forward_en" if direction == "out" else "inverse_en"])
    for edge_type in ("solves", "causes", "variant-of", "used-in", "requires") for direction in ("out", "in")
]


@dataclass
class Relation:
    neighbour: str
    edge: Edge
    direction: str  # "out": the focus side is the edge's source; "in": its target
    distance: int
    why: str


def related(pack: "Pack", name: str, *, types: Iterable[str] | None = None, depth: int = 1) -> list[Relation]:
    """Concepts within ``depth`` edges of a concept (either direction), each with the edge that reached it.

    Examples
    --------
    >>> from kg import load_pack
    >>> pack = load_pack()
    >>> [r.neighbour for r in related(pack, "focal loss", types=["solves"])]
    ['class-imbalance']
    """
    start = pack.resolve(name)
    allowed = set(types) if types else set(EDGE_TYPES)
    graph = pack.graph
    seen = {start}
    frontier = [start]
    relations: list[Relation] = []
    for distance in range(1, max(1, depth) + 1):
        next_frontier = []
        for node in frontier:
            found = []
            for target, keyed in graph._succ[node].items():
                for edge_type in keyed:
                    if edge_type in allowed:
                        found.append((target, (node, edge_type, target), "out"))
            for source, keyed in graph._pred[node].items():
                for edge_type in keyed:
                    if edge_type in allowed:
                        found.append((source, (source, edge_type, node), "in"))
            found.sort(key=lambda item: (pack.order_key(item[0]), item[1][1]))
            for neighbour, edge, direction in found:
                if neighbour in seen and not (distance == 1 and neighbour != start):
                    continue
                if neighbour == start:
                    continue
                if neighbour not in seen:
                    seen.add(neighbour)
                    next_frontier.append(neighbour)
                relations.append(Relation(neighbour, edge, direction, distance, graph.edges[edge[0], edge[2], edge[1]].get("why", "")))
        frontier = next_frontier
    return relations


def group_relations(relations: list[Relation], lang: str = "en") -> list[tuple[str, list[Relation]]]:
    """First-hop relations grouped as solves / solved by, variant of / variants, ... titled in ``lang``."""
    groups = []
    for edge_type, direction, title in RELATION_GROUPS:
        if lang == "zh":
            title = EDGE_TYPES[edge_type]["forward_zh" if direction == "out" else "inverse_zh"]
        members = [r for r in relations if r.distance == 1 and r.edge[1] == edge_type and r.direction == direction]
        if members:
            groups.append((title, members))
    return groups


def connect(pack: "Pack", a: str, b: str, *, max_paths: int = 5) -> list[list[Edge]]:
    """The shortest connections between two concepts over edges in either direction.

    Each path is a list of written edges from ``a`` towards ``b``; an empty list if they are not connected.

    Examples
    --------
    >>> from kg import load_pack
    >>> paths = connect(load_pack(), "relu", "vanishing gradient")
    >>> paths[0]
    [('relu', 'solves', 'vanishing-gradient')]
    """
    start, goal = pack.resolve(a), pack.resolve(b)
    if start == goal:
        return []
    graph = pack.graph

    def neighbours(node):
        return list(graph._succ[node]) + list(graph._pred[node])

    # Bidirectional BFS, layer by layer, keeping every parent so that all shortest paths can be listed.
    parents_a: dict[str, list[str]] = {start: []}
    parents_b: dict[str, list[str]] = {goal: []}
    frontier_a, frontier_b = [start], [goal]
    meeting: set[str] = set()
    while frontier_a and frontier_b and not meeting:
        if len(frontier_a) <= len(frontier_b):
            frontier_a = _expand(frontier_a, parents_a, neighbours)
            meeting = {n for n in frontier_a if n in parents_b}
        else:
            frontier_b = _expand(frontier_b, parents_b, neighbours)
            meeting = {n for n in frontier_b if n in parents_a}
    paths: list[list[str]] = []
    for middle in sorted(meeting, key=pack.order_key):
        for left in _walks(middle, parents_a, max_paths):
            for right in _walks(middle, parents_b, max_paths):
                paths.append(list(reversed(left)) + right[1:])
                if len(paths) >= max_paths * 4:
                    break
    unique = sorted({tuple(p) for p in paths}, key=lambda p: [pack.order_key(n) for n in p])[:max_paths]
    return [[_edge_between(pack, u, v) for u, v in zip(path, path[1:])] for path in unique]


def _expand(frontier, parents, neighbours):
    next_layer: dict[str, None] = {}
    for node in frontier:
        for other in neighbours(node):
            if other not in parents:
                next_layer.setdefault(other, None)
                parents.setdefault(other, [])
            if other in next_layer:
                parents[other].append(node)
    return list(next_layer)


def _walks(node, parents, limit):
    """Paths from node back to the BFS root, at most ``limit`` of them."""
    if not parents[node]:
        return [[node]]
    walks = []
    for parent in sorted(set(parents[node])):
        for rest in _walks(parent, parents, limit):
            walks.append([node] + rest)
            if len(walks) >= limit:
                return walks
    return walks


def _edge_between(pack: "Pack", u: str, v: str) -> Edge:
    forward = [(u, t, v) for t in pack.graph._succ[u].get(v, {})]
    backward = [(v, t, u) for t in pack.graph._succ[v].get(u, {})]
    return min(forward + backward)


def stats(pack: "Pack", *, top: int = 10) -> dict:
    """Counts by kind and edge type, roots, leaves, the longest prerequisite chain, the most central concepts."""
    graph, study = pack.graph, pack.study
    kinds: dict[str, int] = {}
    for _, kind in graph.nodes(data="kind"):
        kinds[kind] = kinds.get(kind, 0) + 1
    edge_types: dict[str, int] = {}
    for *_, edge_type in graph.edges(keys=True):
        edge_types[edge_type] = edge_types.get(edge_type, 0) + 1
    roots = sorted((n for n in study if study.in_degree(n) == 0), key=pack.order_key)
    leaves = sorted((n for n in study if study.out_degree(n) == 0), key=pack.order_key)
    longest = nx.dag_longest_path(study) if nx.is_directed_acyclic_graph(study) else []
    central = sorted(graph, key=lambda n: (-graph.degree(n), pack.order_key(n)))[:top]
    return {
        "concepts": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "kinds": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        "edge_types": dict(sorted(edge_types.items(), key=lambda kv: (-kv[1], kv[0]))),
        "roots": roots,
        "leaves": leaves,
        "longest_chain": longest,
        "central": [(n, graph.degree(n)) for n in central],
        "total_minutes": sum(d.get("minutes", DEFAULT_MINUTES) for _, d in graph.nodes(data=True)),
    }


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
