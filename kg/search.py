"""Ranked, typo-tolerant search over ids, English and Chinese names and aliases."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pack import Pack


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    matched: str


class SearchIndex:
    """Every label of every concept, lower-cased, with the concept it names."""

    def __init__(self, pack: "Pack"):
        labels, owners = [], []
        for node, data in pack.graph.nodes(data=True):
            for label in (node, data.get("name"), data.get("name_zh"), *data.get("aliases", ())):
                if label:
                    labels.append(label.casefold())
                    owners.append(node)
        self.labels, self.owners, self.pack = labels, owners, pack

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        needle = " ".join(query.casefold().split())
        if not needle:
            return []
        best: dict[str, Hit] = {}

        def offer(node: str, score: float, label: str) -> None:
            if node not in best or best[node].score < score:
                best[node] = Hit(node, score, label)

        for label, node in zip(self.labels, self.owners):
            if needle in label:
                if label == needle:
                    offer(node, 100.0, label)
                elif label.startswith(needle):
                    offer(node, 90.0 + 9 * len(needle) / len(label), label)
                else:
                    offer(node, 75.0 + 9 * len(needle) / len(label), label)
        if len(best) < limit:
            from rapidfuzz import fuzz, process

            # Whole-label similarity (typos) and word-order-free similarity ("norm batch"); the best of both counts.
            for scorer in (fuzz.QRatio, fuzz.token_sort_ratio):
                for label, score, index in process.extract(needle, self.labels, scorer=scorer, limit=limit * 3, score_cutoff=65):
                    offer(self.owners[index], score * 0.74, label)  # below every substring match, order kept
        ranked = sorted(best.values(), key=lambda hit: (-hit.score, self.pack.order_key(hit.id)))
        return ranked[:limit]


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
    index = pack.__dict__.get("_search_index")
    if index is None:
        index = pack.__dict__["_search_index"] = SearchIndex(pack)
    return index.search(query, limit)
