"""Grad mode: whether operations on Values record the graph.

Recording is on by default. Inside ``with no_grad():`` every operation still
computes its value, but the result is a leaf: it keeps no parents and no local
derivative, so nothing can flow back through it and no memory is held for a
backward pass. The switch is thread-local, so one thread evaluating a model
does not stop another from training.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["is_grad_enabled", "no_grad"]


class _GradMode(threading.local):
    # A class attribute is the starting value in every thread.
    enabled = True


_grad_mode = _GradMode()

# How many no_grad() blocks are open, in all threads together. Node creation reads
# this plain number first (a global read is cheaper than a thread-local one) and
# asks the thread-local switch only while some block is open.
_open_blocks = [0]
_open_blocks_lock = threading.Lock()


def is_grad_enabled() -> bool:
    """True when operations on Values record the graph (the default)."""
    return _grad_mode.enabled


@contextmanager
def no_grad() -> Iterator[None]:
    """Build no graph inside this block (this thread only). Also a decorator."""
    previous = _grad_mode.enabled
    _grad_mode.enabled = False
    with _open_blocks_lock:
        _open_blocks[0] += 1
    try:
        yield
    finally:
        _grad_mode.enabled = previous
        with _open_blocks_lock:
            _open_blocks[0] -= 1
