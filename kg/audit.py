"""Whole-pack audit of study plans: how big every plan is and which edges make them big.

A concept's *plan* is what ``kg order`` lists for it from zero: the concept and all its ancestors in the
study graph, so its size is ``1 + len(nx.ancestors(pack.study, node))``. A bloating edge (a loose
``used-in`` that drags a whole subject into every plan below it) shows up as a *heavy* edge: removing
it would shrink many plans by many steps.

How it stays fast
-----------------
Ancestor sets are Python ``int`` bitsets computed in one pass over a topological order (each node ORs its
predecessors' sets), with bit *i* standing for the *i*-th node of that order. On packs larger than
:data:`CHUNK` concepts the counts are taken chunk by chunk of bits, so memory stays at about
``n * CHUNK / 8`` bytes whatever the pack.

Heaviest edges are exact, found by branch and bound: removing study edge ``u -> v`` can only remove, from
each plan that contains ``v``, concepts that reach ``v`` through ``u`` alone (the set ``lost(u, v)``), so
``|lost| * (1 + descendants(v))`` bounds its weight. Candidates are evaluated in decreasing order of that
bound (each evaluation re-derives the ancestor sets of the affected descendants only, stopping where they
no longer change) until the bound falls below the ``top``-th weight found, or until :data:`WORK_BUDGET` ancestor sets have been
re-derived, counted in 64-bit words (then the result is the best of the candidates evaluated and ``exact`` is False). Above :data:`EDGE_LIMIT` concepts heaviest edges are not computed
(``heaviest_edges`` is ``None``); plan sizes always are.

Examples
--------
>>> from kg import load_pack
>>> report = audit(load_pack(), top=3)
>>> report.plan_sizes["backpropagation"] > 1
True
>>> edge = report.heaviest_edges[0]
>>> edge.plans >= 1 and edge.steps >= edge.plans
True
"""
from __future__ import annotations

import heapq
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from .errors import PackError

if TYPE_CHECKING:
    from .pack import Pack

#: Bits per pass when counting ancestors of a large pack (memory ~ concepts * CHUNK / 8 bytes).
CHUNK = 8192
#: Above this many concepts heaviest edges are skipped (they need every ancestor set at once).
EDGE_LIMIT = 20_000
#: Work budget of the heaviest-edge search, in 64-bit words of ancestor sets re-derived over all candidates
#: (concepts visited * concepts / 64). The shipped graph (~700 concepts) needs about 0.2 million and stays
#: exact; an exact answer on a 10,000-concept synthetic pack would need 100 million (about 17 s).
WORK_BUDGET = 10_000_000


@dataclass
class HeavyEdge:
    """A study-order edge ``before -> after`` (with the written edges behind it) and what removing it saves."""

    before: str
    after: str
    written: list[tuple[str, str, str]]
    #: plans that would get shorter
    plans: int
    #: steps saved over all those plans
    steps: int


@dataclass
class Audit:
    plan_sizes: dict[str, int]
    median: float
    p90: int
    largest: list[tuple[str, int]]
    heaviest_edges: list[HeavyEdge] | None
    #: candidate edges whose removal shrinks some plan, and how many were evaluated exactly
    candidates: int = 0
    evaluated: int = 0
    exact: bool = True
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["largest"] = [{"id": node, "steps": steps} for node, steps in self.largest]
        if self.heaviest_edges is not None:
            data["heaviest_edges"] = [{**asdict(e), "written": [list(w) for w in e.written]} for e in self.heaviest_edges]
        return data


def audit(pack: "Pack", *, top: int = 15) -> Audit:
    """Plan size of every concept (median, 90th percentile, largest) and the ``top`` heaviest study edges.

    Raises :class:`~kg.errors.PackError` when the study graph has a cycle (then no plan is defined).
    """
    study = pack.study
    try:
        order = list(nx.topological_sort(study))
    except nx.NetworkXUnfeasible:
        raise PackError(key="error_cycle_in_study_graph") from None
    sizes = _plan_sizes(study, order)
    ranked = sorted(sizes.values())
    notes: list[str] = []
    if len(order) > EDGE_LIMIT:
        heavy, candidates, evaluated, exact = None, 0, 0, False
        notes.append(f"heaviest edges are skipped above {EDGE_LIMIT:,} concepts")
    else:
        heavy, candidates, evaluated, exact = _heaviest(pack, study, order, top)
        if not exact:
            notes.append(f"heaviest edges: the best of the {evaluated:,} most promising of {candidates:,} candidates "
                         f"(work budget reached); a larger edge may exist")
    largest = sorted(sizes.items(), key=lambda kv: (-kv[1], pack.order_key(kv[0])))[:top]
    return Audit(
        plan_sizes={node: sizes[node] for node in sorted(sizes, key=pack.order_key)},
        median=_median(ranked),
        p90=_nearest_rank(ranked, 0.9),
        largest=largest,
        heaviest_edges=heavy,
        candidates=candidates,
        evaluated=evaluated,
        exact=exact,
        notes=notes,
    )


def _median(ranked: list[int]) -> float:
    if not ranked:
        return 0.0
    middle = len(ranked) // 2
    return float(ranked[middle]) if len(ranked) % 2 else (ranked[middle - 1] + ranked[middle]) / 2


def _nearest_rank(ranked: list[int], share: float) -> int:
    """The nearest-rank percentile: the smallest value with at least ``share`` of the values at or below it."""
    if not ranked:
        return 0
    rank = max(1, -(-int(share * 100) * len(ranked) // 100))  # ceil(share * n) without float error
    return ranked[rank - 1]


def _plan_sizes(study: nx.DiGraph, order: list[str]) -> dict[str, int]:
    """1 + number of ancestors of every node, counted CHUNK bits at a time."""
    index = {node: i for i, node in enumerate(order)}
    pred = study._pred
    counts = dict.fromkeys(order, 1)
    for low in range(0, len(order), CHUNK):
        high = low + CHUNK
        bits: dict[str, int] = {}
        for node in order[low:]:  # ancestors come earlier in the order, so nodes before `low` have none in this chunk
            value = 0
            for p in pred[node]:
                value |= bits.get(p, 0)
                i = index[p]
                if low <= i < high:
                    value |= 1 << (i - low)
            bits[node] = value
            counts[node] += value.bit_count()
    return counts


def _ancestors(study: nx.DiGraph, order: list[str], index: dict[str, int]) -> dict[str, int]:
    pred = study._pred
    bits: dict[str, int] = {}
    for node in order:
        value = 0
        for p in pred[node]:
            value |= bits[p] | (1 << index[p])
        bits[node] = value
    return bits


def _heaviest(pack: "Pack", study: nx.DiGraph, order: list[str], top: int):
    index = {node: i for i, node in enumerate(order)}
    pred, succ = study._pred, study._succ
    ancestors = _ancestors(study, order, index)
    # ancestors and the concept itself: what a plan containing it contains (kept to avoid a big shift per visit)
    closed = {node: bits | (1 << index[node]) for node, bits in ancestors.items()}
    descendants = _ancestors(study.reverse(copy=False), order[::-1], index)
    bounds = []
    for before, after in study.edges():
        others = 0
        for p in pred[after]:
            if p != before:
                others |= closed[p]
        lost = closed[before] & ~others
        if lost:
            bound = lost.bit_count() * (1 + descendants[after].bit_count())
            bounds.append((-bound, pack.order_key(after), pack.order_key(before), before, after, others))
    bounds.sort(key=lambda item: item[:3])
    best: list[tuple[int, int, tuple, tuple, str, str]] = []  # min-heap of (steps, plans, ...) of the top found so far
    evaluated, exact, work = 0, True, 0
    words = len(order) // 64 + 1
    for negative_bound, after_key, before_key, before, after, others in bounds:
        if len(best) >= top and -negative_bound < best[0][0]:
            break
        if work >= WORK_BUDGET:
            exact = False
            break
        evaluated += 1
        plans, steps, visited = _removal_effect(before, after, others, ancestors, closed, index, order, pred, succ)
        work += visited * words
        item = (steps, plans, _reverse_key(after_key, before_key), before, after)
        if len(best) < top:
            heapq.heappush(best, item)
        elif item[:3] > best[0][:3]:
            heapq.heapreplace(best, item)
    chosen = sorted(best, key=lambda item: (-item[0], -item[1], pack.order_key(item[4]), pack.order_key(item[3])))
    heavy = [HeavyEdge(before, after, sorted(study.edges[before, after]["via"]), plans, steps)
             for steps, plans, _, before, after in chosen if steps > 0]
    return heavy, len(bounds), evaluated, exact


def _reverse_key(after_key: tuple, before_key: tuple) -> tuple:
    """Among equal weights the heap must drop the edge that sorts last, so invert the order of the keys."""
    return tuple(_Inverted(part) for part in (after_key, before_key))


class _Inverted:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return other.value < self.value

    def __gt__(self, other):
        return other.value > self.value

    def __eq__(self, other):
        return self.value == other.value


def _removal_effect(before, after, others, ancestors, closed, index, order, pred, succ) -> tuple[int, int, int]:
    """(plans that shrink, steps saved, concepts visited) if the study edge before -> after were removed."""
    changed = {after: others}  # new ancestor sets
    changed_closed = {after: others | (closed[after] ^ ancestors[after])}
    steps = ancestors[after].bit_count() - others.bit_count()
    plans = 1
    heap = [index[s] for s in succ[after]]
    heapq.heapify(heap)
    queued = set(heap)
    visited = 1
    while heap:
        node = order[heapq.heappop(heap)]
        visited += 1
        value = 0
        for p in pred[node]:
            value |= changed_closed.get(p) or closed[p]
        if value == ancestors[node]:
            continue  # nothing below changes through this node
        changed[node] = value
        changed_closed[node] = value | (closed[node] ^ ancestors[node])
        plans += 1
        steps += ancestors[node].bit_count() - value.bit_count()
        for s in succ[node]:
            i = index[s]
            if i not in queued:
                queued.add(i)
                heapq.heappush(heap, i)
    return plans, steps, visited
