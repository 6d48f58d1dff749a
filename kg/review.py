"""Spaced review that flows through the prerequisite graph: FSRS cards, implicit repetition, today's session.

One FSRS card (the ``fsrs`` package) per concept, rated from the answers to its questions. A
successful review of a concept is partial evidence that its prerequisites were recalled too:
each prerequisite within ``IMPLICIT_DEPTH`` study-order steps gets a fractional review of weight
``IMPLICIT_DECAY ** distance`` (practising Adam also refreshes gradient descent). A failed review
points at the prerequisites most likely at fault and makes them due now, for a quick check. The
formulas are in docs/learning-model.md.

>>> from datetime import datetime, timezone
>>> from kg import load_pack
>>> pack = load_pack()
>>> deck = Deck(pack.study)
>>> start = datetime(2026, 1, 1, tzinfo=timezone.utc)
>>> deck.review("gradient-descent", True, start).concept
'gradient-descent'
>>> round(deck.recall("gradient-descent", start), 2)
1.0
"""
from __future__ import annotations

import random
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Iterable

import networkx as nx

if TYPE_CHECKING:
    from .pack import Pack

#: A successful review credits each prerequisite this much per study-order step of distance...
IMPLICIT_DECAY = 0.5
#: ... up to this many steps away.
IMPLICIT_DEPTH = 3
#: How many prerequisites a failed review flags for a quick check.
SUSPECTS = 2
#: Minutes a review of one concept takes (one or two questions and reading the explanation).
REVIEW_MINUTES = 3
#: The recall the scheduler aims for when it sets a due date.
DESIRED_RETENTION = 0.9


def scheduler():
    """FSRS with day-sized steps: no minute-long learning steps (a concept is reviewed once a session)."""
    from fsrs import Scheduler

    return Scheduler(desired_retention=DESIRED_RETENTION, learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass
class Outcome:
    """What one review changed."""

    concept: str
    correct: bool
    due: datetime
    credited: dict[str, float] = field(default_factory=dict)  # prerequisite -> weight of its implicit review
    suspects: list[str] = field(default_factory=list)  # prerequisites flagged for a quick check


class Deck:
    """The cards of one learner, with the study graph that implicit repetition flows through.

    Parameters
    ----------
    study : networkx.DiGraph
        The pack's study-order graph (``pack.study``: an edge u -> v means u is learnt before v).
    cards : dict, optional
        concept -> (card as a dict, due, flag), as :meth:`kg.store.Store.cards` returns them.
    implicit : bool
        Credit prerequisites on a successful review (the point of this module); off for comparison.
    """

    def __init__(self, study: nx.DiGraph, cards: dict | None = None, *, implicit: bool = True):
        from fsrs import Card

        self.study = study
        self.implicit = implicit
        self.fsrs = scheduler()
        self.cards = {}
        self.flags: dict[str, str] = {}
        for concept, (card, _due, flag) in (cards or {}).items():
            self.cards[concept] = Card.from_dict(card)
            if flag:
                self.flags[concept] = flag
        self.changed: set[str] = set()

    # ---------------------------------------------------------------- the model

    def recall(self, concept: str, at: datetime) -> float:
        """Predicted probability of recalling ``concept`` at ``at`` (0 for a concept never reviewed)."""
        card = self.cards.get(concept)
        if card is None or card.last_review is None:
            return 0.0
        return self.fsrs.get_card_retrievability(card, at)

    def prerequisites(self, concept: str, depth: int = IMPLICIT_DEPTH) -> dict[str, int]:
        """Prerequisites within ``depth`` study-order steps -> their distance."""
        if concept not in self.study:
            return {}
        reversed_view = self.study.reverse(copy=False)
        found = nx.single_source_shortest_path_length(reversed_view, concept, cutoff=depth)
        found.pop(concept, None)
        return found

    def review(self, concept: str, correct: bool, at: datetime) -> Outcome:
        """Rate ``concept`` Good (right) or Again (wrong) at ``at``; credit or suspect its prerequisites."""
        from fsrs import Card, Rating

        card = self.cards.get(concept) or Card()
        card, _ = self.fsrs.review_card(card, Rating.Good if correct else Rating.Again, at)
        self.cards[concept] = card
        self.flags.pop(concept, None)
        self.changed.add(concept)
        outcome = Outcome(concept, bool(correct), card.due)
        if correct and self.implicit:
            for prerequisite, distance in self.prerequisites(concept).items():
                weight = IMPLICIT_DECAY ** distance
                if self._credit(prerequisite, weight, at):
                    outcome.credited[prerequisite] = weight
        elif not correct:
            outcome.suspects = self.suspects(concept, at)
            for suspect in outcome.suspects:
                self.flags[suspect] = f"check: {concept} was missed"
                if suspect not in self.cards:  # known but never reviewed: it gets a card, due now
                    self.cards[suspect] = Card(due=at)
                self.cards[suspect].due = min(self.cards[suspect].due, at)
                self.changed.add(suspect)
        return outcome

    def _credit(self, concept: str, weight: float, at: datetime) -> bool:
        """A fractional review: stability and the last review move ``weight`` of the way to a real Good review.

        S' = S + w (S_good - S);  t' = t_last + w (at - t_last);  due = t' + interval(S').
        """
        from fsrs import Rating

        card = self.cards.get(concept)
        if card is None or card.stability is None or card.last_review is None or at <= card.last_review:
            return False
        full, _ = self.fsrs.review_card(card, Rating.Good, at)
        stability = card.stability + weight * (full.stability - card.stability)
        last = card.last_review + weight * (at - card.last_review)
        card.stability = stability
        card.last_review = last
        card.due = last + timedelta(days=max(1, round(self.fsrs._next_interval(stability=stability))))
        self.changed.add(concept)
        return True

    def suspects(self, concept: str, at: datetime) -> list[str]:
        """The prerequisites most likely at fault for a missed review: close ones that are least recalled.

        score(a) = (1 - recall(a)) * IMPLICIT_DECAY ** (distance - 1); a prerequisite never reviewed counts
        as recall 0.5 (unknown). The top SUSPECTS with a positive score.
        """
        scored = []
        for prerequisite, distance in self.prerequisites(concept, depth=2).items():
            recall = self.recall(prerequisite, at) if prerequisite in self.cards else 0.5
            score = (1 - recall) * IMPLICIT_DECAY ** (distance - 1)
            if score > 0.05:
                scored.append((-score, distance, prerequisite))
        return [name for _, _, name in sorted(scored)[:SUSPECTS]]

    def due(self, at: datetime) -> list[str]:
        """Concepts due for review at ``at`` (flagged ones included), most forgotten first."""
        found = [c for c, card in self.cards.items() if card.due <= at or c in self.flags]
        found += [c for c in self.flags if c not in self.cards]
        return sorted(dict.fromkeys(found), key=lambda c: (self.recall(c, at), c))

    def to_store(self, concepts: Iterable[str] | None = None) -> dict:
        """concept -> (card dict, due text, flag) for :meth:`kg.store.Store.save_cards`."""
        from .store import as_stamp

        wanted = self.changed if concepts is None else set(concepts)
        return {c: (self.cards[c].to_dict(), as_stamp(self.cards[c].due), self.flags.get(c, ""))
                for c in sorted(wanted) if c in self.cards}


# ---------------------------------------------------------------- today's session


@dataclass
class Today:
    reviews: list[tuple[str, list[str]]]  # (concept, the due prerequisites its implicit credit covers)
    checks: list[str]  # flagged prerequisites of missed reviews that have no card yet
    new: list[str]  # next concepts toward the targets
    minutes: int

    def to_dict(self) -> dict:
        return {"reviews": [{"concept": c, "covers": covers} for c, covers in self.reviews], "checks": self.checks,
                "new": self.new, "minutes": self.minutes}


def plan_today(pack: "Pack", deck: Deck, targets: list[str], done: Iterable[str], at: datetime, minutes: int = 30) -> Today:
    """Due reviews first, then new concepts toward the targets, within ``minutes``.

    Reviews are picked greedily: the due concept whose implicit credit covers the most other due
    concepts (its due prerequisites within IMPLICIT_DEPTH) goes first, and what it covers is not
    reviewed separately. New concepts are the next steps of the targets' plan (known, skipped and
    already-studied concepts left out) whose prerequisites are all done, while the budget lasts (the first
    one is started when at least half of it fits).
    """
    from .queries import study_order
    from .schema import DEFAULT_MINUTES

    budget = minutes
    remaining = [c for c in deck.due(at) if c in pack.graph]
    reviews = []
    while remaining and budget >= REVIEW_MINUTES:
        reach = {c: [p for p in deck.prerequisites(c) if p in remaining and p in deck.cards] for c in remaining if c in deck.cards}
        if not reach:
            break
        best = min(reach, key=lambda c: (-len(reach[c]), deck.recall(c, at), pack.order_key(c)))
        reviews.append((best, reach[best] if deck.implicit else []))
        covered = set(reach[best]) if deck.implicit else set()
        remaining = [c for c in remaining if c != best and c not in covered]
        budget -= REVIEW_MINUTES
    checks = [c for c in deck.flags if c not in deck.cards and c in pack.graph]
    budget -= REVIEW_MINUTES * len(checks)
    studied = set(done) | set(deck.cards)
    new = []
    if targets:
        plan = study_order(pack, targets, [c for c in studied if c in pack.graph])
        for step in plan.steps:
            # A concept that does not fit is still started when nothing new was today and at least half
            # of it fits (it is finished next time); otherwise a long concept would block the plan for good.
            if budget < step.minutes and (new or budget * 2 < step.minutes):
                break
            if all(p in studied for p in pack.study.predecessors(step.id)):
                new.append(step.id)
                studied.add(step.id)
                budget -= step.minutes or DEFAULT_MINUTES
    return Today(reviews, checks, new, minutes - max(budget, 0))


# ---------------------------------------------------------------- simulation


def simulate(pack: "Pack", *, concepts: int = 100, days: int = 60, minutes: int = 60, seed: int = 0) -> dict:
    """A synthetic learner follows ``kg today`` every day over a ``concepts``-concept plan, once with
    implicit repetition and once without.

    The plan is the first ``concepts`` steps of the study order of the whole pack (prerequisite-closed).
    The learner's true memory is an FSRS card per concept that receives every review and, when a review
    succeeds, the implicit credit of its prerequisites (the hypothesis under test). A review succeeds
    with the learner's true recall; a new concept is learnt on the day it is studied. Reported per
    run: reviews per day, concepts studied, and the share of the plan above 90 % recall at the end,
    as the scheduler predicts it and as the learner's true memory has it.
    """
    from .queries import study_order

    order = [step.id for step in study_order(pack, sorted(pack.graph, key=pack.order_key)).steps][:concepts]
    plan = set(order)
    study = pack.study.subgraph(plan).copy()
    results = {}
    for implicit in (True, False):
        rng = random.Random(seed)
        deck = Deck(study, implicit=implicit)
        truth = Deck(study, implicit=True)
        start = datetime(2026, 1, 1, 9, tzinfo=timezone.utc)
        per_day = []
        for day in range(days):
            at = start + timedelta(days=day)
            today = plan_today(pack, deck, order, [], at, minutes)
            reviewed = 0
            for concept, _ in today.reviews:
                correct = rng.random() < truth.recall(concept, at)
                deck.review(concept, correct, at)
                truth.review(concept, correct, at)
                reviewed += 1
            for concept in today.checks:
                deck.flags.pop(concept, None)
            for concept in today.new:
                deck.review(concept, True, at)
                truth.review(concept, True, at)
            per_day.append(reviewed)
        end = start + timedelta(days=days)
        predicted = sum(deck.recall(c, end) >= 0.9 for c in order) / len(order)
        actual = sum(truth.recall(c, end) >= 0.9 for c in order) / len(order)
        results["with_implicit" if implicit else "without_implicit"] = {
            "reviews_per_day": round(statistics.fmean(per_day), 2), "reviews_total": sum(per_day),
            "studied": len(deck.cards), "share_above_90_predicted": round(predicted, 3),
            "share_above_90_true": round(actual, 3)}
    return {"plan_concepts": len(order), "days": days, "minutes_per_day": minutes, "seed": seed, **results}
