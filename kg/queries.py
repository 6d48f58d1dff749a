"""Study questions answered on a loaded pack: order, next, related, path, stats.

Every function takes the pack first and names concepts by id, name or alias.
Answers are deterministic: ties are broken by guide section, then English name.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Iterable

import networkx as nx

from .schema import DEFAULT_MINUTES, EDGE_TYPES
from .text import relation_title

if TYPE_CHECKING:
    from .pack import Pack

Edge = tuple[str, str, str]  # (source, type, target) as written


#: Edges of a step's why-chain kept and shown by default; :func:`why_chain` with ``full=True`` gives them all.
WHY_SHORT = 3


@dataclass
class Step:
    id: str
    minutes: int
    #: the first edges (at most :data:`WHY_SHORT`) of the chain of written edges from this concept up to
    #: a target that pulled it in (empty for a target); ``reason_length`` is the whole chain's length
    reason: list[Edge] = field(default_factory=list)
    is_target: bool = False
    reason_length: int = 0


@dataclass
class Plan:
    targets: list[str]
    known: list[str]
    steps: list[Step]
    #: concept -> the written edge that pulled it into the plan (its why-chain's first link)
    pulled_by: dict[str, Edge] = field(default_factory=dict, repr=False)

    @property
    def total_minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


def why_chain(plan: Plan, node: str, full: bool = False) -> list[Edge]:
    """Why ``node`` is in ``plan``: written edges from it up to a target, the first :data:`WHY_SHORT` unless ``full``.

    The chain is followed link by link from ``plan.pulled_by`` (one edge stored per concept), so a
    plan of a 10,000-concept chain holds 10,000 edges, not 50 million.

    >>> from kg import load_pack
    >>> plan = study_order(load_pack(), ["focal-loss"])
    >>> chain = why_chain(plan, "loss-function", full=True)
    >>> chain[0][2], chain[-1][0]
    ('loss-function', 'focal-loss')
    >>> why_chain(plan, "focal-loss")
    []
    """
    chain_: list[Edge] = []
    current = node
    while current in plan.pulled_by and (full or len(chain_) < WHY_SHORT):
        edge = plan.pulled_by[current]
        chain_.append(edge)
        current = edge[2] if edge[0] == current else edge[0]
    return chain_


def study_order(pack: "Pack", targets: Iterable[str], known: Iterable[str] = ()) -> Plan:
    """Everything the targets need, in study order, each target right after what it needs, with why each step is there.

    Known concepts, and what is needed only through them, are left out.

    The order is a depth-first post-order from the targets over their prerequisites (study-order
    predecessors), visiting the prerequisites of each concept in guide-section, then name order: every
    concept comes after all it needs, and what one concept needs is learnt together, right before it, so
    SGD, momentum and Adam read as one story instead of being scattered by section. Deterministic: the
    same pack and targets give the same order. :func:`locality` measures how close the steps stay.

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
    # Backward BFS from the targets through the study graph, not entering known concepts: the shortest
    # chain of reasons from each needed concept up to a target.
    reached_by: dict[str, tuple[str, str] | None] = {}
    queue = deque()
    for target in target_ids:
        if target not in known_ids:
            reached_by[target] = None
            queue.append(target)
    while queue:
        node = queue.popleft()
        for before in sorted(study.pred[node], key=pack.order_key):
            if before not in reached_by and before not in known_ids:
                reached_by[before] = (node, before)
                queue.append(before)
    # Targets in guide order, so that the plan does not depend on the order they were named in.
    ordered = _post_order(pack, sorted((t for t in target_ids if t in reached_by), key=pack.order_key), reached_by)
    target_set = set(target_ids)
    # Each concept's why-chain is its own first link plus the chain of the concept it pulled it in for:
    # computed once per concept in BFS order, keeping WHY_SHORT links and the length.
    pulled_by: dict[str, Edge] = {}
    short: dict[str, list[Edge]] = {}
    length: dict[str, int] = {}
    for node, reached in reached_by.items():  # insertion order is BFS order: a concept's "after" comes first
        if reached is None:
            short[node], length[node] = [], 0
            continue
        after, _ = reached
        edge = pulled_by[node] = min(study.edges[node, after]["via"])
        short[node] = [edge, *short[after][: WHY_SHORT - 1]]
        length[node] = 1 + length[after]
    steps = [Step(node, pack.graph.nodes[node].get("minutes", DEFAULT_MINUTES), short[node], node in target_set, length[node])
             for node in ordered]
    return Plan(target_ids, sorted(known_ids), steps, pulled_by)


def _post_order(pack: "Pack", targets: list[str], needed: dict) -> list[str]:
    """Depth-first post-order over prerequisites inside ``needed``, iterative (no recursion limit on deep packs).

    Raises :class:`~kg.errors.PackError` on a cycle: then no order exists.
    """
    pred = pack.study.pred
    done: set[str] = set()
    on_path: set[str] = set()
    ordered: list[str] = []
    for target in targets:
        if target in done:
            continue
        stack = [(target, iter(sorted((p for p in pred[target] if p in needed), key=pack.order_key)))]
        on_path.add(target)
        while stack:
            node, prerequisites = stack[-1]
            for before in prerequisites:
                if before in done:
                    continue
                if before in on_path:
                    from .errors import PackError

                    raise PackError(key="error_cycle_in_plan")
                on_path.add(before)
                stack.append((before, iter(sorted((p for p in pred[before] if p in needed), key=pack.order_key))))
                break
            else:
                stack.pop()
                on_path.discard(node)
                done.add(node)
                ordered.append(node)
    return ordered


def locality(pack: "Pack", plan: Plan) -> float:
    """Mean number of steps from each concept to the first later step that needs it (1.0 is ideal).

    Only steps that some later step needs directly count (a target that nothing in the plan needs does
    not). Lower is better: prerequisites sit close to what uses them.

    >>> from kg import load_pack
    >>> pack = load_pack()
    >>> locality(pack, study_order(pack, ["focal-loss"])) >= 1.0
    True
    """
    position = {step.id: i for i, step in enumerate(plan.steps)}
    succ = pack.study.succ
    gaps = []
    for i, step in enumerate(plan.steps):
        later = [position[s] for s in succ[step.id] if s in position and position[s] > i]
        if later:
            gaps.append(min(later) - i)
    return sum(gaps) / len(gaps) if gaps else 0.0


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
    result = [node for node in study if node not in known_ids and all(p in known_ids for p in study.pred[node])]
    return sorted(result, key=pack.order_key)


#: (edge type, direction) -> group label; "out" means the concept is the edge's source.
RELATION_GROUPS: list[tuple[str, str, str]] = [
    (edge_type, direction, EDGE_TYPES[edge_type]["forward_en" if direction == "out" else "inverse_en"])
    for edge_type in ("solves", "causes", "variant-of", "used-in", "requires") for direction in ("out", "in")
]

#: Most relations :func:`related` returns by default; a hub with 20,000 relations lists this many and says how many more.
MAX_RELATIONS = 500
#: Most connections :func:`connect` lists, whatever is asked: a grid has exponentially many shortest paths.
MAX_PATHS = 100
#: Most steps the enumeration of shortest paths may take (each step adds one node to a partial path).
MAX_PATH_WORK = 200_000


class Capped(list):
    """A list cut at a cap. ``total`` is how many items there were in all; ``more`` how many were left out.

    >>> items = Capped([1, 2], total=5)
    >>> items, items.more, items.capped
    ([1, 2], 3, True)
    """

    def __init__(self, items: Iterable = (), *, total: int | None = None):
        super().__init__(items)
        self.total = len(self) if total is None else total

    @property
    def more(self) -> int:
        return max(0, self.total - len(self))

    @property
    def capped(self) -> bool:
        return self.more > 0


def neighbourhood_layers(pack: "Pack", focus: str, depth: int = 1, *, types: Iterable[str] | None = None,
                         kinds: Iterable[str] | None = None, chapters: Iterable[str] | None = None) -> list[list[str]]:
    """The focus, then the concepts at 1, 2, ... ``depth`` edges from it (either direction), each layer in guide order.

    The one definition of a neighbourhood: ``nx.bfs_layers`` over a view of the graph that keeps only
    edges of ``types`` and concepts of ``kinds`` whose guide chapter is in ``chapters`` (``None``: no
    filter; the focus is always kept), with edge direction ignored.

    Examples
    --------
    >>> from kg import load_pack
    >>> neighbourhood_layers(load_pack(), "focal-loss", 1, types=["solves"])
    [['focal-loss'], ['class-imbalance']]
    """
    from itertools import islice

    graph = pack.graph
    allowed = set(types) if types is not None else None
    kind_set = set(kinds) if kinds is not None else None
    chapter_set = set(chapters) if chapters is not None else None
    view = graph
    if kind_set is not None or chapter_set is not None:
        nodes = graph.nodes

        def admitted(node: str) -> bool:
            if node == focus:
                return True
            data = nodes[node]
            if kind_set is not None and data.get("kind") not in kind_set:
                return False
            return chapter_set is None or (data.get("section") or "").split(".", 1)[0] in chapter_set

        view = nx.subgraph_view(view, filter_node=admitted)
    if allowed is not None and allowed != set(EDGE_TYPES):
        view = nx.subgraph_view(view, filter_edge=lambda u, v, edge_type: edge_type in allowed)
    undirected = view.to_undirected(as_view=True)
    layers = islice(nx.bfs_layers(undirected, [focus]), max(0, int(depth)) + 1)
    return [sorted(layer, key=pack.order_key) for layer in layers]


@dataclass
class Relation:
    neighbour: str
    edge: Edge
    direction: str  # "out": the focus side is the edge's source; "in": its target
    distance: int
    why: str


def related(pack: "Pack", name: str, *, types: Iterable[str] | None = None, depth: int = 1,
            limit: int | None = MAX_RELATIONS) -> Capped:
    """Concepts within ``depth`` edges of a concept (either direction), each with the edge that reached it.

    Every edge between the concept and a neighbour is listed; a farther concept is listed once, with
    the edge from the first (in guide order) concept of the layer before it. At most ``limit``
    relations (``None``: all); the result's ``more`` says how many were left out.

    Examples
    --------
    >>> from kg import load_pack
    >>> pack = load_pack()
    >>> [r.neighbour for r in related(pack, "focal loss", types=["solves"])]
    ['class-imbalance']
    >>> related(pack, "neural network", limit=2).more > 0
    True
    """
    start = pack.resolve(name)
    allowed = set(types) if types else set(EDGE_TYPES)
    graph = pack.graph
    layers = neighbourhood_layers(pack, start, max(1, depth), types=allowed)
    relations: list[Relation] = []
    total = 0

    def add(neighbour: str, edge: Edge, direction: str, distance: int) -> None:
        nonlocal total
        total += 1
        if limit is None or len(relations) < limit:
            source, edge_type, target = edge
            relations.append(Relation(neighbour, edge, direction, distance, graph.edges[source, target, edge_type].get("why", "")))

    def edges_between(node: str, other: str) -> list[tuple[Edge, str]]:
        found = [((node, t, other), "out") for t in graph.succ[node].get(other, ()) if t in allowed]
        found += [((other, t, node), "in") for t in graph.pred[node].get(other, ()) if t in allowed]
        return sorted(found, key=lambda item: item[0][1])

    for neighbour in layers[1] if len(layers) > 1 else []:
        for edge, direction in edges_between(start, neighbour):
            add(neighbour, edge, direction, 1)
    for distance in range(2, len(layers)):
        waiting = set(layers[distance])
        for node in layers[distance - 1]:
            reached = [n for n in chain(graph.succ[node], graph.pred[node]) if n in waiting]
            for neighbour in sorted(set(reached), key=pack.order_key):
                edge, direction = edges_between(node, neighbour)[0]
                add(neighbour, edge, direction, distance)
                waiting.discard(neighbour)
    return Capped(relations, total=total)


def group_relations(relations: list[Relation], lang: str = "en") -> list[tuple[str, list[Relation]]]:
    """First-hop relations grouped as solves / solved by, variant of / variants, ... titled in ``lang``."""
    groups = []
    for edge_type, direction, _ in RELATION_GROUPS:
        members = [r for r in relations if r.distance == 1 and r.edge[1] == edge_type and r.direction == direction]
        if members:
            groups.append((relation_title(edge_type, direction, lang), members))
    return groups


def connect(pack: "Pack", a: str, b: str, *, max_paths: int = 5) -> Capped:
    """The shortest connections between two concepts over edges in either direction.

    Each path is a list of written edges from ``a`` towards ``b``; an empty list if they are not
    connected. Paths come in guide order of their concepts, at most ``max_paths`` (and never more
    than :data:`MAX_PATHS`); the result is :class:`Capped`: ``capped`` is true when more shortest
    paths exist than are listed. Nothing is recursive, so a chain of any length is fine.

    Examples
    --------
    >>> from kg import load_pack
    >>> paths = connect(load_pack(), "relu", "vanishing gradient")
    >>> paths[0]
    [('relu', 'solves', 'vanishing-gradient')]
    >>> paths.capped
    False
    """
    start, goal = pack.resolve(a), pack.resolve(b)
    wanted = max(0, min(int(max_paths), MAX_PATHS))
    if start == goal or wanted == 0:
        return Capped()
    graph = pack.graph
    succ, pred = graph.succ, graph.pred

    def neighbours(node):
        return chain(succ[node], pred[node])

    # Bidirectional BFS, layer by layer, keeping every parent so that all shortest paths can be listed.
    parents_a: dict[str, list[str]] = {start: []}
    parents_b: dict[str, list[str]] = {goal: []}
    frontier_a, frontier_b = [start], [goal]
    meeting: list[str] = []
    while frontier_a and frontier_b and not meeting:
        if len(frontier_a) <= len(frontier_b):
            frontier_a = _expand(frontier_a, parents_a, neighbours)
            meeting = [n for n in frontier_a if n in parents_b]
        else:
            frontier_b = _expand(frontier_b, parents_b, neighbours)
            meeting = [n for n in frontier_b if n in parents_a]
    if not meeting:
        return Capped()
    # Every shortest path runs start ... meeting node ... goal. Walk it forwards, depth first, children in
    # guide order, so paths come out already sorted; only nodes that lead to a meeting node are entered,
    # so every step extends a path that will be completed: the work is at most paths x length.
    on_a_side = set(meeting)
    queue = list(meeting)
    children: dict[str, list[str]] = {}
    while queue:
        node = queue.pop()
        for parent in parents_a[node]:
            children.setdefault(parent, []).append(node)
            if parent not in on_a_side:
                on_a_side.add(parent)
                queue.append(parent)
    meeting_set = set(meeting)
    key = pack.order_key

    def successors(node: str) -> list[str]:
        nexts = parents_b[node] if node in meeting_set or node not in children else children[node]
        return sorted(set(nexts), key=key)

    paths: list[list[str]] = []
    more = False
    work = 0
    stack = [iter([start])]
    path: list[str] = []
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            if path:
                path.pop()
            continue
        work += 1
        path.append(node)
        if node == goal:
            if len(paths) == wanted:
                more = True
                break
            paths.append(list(path))
            path.pop()
            continue
        if work > MAX_PATH_WORK:
            more = True
            break
        stack.append(iter(successors(node)))
    result = [[_edge_between(pack, u, v) for u, v in zip(nodes, nodes[1:])] for nodes in paths]
    return Capped(result, total=len(result) + (1 if more else 0))


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


def _edge_between(pack: "Pack", u: str, v: str) -> Edge:
    succ = pack.graph.succ
    forward = [(u, t, v) for t in succ[u].get(v, {})]
    backward = [(v, t, u) for t in succ[v].get(u, {})]
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
