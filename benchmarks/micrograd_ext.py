"""exp and log for micrograd 0.1.0, which has neither, for the digits workload only.

They follow micrograd's own style: a closure that sets the parent's gradient
from the output's.
"""

from __future__ import annotations

import math

from micrograd.engine import Value


def mg_exp(x: Value) -> Value:
    out = Value(math.exp(x.data), (x,), "exp")

    def _backward():
        x.grad += out.data * out.grad

    out._backward = _backward
    return out


def mg_log(x: Value) -> Value:
    out = Value(math.log(x.data), (x,), "log")

    def _backward():
        x.grad += out.grad / x.data

    out._backward = _backward
    return out


def mg_cross_entropy(batch_logits: list[list[Value]], targets: list[int]) -> Value:
    """Mean softmax cross-entropy, log-sum-exp shifted by the (constant) max logit."""
    losses = []
    for logits, target in zip(batch_logits, targets, strict=True):
        m = max(z.data for z in logits)
        total = sum(mg_exp(z - m) for z in logits)
        losses.append(mg_log(total) + m - logits[target])
    return sum(losses) * (1.0 / len(losses))
