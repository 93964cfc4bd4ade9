"""Data-parallel gradients: a batch's samples split into shards, one worker process each.

A scalar engine runs on one core. ``DataParallel`` gives each worker process a
copy of the model and a per-sample step (``autograd.compile`` of the loss of
one sample, looped over a shard with ``Compiled.over``). Each step the workers
get the current weights and a shard of the batch, and send back the shard's
gradients; the parent adds them into the parameters' ``.grad``.

The batch is always cut into the same ``shards`` (contiguous, in order), and
their gradients are added in shard order, whatever the number of workers:

    p.grad = p.grad + (g_shard0 + g_shard1 + ...)

so ``workers=1`` (which runs the shards in this process, one after another)
and ``workers=2`` give the same numbers to the last bit. Fewer cores than
workers still works; it is just not faster.

The calling convention, checked on the first batch with a message that names it:

* ``DataParallel(model, loss_of_sample)``, where ``loss_of_sample(model, *sample)``
  returns the loss of one sample as a Value (its share of the batch loss, so a
  mean over the batch passes 1/N as one of the numbers);
* ``backward(samples)``, where ``samples`` is a list of tuples, one per sample,
  each holding ``loss_of_sample``'s arguments after the model: numbers, or lists
  of numbers (``[(x, t, 1 / n) for x, t in batch]``).

``loss_of_sample`` must be a module-level function, so that a worker started
with ``spawn`` (macOS, Windows) can import it. Each worker compiles it
(``autograd.compile``), so a branch on a Value's number inside it is frozen
into the replay: the warning that says so (``ReplayWarning``) is raised in this
process, at the line that reads the number, whichever process recorded it.
"""

from __future__ import annotations

import inspect
import multiprocessing
import os
import signal
import warnings
from array import array
from collections.abc import Callable, Sequence
from functools import partial, reduce
from operator import add

import autograd
from nn.module import Module

__all__ = ["DataParallel", "shard_bounds"]


def shard_bounds(n: int, shards: int) -> list[tuple[int, int]]:
    """``shards`` contiguous (start, stop) ranges covering range(n), sizes differing by ≤ 1;
    empty ones are left out."""
    edges = [n * k // shards for k in range(shards + 1)]
    # equivalent mutants: an uneven zip with strict=False, None or left out is one zip
    return [(a, b) for a, b in zip(edges, edges[1:], strict=False) if b > a]  # pragma: no mutate


class _Worker:
    """What one process holds: the model copy and its compiled per-sample step."""

    def __init__(self, model: Module, loss_of_sample: Callable) -> None:
        self.model = model
        self.parameters = model.parameters()
        self.step = autograd.compile(partial(loss_of_sample, model))

    def gradients(self, weights: array, rows: list[tuple]) -> tuple[list, array, list]:
        """The shard's losses, its gradients from zero at ``weights``, and the replay
        warnings it raised (message, file, line), for the parent to raise again. Numbers
        travel as ``array('d')``: pickled as raw bytes, not as 40,000 float objects."""
        # equivalent mutants: the weights were sent for these very parameters, one each
        for p, w in zip(self.parameters, weights, strict=True):  # pragma: no mutate
            p.data = w
            p.grad = 0.0
        with warnings.catch_warnings(record=True) as caught:
            # equivalent mutants: only ReplayWarnings are relayed (below), whatever else is recorded
            warnings.simplefilter("always", autograd.ReplayWarning)  # pragma: no mutate
            losses = self.step.over(rows)
        said = [(str(w.message), w.filename, w.lineno) for w in caught
                if issubclass(w.category, autograd.ReplayWarning)]
        return losses, array("d", [p.grad for p in self.parameters]), said

    def accuracy(self, weights: array, x, t) -> float:
        # equivalent mutants: the weights were sent for these very parameters, one each
        for p, w in zip(self.parameters, weights, strict=True):  # pragma: no mutate
            p.data = w
        return round(self.model.accuracy(x, t) * len(x))  # hits, counted


_worker: _Worker | None = None  # in a worker process: its own


def _start(model: Module, loss_of_sample: Callable) -> None:
    global _worker
    # Ctrl-C reaches the whole process group: the parent ends the workers, so that the
    # user sees one line, not a traceback from every worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = _Worker(model, loss_of_sample)


def _gradients(task: tuple) -> tuple[list, array, list]:
    return _worker.gradients(*task)


def _accuracy(task: tuple) -> float:
    return _worker.accuracy(*task)


class DataParallel:
    """Gradients of ``loss_of_sample`` summed over a batch, shard by shard, in workers.

    ``workers``: processes (default: the cores, at most ``shards``); 1 runs in this
    process. ``shards``: how the batch is cut, fixed so that results do not depend
    on ``workers``. Use as a context manager, or call ``close()``.
    """

    def __init__(self, model: Module, loss_of_sample: Callable, *, workers: int | None = None,
                 shards: int = 2) -> None:
        for name, n in (("shards", shards), ("workers", workers)):
            if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
                raise ValueError(f"DataParallel: {name} must be a positive int, got {n!r}")
        if not callable(loss_of_sample):
            raise TypeError("DataParallel: loss_of_sample must be a function, got "
                            f"{type(loss_of_sample).__name__}")
        self.model, self.shards = model, shards
        self._loss_of_sample, self._checked = loss_of_sample, False
        self.parameters = model.parameters()
        self.workers = min(workers or os.cpu_count() or 1, shards)
        self._in_process = _Worker(model, loss_of_sample) if self.workers == 1 else None
        self._pool = None
        if self.workers > 1:
            # equivalent mutants: Linux always has fork; spawn is for macOS and Windows
            forks = "fork" in multiprocessing.get_all_start_methods()  # pragma: no mutate
            method = "fork" if forks else "spawn"  # pragma: no mutate
            # equivalent mutants: get_context(None) is Linux's default, fork
            self._pool = multiprocessing.get_context(method).Pool(  # pragma: no mutate
                # equivalent mutants: the pool's size picks which process runs a shard, not a number
                self.workers, initializer=_start,  # pragma: no mutate
                initargs=(model, loss_of_sample))

    def backward(self, samples: Sequence[tuple]) -> list[float]:
        """Add the gradients of every sample's loss into the parameters' ``.grad``;
        return the losses, in sample order."""
        self._check_open("backward")
        if len(samples) == 0:
            raise ValueError("DataParallel.backward: the batch has no samples")
        if not self._checked:
            self._check_convention(samples[0])
        weights = array("d", [p.data for p in self.parameters])
        tasks = [(weights, [tuple(s) for s in samples[a:b]])
                 for a, b in shard_bounds(len(samples), self.shards)]
        if self._pool is not None:
            results = self._pool.map(_gradients, tasks)
        else:
            # The local worker is the model itself: it zeroes .grad per shard, so keep it.
            saved = [p.grad for p in self.parameters]
            results = [self._in_process.gradients(*task) for task in tasks]
            # equivalent mutants: saved was made from these parameters, one each
            for p, g in zip(self.parameters, saved, strict=True):  # pragma: no mutate
                p.grad = g
        for message, filename, line in {said for _, _, shard in results for said in shard}:
            warnings.warn_explicit(message, autograd.ReplayWarning, filename, line)
        losses = [loss for shard_losses, _, _ in results for loss in shard_losses]
        # ((g_0 + g_1) + g_2) + ...: shard order, whatever the workers
        totals = reduce(lambda a, b: list(map(add, a, b)), (grads for _, grads, _ in results))
        # equivalent mutants: totals has one gradient per parameter, by construction
        for p, g in zip(self.parameters, totals, strict=True):  # pragma: no mutate
            p.grad = p.grad + g
        return losses

    def accuracy(self, x, t) -> float:
        """``model.accuracy(x, t)``, its samples split among the workers."""
        self._check_open("accuracy")
        if self._pool is None:
            return self.model.accuracy(x, t)
        weights = array("d", [p.data for p in self.parameters])
        # equivalent mutants: how many chunks the pool gets changes only the pace, never a count
        chunks = shard_bounds(len(x), self.workers * 4)  # pragma: no mutate
        hits = self._pool.map(_accuracy, [(weights, x[a:b], t[a:b]) for a, b in chunks])
        return sum(hits) / len(x)

    def _check_convention(self, sample: object) -> None:
        """The first batch's first sample against the calling convention (see the module):
        a wrong guess is named here, not deep inside a worker's compile."""
        usage = ("each sample is a tuple of loss_of_sample's arguments after the model, "
                 "as in backward([(x, t), ...]) for loss_of_sample(model, x, t)")
        if not isinstance(sample, (tuple, list)):
            raise TypeError(f"DataParallel.backward: sample 0 is a {type(sample).__name__}, "
                            f"{sample!r:.40}; {usage}")
        try:
            # equivalent mutants: bind checks the arity; the model argument is never called
            inspect.signature(self._loss_of_sample).bind(self.model, *sample)  # pragma: no mutate
        except TypeError as error:
            raise TypeError(f"DataParallel.backward: loss_of_sample(model, *sample) cannot "
                            f"take sample 0, {len(sample)} argument(s) after the model "
                            f"({error}); {usage}") from None
        except ValueError:  # a builtin without a signature: the worker will tell
            pass
        # equivalent mutants: checking again each call is slower, never different
        self._checked = True  # pragma: no mutate

    def _check_open(self, method: str) -> None:
        if self._pool is None and self._in_process is None:
            raise RuntimeError(f"DataParallel.{method}: closed; its worker processes have "
                               "ended (make a new DataParallel)")

    def close(self, *, now: bool = False) -> None:
        """End the worker processes: let them finish (the default), or ``now``, stopping
        any task under way. The object is then unusable, with workers=1 too."""
        self._in_process = None
        if self._pool is not None:
            if now:
                self._pool.terminate()
            else:
                self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> DataParallel:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        # After an error or Ctrl-C the workers may be mid-task, and waiting for them
        # could hang: end them at once.
        self.close(now=exc_type is not None)
