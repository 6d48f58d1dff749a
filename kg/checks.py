"""Whole-pack checks that need the graph: cycles, kinds of edge targets, isolation, translations, redundancy."""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import networkx as nx

from .problems import Phrase, Problem, not_listed, problem
from .schema import TARGET_FIRST, pack_languages

if TYPE_CHECKING:
    from .pack import Pack

#: Above this many concepts the redundant-requires scan (bitset closure) is skipped: it is an info, not a correctness check.
REDUNDANCY_LIMIT = 20_000


def graph_problems(pack: "Pack") -> list[Problem]:
    """Problems visible only once every file is loaded and the graph is built."""
    graph, problems = pack.graph, name_problems(pack) + same_name_problems(pack)
    check_zh = "zh" in pack_languages(pack.header)  # a pack declaring 'languages: en' is not asked for Chinese
    for node, data in graph.nodes(data=True):
        path, line, col = pack.where[node]
        if check_zh and not data.get("name_zh"):
            problems.append(problem("missing-name-zh", (path, line, col), concept=node))
        if check_zh and not data.get("summary_zh"):
            problems.append(problem("missing-summary-zh", (path, line, col), concept=node))
        if graph.degree(node) == 0:
            problems.append(problem("isolated-concept", (path, line, col), concept=node))
    for source, target, edge_type, data in graph.edges(keys=True, data=True):
        if edge_type in ("solves", "causes") and graph.nodes[target].get("kind") != "problem":
            problems.append(problem("solves-non-problem" if edge_type == "solves" else "causes-non-problem", pack.edge_where[(source, edge_type, target)],
                                    source=source, target=target, kind=graph.nodes[target].get("kind")))
        if check_zh and data.get("why") and not data.get("why_zh"):
            problems.append(problem("missing-why-zh", pack.edge_where[(source, edge_type, target)], edge_type=edge_type, source=source, target=target))
    if pack.expectations:
        from .expect import expectation_problems

        problems.extend(expectation_problems(pack))
    variant = nx.DiGraph((u, v) for u, v, k in graph.edges(keys=True) if k == "variant-of")
    variant_cycles = _cycles(variant)
    for cycle in variant_cycles:
        problems.append(_cycle_problem(pack, [(u, "variant-of", v) for u, v in cycle], variants=True))
    study = pack.study
    variant_nodes = {node for cycle in variant_cycles for edge in cycle for node in edge}
    for cycle in _cycles(study):
        written = [_written(study, before, after) for before, after in reversed(cycle)]
        if {n for e in written for n in (e[0], e[2])} <= variant_nodes and all(e[1] == "variant-of" for e in written):
            continue  # already reported as a variant-cycle
        problems.append(_cycle_problem(pack, written, variants=False))
    if not problems_have_cycles(problems) and study.number_of_nodes() <= REDUNDANCY_LIMIT:
        problems.extend(_redundant_requires(pack, study))
    return problems


#: Characters that show nothing: soft hyphen, combining grapheme joiner, Arabic letter mark, Hangul fillers,
#: Mongolian selectors, zero-width space/joiners, LRM/RLM, bidi embeddings/overrides/isolates, word joiner,
#: invisible operators, variation selectors, BOM, tag characters.
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                       "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff]")
_SCRIPT_LETTERS = {
    "latin": re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"),
    "cyrillic": re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]"),
    "greek": re.compile("[\u0370-\u03ff\u1f00-\u1fff]"),
}
_NOT_LATIN = re.compile("[\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
_WORD = re.compile(r"[^\W\d_]+")


def _scripts(word: str) -> set[str]:
    return {script for script, letters in _SCRIPT_LETTERS.items() if letters.search(word)}


def mixed_script_word(text: str) -> str | None:
    """The first word of ``text`` whose letters mix Latin, Cyrillic and Greek, or None.

    >>> mixed_script_word("Adam"), mixed_script_word("Ad\u0430m"), mixed_script_word("TD(λ) β-VAE 残差 ResNet")
    (None, 'Adаm', None)
    """
    if text.isascii() or not _NOT_LATIN.search(text):  # the common case, decided by one scan in C
        return None
    for word in _WORD.findall(text):
        if len(word) > 1 and len(_scripts(word)) > 1:
            return word
    return None


#: Cyrillic and Greek letters drawn like a Latin letter in common fonts, read as that letter (before case folding, so
#: that a Greek small beta is not read as a Latin b): the part of Unicode's confusables (UTS #39) a pack of English
#: and Chinese names can meet. Letters that only resemble one (Greek alpha, iota, kappa) are left alone.
_LOOK_ALIKE = str.maketrans(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u051b\u051d\u04bb\u04cf"  # а е о р с у х і ј ѕ ԁ ԛ ԝ һ ӏ
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0423\u0406\u0408\u0405\u04c0"  # А В Е К М Н О Р С Т Х У І Ј Ѕ Ӏ
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7\u03bf\u03bd\u03c1",  # Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ ο ν ρ
    "aeopcyxijsdqwhl" "ABEKMHOPCTXYIJSI" "ABEZHIKMNOPTYXovp")
_SPACES = re.compile(r"\s+")


def visible_key(text: str) -> str:
    """What a reader sees of a name, as a key: NFKC (full-width and styled letters as plain ones), look-alike
    Cyrillic and Greek letters as Latin, case folded, invisible characters removed, runs of spaces as one.

    >>> visible_key("ReLU") == visible_key("R\u0435LU") == visible_key("re\u200blu") == visible_key("\uff32\uff45\uff2c\uff35")
    True
    >>> visible_key("\u03b2-VAE") == visible_key("B-VAE"), visible_key("批  归一化 ") == visible_key("批 归一化")
    (False, True)
    """
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", text)).translate(_LOOK_ALIKE).casefold()
    return _SPACES.sub(" ", text).strip()


def same_name_problems(pack: "Pack") -> list[Problem]:
    """Two concepts whose names (English or Chinese, in either field) a reader sees as the same name.

    Concepts are taken in the order they are written (file, line); the later one is located and the
    message names the earlier one and its place. A concept whose English and Chinese names are the
    same (``GELU`` twice) is not a problem.
    """
    graph, problems = pack.graph, []
    first: dict[str, tuple[str, str, str]] = {}  # visible key -> (concept, field, name as written)
    for node in sorted(graph, key=lambda n: (pack.where[n], n)):
        data = graph.nodes[node]
        for field in ("name", "name_zh"):
            label = data.get(field)
            if not label:
                continue
            key = visible_key(label)
            if not key:
                continue
            other = first.setdefault(key, (node, field, label))
            if other[0] != node:
                other_path, other_line, other_col = pack.where[other[0]]
                problems.append(problem("duplicate-name", pack.where[node], field=field, concept=node, value=label,
                                        same=Phrase("is-the-same-as" if label == other[2] else "looks-the-same-as"),
                                        other_value=other[2], other_field=other[1], other=other[0],
                                        first=f"{other_path}:{other_line}:{other_col}"))
    return problems


def name_problems(pack: "Pack") -> list[Problem]:
    """Names that lie: an alias that is another concept's id or name, a name that is another concept's id,
    invisible characters, look-alike scripts.

    Compared case-insensitively and after NFC normalisation (done on load), as :meth:`kg.pack.Pack.resolve`
    looks names up. Two concepts sharing a name are :func:`same_name_problems` (a warning).
    """
    graph, problems = pack.graph, []
    ids = {node.casefold(): node for node in graph}
    owner: dict[str, str] = dict(ids)  # casefolded id or name -> the concept it names first
    for node in sorted(graph):
        data = graph.nodes[node]
        for field in ("name", "name_zh"):
            label = data.get(field)
            if not label:
                continue
            other = ids.get(label.casefold())
            if other is not None and other != node:
                problems.append(problem("name-collision", pack.where[node], field=field, concept=node, value=label, other=other,
                                        other_has=Phrase("id-of")))
            owner.setdefault(label.casefold(), node)
    for node in sorted(graph):
        data = graph.nodes[node]
        path, line, col = pack.where[node]
        for alias in data.get("aliases") or ():
            other = owner.get(alias.casefold())
            if other is not None and other != node:
                problems.append(problem("name-collision", (path, line, col), field="aliases", concept=node, value=alias, other=other,
                                        other_has=Phrase("name-or-id-of")))
        for field in ("name", "name_zh", "aliases"):
            values = data.get(field) or ()
            for label in [values] if isinstance(values, str) else values:
                if not label.isascii() and INVISIBLE.search(label):
                    problems.append(problem("invisible-character", (path, line, col), field=field, concept=node, value=label))
                word = mixed_script_word(label)
                if word:
                    problems.append(problem("mixed-script", (path, line, col), word=word, field=field, concept=node,
                                            scripts=", ".join(sorted(script.capitalize() for script in _scripts(word)))))
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


def _cycle_problem(pack: "Pack", edges: list[tuple[str, str, str]], *, variants: bool) -> Problem:
    """The cycle as a chain of written edges; the hint lists each edge with its file:line."""
    sites = []
    for source, edge_type, target in edges:
        path, line, _ = pack.edge_where[(source, edge_type, target)]
        sites.append(f"{source} -[{edge_type}]-> {target} ({path}:{line})")
    return problem("variant-cycle" if variants else "study-cycle", pack.edge_where[edges[0]], chain=_chain(edges), edges="; ".join(sites))


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
                    problems.append(problem("redundant-requires", pack.edge_where[(source, edge_type, target)], source=source, target=target))
            waiting[pred] -= 1
            if not waiting[pred]:
                del ancestors[pred]
        if waiting[node]:
            ancestors[node] = implied | direct
    return problems


#: Problems of one code kept per pack; past it one record of the same code (same severity) counts the rest.
#: 1,999 files of bare numbers made 2 million records (3.6 GB in the app); a complete DAG 500,000 infos.
MAX_PROBLEMS_PER_CODE = 1000


class ProblemBudget:
    """Keeps at most :data:`MAX_PROBLEMS_PER_CODE` problems of each code, counting the ones it drops.

    >>> budget = ProblemBudget(limit=2)
    >>> kept = budget.keep([problem("empty-file", ("a.yaml", line, 1)) for line in (1, 2, 3, 4)])
    >>> [p.line for p in kept], [p.message for p in budget.summaries()]
    ([1, 2], ["'empty-file' problems not listed: 2 more (the first at a.yaml:3)"])
    """

    def __init__(self, limit: int = MAX_PROBLEMS_PER_CODE):
        self.limit = limit
        self.counts: dict[str, int] = {}
        self.first_dropped: dict[str, tuple[str, int, int]] = {}  # code -> (path, line, col) of the first not kept

    def keep(self, problems: list[Problem]) -> list[Problem]:
        kept = []
        for problem in problems:
            seen = self.counts.get(problem.code, 0)
            self.counts[problem.code] = seen + 1
            if seen < self.limit:
                kept.append(problem)
            else:
                self.first_dropped.setdefault(problem.code, (problem.path, problem.line, problem.col))
        return kept

    def full(self, code: str) -> bool:
        """Whether a further problem of ``code`` would only be counted (so it need not be made)."""
        return self.counts.get(code, 0) >= self.limit

    def drop(self, code: str, path: str, line: int, col: int, count: int = 1) -> None:
        """Count ``count`` problems of ``code``, the first at this place, without making their records
        (call when :meth:`full`).

        >>> budget = ProblemBudget(limit=0)
        >>> budget.full("bad-shape"), budget.drop("bad-shape", "a.yaml", 7, 3, count=2), budget.drop("bad-shape", "b.yaml", 1, 1)
        (True, None, None)
        >>> [p.message for p in budget.summaries()]
        ["'bad-shape' problems not listed: 3 more (the first at a.yaml:7)"]
        """
        self.counts[code] = self.counts.get(code, 0) + count
        self.first_dropped.setdefault(code, (path, line, col))

    def summaries(self) -> list[Problem]:
        return [not_listed(code, first, self.counts[code] - self.limit) for code, first in sorted(self.first_dropped.items())]
