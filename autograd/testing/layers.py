"""check_backward: a hand-written numpy backward against chainrule, element by element.

The book writes each layer twice: ``forward`` in numpy, and ``backward``,
which hands back ``dx = dout * (d out / d x)`` worked out by hand. chainrule
can work it out by itself: numpy runs the very same ``forward`` on arrays of
Values (``dtype=object``: ``np.dot`` multiplies and adds Values, ``np.exp``
calls ``Value.exp``), and backprop gives the gradient of
``sum(out * dout)`` with respect to every input element. That is exactly
what ``backward(dout)`` must return.

    layer = Affine(W, b)
    check_backward(lambda x, W, b: layer_forward(layer, x, W, b),
                   lambda dout: (layer.backward(dout), layer.dW, layer.db),
                   x, W, b)

The first element that disagrees is named with its index, both numbers,
the inputs and ``dout``.
"""

from __future__ import annotations

import inspect
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.backprop import grad
from autograd.nary import dot
from autograd.testing.gradcheck import GradcheckError
from autograd.value import Value

__all__ = [
    "BackwardMismatch", "ForwardMismatch", "Mismatch", "check_backward", "random_dout",
]


@dataclass(frozen=True)
class Mismatch:
    """Where a hand-written backward disagrees: the input's ``name``, the first wrong
    ``index`` (None when the shapes differ), both gradients, the inputs and ``dout``."""
    name: str
    index: tuple[int, ...] | None
    got: Any  # None: backward never set this gradient (self.dW still None, say)
    expected: Any
    inputs: dict[str, Any]
    dout: Any
    seed: int | None = None  # what drew a random dout (None: the caller gave dout)


class _Mismatched(GradcheckError):
    def __init__(self, message: str, mismatch: Mismatch) -> None:
        super().__init__(message)
        self.mismatch = mismatch


class BackwardMismatch(_Mismatched):
    """check_backward's failure, with the ``Mismatch`` for programs (the exercises'
    checker reads it to print the case in the learner's language, with a hint)."""


class ForwardMismatch(_Mismatched):
    """check_backward's failure when ``forward`` does not give ``reference``'s numbers;
    the ``Mismatch`` is named ``out``, with both outputs."""


def _names(forward: Callable, count: int) -> list[str]:
    try:
        parameters = list(inspect.signature(forward).parameters)
    except (TypeError, ValueError):
        parameters = []
    return [parameters[i] if i < len(parameters) else f"input {i}" for i in range(count)]


def _float_arrays(arrays: Sequence[Any]) -> list:
    import numpy as np

    converted = []
    for i, a in enumerate(arrays):
        try:
            array = np.array(a, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"check_backward: input {i} must be an array of numbers, "
                            f"got {type(a).__name__}") from None
        converted.append(array)
    return converted


def random_dout(shape: tuple, arrays: list, seed: int) -> Any:
    """Normal numbers of ``shape`` from ``seed``, drawn again until they equal no input
    (a learner who takes ``default_rng(0)`` for x must not get x back as dout, where
    ``dout * x`` and ``x * x`` would look alike); 1.0 for a scalar output."""
    import numpy as np

    if shape == ():
        return np.ones(())
    rng = np.random.default_rng(seed)
    while True:
        dout = rng.normal(size=shape)
        if not any(a.shape == shape and np.array_equal(a, dout) for a in arrays):
            return dout


def chainrule_gradients(forward: Callable, arrays: list, dout: Any,
                        seed: int = 0) -> tuple[list, Any, Any]:
    """forward on arrays of Values; the gradients of sum(out * dout), and out and dout
    (a ``random_dout`` from ``seed`` when dout is None)."""
    import numpy as np

    leaves = [np.vectorize(Value, otypes=[object])(a) if a.ndim else
              np.array(Value(float(a)), dtype=object) for a in arrays]
    out = np.asarray(forward(*leaves), dtype=object)
    if dout is None:
        dout = random_dout(out.shape, arrays, seed)
    dout = np.asarray(dout, dtype=np.float64)
    if dout.shape != out.shape:
        raise ValueError(f"check_backward: dout has shape {dout.shape}, but forward's output "
                         f"has shape {out.shape}")
    total = dot(list(out.ravel()), dout.ravel().tolist())
    flat = [leaf for array in leaves for leaf in array.ravel()]
    slopes = iter([g.data for g in grad(total, flat)])
    gradients = [np.array([next(slopes) for _ in range(a.size)]).reshape(a.shape)
                 for a in arrays]
    return gradients, out, dout


def check_backward(forward: Callable, backward: Callable, *arrays: Any, dout: Any = None,
                   rtol: float = 1e-5, atol: float = 1e-8,
                   reference: Callable | None = None, seed: int | None = None) -> bool:
    """True when ``backward(dout)`` is chainrule's gradient of ``sum(forward(*arrays) * dout)``.

    ``forward(*arrays)`` is the user's numpy forward pass; ``backward(dout)`` returns one
    gradient per array (a tuple, or one array for one input), after forward ran on floats.
    ``dout`` defaults to random normal numbers shaped like the output, drawn from
    ``seed`` (a new random seed per call when None; the Mismatch of a failure
    carries it, to repeat the case), never equal to an input; 1 for a scalar
    output, as the book's SoftmaxWithLoss takes.
    A gradient that ``backward`` leaves as None (``self.dW`` never set) is named so.
    Elements pass within rtol and atol; the first that does not raises
    GradcheckError naming it, its two numbers, the inputs and dout.
    The book's SoftmaxWithLoss takes ``log(y + 1e-7)``, so the exact gradient of its
    forward differs from its ``(y - t) / N`` by 1e-7 / y_t relatively (y_t: the
    probability of the true class). For a confident wrong prediction that is more
    than the default rtol: pass ``rtol=2e-7 / y_t.min()`` for it. A real mistake (a
    missing ``/ N``) is off by a factor, far beyond either.

    ``reference``: the function whose gradient is the right one, where forward's own
    numbers do not decide it. At a kink they do not: a relu forward masked with
    ``x < 0`` and one masked with ``x <= 0`` give the same numbers, but traced on
    Values the first passes x through at 0 (slope 1) and the second gives 0 (slope 0,
    the convention relu'(0) = 0). With a reference, chainrule differentiates it, and
    ``forward`` must give its numbers (within rtol and atol), else ForwardMismatch.
    """
    import numpy as np

    if not callable(forward) or not callable(backward):
        raise TypeError("check_backward: forward and backward must be functions, got "
                        f"{type(forward).__name__} and {type(backward).__name__}")
    if not arrays:
        raise ValueError("check_backward: give at least one input array")
    floats = _float_arrays(arrays)
    names = _names(forward, len(floats))
    if dout is None and seed is None:
        seed = secrets.randbelow(2**32)
    drawn = seed if dout is None else None
    expected, _, dout = chainrule_gradients(reference or forward, floats, dout, seed or 0)
    inputs = dict(zip(names, floats, strict=True))
    out = forward(*[a.copy() for a in floats])  # the user's own pass, which backward relies on
    if reference is not None:
        _check_forward(out, reference, floats, inputs, dout, rtol, atol, drawn)
    got = backward(dout.item() if dout.ndim == 0 else dout.copy())
    got = list(got) if isinstance(got, (tuple, list)) else [got]
    if len(got) != len(floats):
        raise ValueError(f"check_backward: backward returned {len(got)} gradients for "
                         f"{len(floats)} inputs ({', '.join(names)})")
    for name, mine, theirs in zip(names, got, expected, strict=True):
        if mine is None:
            raise BackwardMismatch(f"check_backward: backward gave None for d{name}: that "
                                   "gradient was never set",
                                   Mismatch(name, None, None, theirs, inputs, dout, drawn))
        mine = np.asarray(mine, dtype=np.float64)
        if mine.shape != theirs.shape:
            raise BackwardMismatch(f"check_backward: d{name} has shape {mine.shape}, but "
                                   f"{name} has shape {theirs.shape}",
                                   Mismatch(name, None, mine, theirs, inputs, dout, drawn))
        index = _first_wrong(mine, theirs, rtol, atol)
        if index is not None:
            raise BackwardMismatch(_message(name, index, mine, theirs, names, floats, dout),
                                   Mismatch(name, index, mine, theirs, inputs, dout, drawn))
    return True


def _first_wrong(mine: Any, theirs: Any, rtol: float, atol: float) -> tuple[int, ...] | None:
    """The index of the first element outside rtol and atol (NaN equals only NaN)."""
    import numpy as np

    wrong = np.argwhere(~np.isclose(mine, theirs, rtol=rtol, atol=atol, equal_nan=True))
    return tuple(int(i) for i in wrong[0]) if len(wrong) else None


def _check_forward(out: Any, reference: Callable, floats: list, inputs: dict[str, Any],
                   dout: Any, rtol: float, atol: float, seed: int | None = None) -> None:
    import numpy as np

    theirs = np.asarray(reference(*[a.copy() for a in floats]), dtype=np.float64)
    mine = np.asarray(out, dtype=np.float64)
    if mine.shape != theirs.shape:
        raise ForwardMismatch(f"check_backward: forward's output has shape {mine.shape}, "
                              f"but the reference's has shape {theirs.shape}",
                              Mismatch("out", None, mine, theirs, inputs, dout, seed))
    index = _first_wrong(mine, theirs, rtol, atol)
    if index is not None:
        raise ForwardMismatch(f"check_backward: forward gives out{list(index)} = "
                              f"{float(mine[index])!r}, but the reference gives "
                              f"{float(theirs[index])!r}",
                              Mismatch("out", index, mine, theirs, inputs, dout, seed))


def _message(name, index, mine, theirs, names, floats, dout) -> str:
    import numpy as np

    with np.printoptions(precision=4, suppress=True, threshold=40):
        inputs = "\n".join(f"  {n} = {a!r}" for n, a in zip(names, floats, strict=True))
        return (f"check_backward: d{name}{list(index)} is {float(mine[index])!r} from backward, "
                f"but chainrule gives {float(theirs[index])!r} "
                f"(d sum(out * dout) / d {name}{list(index)})"
                f"\n  d{name} from backward = {mine!r}\n  d{name} from chainrule = {theirs!r}\n"
                f"inputs:\n{inputs}\n  dout = {dout!r}")
