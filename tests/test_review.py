"""Spaced review: FSRS cards per concept, implicit credit to prerequisites, suspects, today's session."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import kg
from kg.review import IMPLICIT_DECAY, REVIEW_MINUTES, Deck, plan_today, simulate
from learner_packs import chain, concept, write_pack

START = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def chain_pack(tmp_path_factory):
    return kg.load_pack(write_pack(tmp_path_factory.mktemp("chain"), chain(12)))


def _learnt(deck, concepts, at):
    for name in concepts:
        deck.review(name, True, at)


def test_a_successful_review_credits_prerequisites_fractionally_by_distance(chain_pack):
    deck = Deck(chain_pack.study)
    _learnt(deck, ["c00", "c01", "c02", "c03", "c04", "c05"], START)
    later = START + timedelta(days=5)
    before = {c: deck.cards[c].stability for c in ["c01", "c02", "c03", "c04"]}
    full = Deck(chain_pack.study, implicit=False)
    _learnt(full, ["c04"], START)
    full_good, _ = full.fsrs.review_card(full.cards["c04"], __import__("fsrs").Rating.Good, later)
    outcome = deck.review("c05", True, later)
    assert outcome.credited == {"c04": IMPLICIT_DECAY, "c03": IMPLICIT_DECAY ** 2, "c02": IMPLICIT_DECAY ** 3}
    assert "c01" not in outcome.credited and deck.cards["c01"].stability == before["c01"]
    gained = deck.cards["c04"].stability - before["c04"]
    assert gained == pytest.approx(IMPLICIT_DECAY * (full_good.stability - before["c04"]))
    assert 0 < deck.cards["c03"].stability - before["c03"] < gained
    assert START < deck.cards["c04"].last_review < later  # refreshed part of the way
    assert deck.recall("c04", later) > Deck(chain_pack.study, {"c04": (full.cards["c04"].to_dict(), "", "")}).recall("c04", later)


def test_without_implicit_repetition_nothing_else_changes(chain_pack):
    deck = Deck(chain_pack.study, implicit=False)
    _learnt(deck, ["c00", "c01", "c02"], START)
    before = deck.cards["c01"].to_dict()
    assert deck.review("c02", True, START + timedelta(days=3)).credited == {}
    assert deck.cards["c01"].to_dict() == before


def test_a_failed_review_flags_the_least_recalled_close_prerequisites(chain_pack):
    deck = Deck(chain_pack.study, implicit=False)  # so that learning c03 does not refresh c02
    _learnt(deck, ["c00", "c01", "c02"], START)
    _learnt(deck, ["c03"], START + timedelta(days=20))  # fresher than c01/c02
    at = START + timedelta(days=21)
    outcome = deck.review("c04", False, at)
    assert outcome.suspects and set(outcome.suspects) <= {"c02", "c03"}
    assert outcome.suspects[0] == "c02"  # one step further but far less recalled
    assert all(deck.cards[s].due <= at for s in outcome.suspects)
    assert set(outcome.suspects) <= set(deck.due(at))
    stored = deck.to_store()
    assert stored[outcome.suspects[0]][2].startswith("check:")


def test_today_puts_the_review_covering_most_due_concepts_first_and_respects_the_budget(tmp_path):
    concepts = chain(8) + [concept("side", ["c00"]), concept("hub", ["c02", "c05", "side"])]
    pack = kg.load_pack(write_pack(tmp_path, concepts))
    deck = Deck(pack.study)
    _learnt(deck, [c["id"] for c in concepts], START)
    at = START + timedelta(days=400)  # everything is due
    today = plan_today(pack, deck, [], [], at, minutes=REVIEW_MINUTES * 3)
    assert [(c, sorted(covers)) for c, covers in today.reviews] == [
        ("hub", ["c00", "c01", "c02", "c03", "c04", "c05", "side"]), ("c07", ["c06"])]
    assert today.minutes == REVIEW_MINUTES * 2
    assert [c for c, _ in plan_today(pack, deck, [], [], at, minutes=REVIEW_MINUTES).reviews] == ["hub"]


def test_today_offers_new_concepts_whose_prerequisites_are_done_within_the_budget(chain_pack):
    deck = Deck(chain_pack.study)
    today = plan_today(chain_pack, deck, ["c05"], ["c00", "c01"], START, minutes=25)
    assert today.reviews == [] and today.new == ["c02", "c03"]  # 10 minutes each
    assert plan_today(chain_pack, deck, [], [], START, minutes=60).new == []


def test_cards_round_trip_through_the_store_format(chain_pack, tmp_path):
    from kg.store import Store

    deck = Deck(chain_pack.study)
    _learnt(deck, ["c00", "c01"], START)
    deck.review("c02", False, START + timedelta(days=2))
    store = Store(str(tmp_path / "p.db"))
    store.save_cards("ada", deck.to_store())
    again = Deck(chain_pack.study, store.cards("ada"))
    at = START + timedelta(days=9)
    assert {c: again.recall(c, at) for c in again.cards} == {c: deck.recall(c, at) for c in deck.cards}
    assert again.flags == deck.flags


def test_the_simulation_reviews_less_with_implicit_repetition(tmp_path):
    pack = kg.load_pack(write_pack(tmp_path, chain(40)))
    report = simulate(pack, concepts=40, days=30, minutes=40)
    assert report["plan_concepts"] == 40
    with_, without = report["with_implicit"], report["without_implicit"]
    assert with_["reviews_total"] < without["reviews_total"]
    assert with_["studied"] >= without["studied"]
