"""Curriculum assertions: the unit tests of a pack's study plans.

A pack file may hold a top-level ``expect:`` list (alone, or beside ``pack:`` and ``concepts:``)::

    expect:
      - before: [backpropagation, cnn]
        why: A CNN is trained by backpropagation; a learner must have met it first.
      - not-in-plan: [rnn, transformer]
        why: Attention does not need recurrence.
      - max-steps: [code-generation, 40]
        why: A learner should reach code generation in a focused route.

Each entry is checked against the study graph, *from zero* (nothing known):

* ``before: [A, B]``: A is in B's study plan;
* ``not-in-plan: [A, B]``: A is not in B's study plan;
* ``max-steps: [B, N]``: B's study plan has at most N steps (B included).

Shape problems are ``expect-malformed``, unknown ids ``expect-unknown-concept``, assertions that
cannot all hold ``expect-contradiction``, and assertions the graph breaks ``expect-failed``; all are
located at the entry in its file, like any other problem.

Examples
--------
>>> import tempfile, pathlib
>>> from kg import load_pack
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.yaml").write_text(
...     "concepts:\\n"
...     "  - {id: a, name: A, name_zh: 甲, kind: concept, summary: S., summary_zh: 摘要。}\\n"
...     "  - {id: b, name: B, name_zh: 乙, kind: concept, summary: S., summary_zh: 摘要。, requires: [a]}\\n"
...     "expect:\\n"
...     "  - {before: [a, b], why: B builds on A.}\\n"
...     "  - {before: [b, a], why: Wrong on purpose.}\\n")
>>> [(p.line, p.code) for p in load_pack(folder).problems]
[(6, 'expect-contradiction')]
>>> [(e.kind, e.subject, e.target) for e in load_pack(folder).expectations][0]
('before', 'a', 'b')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from .problems import Bilingual, Phrase, Problem, did_you_mean, problem
from .schema import EXPECT_FIELDS, EXPECT_KINDS

if TYPE_CHECKING:
    from .pack import Pack

_STEPS = re.compile(r"^[0-9]{1,6}$")
#: Up to this many concepts, plans are ancestor bitsets computed in one pass; above, one search per target.
BITSET_LIMIT = 20_000


@dataclass(frozen=True)
class Expectation:
    """One curriculum assertion as written.

    ``subject`` is A of ``before``/``not-in-plan`` (None for ``max-steps``); ``target`` is B, whose plan is
    checked; ``steps`` is N of ``max-steps``. ``where`` is (path, line, col) of the entry and ``value_where``
    the positions of the two values, for pointing at an unknown id.
    """

    kind: str
    subject: str | None
    target: str
    steps: int | None
    why: str
    why_zh: str
    where: tuple[str, int, int]
    value_where: tuple[tuple[int, int], ...]


def expectations_from_value(value, position: tuple[int, int], path: str, problems: list[Problem]) -> list[Expectation]:
    """The well-formed entries of an ``expect:`` value; every malformed one becomes an ``expect-malformed`` problem."""
    from .yamlsafe import YList, YMap  # here, not at the top: a Pack read from the cache needs no YAML

    if not isinstance(value, YList):
        problems.append(problem("expect-malformed", (path, *position), field="expect", flaw=Phrase("not-a-list-of-assertions")))
        return []
    found = []
    for entry, (line, col) in zip(value, value.item_pos):
        expectation = _entry(entry, line, col, path, problems)
        if expectation is not None:
            found.append(expectation)
    return found


def _entry(entry, line: int, col: int, path: str, problems: list[Problem]) -> Expectation | None:
    from .yamlsafe import YList, YMap  # here, not at the top: a Pack read from the cache needs no YAML

    def malformed(field: str, flaw: str, where: tuple[int, int] = (line, col), suggestion: str | None = None) -> None:
        problems.append(problem("expect-malformed", (path, *where), field=field, flaw=Phrase(flaw), suggestion=suggestion))

    if not isinstance(entry, YMap):
        return malformed("expect[]", "not-an-assertion-mapping")
    for key in entry:
        if key not in EXPECT_FIELDS:
            return malformed(f"expect[].{key}", "not-an-assertion-key", entry.key_pos[key], did_you_mean(key, EXPECT_FIELDS))
    kinds = [key for key in entry if key in EXPECT_KINDS]
    if len(kinds) != 1:
        return malformed("expect[]", "not-one-kind")
    kind = kinds[0]
    for key in ("why", "why_zh"):
        if key in entry and not isinstance(entry[key], str):
            return malformed(f"expect[].{key}", "not-text", entry.value_pos[key])
    why = " ".join((entry.get("why") or "").split())
    if not why:
        return malformed("expect[].why", "no-why")
    value = entry[kind]
    if not isinstance(value, YList) or len(value) != 2 or not all(isinstance(item, str) for item in value):
        return malformed(f"expect[].{kind}", "not-two-values", entry.value_pos[kind])
    first, second = value
    if kind == "max-steps":
        if not _STEPS.match(second) or int(second) < 1:
            return malformed(f"expect[].{kind}", "not-a-step-count", value.item_pos[1])
        subject, target, steps = None, first, int(second)
    else:
        if first == second:
            return malformed(f"expect[].{kind}", "same-concept-twice", entry.value_pos[kind])
        subject, target, steps = first, second, None
    return Expectation(kind, subject, target, steps, why, " ".join((entry.get("why_zh") or "").split()),
                       (path, line, col), tuple(value.item_pos))


def expectation_problems(pack: "Pack") -> list[Problem]:
    """Unknown ids, contradictions and failed assertions of ``pack.expectations``."""
    problems: list[Problem] = []
    graph = pack.graph
    known: list[Expectation] = []
    for expectation in pack.expectations:
        ids = ([expectation.subject] if expectation.subject is not None else []) + [expectation.target]
        positions = expectation.value_where if expectation.subject is not None else expectation.value_where[:1]
        unknown = [(node, position) for node, position in zip(ids, positions) if node not in graph]
        for node, position in unknown:
            problems.append(problem("expect-unknown-concept", (expectation.where[0], *position), kind=expectation.kind, concept=node,
                                    suggestion=did_you_mean(node, graph)))
        if not unknown:
            known.append(expectation)
    valid = _without_contradictions(known, problems)
    plan = _plans(pack, {e.target for e in valid})

    for expectation in valid:
        path, line, col = expectation.where
        subject, target = expectation.subject, expectation.target
        if expectation.kind == "before" and subject not in plan(target):
            problems.append(problem("expect-failed", (path, line, col), finding=Phrase("not-in-plan"), fix=Phrase("add-edges"),
                                    subject=subject, target=target, why=Bilingual(expectation.why, expectation.why_zh)))
        elif expectation.kind == "not-in-plan" and subject in plan(target):
            chain = " -> ".join(nx.shortest_path(pack.study, subject, target))
            problems.append(problem("expect-failed", (path, line, col), finding=Phrase("in-plan"), fix=Phrase("remove-edge"),
                                    subject=subject, target=target, chain=chain, why=Bilingual(expectation.why, expectation.why_zh)))
        elif expectation.kind == "max-steps" and len(plan(target)) > expectation.steps:
            problems.append(problem("expect-failed", (path, line, col), finding=Phrase("plan-too-long"), fix=Phrase("shorten-plan"),
                                    target=target, steps=len(plan(target)), limit=expectation.steps, why=Bilingual(expectation.why, expectation.why_zh)))
    return problems


class _BitPlan:
    """A plan as an ancestor bitset (bit i = i-th concept of a topological order), with set-like answers."""

    __slots__ = ("bits", "index")

    def __init__(self, bits: int, index: dict[str, int]):
        self.bits, self.index = bits, index

    def __contains__(self, node: str) -> bool:
        return bool(self.bits >> self.index[node] & 1)

    def __len__(self) -> int:
        return self.bits.bit_count()


def _plans(pack: "Pack", targets: set[str]):
    """node -> its plan from zero (the node and its ancestors) for the asserted targets.

    One pass of ancestor bitsets over a topological order serves every assertion (memory up to n^2/8
    bytes, so only up to :data:`BITSET_LIMIT` concepts); a larger pack, or a study graph with a cycle
    (already an error of its own), gets one search per asserted target instead.
    """
    study = pack.study
    cache: dict[str, set[str]] = {}

    def search(node: str) -> set[str]:
        if node not in cache:
            cache[node] = nx.ancestors(study, node) | {node}
        return cache[node]

    if not targets or study.number_of_nodes() > BITSET_LIMIT:
        return search
    try:
        order = list(nx.topological_sort(study))
    except nx.NetworkXUnfeasible:
        return search
    index = {node: i for i, node in enumerate(order)}
    bits: dict[str, int] = {}
    for node in order:
        value = 1 << index[node]
        for p in study.pred[node]:
            value |= bits[p]
        bits[node] = value
    return lambda node: _BitPlan(bits[node], index)


def _without_contradictions(expectations: list[Expectation], problems: list[Problem]) -> list[Expectation]:
    """The assertions that contradict no earlier one; each later contradicting one becomes a problem."""
    first_seen: dict[tuple[str, str | None, str], Expectation] = {}
    kept = []
    for expectation in expectations:
        a, b = expectation.subject, expectation.target
        clashes = []
        if expectation.kind == "before":
            clashes = [("not-in-plan", a, b), ("before", b, a)]
        elif expectation.kind == "not-in-plan":
            clashes = [("before", a, b)]
        earlier = next((first_seen[key] for key in clashes if key in first_seen), None)
        if earlier is not None:
            path, line, col = expectation.where
            problems.append(problem("expect-contradiction", (path, line, col), assertion=f"{expectation.kind}: [{a}, {b}]",
                                    earlier=f"{earlier.kind}: [{earlier.subject}, {earlier.target}]", first=f"{earlier.where[0]}:{earlier.where[1]}"))
            continue
        first_seen.setdefault((expectation.kind, a, b), expectation)
        kept.append(expectation)
    return kept
