"""Teacher spot checks: study orders for targets across the guide put foundations first, and nothing stray.

Each case lists pairs (earlier, later) a teacher would insist on, and concepts that must appear.
The full outputs are in docs/study-orders.md (regenerate with `python -m kg order TARGET`).
"""
from __future__ import annotations

import pytest

from kg.queries import study_order

#: For each target: concepts a teacher insists on ("needs"), pairs that must come in this order
#: ("before"), concepts a loose edge must not drag in ("not") and an upper bound on the plan ("max_steps").
#: Written from what a learner starting from zero must know, not from today's output: where the graph
#: disagrees, the graph is fixed.
CASES = {
    "focal-loss": {"needs": ["cross-entropy-loss", "binary-cross-entropy", "sigmoid", "class-imbalance"],
                   "before": [("cross-entropy-loss", "binary-cross-entropy"), ("binary-cross-entropy", "focal-loss"), ("loss-function", "cross-entropy-loss")],
                   "not": ["cnn", "object-detection"], "max_steps": 30},
    "lstm": {"needs": ["rnn", "bptt", "vanishing-gradient", "exploding-gradient", "backpropagation", "loss-function", "gradient-descent"],
             "before": [("backpropagation", "vanishing-gradient"), ("vanishing-gradient", "lstm"), ("rnn", "lstm"), ("neuron", "rnn"), ("rnn", "bptt")],
             "not": ["transformer", "attention-mechanism"], "max_steps": 45},
    "transformer": {"needs": ["self-attention", "multi-head-attention", "positional-encoding", "softmax", "layer-normalization",
                              "residual-connection", "word-embedding", "tokenization", "backpropagation"],
                    "before": [("attention-mechanism", "self-attention"), ("self-attention", "multi-head-attention"), ("softmax", "attention-mechanism")],
                    "not": ["rnn", "lstm", "batch-normalization", "internal-covariate-shift", "cnn"], "max_steps": 65},
    "large-language-model": {"needs": ["transformer", "language-model", "pre-training", "fine-tuning", "cross-entropy-loss", "tokenization"],
                             "before": [("transformer", "large-language-model"), ("pre-training", "fine-tuning"), ("language-model", "large-language-model")],
                             "not": ["rnn", "markov-decision-process", "batch-normalization"], "max_steps": 80},
    "resnet": {"needs": ["cnn", "residual-connection", "degradation-problem", "vgg", "batch-normalization", "image-classification"],
               "before": [("convolutional-layer", "cnn"), ("cnn", "resnet"), ("residual-connection", "resnet"), ("vgg", "resnet"), ("degradation-problem", "resnet")],
               "not": ["transformer", "attention-mechanism"], "max_steps": 75},
    "adam": {"needs": ["momentum", "adaptive-learning-rate", "rmsprop", "sgd", "first-moment-estimate", "second-moment-estimate"],
             "before": [("gradient-descent", "sgd"), ("sgd", "momentum"), ("momentum", "adaptive-learning-rate"), ("adaptive-learning-rate", "rmsprop"), ("rmsprop", "adam")],
             "not": ["non-convex-optimization", "cnn", "transformer"], "max_steps": 40},
    "f1-score": {"needs": ["precision", "recall", "accuracy", "confusion-matrix"],
                 "before": [("precision", "f1-score"), ("recall", "f1-score"), ("confusion-matrix", "precision")],
                 "not": ["backpropagation", "neural-network"], "max_steps": 15},
    "cyclegan": {"needs": ["gan", "generator", "discriminator", "cnn", "backpropagation"],
                 "before": [("generator", "gan"), ("discriminator", "gan"), ("gan", "cyclegan")],
                 "not": ["rnn", "transformer"], "max_steps": 80},
    "deformable-convolution": {"needs": ["standard-convolution", "receptive-field", "backpropagation", "bilinear-interpolation"],
                               "before": [("standard-convolution", "deformable-convolution"), ("receptive-field", "deformable-convolution")],
                               "not": ["rnn", "transformer"], "max_steps": 50},
    "stable-diffusion": {"needs": ["diffusion-model", "forward-diffusion-process", "reverse-diffusion-process", "latent-space",
                                   "variational-autoencoder", "u-net", "cross-attention", "kl-divergence", "clip"],
                         "before": [("forward-diffusion-process", "reverse-diffusion-process"), ("diffusion-model", "stable-diffusion"),
                                    ("markov-chain", "forward-diffusion-process")],
                         "not": ["rnn", "lstm", "markov-decision-process"], "max_steps": 110},
    "cnn": {"needs": ["loss-function", "gradient-descent", "backpropagation", "convolutional-layer", "pooling-layer"],
            "before": [("backpropagation", "cnn"), ("multilayer-perceptron", "cnn")], "not": ["rnn", "transformer"], "max_steps": 40},
    "rlhf": {"needs": ["language-model", "large-language-model", "supervised-fine-tuning", "reward-model", "ppo", "kl-divergence"],
             "before": [("supervised-fine-tuning", "rlhf"), ("policy-gradient", "ppo")], "not": ["alphago", "dqn"], "max_steps": 110},
    "dqn": {"needs": ["neural-network", "q-learning", "backpropagation", "loss-function"],
            "before": [("q-learning", "dqn"), ("neural-network", "dqn")], "not": ["transformer", "alphago"], "max_steps": 75},
    "code-generation": {"needs": ["large-language-model", "language-model"], "before": [("large-language-model", "code-generation")],
                        "not": ["markov-chain", "markov-decision-process", "policy-gradient", "rlhf", "lstm"], "max_steps": 85},
    "svm": {"needs": ["vector", "gradient", "hinge-loss", "lagrange-multiplier"], "before": [("vector", "svm")],
            "not": ["neural-network", "backpropagation"], "max_steps": 25},
    "image-classification": {"needs": ["classification"], "before": [("classification", "image-classification")],
                             "not": ["standard-convolution", "cnn"], "max_steps": 10},
    "weight-decay": {"needs": ["l2-regularization", "gradient-descent"], "before": [("l2-regularization", "weight-decay")],
                     "not": ["adam", "rmsprop"], "max_steps": 25},
    "knowledge-distillation": {"needs": ["softmax", "kl-divergence", "loss-function", "backpropagation"],
                               "before": [("softmax", "knowledge-distillation")], "not": ["transformer", "rnn"], "max_steps": 45},
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
    for stray in CASES[target]["not"]:
        assert stray not in order, f"{target} plan drags in {stray}"
    assert len(order) <= CASES[target]["max_steps"], f"{target} plan has {len(order)} steps"
    # every step starts from real foundations: the first step has no prerequisite of its own
    assert not list(pack.study.predecessors(order[0]))
