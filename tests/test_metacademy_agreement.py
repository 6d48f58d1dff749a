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

#: Metacademy tag -> our concept id, for concepts that mean the same thing (or, for a few marked
#: "close", the same idea at the level our graph teaches it). One-to-one; tags whose nearest concept
#: of ours is a different idea (Metacademy's layer-wise "unsupervised pre-training" of deep belief
#: nets is not our LLM pre-training; "generative vs discriminative" is a comparison, not our
#: generative-model) are left out rather than forced.
MAPPING: dict[str, str] = {
    # mathematics
    "vectors": "vector",
    "matrix_multiplication": "matrix-multiplication",
    "eigenvalues_and_eigenvectors": "eigendecomposition",  # close: our entry covers eigenvalues and eigenvectors
    "singular_value_decomposition": "svd",
    "covariance_matrices": "covariance-matrix",
    "gradient": "gradient",
    "partial_derivatives": "partial-derivative",
    "chain_rule": "chain-rule",
    "taylor_approximations": "taylor-expansion",
    "convex_functions": "convex-function",
    "lagrange_multipliers": "lagrange-multiplier",
    "jensens_inequality": "jensens-inequality",
    "probability": "probability",
    "bayes_rule": "bayes-theorem",
    "expectation_and_variance": "expectation-and-variance",
    "gaussian_distribution": "gaussian-distribution",
    "entropy": "entropy",
    "kl_divergence": "kl-divergence",
    "mutual_information": "mutual-information",
    "maximum_likelihood": "maximum-likelihood-estimation",
    "map_parameter_estimation": "map-estimation",
    "markov_chains": "markov-chain",
    "positive_definite_matrices": "positive-definite-matrix",
    "monte_carlo_estimation": "monte-carlo-estimation",
    "exponential_families": "exponential-family",
    "markov_chain_monte_carlo": "mcmc",
    "variational_inference": "variational-inference",
    # optimisation
    "gradient_descent": "gradient-descent",
    "stochastic_gradient_descent": "sgd",
    "newtons_method_optimization": "newtons-method",
    "limited_memory_bfgs": "l-bfgs",
    "line_search": "line-search",
    "natural_gradient": "natural-gradient",
    # learning
    "loss_function": "loss-function",
    "generalization": "generalization",
    "regularization": "regularization",
    "early_stopping": "early-stopping",
    "weight_decay_neural_networks": "weight-decay",
    "cross_validation": "cross-validation",
    "bias_variance_decomposition": "bias-variance-tradeoff",
    "curse_of_dimensionality": "curse-of-dimensionality",
    "f_measure": "f1-score",
    "vc_dimension": "vc-dimension",
    "structural_risk_minimization": "structural-risk-minimization",
    "akaike_information_criterion": "akaike-information-criterion",
    "bayesian_information_criterion": "bayesian-information-criterion",
    # classical models
    "linear_regression": "linear-regression",
    "linear_least_squares": "least-squares",  # our entry is the linear case: normal equations, projection
    "generalized_linear_models": "generalized-linear-model",
    "ridge_regression": "ridge-regression",
    "lasso": "lasso-regression",
    "logistic_regression": "logistic-regression",
    "multinomial_logistic_regression": "softmax-regression",
    "perceptron": "perceptron",
    "support_vector_machine": "svm",
    "support_vector_regression": "support-vector-regression",
    "soft_margin_svm": "soft-margin",
    "kernel_trick": "kernel-trick",
    "kernel_pca": "kernel-pca",
    "gaussian_processes": "gaussian-process",
    "k_nearest_neighbors": "k-nearest-neighbors",
    "naive_bayes": "naive-bayes",
    "fishers_linear_discriminant": "linear-discriminant-analysis",
    "gaussian_discriminant_analysis": "gaussian-discriminant-analysis",
    "decision_trees": "decision-tree",
    "bootstrap": "bootstrap-sampling",
    "bagging": "bagging",
    "random_forests": "random-forest",
    "ada_boost": "adaboost",
    "k_means": "k-means",
    "k_means_pp": "k-means-plus-plus",
    "agglomerative_clustering": "hierarchical-clustering",  # close: ours is bottom-up (agglomerative) by default
    "mixture_of_gaussians": "gaussian-mixture-model",
    "expectation_maximization": "em-algorithm",
    "principal_component_analysis": "pca",
    "independent_component_analysis": "independent-component-analysis",
    "latent_semantic_analysis": "latent-semantic-analysis",
    "kalman_filter": "kalman-filter",
    "hidden_markov_models": "hidden-markov-model",
    "viterbi_algorithm": "viterbi-algorithm",
    "conditional_random_fields": "conditional-random-field",
    "latent_dirichlet_allocation": "latent-dirichlet-allocation",
    "importance_sampling": "importance-sampling",
    # neural networks
    "feed_forward_neural_nets": "neural-network",
    "backpropagation": "backpropagation",
    "automatic_differentiation": "automatic-differentiation",
    "convolutional_nets": "cnn",
    "recurrent_neural_networks": "rnn",
    "restricted_boltzmann_machines": "restricted-boltzmann-machine",
    "deep_belief_networks": "deep-belief-network",
    # reinforcement learning
    "markov_decision_process": "markov-decision-process",
    "bellman_equations": "bellman-equation",
    "value_iteration": "value-iteration",
    "policy_iteration": "policy-iteration",
}


#: Pairs (Metacademy's earlier tag, its later tag) where Metacademy's order is one defensible teaching
#: choice and ours is another, with the reason. Only these are exempt from the contradiction check, and
#: each must still be a pair Metacademy orders (so the list cannot outlive the data it answers).
JUDGED_DIFFERENTLY: dict[tuple[str, str], str] = {
    ("lasso", "regularization"): "Metacademy shows ridge and LASSO as examples before the general idea; "
    "for deep learning we teach regularisation against overfitting first and the penalised regressions as instances.",
    ("ridge_regression", "regularization"): "as for LASSO: the general idea first, the L2-penalised regression as an instance.",
    ("mixture_of_gaussians", "expectation_maximization"): "Metacademy motivates EM by Gaussian mixtures; we teach EM as "
    "maximum likelihood with latent variables and fit the mixture with it (both orders are standard).",
}

#: Of the pairs Metacademy orders among the mapped concepts, the share our study graph orders the
#: same way (the rest are unordered in ours; none may be reversed, except the judged pairs above).
#: Measured 2026-11-30 with these 94 concepts: 397 of 524 pairs (75.8%; 385 before the third content
#: pass); with the first 70 it was 213 of 318 (67%). Most pairs still unordered come from Metacademy routing everything through linear
#: regression (before neural networks, generalisation, regularisation); ordering those would drag least
#: squares into every network's plan.
MIN_AGREEMENT = 0.75


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


def contradictions(theirs: nx.DiGraph, ours: nx.DiGraph, mapping: dict[str, str],
                   exempt: dict[tuple[str, str], str] | None = None) -> list[str]:
    """Mapped pairs where `theirs` puts X before Y but `ours` puts Y before X (both transitively)."""
    found = []
    for x_tag, x_id in sorted(mapping.items()):
        for y_tag in sorted(nx.descendants(theirs, x_tag) & mapping.keys()):
            y_id = mapping[y_tag]
            if (x_tag, y_tag) in (exempt or {}):
                continue
            if y_id != x_id and nx.has_path(ours, y_id, x_id):
                path = " -> ".join(nx.shortest_path(ours, y_id, x_id))
                found.append(f"Metacademy: {x_tag} before {y_tag}; ours: {path}")
    return found


@pytest.fixture(scope="module")
def ours() -> nx.DiGraph:
    return study_graph(load_pack(_pack_path()).graph)


def test_the_mapping_is_substantial_and_one_to_one():
    assert len(MAPPING) >= 90
    assert len(set(MAPPING.values())) == len(MAPPING)


def test_every_mapped_concept_exists_in_both_graphs(metacademy, ours):
    missing_theirs = sorted(tag for tag in MAPPING if tag not in metacademy)
    missing_ours = sorted(node for node in MAPPING.values() if node not in ours)
    assert not missing_theirs, f"not Metacademy tags: {missing_theirs}"
    assert not missing_ours, f"not concepts of the shipped pack: {missing_ours}"


def test_mapped_concepts_are_related_in_metacademy(metacademy):
    # The comparison means something only if Metacademy orders many of the mapped pairs.
    ordered = sum(len(nx.descendants(metacademy, tag) & MAPPING.keys()) for tag in MAPPING)
    assert ordered >= 500


def test_our_study_order_agrees_with_metacademy(metacademy, ours):
    problems = contradictions(metacademy, ours, MAPPING, JUDGED_DIFFERENTLY)
    assert not problems, "\n".join(problems)


def agreement(theirs: nx.DiGraph, ours: nx.DiGraph, mapping: dict[str, str]) -> tuple[int, int]:
    """(pairs ordered the same way by both, pairs `theirs` orders) over the mapped concepts."""
    same = ordered = 0
    for x_tag, x_id in mapping.items():
        for y_tag in nx.descendants(theirs, x_tag) & mapping.keys():
            ordered += 1
            same += nx.has_path(ours, x_id, mapping[y_tag])
    return same, ordered


def test_we_order_most_of_what_metacademy_orders(metacademy, ours):
    # Not contradicting is easy for a graph with few edges; a teacher's route also orders the pairs.
    same, ordered = agreement(metacademy, ours, MAPPING)
    assert same / ordered >= MIN_AGREEMENT, f"we order {same} of the {ordered} pairs Metacademy orders"


def test_judged_differences_are_still_pairs_metacademy_orders(metacademy):
    for (earlier, later), reason in JUDGED_DIFFERENTLY.items():
        assert earlier in MAPPING and later in MAPPING and reason
        assert later in nx.descendants(metacademy, earlier), (earlier, later)


def test_the_check_detects_a_reversed_prerequisite():
    theirs = nx.DiGraph([("chain_rule", "backpropagation")])
    reversed_ours = nx.MultiDiGraph()
    reversed_ours.add_edge("chain-rule", "backpropagation", key="requires")  # chain rule after backprop
    agreeing_ours = nx.MultiDiGraph()
    agreeing_ours.add_edge("backpropagation", "chain-rule", key="requires")
    mapping = {"chain_rule": "chain-rule", "backpropagation": "backpropagation"}
    assert contradictions(theirs, study_graph(reversed_ours), mapping)
    assert not contradictions(theirs, study_graph(agreeing_ours), mapping)
    assert not contradictions(theirs, study_graph(reversed_ours), mapping, {("chain_rule", "backpropagation"): "judged"})
    assert agreement(theirs, study_graph(agreeing_ours), mapping) == (1, 1)
    assert agreement(theirs, study_graph(reversed_ours), mapping) == (0, 1)
