"""A learner's side of kg: the profile's known set and targets, marks, progress, placement and review
sessions, on top of :mod:`kg.store`, :mod:`kg.diagnose` and :mod:`kg.review`. The ``kg`` command and the
app call these; they only parse and print.

>>> import tempfile, os
>>> from kg import load_pack
>>> from kg.store import Store
>>> pack, store = load_pack(), Store(os.path.join(tempfile.mkdtemp(), "p.db"))
>>> mark(pack, store, "ada", ["Adam"], "known")
['adam']
>>> _ = add_targets(pack, store, "ada", ["lstm"]); known_ids(pack, store, "ada"), target_ids(pack, store, "ada")
(['adam'], ['lstm'])
"""
from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable, Iterable

from .store import DEFAULT_PROFILE, DONE_STATES, STATES, Answer, Store, check_profile

if TYPE_CHECKING:
    from .pack import Pack
    from .quiz import Question, Result


def profile_name(name: str | None = None, environ=os.environ) -> str:
    """``--profile``, else ``$KG_PROFILE``, else "default"."""
    return check_profile(name or environ.get("KG_PROFILE") or DEFAULT_PROFILE)


def open_store(db: str | None = None) -> Store:
    """The store at ``--db`` (a URL or a file), else the default (``$KG_DB``, ``$KG_HOME``, the data folder)."""
    return Store(db)


# ---------------------------------------------------------------- the profile as plans see it


def known_ids(pack: "Pack", store: Store, profile: str) -> list[str]:
    """Known and skipped concepts that this pack has (others are kept in the store, see :func:`orphans`)."""
    return sorted((c for c in store.known(profile) if c in pack.graph), key=pack.order_key)


def target_ids(pack: "Pack", store: Store, profile: str) -> list[str]:
    return [c for c in store.targets(profile) if c in pack.graph]


def orphans(pack: "Pack", store: Store, profile: str) -> list[str]:
    """Concepts with progress that this pack does not have: kept, reported, never dropped."""
    return store.orphans(profile, pack.graph)


def resolve_all(pack: "Pack", names: Iterable[str]) -> list[str]:
    """Ids for names (id, name, Chinese name or alias); UnknownConcept for the first that matches nothing."""
    return list(dict.fromkeys(pack.resolve(name) for name in names))


def mark(pack: "Pack", store: Store, profile: str, names: Iterable[str], state: str) -> list[str]:
    """Set the state of concepts named any way the pack knows them; returns their ids."""
    ids = resolve_all(pack, names)
    store.mark(profile, ids, state)
    return ids


def add_targets(pack: "Pack", store: Store, profile: str, names: Iterable[str]) -> list[str]:
    ids = resolve_all(pack, names)
    store.add_targets(profile, ids)
    return ids


def remove_targets(pack: "Pack", store: Store, profile: str, names: Iterable[str]) -> list[str]:
    """Remove targets; a name the pack no longer has is taken as an id, so an orphaned target can go too."""
    from .errors import UnknownConcept

    ids = []
    for name in names:
        try:
            ids.append(pack.resolve(name))
        except UnknownConcept:
            ids.append(name)
    store.remove_targets(profile, ids)
    return ids


# ---------------------------------------------------------------- progress


@dataclass
class SectionProgress:
    section: str  # the top-level guide section ("7"), "" when concepts have none
    name: str
    known: int
    learning: int
    total: int

    @property
    def share(self) -> float:
        return self.known / self.total if self.total else 0.0


def progress(pack: "Pack", store: Store, profile: str, lang: str = "en") -> dict:
    """Per top-level section and overall: concepts known (known or skipped), being learnt, in all.

    >>> import tempfile, os
    >>> from kg import load_pack
    >>> pack, store = load_pack(), Store(os.path.join(tempfile.mkdtemp(), "p.db"))
    >>> store.mark("ada", ["adam", "relu"], "known")
    >>> progress(pack, store, "ada")["overall"]["known"]
    2
    """
    from .schema import section_key

    states = store.states(profile)
    groups: dict[str, list[str]] = {}
    for node, section in pack.graph.nodes(data="section"):
        groups.setdefault((section or "").split(".")[0], []).append(node)
    sections = []
    for section in sorted(groups, key=lambda s: section_key(s or None)):
        members = groups[section]
        known = sum(states.get(n, ("unknown",))[0] in DONE_STATES for n in members)
        learning = sum(states.get(n, ("unknown",))[0] == "learning" for n in members)
        sections.append(SectionProgress(section, pack.section_name(section, lang) if section else "", known, learning, len(members)))
    total = pack.graph.number_of_nodes()
    known = sum(s.known for s in sections)
    targets = target_ids(pack, store, profile)
    remaining = None
    if targets:
        from .queries import study_order

        remaining = len(study_order(pack, targets, known_ids(pack, store, profile)).steps)
    return {
        "profile": profile,
        "overall": {"known": known, "learning": sum(s.learning for s in sections), "total": total,
                    "share": round(known / total, 4) if total else 0.0},
        "sections": [{"section": s.section, "name": s.name, "known": s.known, "learning": s.learning, "total": s.total,
                      "share": round(s.share, 4)} for s in sections],
        "targets": targets, "steps_to_targets": remaining,
        "orphans": orphans(pack, store, profile),
    }


def bar(share: float, width: int = 20) -> str:
    """A text progress bar.

    >>> bar(0.5, 10)
    '█████░░░░░'
    """
    filled = round(max(0.0, min(1.0, share)) * width)
    return "█" * filled + "░" * (width - filled)


# ---------------------------------------------------------------- quiz answers into the store


def record_quiz(store: Store, profile: str, results: "Iterable[Result]", source: str = "quiz") -> None:
    """Every answer is kept; wrong ones join the profile's review list and right ones leave it."""
    from .quiz import review_list

    results = list(results)
    at = datetime.now(timezone.utc).isoformat()
    store.record_answers(profile, [Answer(r.question.concept, r.question.id, r.correct, at, source)
                                   for r in results if r.question.concept])
    wrong = review_list(results)
    previous = {item["id"]: item for item in store.review_items(profile)}
    for item in wrong:
        item["times_wrong"] = int(previous.get(item["id"], {}).get("times_wrong", 0) or 0) + 1
    store.save_review_items(profile, add=wrong, remove=[r.question.id for r in results if r.correct])


# ---------------------------------------------------------------- one question about one concept


def question_for(pack: "Pack", concept: str, rng: random.Random, lang: str = "en") -> "Question":
    """A question on ``concept``: a graph multiple-choice question about it if there is one, else one of
    its written interview questions, else "do you know what X is?" (self-graded against its summary)."""
    from .text import field_text, label, word
    from .quiz import Question, make_quiz

    candidates = [q for q in make_quiz(pack, topic=concept, count=40, seed=rng.randrange(1 << 30), lang=lang)
                  if q.concept == concept]
    choice = [q for q in candidates if q.kind == "choice"]
    if choice:
        return rng.choice(choice)
    if candidates:
        return rng.choice(candidates)
    data = pack.graph.nodes[concept]
    summary = field_text(data, "summary", lang)
    prompt = word("explain_prompt", lang, name=label(pack, concept, lang))
    return Question(id=f"explain:{concept}", kind="recall", prompt=prompt, answer_text=summary, concept=concept, lang=lang)


# ---------------------------------------------------------------- placement


@dataclass
class PlacementRun:
    target: str
    estimate: list[str]
    asked: list[tuple[str, bool]] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)


#: Asks one question and returns whether it was answered right, or None when the learner stops.
Ask = Callable[["Question"], "bool | None"]


def run_placement(pack: "Pack", target: str, ask: Ask, *, lang: str = "en", seed: int = 0, slip: float = 0.1,
                  guess: float = 0.25, max_questions: int = 15) -> PlacementRun:
    """Ask the most informative questions over the target's plan (through ``ask``); return the estimated known set."""
    from .diagnose import Placement

    rng = random.Random(seed)
    placement = Placement.for_target(pack, target, slip=slip, guess=guess, max_questions=max_questions, seed=seed)
    while (concept := placement.next_concept()) is not None:
        answer = ask(question_for(pack, concept, rng, lang))
        if answer is None:
            break
        placement.answer(concept, bool(answer))
    estimate = sorted(placement.estimate(), key=pack.order_key)
    return PlacementRun(pack.resolve(target), estimate, list(placement.asked), list(placement.plan))


def save_placement(store: Store, profile: str, run: PlacementRun) -> None:
    """Keep the answers and mark the confirmed estimate known (concepts already marked otherwise keep their mark)."""
    at = datetime.now(timezone.utc).isoformat()
    store.record_answers(profile, [Answer(c, "placement", ok, at, "diagnose") for c, ok in run.asked])
    marked = store.states(profile)
    store.mark(profile, [c for c in run.estimate if c not in marked], "known")


# ---------------------------------------------------------------- review


def deck_for(pack: "Pack", store: Store, profile: str):
    from .review import Deck

    return Deck(pack.study, {c: v for c, v in store.cards(profile).items() if c in pack.graph})


def today(pack: "Pack", store: Store, profile: str, minutes: int = 30, at: datetime | None = None):
    """:func:`kg.review.plan_today` for a profile: its cards, known set and targets."""
    from .review import plan_today

    at = at or datetime.now(timezone.utc)
    return plan_today(pack, deck_for(pack, store, profile), target_ids(pack, store, profile),
                      known_ids(pack, store, profile), at, minutes)


@dataclass
class ReviewRun:
    reviewed: list[tuple[str, bool]] = field(default_factory=list)
    learnt: list[tuple[str, bool]] = field(default_factory=list)
    credited: dict[str, float] = field(default_factory=dict)
    suspects: list[str] = field(default_factory=list)
    stopped: bool = False


def run_review(pack: "Pack", store: Store, profile: str, ask: Ask, *, minutes: int = 30, lang: str = "en",
               at: datetime | None = None, seed: int = 0, explain: Callable[[str], None] | None = None) -> ReviewRun:
    """Today's session: a question (through ``ask``) per due review and quick check, then each new concept
    (shown first through ``explain``). Cards, answers and states are saved after every answer, so an
    interrupted session loses nothing."""
    at = at or datetime.now(timezone.utc)
    rng = random.Random(seed)
    deck = deck_for(pack, store, profile)
    from .review import plan_today

    plan = plan_today(pack, deck, target_ids(pack, store, profile), known_ids(pack, store, profile), at, minutes)
    run = ReviewRun()
    steps = [(c, "review") for c, _ in plan.reviews] + [(c, "review") for c in plan.checks] + [(c, "new") for c in plan.new]
    for concept, kind in steps:
        if kind == "new" and explain is not None:
            explain(concept)
        question = question_for(pack, concept, rng, lang)
        answer = ask(question)
        if answer is None:
            run.stopped = True
            break
        answer = bool(answer)
        outcome = deck.review(concept, answer, at)
        run.credited.update(outcome.credited)
        run.suspects.extend(s for s in outcome.suspects if s not in run.suspects)
        (run.learnt if kind == "new" else run.reviewed).append((concept, answer))
        store.record_answers(profile, [Answer(concept, question.id, answer, at.isoformat(), "review")])
        store.save_cards(profile, deck.to_store())
        deck.changed.clear()
        if kind == "new" and store.states(profile).get(concept, ("unknown",))[0] not in DONE_STATES:
            store.mark(profile, [concept], "learning")
    return run


__all__ = ["STATES", "profile_name", "open_store", "known_ids", "target_ids", "orphans", "mark", "add_targets",
           "remove_targets", "progress", "bar", "record_quiz", "question_for", "run_placement", "save_placement",
           "today", "run_review"]
