"""An exact oracle: backprop against rational arithmetic, with no finite differences.

For a graph of the ops the table marks ``rational`` (``+ - * /``, negation,
whole-number powers such as ``x ** 3`` and ``x ** -2``, ``sum`` and ``dot``), every
value and every gradient has an exact rational answer: each float input is a
rational number, and these ops keep it rational. ``exact_check`` computes them
with ``fractions.Fraction``, forward and backward, and compares the engine's
floats with them. It knows no op by name: it runs each node's own forward
function and rules from the table on ``Tracked`` numbers, whose arithmetic
carries the exact value and the error bound below, so an op's error model is
its own arithmetic.

How close must the floats be? Each float operation rounds its result by at
most u |result|, with u = 2^-53, and passes on the errors of its inputs. A
running error bound (Wilkinson's running error analysis) follows both through
the graph, node by node, in the engine's own order of operations (plus 2^-1074,
the smallest double, where r underflows into the subnormals):

* ``a ± b``: e = e_a + e_b + u |r|;  ``a * b``: e = |a| e_b + |b| e_a + e_a e_b + u |r|;
* ``a / b``: e = (e_a + |r| e_b) / (|b| - e_b) + u |r|, and no bound if e_b >= |b|;
* ``x ** k``: k |x ± e_x|^(k-1) e_x by the mean-value theorem, + 2u |r| (pow is
  within one unit in the last place, not half);
* sums add left to right, each partial sum rounded; a dot rounds each product.

Backward does the same for each local derivative (computed from rounded
values), each share ``upstream x local`` and each sum of shares, and counts
the shares that ``backward()`` skips because a rounded upstream gradient is 0.
A float result passes when it is within its bound of the exact answer (the
bound, itself computed in floats, is widened by one part in 10^9). So a
pass means no rule, order or accumulation is wrong, down to the rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from numbers import Real
from typing import NamedTuple

from autograd.graph import topological_order
from autograd.ops import BUILTINS, POW, Op, Primitive, arguments, entry
from autograd.testing.gradcheck import (
    GradcheckError,
    # gradcheck's own argument checks, private to the testing package: both tools refuse
    # the same inputs in the same words
    _checked_function,
    _checked_inputs,
    _point,
)
from autograd.value import Value
from autograd.walk import Walk

__all__ = ["EXACT_OPS", "ExactAnswers", "Tracked", "exact_answers", "exact_check"]

U = 2.0**-53  # the unit roundoff of round-to-nearest doubles
ETA = 2.0**-1074  # the absolute one where a result underflows (2^-1075 is not a double)
EXACT_OPS = tuple(op for op in BUILTINS if op.rational)  # the table says which (Op.rational)
_SLACK = 1 + 1e-9


def _rounding(r: float) -> float:
    """The most that rounding a result of size r to a double can change it."""
    return U * r + ETA


class Tracked:
    """A number as the exact oracle follows it: ``float``, what the engine computes;
    ``exact``, the rational value; ``bound``, how far the float may be from it.

    The op table's forward functions and rules run on Tracked numbers as they run on
    floats, Values and Symbols (see ``autograd.ops``), so each op's error model is its
    own arithmetic: every operation below computes the engine's float, the exact
    value, and the running error bound of the module's docstring. An operation whose
    float equals its exact value, on exact arguments, adds no error.
    """

    __slots__ = ("float", "exact", "bound")

    def __init__(self, number: float, exact: Fraction | None = None, bound: float = 0.0) -> None:
        self.float = float(number)
        self.exact = Fraction(number) if exact is None else exact
        self.bound = bound

    def __repr__(self) -> str:
        return f"Tracked({self.float!r}, {self.exact}, bound={self.bound:.3g})"

    def _made(self, number: float, exact: Fraction, bound: float, other: Tracked) -> Tracked:
        if self.bound == 0 and other.bound == 0 and math.isfinite(number) and \
                Fraction(number) == exact:
            bound = 0.0  # exact arguments, and no rounding happened
        return Tracked(number, exact, bound)

    def __add__(self, other: object) -> Tracked:
        b = _tracked(other)
        r = self.float + b.float
        return self._made(r, self.exact + b.exact, self.bound + b.bound + _rounding(abs(r)), b)

    def __radd__(self, other: object) -> Tracked:
        return _tracked(other) + self

    def __sub__(self, other: object) -> Tracked:
        return self + -_tracked(other)

    def __rsub__(self, other: object) -> Tracked:
        return _tracked(other) + -self

    def __neg__(self) -> Tracked:
        return Tracked(-self.float, -self.exact, self.bound)

    def __mul__(self, other: object) -> Tracked:
        b = _tracked(other)
        r = self.float * b.float
        bound = (abs(self.float) * b.bound + abs(b.float) * self.bound + self.bound * b.bound
                 + _rounding(abs(r)))
        return self._made(r, self.exact * b.exact, bound, b)

    def __rmul__(self, other: object) -> Tracked:
        return _tracked(other) * self

    def __truediv__(self, other: object) -> Tracked:
        b = _tracked(other)
        r = self.float / b.float
        margin = abs(b.float) - b.bound  # no bound where the divisor may be 0
        bound = (math.inf if margin <= 0 else (self.bound + abs(r) * b.bound) / margin)
        return self._made(r, self.exact / b.exact, bound + _rounding(abs(r)), b)

    def __rtruediv__(self, other: object) -> Tracked:
        return _tracked(other) / self

    def __pow__(self, other: object) -> Tracked:
        k = _tracked(other)
        if k.bound or k.exact.denominator != 1:
            raise ValueError("exact_check: only whole-number powers with a number exponent "
                             "(x ** 3, x ** -2) have exact rational values")
        n = int(k.exact)
        r = POW.forward(self.float, k.float)  # the table's own float power
        # the mean-value theorem, + 2u: pow is within one unit in the last place, not half
        bound = _power_error(self.float, self.bound, n) + 2 * _rounding(abs(r))
        return self._made(r, self.exact ** n, bound, k)

    # POW's forward asks these of its exponent and base
    def is_integer(self) -> bool:
        return self.exact.denominator == 1

    def __lt__(self, other: object) -> bool:
        return self.float < _tracked(other).float

    def __eq__(self, other: object) -> bool:
        return self.float == _tracked(other).float

    __hash__ = None  # type: ignore[assignment]

    @staticmethod
    def _interpret(function: Op | Primitive, args: tuple) -> Tracked:
        """An op or helper of the table on Tracked numbers: rational ones only."""
        if type(function) is Primitive:
            if function.arithmetic is None:
                raise ValueError(f"exact_check: the helper `{function.name}` is not rational "
                                 "arithmetic")
            return function.arithmetic(*args)
        if not function.rational:
            raise _not_rational(function)
        return function.forward(*args)


def _tracked(x: object) -> Tracked:
    """A plain number (a folded constant, a rule's 1.0) is exact as given."""
    return x if type(x) is Tracked else Tracked(float(x), Fraction(x))


def _not_rational(op: Op) -> ValueError:
    names = ", ".join(o.name for o in EXACT_OPS)
    return ValueError(f"exact_check: op `{op.name}` has no exact rational value; the exact "
                      f"oracle takes the ops the table marks rational ({names}), with "
                      "whole-number powers")


def _power_error(x: float, e: float, k: int) -> float:
    if e == 0 or k == 0:
        return 0.0
    if k > 0:
        return abs(k) * (abs(x) + e) ** (k - 1) * e
    margin = abs(x) - e
    return math.inf if margin <= 0 else abs(k) * margin ** (k - 1) * e


def exact_check(fn: Callable[..., Value], inputs: Sequence[Real | Value],
                raise_exception: bool = True) -> bool:
    """True when fn's value and gradient at ``inputs`` are within their rounding bounds
    of the exact rational answers (see the module). fn's graph may use only the ops
    in ``EXACT_OPS``, with whole-number exponents; anything else is a ValueError."""
    point = _point("exact_check", _checked_inputs("exact_check", inputs))
    fn = _checked_function("exact_check", fn, len(point))
    xs = [Value(x) for x in point]
    output = fn(*xs)
    if not isinstance(output, Value):
        raise TypeError(f"exact_check: fn must return a Value, got {type(output).__name__}")
    exact, error, grads, bounds = exact_answers(output)
    output.backward()
    problems = [_judge("the value", output.data, exact[output], error[output])]
    problems += [_judge(f"d f/d x{i} (x{i} = {x.data!r})", x.grad, grads.get(x, Fraction(0)),
                        bounds.get(x, 0.0)) for i, x in enumerate(xs)]
    problems = [p for p in problems if p]
    if problems:
        message = "exact_check: " + "\n  ".join(problems)
        if raise_exception:
            raise GradcheckError(message)
        print(message)
        return False
    return True


class ExactAnswers(NamedTuple):
    """Every node's exact value and gradient, with the bounds on backprop's floats."""
    values: dict[Value, Fraction]
    value_bounds: dict[Value, float]
    gradients: dict[Value, Fraction]  # a node the output does not reach is missing: 0
    gradient_bounds: dict[Value, float]


def exact_answers(output: Value) -> ExactAnswers:
    """The exact answers for ``output``'s graph, and how far chainrule's floats may be
    from them (see the module); a graph with an op outside EXACT_OPS is a ValueError."""
    tracked: dict[Value, Tracked] = {}
    for node in topological_order(output):
        if not node.parents:
            tracked[node] = Tracked(node.data)
            continue
        op = entry(node.call)
        if not op.rational:
            raise _not_rational(op)
        tracked[node] = op.forward(*_arguments(node, tracked))
    grads, bounds = _backward(output, tracked)
    return ExactAnswers({n: t.exact for n, t in tracked.items()},
                        {n: t.bound for n, t in tracked.items()}, grads, bounds)


def _arguments(node: Value, tracked: dict[Value, Tracked]) -> list[Tracked]:
    """The node's arguments as Tracked numbers: its parents', and folded numbers exact."""
    return [_tracked(a) for a in arguments(node.call, [tracked[p] for p in node.parents])]


class _Track(NamedTuple):
    """A gradient as the exact oracle follows it: its exact value, backward()'s float, and
    a bound on how far that float may be from the exact value."""
    exact: Fraction
    float: float
    bound: float


def _backward(output: Value, tracked: dict[Value, Tracked]) -> tuple[dict, dict]:
    """Exact gradients, and bounds on the engine's float ones, in backward()'s own order
    (the walk of ``autograd.walk``, with a step hook that tracks all three). Each local
    derivative is the op's own rule, run on the Tracked arguments."""

    def step(node: Value, g: _Track) -> tuple[tuple, tuple]:
        op = entry(node.call)
        args = _arguments(node, tracked)
        slots = [i for i, a in enumerate(arguments(node.call, node.parents)) if type(a) is Value]
        shares = []
        for slot, local in zip(slots, node.local_derivatives, strict=True):
            d = _tracked(op.derivative(slot, tracked[node], args))
            if g.float == 0.0:  # backward() hands nothing on: the exact share is all error
                # (+ ETA: the bound's own product may underflow where the share does not)
                share, share_error = 0.0, g.bound * (abs(local) + d.bound) + ETA
            else:
                share = g.float * local
                share_error = (abs(g.float) * d.bound + abs(local) * g.bound
                               + g.bound * d.bound + _rounding(abs(share)))
            shares.append(_Track(g.exact * d.exact, share, share_error))
        return node.local_derivatives, tuple(shares)

    gradients = Walk(output, step, seed=_Track(Fraction(1), 1.0, 0.0), start=_as_is,
                     add=_added).run()
    return ({n: t.exact for n, t in gradients.items()},
            {n: t.bound for n, t in gradients.items()})


def _as_is(share: _Track) -> _Track:
    return share


def _added(total: _Track, share: _Track) -> _Track:
    """Two shares added as backward() adds them: the float sum rounds once more."""
    added = total.float + share.float
    return _Track(total.exact + share.exact, added,
                  total.bound + share.bound + _rounding(abs(added)))


def _judge(what: str, got: float, exact: Fraction, bound: float) -> str:
    if math.isinf(bound):
        return ""  # a divisor indistinguishable from 0: no bound to judge by
    difference = abs(Fraction(got) - exact) if math.isfinite(got) else math.inf
    if difference <= Fraction(bound * _SLACK):
        return ""
    fraction = f"{exact.numerator}/{exact.denominator}"
    shown = f" ({fraction})" if len(fraction) < 60 else ""
    return (f"{what} is {got!r} by backprop; exactly it is {float(exact)!r}{shown}; the "
            f"difference {float(difference):.3g} is over the rounding bound {bound:.3g}")
