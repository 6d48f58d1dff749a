"""The learner's library: profile known set and targets, progress per section, quiz answers kept,
placement and review sessions saved to the store."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import networkx as nx
import pytest

import kg
from kg.errors import UnknownConcept
from kg.learner import (add_targets, known_ids, mark, progress, record_quiz, remove_targets, run_placement, run_review,
                        save_placement, target_ids, today)
from kg.quiz import grade, make_quiz
from kg.store import Store
from learner_packs import chain, concept, write_pack


@pytest.fixture
def pack(tmp_path):
    concepts = chain(12) + [concept("extra", ["c03"], section="9", questions=2)]
    return kg.load_pack(write_pack(tmp_path / "pack", concepts))


@pytest.fixture
def store(tmp_path):
    return Store(str(tmp_path / "progress.db"))


def test_marks_and_targets_take_any_name_and_feed_plans(pack, store):
    assert mark(pack, store, "ada", ["C00", "c01"], "known") == ["c00", "c01"]
    mark(pack, store, "ada", ["c02"], "skipped")
    mark(pack, store, "ada", ["c03"], "learning")
    assert known_ids(pack, store, "ada") == ["c00", "c01", "c02"]
    add_targets(pack, store, "ada", ["c06"])
    assert target_ids(pack, store, "ada") == ["c06"]
    with pytest.raises(UnknownConcept):
        mark(pack, store, "ada", ["nothing-like-it"], "known")
    remove_targets(pack, store, "ada", ["c06", "retired"])
    assert target_ids(pack, store, "ada") == []


def test_progress_counts_each_section_and_reports_concepts_the_pack_lost(pack, store):
    mark(pack, store, "ada", ["c00", "c01", "c02", "extra"], "known")
    mark(pack, store, "ada", ["c03"], "learning")
    store.mark("ada", ["old-concept"], "known")
    add_targets(pack, store, "ada", ["c05"])
    report = progress(pack, store, "ada")
    by_section = {s["section"]: s for s in report["sections"]}
    assert by_section["1"] == {"section": "1", "name": "", "known": 3, "learning": 1, "total": 10, "share": 0.3}
    assert by_section["9"]["known"] == 1 and by_section["2"]["total"] == 2
    assert report["overall"] == {"known": 4, "learning": 1, "total": 13, "share": round(4 / 13, 4)}
    assert report["orphans"] == ["old-concept"]
    assert report["steps_to_targets"] == 3  # c03, c04, c05


def test_quiz_answers_are_all_kept_and_the_review_list_persists(pack, store):
    questions = make_quiz(pack, count=4, seed=1)
    results = [grade(q, q.answer if q.kind == "choice" else True) for q in questions[:2]]
    results += [grade(q, None) for q in questions[2:]]
    record_quiz(store, "ada", results)
    assert len(store.answers("ada")) == len([q for q in questions if q.concept])
    assert [item["id"] for item in store.review_items("ada")] == [q.id for q in questions[2:]]
    record_quiz(store, "ada", [grade(questions[2], questions[2].answer if questions[2].kind == "choice" else True),
                               grade(questions[3], None)])
    items = store.review_items("ada")
    assert [item["id"] for item in items] == [questions[3].id] and items[0]["times_wrong"] == 2


def test_placement_with_a_truthful_learner_finds_their_known_set(pack, store):
    truth = {"c00", "c01", "c02", "c03", "c04"}
    asked = []

    def ask(question):
        asked.append(question.concept)
        return question.concept in truth

    run = run_placement(pack, "c11", ask, slip=0.05, guess=0.05)
    assert set(run.estimate) == truth
    assert len(asked) <= 8 and len(set(asked)) == len(asked)
    save_placement(store, "ada", run)
    assert set(known_ids(pack, store, "ada")) == truth
    assert {a.source for a in store.answers("ada")} == {"diagnose"}


def test_a_review_session_saves_cards_answers_and_marks_after_every_answer(pack, store):
    add_targets(pack, store, "ada", ["c04"])
    mark(pack, store, "ada", ["c00"], "known")
    start = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)
    plan = today(pack, store, "ada", minutes=25, at=start)
    assert plan.reviews == [] and plan.new == ["c01", "c02"]
    shown = []
    run = run_review(pack, store, "ada", lambda q: True, minutes=25, at=start, explain=shown.append)
    assert shown == ["c01", "c02"] and run.learnt == [("c01", True), ("c02", True)]
    assert set(store.cards("ada")) == {"c01", "c02"}
    assert store.states("ada")["c01"][0] == "learning"
    # weeks later both are due; reviewing c02 covers c01 through implicit repetition
    later = start + timedelta(days=60)
    plan = today(pack, store, "ada", minutes=3, at=later)
    assert plan.reviews == [("c02", ["c01"])]
    answers = iter([False])
    run = run_review(pack, store, "ada", lambda q: next(answers, None), minutes=3, at=later)
    assert run.reviewed == [("c02", False)] and run.stopped is False
    assert run.suspects == ["c01", "c00"]  # c00 is marked known but was never reviewed: recall unknown
    assert store.cards("ada")["c01"][2].startswith("check:")
    assert store.cards("ada")["c00"][2].startswith("check:")
    assert ("c01", ["c00"]) in today(pack, store, "ada", minutes=30, at=later).reviews  # a check of c01 covers c00
    assert [a.correct for a in store.answers("ada") if a.source == "review"] == [True, True, False]


def test_stopping_a_session_keeps_what_was_answered(pack, store):
    add_targets(pack, store, "ada", ["c05"])
    answers = iter([True])
    run = run_review(pack, store, "ada", lambda q: next(answers, None), minutes=60,
                     at=datetime(2026, 3, 1, tzinfo=timezone.utc))
    assert run.stopped and run.learnt == [("c00", True)]
    assert list(store.cards("ada")) == ["c00"]
