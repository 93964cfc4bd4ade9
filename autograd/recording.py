"""Frozen branches: a Value's number read while ``autograd.compile`` records a step.

A replay reruns the recorded graph, not the Python code that built it. So a line
that reads a Value's number while the step is recorded (``if loss.data > 1``,
``max(v.data ...)``, ``bool(v)``, ``v < 0``, ``float(v)``, ``f"{v:.3f}"``) runs once,
and whatever it decided is frozen into every later replay. Each such read warns,
with a ``ReplayWarning`` that names the reading line, once per line.

The engine's own modules (``autograd`` and ``nn``) read numbers too, for an op's
own arithmetic (recomputed on every replay) or on floats outside any graph, so
their reads are not warned about. This module is at the bottom of the package:
``value`` and ``compile`` import it, and it imports neither.
"""

from __future__ import annotations

import sys
import threading
import warnings

__all__ = ["ReplayWarning", "ReplayRefused", "is_recording", "warn_read"]


class ReplayWarning(UserWarning):
    """A replay that would not give a fresh build's numbers, or a step that is rebuilt."""


class ReplayRefused(ReplayWarning):
    """A step's graph is too large to write out as a program: it is rebuilt each call."""


# How many recordings are running, in any thread (Value's methods read it: one list
# index, no call, when nothing records).
recording = [0]
recording_lock = threading.Lock()

_ENGINE = ("autograd", "nn")  # top-level packages whose reads are the engine's own


def is_recording() -> bool:
    """True while ``autograd.compile`` records a step (in any thread)."""
    return recording[0] > 0


def warn_read(what: str, depth: int = 2) -> None:
    """Warn that the caller ``depth`` frames up reads a Value's number while recording,
    unless that caller is the engine's own code."""
    # Climb to the reader, ``depth`` frames up (1: the Value method that calls this), not
    # counting mutation testing's wrappers: make mutate runs every function through one.
    # (Inline, not a helper: a helper's own wrapper would shift the count.)
    frame, level = sys._getframe(1), 1
    while True:
        while frame.f_globals.get("__name__", "").startswith("mutmut."):
            frame = frame.f_back
        if level == depth:
            break
        frame, level = frame.f_back, level + 1
    module = frame.f_globals.get("__name__", "")  # code run by exec() may have no name
    if module.partition(".")[0] in _ENGINE:
        return
    where = f"{frame.f_code.co_filename}:{frame.f_lineno}"
    warnings.warn_explicit(
        f"compile: {what} while the step is recorded ({where}); a replay does not run this "
        "line again, so whatever it decides (an if, a max, an index, a print) stays as it was "
        "for this sample on every later replay. Branch with an op instead (relu, maximum, "
        "minimum, abs), or do it outside the compiled step.",
        ReplayWarning, frame.f_code.co_filename, frame.f_lineno, module=module,
        registry=frame.f_globals.setdefault("__warningregistry__", {}))
