"""Optimizers with the book's defaults (chapter 6), each one ``step()`` and ``zero_grad()``.

For a parameter p with gradient g, per step t = 1, 2, ...:

==========  ==========================================================================
SGD         p <- p - lr g
Momentum    v <- momentum v - lr g;              p <- p + v
Nesterov    v <- momentum v - lr g;              p <- p + momentum v - lr g
AdaGrad     h <- h + g^2;                        p <- p - lr g / (sqrt(h) + eps)
RMSprop     h <- decay h + (1 - decay) g^2;      p <- p - lr g / (sqrt(h) + eps)
Adam        m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
            p <- p - lr m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - b1^t),
            v_hat = v / (1 - b2^t)
==========  ==========================================================================

The rules are PyTorch's (``SGD`` with ``momentum``/``nesterov``, ``Adagrad``,
``RMSprop``, ``Adam``), so the tests can compare step by step. The book's
Momentum, AdaGrad and RMSprop are the same rules. Its Nesterov and Adam are
algebraic variants: the Nesterov uses a different velocity, and the Adam folds
the bias correction into the learning rate, which moves eps slightly. eps is
1e-7, the book's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from autograd import Value

__all__ = ["SGD", "AdaGrad", "Adam", "Momentum", "Nesterov", "Optimizer", "RMSprop"]


class Optimizer:
    """Holds the parameters; ``zero_grad()`` clears their gradients, ``step()`` updates them."""

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: no parameters to optimize")
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(f"{type(self).__name__}: parameters must be Values, "
                                f"got {type(p).__name__}")
        if len({id(p) for p in self.params}) != len(self.params):
            raise ValueError(f"{type(self).__name__}: a parameter is listed twice")
        self.lr = _positive(type(self).__name__, "lr", lr)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v}" for k, v in vars(self).items()
                             if isinstance(v, float))
        return f"{type(self).__name__}({len(self.params)} parameters, {settings})"


def _positive(owner: str, name: str, x: float) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not x > 0 or not math.isfinite(x):
        raise ValueError(f"{owner}: {name} must be a positive number, got {x!r}")
    return float(x)


def _fraction(owner: str, name: str, x: float) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not 0 <= x < 1:
        raise ValueError(f"{owner}: {name} must be in [0, 1), got {x!r}")
    return float(x)


class SGD(Optimizer):
    """p <- p - lr g."""

    def __init__(self, params: Iterable[Value], lr: float = 0.01) -> None:
        super().__init__(params, lr)

    def step(self) -> None:
        lr = self.lr
        for p in self.params:
            p.data -= lr * p.grad


class Momentum(Optimizer):
    """v <- momentum v - lr g;  p <- p + v."""

    def __init__(self, params: Iterable[Value], lr: float = 0.01, momentum: float = 0.9) -> None:
        super().__init__(params, lr)
        self.momentum = _fraction("Momentum", "momentum", momentum)
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        lr, mu, v = self.lr, self.momentum, self.velocity
        for i, p in enumerate(self.params):
            v[i] = mu * v[i] - lr * p.grad
            p.data += v[i]


class Nesterov(Momentum):
    """v <- momentum v - lr g;  p <- p + momentum v - lr g (look ahead along v)."""

    def step(self) -> None:
        lr, mu, v = self.lr, self.momentum, self.velocity
        for i, p in enumerate(self.params):
            g = p.grad
            v[i] = mu * v[i] - lr * g
            p.data += mu * v[i] - lr * g


class AdaGrad(Optimizer):
    """h <- h + g^2;  p <- p - lr g / (sqrt(h) + eps): each parameter's own step size."""

    def __init__(self, params: Iterable[Value], lr: float = 0.01, eps: float = 1e-7) -> None:
        super().__init__(params, lr)
        self.eps = _positive("AdaGrad", "eps", eps)
        self.h = [0.0] * len(self.params)

    def step(self) -> None:
        lr, eps, h = self.lr, self.eps, self.h
        for i, p in enumerate(self.params):
            g = p.grad
            h[i] += g * g
            p.data -= lr * g / (math.sqrt(h[i]) + eps)


class RMSprop(Optimizer):
    """h <- decay h + (1 - decay) g^2;  p <- p - lr g / (sqrt(h) + eps): AdaGrad that forgets."""

    def __init__(self, params: Iterable[Value], lr: float = 0.01, decay_rate: float = 0.99,
                 eps: float = 1e-7) -> None:
        super().__init__(params, lr)
        self.decay_rate = _fraction("RMSprop", "decay_rate", decay_rate)
        self.eps = _positive("RMSprop", "eps", eps)
        self.h = [0.0] * len(self.params)

    def step(self) -> None:
        lr, rho, eps, h = self.lr, self.decay_rate, self.eps, self.h
        for i, p in enumerate(self.params):
            g = p.grad
            h[i] = rho * h[i] + (1 - rho) * g * g
            p.data -= lr * g / (math.sqrt(h[i]) + eps)


class Adam(Optimizer):
    """Momentum and RMSprop together, with bias correction for the zero start."""

    def __init__(self, params: Iterable[Value], lr: float = 0.001, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-7) -> None:
        super().__init__(params, lr)
        self.beta1 = _fraction("Adam", "beta1", beta1)
        self.beta2 = _fraction("Adam", "beta2", beta2)
        self.eps = _positive("Adam", "eps", eps)
        self.t = 0
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        self.t += 1
        lr, b1, b2, eps, m, v = self.lr, self.beta1, self.beta2, self.eps, self.m, self.v
        correct1, correct2 = 1 - b1**self.t, 1 - b2**self.t
        # The same arithmetic as one loop over i, in list comprehensions (faster in CPython).
        grads = [p.grad for p in self.params]
        m[:] = [b1 * mi + (1 - b1) * g for mi, g in zip(m, grads, strict=True)]
        v[:] = [b2 * vi + (1 - b2) * g * g for vi, g in zip(v, grads, strict=True)]
        sqrt = math.sqrt
        for p, mi, vi in zip(self.params, m, v, strict=True):
            p.data -= lr * (mi / correct1) / (sqrt(vi / correct2) + eps)
