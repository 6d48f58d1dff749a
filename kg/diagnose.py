"""Placement: find out in a few questions which concepts of a study plan a learner already knows.

Knowledge-space assessment (the idea behind ALEKS) on the prerequisite graph: a learner's knowledge
state is closed under prerequisites, so a right answer on a concept is evidence that its
prerequisites are known and a wrong answer is evidence that what builds on it is not. The belief is
one probability per concept of the plan, ``p[c] = P(c is known)``, kept monotone along the study
order (a concept is never more likely known than its prerequisites). Answers are noisy: a learner who
knows ``c`` still answers wrongly with probability ``slip``, and one who does not answers rightly with
probability ``guess`` (four options: 0.25).

After an answer on ``c`` (the formulas are derived in docs/learning-model.md)::

    p[c]' = p[c] L1 / (p[c] L1 + (1 - p[c]) L0)          L1 = P(answer | c known), L0 = P(answer | c unknown)
    ancestor a:    p[a]' = p[c]' + (1 - p[c]') * (p[a] - p[c]) / (1 - p[c])     (= P(a | not c), since c implies a)
    descendant d:  p[d]' = p[c]' * p[d] / p[c]                                 (= P(d | c), since d implies c)

The next question is the concept whose answer is expected to lower the total entropy of the belief
the most; placement ends after ``max_questions`` or when every concept is decided to within
``confidence``. The estimate is every concept with ``p >= 0.5``.

>>> from kg import load_pack
>>> placement = Placement.for_target(load_pack(), "adam")
>>> first = placement.next_concept()
>>> first in placement.plan
True
>>> placement.answer(first, True); placement.p[first] > 0.5
True
"""
from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

import networkx as nx

if TYPE_CHECKING:
    from .pack import Pack

DEFAULT_SLIP = 0.1
DEFAULT_GUESS = 0.25
MAX_QUESTIONS = 15
CONFIDENCE = 0.1
_EPS = 1e-12
#: Size of the sample of knowledge states the posterior is kept on.
PARTICLES = 10000
#: How many of the most informative concepts are compared by expected misjudgements.
LOOKAHEAD = 4


def _log_power(base: float, count: int) -> float:
    """log(base ** count), with 0 ** 0 = 1 and log 0 = -inf."""
    if count == 0:
        return 0.0
    return count * math.log(base) if base > 0 else -math.inf


def _entropy(p: float) -> float:
    if p <= _EPS or p >= 1 - _EPS:
        return 0.0
    return -(p * math.log2(p) + (1 - p) * math.log2(1 - p))


@dataclass
class Placement:
    """The posterior over one learner's knowledge state on one plan, updated answer by answer.

    The prior is a sample of prerequisite-closed knowledge states (:func:`sample_states`). They are
    stored bit-sliced: ``columns[i]`` has bit ``j`` set when sample ``j`` knows ``plan[i]``. A sample's
    likelihood depends only on how many of the right answers and how many of the wrong answers were
    on concepts it knows, so the posterior is a few groups ``(right_known, wrong_known) -> samples``
    (a bit mask), at most (right answers + 1) x (wrong answers + 1) of them.
    """

    plan: list[str]
    columns: list[int]
    groups: dict[tuple[int, int], int]
    slip: float = DEFAULT_SLIP
    guess: float = DEFAULT_GUESS
    max_questions: int = MAX_QUESTIONS
    confidence: float = CONFIDENCE
    asked: list[tuple[str, bool]] = field(default_factory=list)

    @classmethod
    def for_plan(cls, study: nx.DiGraph, plan: list[str], *, particles: int = PARTICLES, seed: int = 0,
                 **options) -> "Placement":
        """A fresh belief over ``plan`` (concepts in study order), from the prior of :func:`sample_states`."""
        index = {c: i for i, c in enumerate(plan)}
        columns = [0] * len(plan)
        samples = sample_states(study, plan, random.Random(seed), particles)
        for number, known in enumerate(samples):
            for concept in known:
                columns[index[concept]] |= 1 << number
        return cls(list(plan), columns, {(0, 0): (1 << len(samples)) - 1}, **options)

    @classmethod
    def for_target(cls, pack: "Pack", target: str, **options) -> "Placement":
        """A fresh belief over the target's study plan from zero."""
        from .queries import study_order

        plan = [step.id for step in study_order(pack, [target]).steps]
        return cls.for_plan(pack.study, plan, **options)

    def fresh(self) -> "Placement":
        """The same prior with no answers (cheap: the samples are shared)."""
        everyone = 0
        for mask in self.groups.values():
            everyone |= mask
        return Placement(self.plan, self.columns, {(0, 0): everyone}, self.slip, self.guess, self.max_questions,
                         self.confidence, [])

    def _weights(self) -> list[tuple[int, float]]:
        """(samples, weight of each) per group, scaled so the largest weight is 1."""
        right = sum(ok for _, ok in self.asked)
        wrong = len(self.asked) - right
        logs = {key: (_log_power(1 - self.slip, key[0]) + _log_power(self.guess, right - key[0])
                      + _log_power(self.slip, key[1]) + _log_power(1 - self.guess, wrong - key[1]))
                for key in self.groups}
        top = max(logs.values())
        if top == -math.inf:  # answers no sampled state can give (possible only with slip or guess 0)
            return [(mask, 1.0) for mask in self.groups.values()]
        return [(mask, math.exp(logs[key] - top)) for key, mask in self.groups.items()]

    @property
    def p(self) -> dict[str, float]:
        """P(concept is known) for each concept of the plan (the posterior's marginals)."""
        weighted = self._weights()
        mass = sum(mask.bit_count() * weight for mask, weight in weighted) or 1.0
        return {c: sum((column & mask).bit_count() * weight for mask, weight in weighted) / mass
                for c, column in zip(self.plan, self.columns)}

    def answer(self, concept: str, correct: bool) -> None:
        """Take one answer into the posterior: each sample is weighted by the answer's likelihood under it."""
        column = self.columns[self.plan.index(concept)]
        groups: dict[tuple[int, int], int] = {}
        for (right_known, wrong_known), mask in self.groups.items():
            knows, does_not = mask & column, mask & ~column
            if knows:
                key = (right_known + 1, wrong_known) if correct else (right_known, wrong_known + 1)
                groups[key] = groups.get(key, 0) | knows
            if does_not:
                key = (right_known, wrong_known)
                groups[key] = groups.get(key, 0) | does_not
        self.groups = groups
        self.asked.append((concept, bool(correct)))

    def information(self, p: float) -> float:
        """The expected entropy reduction of the posterior over states from asking a concept known with
        probability ``p``: the mutual information between the answer and the state."""
        right = p * (1 - self.slip) + (1 - p) * self.guess
        return _entropy(right) - (p * _entropy(1 - self.slip) + (1 - p) * _entropy(self.guess))

    def expected_errors(self, concept: str, marginals: dict[str, float]) -> float:
        """The number of the plan's concepts the estimate is expected to get wrong after asking ``concept``:
        sum over both answers a of P(a) * sum over concepts x of min(p(x | a), 1 - p(x | a))."""
        column = self.columns[self.plan.index(concept)]
        p = marginals[concept]
        right = p * (1 - self.slip) + (1 - p) * self.guess
        weighted = self._weights()
        expected = 0.0
        for correct, chance in ((True, right), (False, 1 - right)):
            if_known, if_not = (1 - self.slip, self.guess) if correct else (self.slip, 1 - self.guess)
            split = [(mask & column, weight * if_known) for mask, weight in weighted]
            split += [(mask & ~column, weight * if_not) for mask, weight in weighted]
            mass = sum(mask.bit_count() * weight for mask, weight in split) or 1.0
            errors = 0.0
            for other in self.columns:
                known = sum((other & mask).bit_count() * weight for mask, weight in split) / mass
                errors += min(known, 1 - known)
            expected += chance * errors
        return expected

    def next_concept(self) -> str | None:
        """The next question's concept, or None when placement is done.

        The LOOKAHEAD concepts with the most mutual information are compared by the number of
        misjudged concepts each is expected to leave (:meth:`expected_errors`); the lowest wins."""
        if len(self.asked) >= self.max_questions:
            return None
        marginals = self.p
        if all(not self.confidence < v < 1 - self.confidence for v in marginals.values()):
            return None
        asked = {c for c, _ in self.asked}
        ranked = sorted((-self.information(marginals[c]), i, c) for i, c in enumerate(self.plan) if c not in asked)
        if not ranked:
            return None
        shortlist = [c for _, _, c in ranked[:LOOKAHEAD]]
        return min(shortlist, key=lambda c: (self.expected_errors(c, marginals), self.plan.index(c)))

    def estimate(self) -> set[str]:
        """The estimated known set: every concept more likely known than not (closed under
        prerequisites, since every state of the posterior is)."""
        return {c for c, v in self.p.items() if v >= 0.5}


def sample_states(study: nx.DiGraph, plan: list[str], rng: random.Random, count: int) -> list[set[str]]:
    """``count`` prerequisite-closed known sets: the prior of placement and the synthetic learners.

    Half are a prefix of a random study order of the plan (uniform length: the learner has studied
    along some valid order and stopped anywhere); half are everything below a random handful of
    concepts (each picked with a rate drawn between 0 and 0.3: a learner who met a few advanced
    topics and their foundations).
    """
    sub = study.subgraph(plan)
    ancestors = {c: nx.ancestors(sub, c) | {c} for c in plan}
    successors = {c: sorted(sub.successors(c)) for c in plan}
    in_degree = {c: sub.in_degree(c) for c in plan}
    roots = [c for c in plan if in_degree[c] == 0]
    result = []
    for _ in range(count):
        if rng.random() < 0.5:
            result.append(_random_prefix(successors, in_degree, roots, rng.randint(0, len(plan)), rng))
        else:
            rate = rng.uniform(0, 0.3)
            known: set[str] = set()
            for concept in plan:
                if rng.random() < rate:
                    known |= ancestors[concept]
            result.append(known)
    return result


def _random_prefix(successors: dict, in_degree: dict, roots: list, length: int, rng: random.Random) -> set[str]:
    """The first ``length`` concepts of a random study order (a topological order drawn uniformly among ready concepts)."""
    waiting = dict(in_degree)
    ready = list(roots)
    taken: set[str] = set()
    while ready and len(taken) < length:
        node = ready.pop(rng.randrange(len(ready)))
        taken.add(node)
        for after in successors[node]:
            waiting[after] -= 1
            if waiting[after] == 0:
                ready.append(after)
    return taken


def simulate(pack: "Pack", target: str, learners: int = 100, *, slip: float = DEFAULT_SLIP, guess: float = DEFAULT_GUESS,
             max_questions: int = MAX_QUESTIONS, seed: int = 0) -> dict:
    """Place ``learners`` synthetic learners (drawn as :func:`sample_states` draws, with another seed) answering with ``slip``
    and ``guess``; compare with asking every concept once.

    Accuracy is the share of the plan's concepts whose estimated state (known or not) is the true one.

    >>> from kg import load_pack
    >>> report = simulate(load_pack(), "adam", learners=5)
    >>> 0 <= report["accuracy"]["mean"] <= 1 and report["questions"]["max"] <= 15
    True
    """
    from .queries import study_order

    rng = random.Random(seed)
    study = pack.study
    plan = [step.id for step in study_order(pack, [target]).steps]
    template = Placement.for_plan(study, plan, slip=slip, guess=guess, max_questions=max_questions, seed=seed)
    truths = sample_states(study, plan, random.Random(f"learners-{seed}"), learners)
    accuracies, counts, every_raw, every_model = [], [], [], []
    for truth in truths:

        def respond(concept: str) -> bool:
            return rng.random() >= slip if concept in truth else rng.random() < guess

        placement = template.fresh()
        while (concept := placement.next_concept()) is not None:
            placement.answer(concept, respond(concept))
        accuracies.append(_accuracy(placement.estimate(), truth, plan))
        counts.append(len(placement.asked))
        # Baseline: every concept asked once, in plan order; read raw, and through the same model.
        everything = template.fresh()
        everything.max_questions = len(plan)
        raw = set()
        for concept in plan:
            right = respond(concept)
            if right:
                raw.add(concept)
            everything.answer(concept, right)
        every_raw.append(_accuracy(raw, truth, plan))
        every_model.append(_accuracy(everything.estimate(), truth, plan))
    return {
        "target": plan[-1] if plan else pack.resolve(target), "plan_concepts": len(plan), "learners": learners,
        "slip": slip, "guess": guess, "max_questions": max_questions, "seed": seed,
        "accuracy": _summary(accuracies), "questions": _summary(counts),
        "baseline_every_concept_once": {"questions": len(plan), "accuracy_raw_answers": _summary(every_raw),
                                        "accuracy_through_model": _summary(every_model)},
    }


def _accuracy(estimate: set[str], truth: set[str], plan: list[str]) -> float:
    return sum((c in estimate) == (c in truth) for c in plan) / len(plan) if plan else 1.0


def _summary(values: Iterable[float]) -> dict:
    values = sorted(values)
    if not values:
        return {"mean": 0, "p95": 0, "min": 0, "max": 0}
    p95 = values[min(len(values) - 1, math.ceil(0.95 * len(values)) - 1)]
    return {"mean": round(statistics.fmean(values), 4), "p95": round(p95, 4), "min": round(values[0], 4),
            "max": round(values[-1], 4)}
