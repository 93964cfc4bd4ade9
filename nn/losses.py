"""Losses on scalar nodes: softmax, log-softmax, cross-entropy, MSE and hinge.

Softmax goes through ``autograd.logsumexp``, a single stable node:

    lse(z)           = m + log sum_j e^(z_j - m),   m = max(z)
    log_softmax(z)_i = z_i - lse(z)
    softmax(z)_i     = e^(z_i - lse(z))
    cross_entropy    = lse(z) - z_t                 (one-hot t: lse(z) sum(t) - t . z)

Subtracting m keeps every exponent <= 0, so logits of +-1000 give finite
losses and gradients. The shift happens inside the node, from the current
values, so a replayed graph shifts correctly too. The gradient of
cross-entropy with respect to the logits is softmax(z) - t, the book's
SoftmaxWithLoss backward ``(y - t)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real

import autograd
from autograd import Value

__all__ = ["cross_entropy", "hinge", "log_softmax", "mse", "predicted_class", "softmax"]


def _logits(operation: str, logits: Sequence) -> list:
    if hasattr(logits, "tolist"):
        logits = logits.tolist()
    if isinstance(logits, Value) or not isinstance(logits, (list, tuple)) or not logits:
        raise ValueError(f"{operation}: expected a non-empty list of logits, got {logits!r:.60}")
    return list(logits)


def predicted_class(scores: Sequence) -> int | None:
    """The class a row of scores (floats or Values) picks: the index of the largest, the
    first on a tie; None when a score is NaN, since a NaN is no class (Python's ``max``
    would pick one by where the NaN stands). ``accuracy`` counts None as wrong."""
    numbers = [s.data if isinstance(s, Value) else s for s in scores]
    if any(n != n for n in numbers):
        return None
    return max(range(len(numbers)), key=numbers.__getitem__)


def softmax(logits: Sequence[Value]) -> list[Value]:
    """Probabilities e^(z_i - lse(z)): each at most 1, so nothing overflows."""
    z = _logits("softmax", logits)
    lse = autograd.logsumexp(z)
    return [autograd.exp(zi - lse) for zi in z]


def log_softmax(logits: Sequence[Value]) -> list[Value]:
    """z_i - lse(z): finite even where the softmax itself underflows to 0."""
    z = _logits("log_softmax", logits)
    lse = autograd.logsumexp(z)
    return [zi - lse for zi in z]


def _one_sample(logits: Sequence, target: int | Sequence) -> Value:
    z = _logits("cross_entropy", logits)
    if isinstance(target, Integral) and not isinstance(target, bool):
        if not 0 <= target < len(z):
            raise IndexError(f"cross_entropy: target {target} is out of range for "
                             f"{len(z)} classes")
        return autograd.logsumexp(z) - z[target]
    if hasattr(target, "tolist"):
        target = target.tolist()
    if not isinstance(target, (list, tuple)):
        raise ValueError(f"cross_entropy: target must be a class index or a one-hot list, "
                         f"got {type(target).__name__}")
    if len(target) != len(z):
        raise ValueError(f"cross_entropy: one-hot target has {len(target)} entries "
                         f"for {len(z)} classes")
    if not all(isinstance(t, (Real, Value)) for t in target):
        raise ValueError("cross_entropy: one-hot target entries must be numbers")
    # -sum_k t_k log_softmax_k = lse(z) sum_k t_k - t . z; t may hold Values (a replay's data)
    return autograd.sum(target) * autograd.logsumexp(z) - autograd.dot(target, z)


def cross_entropy(logits: Sequence, target: int | Sequence) -> Value:
    """-log softmax(logits)[target], the book's SoftmaxWithLoss.

    ``target`` is a class index or a one-hot (or any probability) list. Given a
    batch (a list of logit lists and a list of targets), it returns the mean over
    the batch, as the book's loss does.
    """
    batch = logits.tolist() if hasattr(logits, "tolist") else logits
    if isinstance(batch, (list, tuple)) and batch and isinstance(batch[0], (list, tuple)):
        targets = target.tolist() if hasattr(target, "tolist") else target
        if not isinstance(targets, (list, tuple)) or len(targets) != len(batch):
            raise ValueError(f"cross_entropy: {len(batch)} samples need {len(batch)} targets")
        losses = [_one_sample(z, t) for z, t in zip(batch, targets, strict=True)]
        return autograd.sum(losses) / len(losses)
    return _one_sample(batch, target)


def mse(predictions: Sequence | Value, targets: Sequence | float) -> Value:
    """Mean squared error, mean_i (p_i - t_i)^2."""
    p = [predictions] if isinstance(predictions, Value) else list(predictions)
    t = [targets] if isinstance(targets, Real) else list(targets)
    if len(p) != len(t) or not p:
        raise ValueError(f"mse: {len(p)} predictions but {len(t)} targets")
    return autograd.sum([(pi - ti) ** 2 for pi, ti in zip(p, t, strict=True)]) / len(p)


def hinge(scores: Sequence[Value], labels: Sequence[int]) -> Value:
    """micrograd's max-margin loss, mean_i max(0, 1 - y_i s_i), for labels y_i in {-1, +1}."""
    s, y = list(scores), list(labels.tolist() if hasattr(labels, "tolist") else labels)
    if len(s) != len(y) or not s:
        raise ValueError(f"hinge: {len(s)} scores but {len(y)} labels")
    bad = next((label for label in y if type(label) is not Value and label not in (-1, 1)), None)
    if bad is not None:
        raise ValueError(f"hinge: labels must be -1 or +1, got {bad!r}")
    return autograd.sum([(1 - yi * si).relu() for si, yi in zip(s, y, strict=True)]) / len(s)
