"""Ranked, typo-tolerant search over ids, English and Chinese names and aliases."""
from __future__ import annotations

import bisect
import heapq
import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pack import Pack


#: Characters of a label (and of a query) that search compares: a 4 MB alias once made every fuzzy query take
#: seconds. Names are far shorter; a longer label is matched on its beginning.
MAX_COMPARED = 200


def _normal(text: str) -> str:
    return " ".join(text[: MAX_COMPARED * 2].casefold().split())[:MAX_COMPARED]


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    matched: str


class SearchIndex:
    """Every label of every concept, lower-cased, with the concept it names.

    Built once per pack. Exact matches come from a dict, prefix matches from a
    sorted copy (a bisect range), other substrings from one regex scan over all
    labels joined into one string, so a query on 100k concepts never loops over
    every label in Python.
    """

    def __init__(self, pack: "Pack"):
        labels, owners = [], []
        for node, data in pack.graph.nodes(data=True):
            for label in (node, data.get("name"), data.get("name_zh"), *data.get("aliases", ())):
                if label:
                    labels.append(_normal(label))
                    owners.append(node)
        self.labels, self.owners, self.pack = labels, owners, pack
        self.exact: dict[str, list[int]] = {}
        for index, label in enumerate(labels):
            self.exact.setdefault(label, []).append(index)
        self.sorted_order = sorted(range(len(labels)), key=labels.__getitem__)
        self.sorted_labels = [labels[i] for i in self.sorted_order]
        self.blob = "\n".join(labels)
        self.starts = list(itertools.accumulate((len(label) + 1 for label in labels[:-1]), initial=0))
        self._token_sorted: list[str] | None = None

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        needle = _normal(query)
        if not needle or limit < 1:
            return []
        best: dict[str, tuple[float, str]] = {}
        labels, owners = self.labels, self.owners

        def offer(index: int, score: float) -> None:
            node = owners[index]
            if node not in best or best[node][0] < score:
                best[node] = (score, labels[index])

        for index in self.exact.get(needle, ()):
            offer(index, 100.0)
        # Prefix matches: a contiguous range of the sorted labels; the shortest labels score highest.
        low = bisect.bisect_left(self.sorted_labels, needle)
        high = bisect.bisect_left(self.sorted_labels, needle + "\U0010ffff")
        if high > low:
            prefixed = heapq.nsmallest(limit * 4, self.sorted_order[low:high], key=lambda i: len(labels[i]))
            for index in prefixed:
                if labels[index] != needle:
                    offer(index, 90.0 + 9 * len(needle) / len(labels[index]))
        if len(best) < limit:
            found = set()
            for match in re.finditer(re.escape(needle), self.blob):
                found.add(bisect.bisect_right(self.starts, match.start()) - 1)
            for index in heapq.nsmallest(limit * 4, found, key=lambda i: len(labels[i])):
                if not labels[index].startswith(needle):
                    offer(index, 75.0 + 9 * len(needle) / len(labels[index]))
        if len(best) < limit:
            from rapidfuzz import fuzz, process

            # Whole-label similarity catches typos; comparing sorted words catches "norm batch".
            for label, score, index in process.extract(needle, labels, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=65):
                offer(index, score * 0.74)  # below every substring match, order kept
            close = sum(1 for score, _ in best.values() if score >= 80 * 0.74)
            if " " in needle and close < limit:
                tokens = " ".join(sorted(needle.split()))
                for label, score, index in process.extract(tokens, self.token_sorted(), scorer=fuzz.ratio, limit=limit * 3, score_cutoff=65):
                    offer(index, score * 0.74)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], self.pack.order_key(item[0])))
        return [Hit(node, score, label) for node, (score, label) in ranked[:limit]]

    def token_sorted(self) -> list[str]:
        if self._token_sorted is None:
            self._token_sorted = [" ".join(sorted(label.split())) for label in self.labels]
        return self._token_sorted


def search(pack: "Pack", query: str, limit: int = 10) -> list[Hit]:
    """Concepts matching ``query``: exact, then prefix, then substring, then fuzzy matches.

    Examples
    --------
    >>> from kg import load_pack
    >>> pack = load_pack()
    >>> search(pack, "batch norm")[0].id
    'batch-normalization'
    >>> search(pack, "过拟合")[0].id
    'overfitting'
    >>> search(pack, "transfromer")[0].id
    'transformer'
    """
    return pack.search_index.search(query, limit)


#: Distinct unknown names per pack that get a "did you mean" hint; 20,000 edges to unknown targets once
#: compared each against every id (quadratic). Past the budget the hint is the generic one.
MAX_SUGGESTIONS = 200


class Suggester:
    """The closest known id to an unknown one ("did you mean"), from one list of choices per pack, each word looked up once.

    >>> suggest = Suggester(["relu", "lstm"], budget=1)
    >>> suggest.match("reLu"), suggest.match("relu-x"), suggest.match("reLu")
    ('relu', None, 'relu')
    """

    def __init__(self, choices, budget: int = MAX_SUGGESTIONS):
        self.choices = list(choices)
        self.budget = budget
        self.known: dict[str, str | None] = {}

    def match(self, word: str) -> str | None:
        """The closest choice, or None when none is close or the budget of look-ups is spent."""
        if word not in self.known:
            if self.budget <= 0:
                return None
            self.budget -= 1
            from .problems import did_you_mean

            self.known[word] = did_you_mean(word[:MAX_COMPARED], self.choices)
        return self.known[word]


def picker_label(pack: "Pack", node: str, lang: str = "en") -> str:
    """The text a concept picker shows and matches typing against: ``name · 中文名 · aliases``.

    Both names and every alias are in the label whatever the interface language (the name in
    ``lang`` first), so a learner can type any of them in either mode.

    >>> from kg import load_pack
    >>> pack = load_pack()
    >>> picker_label(pack, "relu", "zh").split(" · ")[:2] == [pack.graph.nodes["relu"]["name_zh"], "ReLU"]
    True
    """
    from .text import names

    data = pack.graph.nodes[node]
    parts = [" ".join(str(p).split()) for p in (*names(pack, node, lang), *data.get("aliases", ())) if p]
    return " · ".join(dict.fromkeys(parts))


def resolve_entry(pack: "Pack", text: str) -> str | None:
    """The one concept a typed picker entry means, or None: an id, English or Chinese name or alias
    (any case, either language), else the best search hit when it clearly beats the runner-up.

    Never more than one concept: a picker that takes this answer adds exactly one.

    >>> from kg import load_pack
    >>> pack = load_pack()
    >>> resolve_entry(pack, "relu"), resolve_entry(pack, pack.graph.nodes["lstm"]["name_zh"]), resolve_entry(pack, "  LSTM ")
    ('relu', 'lstm', 'lstm')
    >>> resolve_entry(pack, "") is None
    True
    """
    needle = " ".join(str(text or "").split())
    if not needle:
        return None
    if needle in pack.graph:
        return needle
    found = pack._names.get(needle.casefold())
    if found is not None:
        return found
    hits = search(pack, needle, limit=2)
    if hits and (len(hits) == 1 or hits[0].score > hits[1].score):
        return hits[0].id
    return None
