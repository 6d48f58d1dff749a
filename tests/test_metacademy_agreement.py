"""Our study order does not contradict Metacademy, an independent hand-written prerequisite graph.

``shared/datasets/metacademy/`` (CC BY-SA 3.0) holds 487 concepts and 1,208 "X requires Y" links.
For the concepts both graphs have (mapped by hand below), whenever Metacademy says X is a
(transitive) prerequisite of Y, our study graph must not put Y (transitively) before X.
Outside CI the test is skipped when the data set is absent; in CI it must be there.
"""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from kgtest import shared_path

import kg
from kg import load_pack
from kg.schema import TARGET_FIRST

#: Metacademy tag -> our concept id, for concepts that mean the same thing (or, for a few
#: marked "close", the same idea at the level our guide teaches it).
MAPPING: dict[str, str] = {
    "backpropagation": "backpropagation",
    "gradient_descent": "gradient-descent",
    "stochastic_gradient_descent": "sgd",
    "gradient": "gradient",
    "partial_derivatives": "derivative",  # close: our derivative covers partial derivatives
    "chain_rule": "chain-rule",
    "matrix_multiplication": "matrix-multiplication",
    "probability": "probability-distribution",  # close: our entry point to probability
    "maximum_likelihood": "maximum-likelihood-estimation",
    "loss_function": "loss-function",
    "generalization": "generalization",
    "feed_forward_neural_nets": "multilayer-perceptron",
    "convolutional_nets": "cnn",
    "recurrent_neural_networks": "rnn",
    "multinomial_logistic_regression": "softmax",  # close: softmax regression is multinomial logistic regression
    "gaussian_distribution": "gaussian-noise",  # close: Gaussian noise is our Gaussian-distribution node
    "markov_chains": "markov-chain",
    "markov_decision_process": "markov-decision-process",
    "generative_vs_discriminative": "generative-model",  # close
    "unsupervised_pre_training": "pre-training",  # close: pre-training on unlabelled data, then fine-tuning
}


def _pack_path() -> Path:
    checkout = Path(kg.__file__).resolve().parent.parent / "graph"
    return checkout if checkout.is_dir() else kg.default_pack_path()


@pytest.fixture(scope="module")
def metacademy() -> nx.DiGraph:
    """Metacademy's prerequisite graph, oriented like ours: an edge u -> v means learn u before v."""
    concepts = shared_path("datasets", "metacademy", "concepts.jsonl")
    dependencies = shared_path("datasets", "metacademy", "dependencies.jsonl")
    graph = nx.DiGraph()
    with concepts.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                graph.add_node(json.loads(line)["tag"])
    with dependencies.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                link = json.loads(line)
                graph.add_edge(link["requires"], link["concept"])
    return graph


def study_graph(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """Our study graph, built here from the written edges and the format's study-order table."""
    order = nx.DiGraph()
    order.add_nodes_from(graph)
    for source, target, edge_type in graph.edges(keys=True):
        if TARGET_FIRST[edge_type]:
            order.add_edge(target, source)
        else:
            order.add_edge(source, target)
    return order


def contradictions(theirs: nx.DiGraph, ours: nx.DiGraph, mapping: dict[str, str]) -> list[str]:
    """Mapped pairs where `theirs` puts X before Y but `ours` puts Y before X (both transitively)."""
    found = []
    for x_tag, x_id in sorted(mapping.items()):
        for y_tag in sorted(nx.descendants(theirs, x_tag) & mapping.keys()):
            y_id = mapping[y_tag]
            if y_id != x_id and nx.has_path(ours, y_id, x_id):
                path = " -> ".join(nx.shortest_path(ours, y_id, x_id))
                found.append(f"Metacademy: {x_tag} before {y_tag}; ours: {path}")
    return found


@pytest.fixture(scope="module")
def ours() -> nx.DiGraph:
    return study_graph(load_pack(_pack_path()).graph)


def test_the_mapping_is_substantial_and_one_to_one():
    assert len(MAPPING) >= 12
    assert len(set(MAPPING.values())) == len(MAPPING)


def test_every_mapped_concept_exists_in_both_graphs(metacademy, ours):
    missing_theirs = sorted(tag for tag in MAPPING if tag not in metacademy)
    missing_ours = sorted(node for node in MAPPING.values() if node not in ours)
    assert not missing_theirs, f"not Metacademy tags: {missing_theirs}"
    assert not missing_ours, f"not concepts of the shipped pack: {missing_ours}"


def test_mapped_concepts_are_related_in_metacademy(metacademy):
    # The comparison means something only if Metacademy orders many of the mapped pairs.
    ordered = sum(len(nx.descendants(metacademy, tag) & MAPPING.keys()) for tag in MAPPING)
    assert ordered >= 20


def test_our_study_order_agrees_with_metacademy(metacademy, ours):
    problems = contradictions(metacademy, ours, MAPPING)
    assert not problems, "\n".join(problems)


def test_the_check_detects_a_reversed_prerequisite():
    theirs = nx.DiGraph([("chain_rule", "backpropagation")])
    reversed_ours = nx.MultiDiGraph()
    reversed_ours.add_edge("chain-rule", "backpropagation", key="requires")  # chain rule after backprop
    agreeing_ours = nx.MultiDiGraph()
    agreeing_ours.add_edge("backpropagation", "chain-rule", key="requires")
    mapping = {"chain_rule": "chain-rule", "backpropagation": "backpropagation"}
    assert contradictions(theirs, study_graph(reversed_ours), mapping)
    assert not contradictions(theirs, study_graph(agreeing_ours), mapping)
