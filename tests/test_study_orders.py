"""Teacher spot checks: study orders for ten targets across the guide put foundations first.

Each case lists pairs (earlier, later) a teacher would insist on, and concepts that must appear.
The full outputs are in docs/study-orders.md (regenerate with `python -m kg order TARGET`).
"""
from __future__ import annotations

import pytest

from kg.queries import study_order

CASES = {
    "focal-loss": {"needs": ["cross-entropy-loss", "class-imbalance"], "before": [("cross-entropy-loss", "focal-loss"), ("loss-function", "cross-entropy-loss")]},
    "lstm": {"needs": ["rnn", "vanishing-gradient", "backpropagation"], "before": [("backpropagation", "vanishing-gradient"), ("vanishing-gradient", "lstm"), ("rnn", "lstm")]},
    "transformer": {"needs": ["self-attention", "multi-head-attention", "positional-encoding", "softmax"],
                    "before": [("attention-mechanism", "self-attention"), ("self-attention", "multi-head-attention"), ("softmax", "attention-mechanism")]},
    "large-language-model": {"needs": ["transformer", "pre-training", "fine-tuning", "language-model"],
                             "before": [("transformer", "pre-training"), ("pre-training", "fine-tuning"), ("language-model", "large-language-model")]},
    "resnet": {"needs": ["cnn", "residual-connection", "vanishing-gradient"], "before": [("convolutional-layer", "cnn"), ("cnn", "resnet"), ("residual-connection", "resnet")]},
    "adam": {"needs": ["momentum", "adaptive-learning-rate", "sgd"], "before": [("gradient-descent", "sgd"), ("sgd", "momentum"), ("momentum", "adam")]},
    "f1-score": {"needs": ["precision", "recall"], "before": [("precision", "f1-score"), ("recall", "f1-score"), ("confusion-matrix", "precision")]},
    "cyclegan": {"needs": ["gan", "generator", "discriminator"], "before": [("generator", "gan"), ("discriminator", "gan"), ("gan", "cyclegan")]},
    "deformable-convolution": {"needs": ["standard-convolution", "receptive-field"], "before": [("standard-convolution", "deformable-convolution"), ("receptive-field", "deformable-convolution")]},
    "stable-diffusion": {"needs": ["diffusion-model", "forward-diffusion-process", "reverse-diffusion-process", "latent-space"],
                         "before": [("forward-diffusion-process", "reverse-diffusion-process"), ("diffusion-model", "stable-diffusion"), ("markov-chain", "forward-diffusion-process")]},
}


@pytest.fixture(scope="module")
def pack(shipped_pack):
    return shipped_pack


@pytest.mark.parametrize("target", sorted(CASES))
def test_a_teacher_would_accept_this_order(pack, target):
    order = [step.id for step in study_order(pack, [target]).steps]
    assert order[-1] == target
    for concept in CASES[target]["needs"]:
        assert concept in order, f"{target} plan lacks {concept}"
    for earlier, later in CASES[target]["before"]:
        assert order.index(earlier) < order.index(later), f"{earlier} should come before {later}"
    # every step starts from real foundations: the first step has no prerequisite of its own
    assert not list(pack.study.predecessors(order[0]))
