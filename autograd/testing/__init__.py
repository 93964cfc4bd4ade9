"""Check derivatives: central differences, gradcheck, and random expression graphs.

    >>> from autograd.testing import gradcheck
    >>> gradcheck(lambda x, y: (x * y).tanh() + x.exp(), [0.3, -1.2])
    True

``autograd.testing.expressions`` holds a tiny language of expression graphs
that evaluates on Values, floats, sympy or torch alike.
``autograd.testing.strategies`` draws such graphs with hypothesis (a test extra).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from numbers import Real

from autograd.backprop import grad
from autograd.mode import no_grad
from autograd.value import Value

__all__ = ["GradcheckError", "gradcheck", "numerical_gradient"]


class GradcheckError(AssertionError):
    """Backprop and central differences disagree."""


def _point(operation: str, xs: Sequence[Real | Value]) -> list[float]:
    point = []
    for x in xs:
        if isinstance(x, Value):
            point.append(x.data)
        elif isinstance(x, Real):
            point.append(float(x))
        else:
            raise TypeError(
                f"{operation}: inputs must be numbers or Values, got {type(x).__name__}"
            )
    return point


def _evaluate(operation: str, f: Callable[..., Value], point: list[float]) -> float:
    out = f(*map(Value, point))
    if isinstance(out, Value):
        return out.data
    if isinstance(out, Real):
        return float(out)
    raise TypeError(f"{operation}: f must return a Value or a number, got {type(out).__name__}")


def numerical_gradient(
    f: Callable[..., Value], xs: Sequence[Real | Value], h: float = 1e-6
) -> list[float]:
    """df/dx_i by central differences, (f(x + h e_i) - f(x - h e_i)) / 2h.

    ``f`` takes one Value per input. The error is O(h^2), against O(h) for
    the book's forward difference; h = 1e-6 balances it against rounding
    (about 1e-16 / h). No graph is built.
    """
    if not h > 0:
        raise ValueError(f"numerical_gradient: h must be positive, got {h!r}")
    point = _point("numerical_gradient", xs)
    slopes = []
    with no_grad():
        for i, x in enumerate(point):
            up, down = point.copy(), point.copy()
            up[i], down[i] = x + h, x - h
            rise = _evaluate("numerical_gradient", f, up) - _evaluate("numerical_gradient", f, down)
            slopes.append(rise / (2 * h))
    return slopes


def gradcheck(
    f: Callable[..., Value],
    xs: Sequence[Real | Value],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """True when backprop matches central differences at ``xs``.

    Each input passes when |backprop - numerical| <= atol + rtol * |numerical|.
    On a mismatch the message names the first input that disagreed and gives
    both numbers. It is raised as ``GradcheckError`` (an AssertionError), or
    with ``raise_exception=False`` written to stderr, and False is returned.
    """
    point = _point("gradcheck", xs)
    inputs = [Value(x) for x in point]
    out = f(*inputs)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")
    analytic = [g.data for g in grad(out, inputs)]
    numeric = numerical_gradient(f, point, h=eps)
    for i, (a, n) in enumerate(zip(analytic, numeric, strict=True)):
        if not abs(a - n) <= atol + rtol * abs(n):  # `not <=` also catches NaN
            name = getattr(xs[i], "name", None)
            label = f"input {i}" + (f" ({name})" if name else "")
            message = (
                f"gradcheck: {label} at x={point[i]!r} disagrees: "
                f"backprop {a!r}, numerical {n!r} (difference {abs(a - n):.3g}, "
                f"tolerance {atol + rtol * abs(n):.3g})"
            )
            if raise_exception:
                raise GradcheckError(message)
            print(message, file=sys.stderr)
            return False
    return True
