"""How each exercise's layer is run for ``check_backward``, and the cases it is run on.

A runner takes the learner's class and one case's arrays and returns a ``Run``: a
``forward(*inputs)`` that makes a fresh layer and calls its forward (so that every case
starts clean), the ``backward(dout)`` that returns the gradients in the inputs' order,
the inputs, the relative tolerance and the reference forward (None: the learner's own
forward decides the slopes). An exercise names its runner and its cases in the table
(``nn.exercises.EXERCISES``); nothing here asks which layer it is.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

import autograd
from autograd.ops import LOGSUMEXP

__all__ = ["Run", "affine_run", "elementwise_relu", "layer_cases", "new_layer_run",
           "softmax_cases", "softmax_run"]

RTOL = 1e-5  # check_backward's own: the book's layers are exact but for rounding


class Exercise(Protocol):
    """What a runner reads of an exercise (nn.exercises.Exercise, which names this
    module's runners and so cannot be imported here)."""
    inputs: tuple[str, ...]
    shapes: tuple[tuple[str, ...], ...]
    reference: Callable | None


class Run(NamedTuple):
    forward: Callable
    backward: Callable
    inputs: tuple
    rtol: float
    reference: Callable | None


def _named(function: Callable, names: tuple[str, ...]) -> Callable:
    """``function(*arrays)`` with the signature ``(x, y)``: check_backward names a case's
    inputs after forward's parameters."""
    function.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, inspect.Parameter.POSITIONAL_ONLY) for name in names])
    return function


def new_layer_run(exercise: Exercise, cls: type, arrays: tuple) -> Run:
    """A layer made with ``cls()`` whose ``forward`` takes every input (MulLayer: x, y)
    and whose ``backward(dout)`` returns every gradient."""
    state: dict[str, Any] = {}

    def forward(*inputs):
        state["layer"] = cls()
        return state["layer"].forward(*inputs)

    return Run(_named(forward, exercise.inputs), lambda dout: state["layer"].backward(dout),
               arrays, RTOL, exercise.reference)


def affine_run(exercise: Exercise, cls: type, arrays: tuple) -> Run:
    """The book's Affine: made with ``cls(W, b)``, forward(x); backward returns dx and
    keeps dW and db as attributes."""
    state: dict[str, Any] = {}

    def forward(x, W, b):
        state["layer"] = cls(W, b)
        return state["layer"].forward(x)

    def backward(dout):
        layer = state["layer"]
        dx = layer.backward(dout)
        return dx, layer.dW, layer.db

    return Run(forward, backward, arrays, RTOL, exercise.reference)


def softmax_run(exercise: Exercise, cls: type, arrays: tuple) -> Run:
    """SoftmaxWithLoss: forward(x, t) with the one-hot labels t fixed, so that the loss is
    a function of x alone; backward(dout) gives dx."""
    x, t = arrays
    state: dict[str, Any] = {}

    def forward(x):
        state["layer"] = cls()
        return state["layer"].forward(x, t)

    # The book's log(y + 1e-7) moves the exact gradient by 1e-7 / y_t, relatively: y_t is
    # each row's probability of its true class, e^(x_t - logsumexp(x)) by the table's op.
    y_true = [math.exp(row[list(labels).index(1.0)] - LOGSUMEXP.on_floats(row))
              for row, labels in zip(x.tolist(), t.tolist(), strict=True)]
    return Run(forward, lambda dout: state["layer"].backward(dout), (x,),
               max(RTOL, 2e-7 / min(y_true)), exercise.reference)


def elementwise_relu(x):
    """relu of each element, for arrays of floats or of Values: chainrule's own op, whose
    slope at 0 is 0. Relu's reference: a mask of x < 0 gives the same numbers as the
    book's x <= 0, so the learner's forward cannot decide relu'(0)."""
    import numpy as np

    return np.vectorize(autograd.relu, otypes=[object])(x)


def layer_cases(exercise: Exercise):
    """Arrays shaped as the exercise's ``shapes``, in [-3, 3] (wider than layer_inputs'
    default, so that sigmoid's tails are reached), with exact zeros one draw in four."""
    from autograd.testing.strategies import layer_inputs

    return layer_inputs(*exercise.shapes, low=-3.0, high=3.0)


def softmax_cases(exercise: Exercise):
    """Logits x (N, C), with C >= 2 (softmax over one class is always 1), and one-hot
    labels t."""
    from hypothesis import strategies as st

    @st.composite
    def logits_and_labels(draw):
        import numpy as np

        (x,) = draw(layer_cases(exercise))
        if x.shape[1] == 1:
            x = np.hstack([x, -x])
        labels = draw(st.lists(st.integers(0, x.shape[1] - 1), min_size=len(x),
                               max_size=len(x)))
        return x, np.eye(x.shape[1])[labels]

    return logits_and_labels()
