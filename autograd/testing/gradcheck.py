"""gradcheck: backprop against central differences, at any order.

Order 1 compares each d f/d x_j from backprop with a central difference of f.
Order k compares each k-th derivative with a central difference of the
(k-1)-th, which backprop also computed: so a failure at order 2 says the
gradient of the gradient is wrong while the gradient itself was right.

``fast_mode=True`` checks one random direction v instead of every input, as
PyTorch's fast mode and JAX's ``check_grads`` do: the directional derivative
``grad(f) . v`` against the central difference of ``t -> f(x + t v)``. That is
the same handful of evaluations for any number of inputs.

The differences are Richardson-extrapolated (``autograd.testing.differences``),
and a failure reports their error estimate beside the two numbers. Values
that are not finite compare equal only to the same value: NaN to NaN, +inf to
+inf. On a failure on a graph, the message first names the node whose own rule
is wrong, when one is (``autograd.testing.rules``).
"""

from __future__ import annotations

import inspect
import itertools
import math
import random
import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from numbers import Real

from autograd.backprop import grad, topological_order
from autograd.mode import no_grad
from autograd.naming import node_names
from autograd.nary import dot
from autograd.ops import arguments, entry
from autograd.testing.differences import Estimate, close, richardson
from autograd.testing.rules import find_wrong_rule
from autograd.value import Value

__all__ = ["GradcheckError", "gradcheck", "numerical_gradient"]


class GradcheckError(AssertionError):
    """Backprop and central differences disagree."""


def _checked_inputs(operation: str, xs: object) -> Sequence:
    if isinstance(xs, (Value, Real, str)) or not isinstance(xs, Sequence):
        raise TypeError(f"{operation}: inputs must be a list of numbers or Values, "
                        f"got {type(xs).__name__}")
    return xs


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


def _checked_function(operation: str, f: object, n_inputs: int | None = None
                      ) -> Callable[..., Value]:
    """``f`` if it is a function that takes ``n_inputs`` arguments, else a named error."""
    if not callable(f):
        raise TypeError(f"{operation}: fn must be a function of Values, got {type(f).__name__}")
    if n_inputs is not None:
        try:
            inspect.signature(f).bind(*range(n_inputs))
        except TypeError:
            raise TypeError(f"{operation}: fn takes {_arity(f)} inputs, got {n_inputs}") from None
        except ValueError:  # no signature to read (a builtin): let the call say
            pass
    return f


def _arity(f: Callable) -> str:
    parameters = inspect.signature(f).parameters.values()
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return "any number of"
    return str(sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters))


def _evaluate(operation: str, f: Callable[..., Value], point: Sequence[float]) -> float:
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
    f = _checked_function("numerical_gradient", f)
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


# -- derivatives from backprop ----------------------------------------------------

def _partial(f: Callable[..., Value], point: Sequence[float], index: tuple[int, ...]) -> float:
    """d^k f / d x_index[0] ... d x_index[-1] at ``point``, by backprop (k = len(index))."""
    xs = [Value(x) for x in point]
    out = f(*xs)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: fn must return a Value, got {type(out).__name__}")
    for i in index:
        (out,) = grad(out, [xs[i]], create_graph=True)
    return out.data


def _directional(f: Callable[..., Value], point: Sequence[float], v: Sequence[float],
                 k: int) -> float:
    """The k-th derivative of t -> f(point + t v) at t = 0, by backprop."""
    xs = [Value(x) for x in point]
    out = f(*xs)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: fn must return a Value, got {type(out).__name__}")
    for _ in range(k):
        out = dot(grad(out, xs, create_graph=True), v)
    return out.data


def _difference(g: Callable[[Sequence[float]], float], point: list[float],
                v: Sequence[float], h: float) -> Estimate:
    """The derivative of g along v at ``point``, Richardson-extrapolated."""
    def at(t: float) -> float:
        return g([x + t * d for x, d in zip(point, v, strict=True)])

    return richardson((at(h), at(-h), at(h / 2), at(-h / 2)), h)


# -- comparing --------------------------------------------------------------------

_ORDER_NAMES = {1: "the gradient", 2: "the gradient of the gradient (reverse over reverse)",
                3: "the third derivative (reverse over reverse over reverse)"}


def _label(order: int) -> str:
    return f"order {order}: {_ORDER_NAMES.get(order, f'derivative {order}')}"


def gradcheck(
    fn: Callable[..., Value],
    inputs: Sequence[Real | Value],
    order: int = 1,
    *,
    eps: float = 1e-4,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    fast_mode: bool = False,
    seed: int = 0,
    raise_exception: bool = True,
    find_rule: bool = True,
) -> bool:
    """True when every derivative up to ``order`` matches central differences at ``inputs``.

    Each derivative passes when |backprop - numerical| <= atol + rtol |numerical|
    (PyTorch's test), where the numerical one is the Richardson-extrapolated
    central difference of the order below, with step ``eps``. ``fast_mode``
    checks one random direction (from ``seed``) per order instead of every
    input. On a mismatch the message names the order, the inputs and both
    numbers with the difference's error estimate, and (``find_rule``) the node
    whose own local derivative is wrong. It is raised as ``GradcheckError``
    (an AssertionError), or with ``raise_exception=False`` written to stderr,
    and False is returned.
    """
    point = _point("gradcheck", _checked_inputs("gradcheck", inputs))
    fn = _checked_function("gradcheck", fn, len(point))
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ValueError(f"gradcheck: order must be a whole number >= 1, got {order!r}")
    if not eps > 0 or not atol >= 0 or not rtol >= 0:
        raise ValueError(f"gradcheck: eps must be positive and atol, rtol not negative; got "
                         f"eps={eps!r}, atol={atol!r}, rtol={rtol!r}")
    names = [getattr(x, "name", None) for x in inputs]
    for k in range(1, order + 1):
        failure = (_check_direction if fast_mode else _check_every_input)(
            fn, point, k, eps, atol, rtol, seed, names)
        if failure:
            failure += _kinks_near(fn, point, eps)
            if find_rule:
                culprit = find_wrong_rule(fn, point, order=k, h=eps)
                if culprit is not None:
                    failure = f"{culprit}\n{failure}"
            if raise_exception:
                raise GradcheckError(failure)
            print(failure, file=sys.stderr)
            return False
    return True


def _kinks_near(fn: Callable[..., Value], point: list[float], eps: float) -> str:
    """A note for each node within a difference step of a kink (relu at 0, abs at 0, a tie
    of maximum): there the slope jumps, a central difference averages the two sides, and
    backprop takes one side by convention (relu'(0) = 0), so they need not agree."""
    out = fn(*map(Value, point))
    if not isinstance(out, Value):
        return ""
    order = topological_order(out)
    names = node_names(order)
    notes = []
    for node in order:
        if not node.parents:
            continue
        op = entry(node.call)  # the node's table entry and its folded numbers, to ask op.kink
        args = arguments(node.call, [p.data for p in node.parents])
        if op.kink is not None and abs(op.kink(*args)) <= 4 * eps:
            shown = ", ".join(f"{a:.6g}" for a in args)
            notes.append(f"\n  the point is at a kink: {names[node]} = {op.name}({shown}) is "
                         f"within {4 * eps:g} of where its slope jumps, so central differences "
                         f"there average the slopes of its two sides, while backprop takes "
                         f"the op's convention ({op.name}'s slope at the kink); check a point "
                         "away from the kink")
    return "".join(notes)


def _input_label(index: tuple[int, ...], point: list[float], names: list) -> str:
    parts = [f"{names[i] or f'x{i}'} = {point[i]!r}" for i in sorted(set(index))]
    which = ", ".join(str(i) for i in index)
    return f"input{'s' if len(index) > 1 else ''} {which} ({'; '.join(parts)})"


def _check_every_input(fn, point, k, eps, atol, rtol, seed, names) -> str:
    n = len(point)
    for lower in itertools.product(range(n), repeat=k - 1):
        analytic = [_partial(fn, point, (*lower, j)) for j in range(n)]
        numeric = []
        for j in range(n):
            basis = [1.0 if i == j else 0.0 for i in range(n)]
            with no_grad() if k == 1 else nullcontext():  # order 1 needs no graph
                numeric.append(_difference(lambda p, lower=lower: _partial(fn, p, lower), point,
                                           basis, eps))
        for j, (a, estimate) in enumerate(zip(analytic, numeric, strict=True)):
            if not close(a, estimate.value, atol + estimate.error, rtol):
                return _mismatch(k, (*lower, j), point, names, a, estimate, atol, rtol,
                                 analytic, [e.value for e in numeric])
    return ""


def _check_direction(fn, point, k, eps, atol, rtol, seed, names) -> str:
    rng = random.Random(seed)
    v = [rng.gauss(0.0, 1.0) for _ in point]
    norm = math.sqrt(sum(d * d for d in v)) or 1.0
    v = [d / norm for d in v]
    analytic = _directional(fn, point, v, k)
    estimate = _difference(lambda p: _directional(fn, p, v, k - 1), point, v, eps)
    if close(analytic, estimate.value, atol + estimate.error, rtol):
        return ""
    return (f"gradcheck: {_label(k)} mismatch along the random direction "
            f"v = {[round(d, 4) for d in v]} at {point}:\n"
            f"  backprop   {analytic!r}\n"
            f"  numerical  {estimate.value!r} (error estimate {estimate.error:.2g})\n"
            f"  tolerance  {_tolerance(estimate, atol, rtol)}; check every input with "
            "fast_mode=False to find which")


def _tolerance(estimate, atol: float, rtol: float) -> str:
    """The allowed difference, said with its parts. The differences' own error estimate
    is part of it: a difference within it is no evidence against backprop (a steep
    function such as sin((9x² + 1) ** 3x) leaves central differences that uncertain)."""
    total = atol + rtol * abs(estimate.value) + estimate.error
    return (f"{total:.3g} (atol {atol} + rtol {rtol} x |numerical| + the error estimate "
            f"{estimate.error:.2g})")


def _mismatch(k, index, point, names, a, estimate, atol, rtol, analytic, numeric) -> str:
    title = ("Jacobian mismatch for output 0 with respect to "
             if k == 1 else f"{_label(k)} mismatch with respect to ")
    return (f"gradcheck: {title}{_input_label(index, point, names)}:\n"
            f"  backprop   {a!r}\n"
            f"  numerical  {estimate.value!r} (Richardson-extrapolated central differences, "
            f"error estimate {estimate.error:.2g})\n"
            f"  difference {abs(a - estimate.value):.3g}, tolerance "
            f"{_tolerance(estimate, atol, rtol)}\n"
            f"  backprop row:  {analytic}\n"
            f"  numerical row: {numeric}")
