"""Whole-pack checks that need the graph: cycles, kinds of edge targets, isolation, translations, redundancy."""
from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from .problems import Problem
from .schema import TARGET_FIRST, pack_languages

if TYPE_CHECKING:
    from .pack import Pack

#: Above this many concepts the redundant-requires scan (bitset closure) is skipped: it is an info, not a correctness check.
REDUNDANCY_LIMIT = 20_000


def graph_problems(pack: "Pack") -> list[Problem]:
    """Problems visible only once every file is loaded and the graph is built."""
    graph, problems = pack.graph, []
    check_zh = "zh" in pack_languages(pack.header)  # a pack declaring 'languages: en' is not asked for Chinese
    for node, data in graph.nodes(data=True):
        path, line, col = pack.where[node]
        if check_zh and not data.get("name_zh"):
            problems.append(Problem(path, line, col, "missing-name-zh", f"'{node}' has no Chinese name", "add 'name_zh: ...'"))
        if check_zh and not data.get("summary_zh"):
            problems.append(Problem(path, line, col, "missing-summary-zh", f"'{node}' has no Chinese summary", "add 'summary_zh: ...'"))
        if graph.degree(node) == 0:
            problems.append(Problem(path, line, col, "isolated-concept", f"'{node}' has no edges",
                                    "connect it with requires, used-in, variant-of, solves or causes"))
    for source, target, edge_type, data in graph.edges(keys=True, data=True):
        if edge_type in ("solves", "causes") and graph.nodes[target].get("kind") != "problem":
            path, line, col = pack.edge_where[(source, edge_type, target)]
            problems.append(Problem(path, line, col, f"{edge_type}-non-problem",
                                    f"'{source}' {edge_type} '{target}', whose kind is '{graph.nodes[target].get('kind')}', not 'problem'",
                                    "use requires/used-in instead, or give the target kind: problem"))
        if check_zh and data.get("why") and not data.get("why_zh"):
            path, line, col = pack.edge_where[(source, edge_type, target)]
            problems.append(Problem(path, line, col, "missing-why-zh", f"the '{edge_type}' edge from '{source}' to '{target}' has a 'why' but no 'why_zh'",
                                    "add 'why_zh: ...' (the reason in Chinese)"))
    if pack.expectations:
        from .expect import expectation_problems

        problems.extend(expectation_problems(pack))
    variant = nx.DiGraph((u, v) for u, v, k in graph.edges(keys=True) if k == "variant-of")
    variant_cycles = _cycles(variant)
    for cycle in variant_cycles:
        problems.append(_cycle_problem(pack, "variant-cycle", [(u, "variant-of", v) for u, v in cycle]))
    study = pack.study
    variant_nodes = {node for cycle in variant_cycles for edge in cycle for node in edge}
    for cycle in _cycles(study):
        written = [_written(study, before, after) for before, after in reversed(cycle)]
        if {n for e in written for n in (e[0], e[2])} <= variant_nodes and all(e[1] == "variant-of" for e in written):
            continue  # already reported as a variant-cycle
        problems.append(_cycle_problem(pack, "study-cycle", written))
    if not problems_have_cycles(problems) and study.number_of_nodes() <= REDUNDANCY_LIMIT:
        problems.extend(_redundant_requires(pack, study))
    return problems


def problems_have_cycles(problems: list[Problem]) -> bool:
    return any(p.code in ("study-cycle", "variant-cycle") for p in problems)


def _cycles(graph: nx.DiGraph) -> list[list[tuple[str, str]]]:
    """One cycle per strongly connected component that has one, deterministic."""
    cycles = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        start = min(component)
        cycles.append(nx.find_cycle(graph.subgraph(component), source=start))
    return sorted(cycles)


def _written(study: nx.DiGraph, before: str, after: str) -> tuple[str, str, str]:
    return min(study.edges[before, after]["via"])


def _cycle_problem(pack: "Pack", code: str, edges: list[tuple[str, str, str]]) -> Problem:
    """Print the cycle as a chain of written edges, each with its file:line."""
    sites = []
    for source, edge_type, target in edges:
        path, line, _ = pack.edge_where[(source, edge_type, target)]
        sites.append(f"{source} {edge_type} {target} at {path}:{line}")
    chain = _chain(edges)
    path, line, col = pack.edge_where[edges[0]]
    first_fix = "remove or reverse one of these edges: " + "; ".join(sites)
    return Problem(path, line, col, code, f"cycle: {chain}", first_fix)


def _chain(edges: list[tuple[str, str, str]]) -> str:
    """'a -[variant-of]-> b -[requires]-> a', or '<-[used-in]-' where an edge runs the other way."""
    current = edges[0][0] if TARGET_FIRST[edges[0][1]] else edges[0][2]
    text = current
    for source, edge_type, target in edges:
        if source == current:
            text += f" -[{edge_type}]-> {target}"
            current = target
        else:
            text += f" <-[{edge_type}]- {source}"
            current = source
    return text


def _redundant_requires(pack: "Pack", study: nx.DiGraph) -> list[Problem]:
    """A requires B is redundant when B already comes before A through another path.

    One pass in topological order with ancestor sets as Python ints (bitsets, one bit per concept
    in that order): B comes before A through another path exactly when B is an ancestor of one of
    A's predecessors, so each concept ORs its predecessors' sets once and each requires edge is one
    bit test. Sets are dropped once every successor has used them, so a long chain holds one at a time.
    (Written as a pair of edges between the same two concepts, e.g. requires + used-in, is redundant too.)
    """
    order = list(nx.topological_sort(study))
    index = {node: position for position, node in enumerate(order)}
    ancestors: dict[str, int] = {}
    waiting = {node: study.out_degree(node) for node in order}  # successors that still need the set
    problems = []
    for node in order:
        implied = 0
        direct = 0
        for pred in study.pred[node]:
            implied |= ancestors[pred]
            direct |= 1 << index[pred]
        for pred, data in study.pred[node].items():
            via = data["via"]
            for source, edge_type, target in via:
                if edge_type != "requires" or source != node:
                    continue
                if len(via) > 1 or implied >> index[pred] & 1:
                    path, line, col = pack.edge_where[(source, edge_type, target)]
                    problems.append(Problem(path, line, col, "redundant-requires",
                                            f"'{source}' requires '{target}' is already implied by other edges",
                                            "you may remove it; the study order stays the same"))
            waiting[pred] -= 1
            if not waiting[pred]:
                del ancestors[pred]
        if waiting[node]:
            ancestors[node] = implied | direct
    return problems
