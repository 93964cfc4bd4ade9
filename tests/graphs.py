"""Graphs shared by the diagram tests."""

import random
import sys
from pathlib import Path

import autograd
from autograd import Value

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "demos"))
from apple_shop import apple_graph, fruit_graph  # noqa: E402

__all__ = ["apple_graph", "fruit_graph", "named_mlp_loss"]


def named_mlp_loss(sizes=(2, 3, 2), seed=0) -> Value:
    """A small MLP built by hand, its parameters named the way nn names them."""
    rng = random.Random(seed)
    h = [Value(0.5, "x.0"), Value(-1.0, "x.1")][: sizes[0]]
    for layer, (nin, nout) in enumerate(zip(sizes, sizes[1:], strict=False)):
        outputs = []
        for n in range(nout):
            w = [Value(rng.uniform(-1, 1), f"layers.{layer}.neurons.{n}.w.{i}") for i in range(nin)]
            b = Value(0.0, f"layers.{layer}.neurons.{n}.b")
            z = autograd.dot(w, h, b)
            outputs.append(z.relu() if layer < len(sizes) - 2 else z)
        h = outputs
    return autograd.sum(o * o for o in h)


def replay_against_fresh(compiled, build, weights, inputs):
    """Replay ``compiled`` at ``inputs``, then build ``build`` afresh there and backprop:
    (value, weights' gradients) from each, for a bit-for-bit comparison."""
    for w in weights:
        w.grad = 0.0
    replayed = compiled(*inputs)
    replayed_grads = [w.grad for w in weights]
    for w in weights:
        w.grad = 0.0
    fresh = build(*map(Value, inputs))
    fresh.backward()
    return (replayed, replayed_grads), (fresh.data, [w.grad for w in weights])
