"""Grad mode: whether operations on Values record the graph.

Recording is on by default. Inside ``with no_grad():`` every operation still
computes its value, but the result is a leaf: it keeps no parents and no local
derivative, so nothing can flow back through it and no memory is held for a
backward pass. The switch is thread-local, so one thread evaluating a model
does not stop another from training.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

__all__ = ["is_grad_enabled", "no_grad"]


class _GradMode(threading.local):
    # A class attribute is the starting value in every thread.
    enabled = True


grad_mode = _GradMode()


class _AnomalyMode(threading.local):
    # How many detect_anomaly() blocks are open in this thread (see autograd.anomaly).
    depth = 0


anomaly_mode = _AnomalyMode()

# How many rule evaluations on Values are running (backprop.local_derivatives with
# as_values=True): meanwhile float() of a Value is refused, since a math.exp(x) in a
# rule would silently turn its derivative into a constant (see Value._plain).
rules_on_values = [0]

# How many no_grad() blocks are open, in all threads together. Node creation reads
# this plain number first (a global read is cheaper than a thread-local one) and
# asks the thread-local switch only while some block is open.
open_blocks = [0]
open_blocks_lock = threading.Lock()


def is_grad_enabled() -> bool:
    """True when operations on Values record the graph (the default)."""
    return grad_mode.enabled


class no_grad:
    """Build no graph inside this block (this thread only).

        with no_grad():            # a block
            ...

        @no_grad                   # a decorator, with or without parentheses
        def evaluate(model, x): ...

    Blocks nest: leaving one restores the mode that was in force before it.
    """

    __slots__ = ("_previous",)

    def __new__(cls, function: Callable | None = None):
        if function is None:
            return super().__new__(cls)
        if not callable(function):
            raise TypeError(f"no_grad: expected a function to decorate, got "
                            f"{type(function).__name__}")
        return cls()(function)

    def __enter__(self) -> None:
        self._previous = grad_mode.enabled
        grad_mode.enabled = False
        with open_blocks_lock:
            open_blocks[0] += 1

    def __exit__(self, *exc_info: object) -> None:
        grad_mode.enabled = self._previous
        with open_blocks_lock:
            open_blocks[0] -= 1

    def __call__(self, function: Callable) -> Callable:
        """Use as a decorator: every call of ``function`` runs without building a graph."""

        @functools.wraps(function)
        def without_graph(*args, **kwargs):
            with no_grad():
                return function(*args, **kwargs)

        return without_graph
