"""Placement: the posterior over prerequisite-closed knowledge states, question choice, the simulation."""
from __future__ import annotations

import networkx as nx
import pytest

import kg
from kg.diagnose import Placement, sample_states, simulate
from learner_packs import chain, lattice, write_pack


@pytest.fixture(scope="module")
def lattice_pack(tmp_path_factory):
    return kg.load_pack(write_pack(tmp_path_factory.mktemp("lattice"), lattice(6, 9)))


def test_sampled_states_are_closed_under_prerequisites(lattice_pack):
    import random

    plan = sorted(lattice_pack.graph)
    states = sample_states(lattice_pack.study, plan, random.Random(1), 500)
    assert len({frozenset(s) for s in states}) > 100
    for state in states:
        for concept in state:
            assert nx.ancestors(lattice_pack.study, concept) <= state


def test_a_right_answer_raises_prerequisites_and_a_wrong_one_lowers_what_builds_on_it(lattice_pack):
    placement = Placement.for_target(lattice_pack, "top", particles=3000)
    before = placement.p
    placement.answer("l4-2", True)
    after = placement.p
    for prerequisite in nx.ancestors(lattice_pack.study, "l4-2"):
        assert after[prerequisite] > before[prerequisite]
    placement = Placement.for_target(lattice_pack, "top", particles=3000)
    placement.answer("l4-2", False)
    after = placement.p
    for later in nx.descendants(lattice_pack.study, "l4-2"):
        assert after[later] < before[later]
    assert after["l4-2"] < before["l4-2"]


def test_the_estimate_is_closed_under_prerequisites(lattice_pack):
    placement = Placement.for_target(lattice_pack, "top", particles=3000)
    for concept, right in [("l5-0", True), ("l2-3", False), ("l7-1", True), ("l1-4", True)]:
        placement.answer(concept, right)
    estimate = placement.estimate()
    assert "l5-0" in estimate
    for concept in estimate:
        assert nx.ancestors(lattice_pack.study, concept) <= estimate


def test_placement_stops_at_the_question_limit_and_never_repeats(lattice_pack):
    placement = Placement.for_target(lattice_pack, "top", particles=2000, max_questions=5)
    asked = []
    while (concept := placement.next_concept()) is not None:
        asked.append(concept)
        placement.answer(concept, len(asked) % 2 == 0)
    assert len(asked) == 5 == len(set(asked))


def test_noiseless_answers_on_a_chain_need_about_log2_questions(tmp_path):
    pack = kg.load_pack(write_pack(tmp_path, chain(60)))
    report = simulate(pack, "c59", learners=30, slip=0.0, guess=0.0)
    assert report["plan_concepts"] == 60
    assert report["accuracy"]["mean"] == 1.0
    assert report["questions"]["max"] <= 8  # a binary search over 61 cut points needs 6
    assert report["baseline_every_concept_once"]["questions"] == 60


def test_noisy_placement_beats_reading_raw_answers_with_fewer_questions(lattice_pack):
    report = simulate(lattice_pack, "top", learners=40, slip=0.1, guess=0.25)
    assert report["plan_concepts"] == 55
    assert report["questions"]["p95"] <= 15
    assert report["accuracy"]["mean"] > report["baseline_every_concept_once"]["accuracy_raw_answers"]["mean"]
