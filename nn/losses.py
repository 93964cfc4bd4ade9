"""Losses on scalar nodes: softmax, log-softmax, cross-entropy, MSE and hinge.

Softmax is computed stably. For logits z and m = max(z),

    softmax(z)_i     = e^(z_i - m) / sum_j e^(z_j - m)
    log_softmax(z)_i = z_i - m - log sum_j e^(z_j - m)      (log-sum-exp)

Subtracting m changes nothing mathematically, because the softmax of z - c
equals the softmax of z for any constant c, so m is treated as a plain
number. It keeps every exponent <= 0, so logits of +-1000 give finite losses
and gradients. The gradient of cross-entropy with respect to the logits is
softmax(z) - t, the book's SoftmaxWithLoss backward ``(y - t)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real

import autograd
from autograd import Value

__all__ = ["cross_entropy", "hinge", "log_softmax", "mse", "softmax"]


def _logits(operation: str, logits: Sequence) -> list:
    if hasattr(logits, "tolist"):
        logits = logits.tolist()
    if isinstance(logits, Value) or not isinstance(logits, (list, tuple)) or not logits:
        raise ValueError(f"{operation}: expected a non-empty list of logits, got {logits!r:.60}")
    return list(logits)


def _data(x: Value | float) -> float:
    return x.data if isinstance(x, Value) else float(x)


def softmax(logits: Sequence[Value]) -> list[Value]:
    """Probabilities e^(z_i - m) / sum_j e^(z_j - m), m = max(z)."""
    z = _logits("softmax", logits)
    m = max(map(_data, z))
    exps = [autograd.exp(zi - m) for zi in z]
    total = autograd.sum(exps)
    return [e / total for e in exps]


def log_softmax(logits: Sequence[Value]) -> list[Value]:
    """z_i - m - log sum_j e^(z_j - m): finite even when every softmax underflows."""
    z = _logits("log_softmax", logits)
    m = max(map(_data, z))
    log_total = autograd.log(autograd.sum([autograd.exp(zi - m) for zi in z]))
    return [zi - m - log_total for zi in z]


def _one_sample(logits: Sequence, target: int | Sequence[float]) -> Value:
    z = _logits("cross_entropy", logits)
    if isinstance(target, Integral) and not isinstance(target, bool):
        if not 0 <= target < len(z):
            raise IndexError(f"cross_entropy: target {target} is out of range for "
                             f"{len(z)} classes")
        # -log softmax(z)_t = log sum_j e^(z_j - m) + m - z_t: only what the target needs
        m = max(map(_data, z))
        return autograd.log(autograd.sum([autograd.exp(zi - m) for zi in z])) + m - z[target]
    if hasattr(target, "tolist"):
        target = target.tolist()
    if not isinstance(target, (list, tuple)):
        raise ValueError(f"cross_entropy: target must be a class index or a one-hot list, "
                         f"got {type(target).__name__}")
    if len(target) != len(z):
        raise ValueError(f"cross_entropy: one-hot target has {len(target)} entries "
                         f"for {len(z)} classes")
    if not all(isinstance(t, Real) for t in target):
        raise ValueError("cross_entropy: one-hot target entries must be numbers")
    log_p = log_softmax(z)
    return -autograd.sum([t * lp for t, lp in zip(target, log_p, strict=True) if t != 0])


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
    bad = next((label for label in y if label not in (-1, 1)), None)
    if bad is not None:
        raise ValueError(f"hinge: labels must be -1 or +1, got {bad!r}")
    return autograd.sum([(1 - yi * si).relu() for si, yi in zip(s, y, strict=True)]) / len(s)
