"""The book's ch. 5 layers in numpy, written as the book writes them, for check_backward.

Each planted mistake is one a reader makes: ``db`` without the sum over the
batch, a loss gradient not divided by the batch size, Sigmoid's
``dx = dout * y``, and a relu mask of ``<`` where the book has ``<=``.
"""

import sys
from pathlib import Path

import numpy as np

# The apple shop's MulLayer and AddLayer are the demo's own: they work on arrays too.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "demos"))
from apple_shop import AddLayer, MulLayer  # noqa: E402, F401 (re-exported for the tests)

from nn.exercises import EXERCISES  # noqa: E402


class Relu:
    def forward(self, x):
        self.mask = self.masked(x)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout = dout.copy()
        dout[self.mask] = 0
        return dout

    @staticmethod
    def masked(x):
        return x <= 0  # the book's mask


class ReluMaskedLessThan(Relu):
    """forward and backward both mask x < 0: the same numbers as the book's, but traced
    on Values the forward passes x through at 0, so its own slope there is 1."""

    @staticmethod
    def masked(x):
        return x < 0


class ReluLessThan(Relu):
    """Planted: the mask is x < 0, so at exactly 0 the gradient passes (relu'(0) = 1)."""

    def forward(self, x):
        out = super().forward(x)
        self.mask = x < 0
        return out


class Sigmoid:
    def forward(self, x):
        out = 1 / (1 + np.exp(-x))
        self.out = out
        return out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class SigmoidMissingFactor(Sigmoid):
    """Planted: dx = dout * y, the (1 - y) forgotten."""

    def backward(self, dout):
        return dout * self.out


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx


class AffineDbWithoutSum(Affine):
    """Planted: db = dout[0], as if the batch had one sample."""

    def backward(self, dout):
        dx = super().backward(dout)
        self.db = dout[0]
        return dx


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    batch_size = y.shape[0]
    return -np.sum(t * np.log(y + 1e-7)) / batch_size


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        return cross_entropy_error(self.y, self.t)

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        return dout * (self.y - self.t) / batch_size


class SoftmaxWithLossNotAveraged(SoftmaxWithLoss):
    """Planted: the division by the batch size forgotten."""

    def backward(self, dout=1):
        return dout * (self.y - self.t)


def affine_check_functions(layer_class=Affine):
    """forward(x, W, b) and backward(dout) -> (dx, dW, db) for check_backward: the
    exercise checker's own pair (nn.exercises), for the book's Affine or a planted one."""
    forward, backward, *_ = EXERCISES["Affine"].functions(layer_class, ())
    return forward, backward
