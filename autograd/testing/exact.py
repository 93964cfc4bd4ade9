"""An exact oracle: backprop against rational arithmetic, with no finite differences.

For a graph of ``+ - * /``, negation, whole-number powers (``x ** 3``,
``x ** -2``), ``sum`` and ``dot``, every value and every gradient has an exact
rational answer: each float input is a rational number, and these ops keep it
rational. ``exact_check`` computes them with ``fractions.Fraction``, forward
and backward, and compares the engine's floats with them.

How close must the floats be? Each float operation rounds its result by at
most u |result|, with u = 2^-53, and passes on the errors of its inputs. A
running error bound (Wilkinson's running error analysis) follows both through
the graph, node by node, in the engine's own order of operations:

(plus 2^-1074, the smallest double, where r underflows into the subnormals):

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
from autograd.ops import (
    ADD,
    DIV,
    DOT,
    MUL,
    NEG,
    POW,
    SUB,
    SUM,
    Folded,
    arguments,
    entry,
    power_slope,
)
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

__all__ = ["EXACT_OPS", "ExactAnswers", "exact_answers", "exact_check"]

U = 2.0**-53  # the unit roundoff of round-to-nearest doubles
ETA = 2.0**-1074  # the absolute one where a result underflows (2^-1075 is not a double)


def _rounding(r: float) -> float:
    """The most that rounding a result of size r to a double can change it."""
    return U * r + ETA
EXACT_OPS = (ADD, SUB, MUL, DIV, NEG, POW, SUM, DOT)
_SLACK = 1 + 1e-9


def _refuse(node: Value) -> None:
    op = entry(node.call)
    if op not in EXACT_OPS:
        raise ValueError(f"exact_check: op `{op.name}` has no exact rational value; the exact "
                         "oracle takes + - * /, negation, whole powers, sum and dot")
    if op is POW:
        layout = node.call.layout if type(node.call) is Folded else (None, None)
        if layout[1] is None or not float(layout[1]).is_integer():
            raise ValueError("exact_check: only whole-number powers with a number exponent "
                             "(x ** 3, x ** -2) have exact rational values")


def _forward(op, args: list, exact: list, errors: list, result: float) -> tuple:
    """The exact value and the error bound of one node, from its arguments'."""
    r = abs(result)
    if op in (ADD, SUB):
        value = exact[0] + exact[1] if op is ADD else exact[0] - exact[1]
        return value, errors[0] + errors[1] + _rounding(r)
    if op is NEG:
        return -exact[0], errors[0]
    if op is MUL:
        return exact[0] * exact[1], _product_error(args, errors) + _rounding(r)
    if op is DIV:
        return exact[0] / exact[1], _quotient_error(args[1], errors, r) + _rounding(r)
    if op is POW:
        k = int(args[1])
        return exact[0] ** k, _power_error(args[0], errors[0], k) + 2 * _rounding(r)
    if op is SUM:
        return sum(exact, Fraction(0)), sum(errors) + _summing_error(args)
    n = len(args) // 2  # DOT: (w..., x..., b)
    products = [w * x for w, x in zip(args[:n], args[n:2 * n], strict=True)]
    product_errors = [_product_error((args[i], args[n + i]), (errors[i], errors[n + i]))
                      + _rounding(abs(p)) for i, p in enumerate(products)]
    value = sum((w * x for w, x in zip(exact[:n], exact[n:2 * n], strict=True)), Fraction(0))
    error = sum(product_errors) + _summing_error(products) + errors[-1] + _rounding(r)
    return value + exact[-1], error


def _product_error(args: Sequence[float], errors: Sequence[float]) -> float:
    return abs(args[0]) * errors[1] + abs(args[1]) * errors[0] + errors[0] * errors[1]


def _quotient_error(divisor: float, errors: Sequence[float], r: float) -> float:
    margin = abs(divisor) - errors[1]
    return math.inf if margin <= 0 else (errors[0] + r * errors[1]) / margin


def _power_error(x: float, e: float, k: int) -> float:
    if e == 0 or k == 0:
        return 0.0
    if k > 0:
        return abs(k) * (abs(x) + e) ** (k - 1) * e
    margin = abs(x) - e
    return math.inf if margin <= 0 else abs(k) * margin ** (k - 1) * e


def _summing_error(terms: Sequence[float]) -> float:
    partial, error = 0.0, 0.0
    for i, t in enumerate(terms):
        partial += t
        if i:  # 0.0 + t is exact
            error += _rounding(abs(partial))
    return error


def exact_derivative(op, slot: int, out: Fraction, args: list[Fraction]) -> Fraction:
    """The op's own rule for one argument, run on exact rational numbers.

    The rules of these ops are arithmetic, so they run on Fractions as they are;
    a power's rule calls ``power_slope``, whose general form (``k * x ** (k - 1)``,
    the one it uses on Values) is arithmetic too.
    """
    if op is POW:
        return Fraction(power_slope.on_values(args[0], int(args[1])))
    return Fraction(op.derivative(slot, out, args))


def _local_error(op, slot: int, args: list, errors: list, out: float, out_error: float
                 ) -> float:
    """How far the engine's float local derivative for one argument may be from the exact:
    the rounding of the rule's own arithmetic, on rounded inputs."""
    if op in (ADD, SUB, NEG, SUM):
        return 0.0  # the constants 1 and -1, exact
    if op is MUL:
        return errors[1 - slot]  # the other factor, as computed
    if op is DIV:
        if slot == 0:  # 1 / y
            inverse = abs(1 / args[1])
            return _quotient_error(args[1], (0.0, errors[1]), inverse) + _rounding(inverse)
        ratio = abs(out / args[1])  # -out / y
        return _quotient_error(args[1], (out_error, errors[1]), ratio) + _rounding(ratio)
    if op is POW:  # k * x ** (k - 1)
        k = int(args[1])
        if k == 1:
            return 0.0
        power = abs(args[0] ** (k - 1))
        return (abs(k) * (_power_error(args[0], errors[0], k - 1) + 2 * _rounding(power))
                + _rounding(abs(k) * power))
    n = len(args) // 2  # DOT: the partner's value, as computed, or the bias's exact 1
    return 0.0 if slot == 2 * n else errors[slot + n if slot < n else slot - n]


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
    exact: dict[Value, Fraction] = {}
    error: dict[Value, float] = {}
    for node in topological_order(output):
        if not node.parents:
            exact[node], error[node] = Fraction(node.data), 0.0
            continue
        _refuse(node)
        args = arguments(node.call, [p.data for p in node.parents])
        exact_args = arguments(node.call, [exact[p] for p in node.parents])
        exact[node], error[node] = _forward(entry(node.call), args, _rational(exact_args),
                                            _argument_errors(node, error), node.data)
    grads, bounds = _backward(output, exact, error)
    return ExactAnswers(exact, error, grads, bounds)


class _Track(NamedTuple):
    """A gradient as the exact oracle follows it: its exact value, backward()'s float, and
    a bound on how far that float may be from the exact value."""
    exact: Fraction
    float: float
    bound: float


def _backward(output: Value, exact: dict, error: dict) -> tuple[dict, dict]:
    """Exact gradients, and bounds on the engine's float ones, in backward()'s own order
    (the walk of ``autograd.walk``, with a step hook that tracks all three)."""

    def step(node: Value, g: _Track) -> tuple[tuple, tuple]:
        op = entry(node.call)
        args = arguments(node.call, [p.data for p in node.parents])
        exact_args = _rational(arguments(node.call, [exact[p] for p in node.parents]))
        errors = _argument_errors(node, error)
        slots = [i for i, a in enumerate(arguments(node.call, node.parents)) if type(a) is Value]
        shares = []
        for slot, local in zip(slots, node.local_derivatives, strict=True):
            d = exact_derivative(op, slot, exact[node], exact_args)
            d_error = _local_error(op, slot, args, errors, node.data, error[node])
            if g.float == 0.0:  # backward() hands nothing on: the exact share is all error
                # (+ ETA: the bound's own product may underflow where the share does not)
                share, share_error = 0.0, g.bound * (abs(local) + d_error) + ETA
            else:
                share = g.float * local
                share_error = (abs(g.float) * d_error + abs(local) * g.bound
                               + g.bound * d_error + _rounding(abs(share)))
            shares.append(_Track(g.exact * d, share, share_error))
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


def _rational(args: list) -> list[Fraction]:
    # Folded numbers come as floats: each float is a rational number, exactly.
    return [a if isinstance(a, Fraction) else Fraction(a) for a in args]


def _argument_errors(node: Value, error: dict) -> list[float]:
    """Each argument's error bound: its node's, or 0 for a folded number (exact as given)."""
    errors = iter([error[p] for p in node.parents])
    if type(node.call) is not Folded:
        return list(errors)
    return [next(errors) if slot is None else 0.0 for slot in node.call.layout]


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
