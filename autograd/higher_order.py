"""Local derivatives as Values, for ``grad(..., create_graph=True)``.

A node stores its local derivatives as numbers, computed beside its value.
Those numbers serve every ordinary backward pass. To differentiate a
gradient again, the local derivatives must themselves be nodes that depend
on the inputs. Here are the same formulas written over Values, one per op
whose slope depends on its inputs. Ops with constant slopes (``+``, ``-``,
``x * 3``, ``x / 3``, relu, sum, a dot with numbers) need none: their numbers
are exact at every order, since a constant's derivative is 0.

Each rule takes the output node and its parents, and returns one derivative
per parent. An op with a constant folded in is looked up with a "k" suffix
(``("**", 3.0)`` is "**k") and reads its constant from ``out._op[1]``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from autograd.value import Value

__all__ = ["RULES", "local_derivatives_as_values"]


def _mul(out, x, y):
    return y, x  # d(xy)/dx = y, d(xy)/dy = x


def _div(out, x, y):
    return 1 / y, -out / y  # d(x/y)/dx = 1/y, d(x/y)/dy = -x/y^2 = -out/y


def _reciprocal(out, x):
    return (-out / x,)  # d(c/x)/dx = -c/x^2 = -out/x


def _pow(out, x, y):
    return y * x ** (y - 1), out * x.log()  # d(x^y)/dx = y x^(y-1), d(x^y)/dy = x^y ln x


def _power(out, x):
    k = out._op[1]
    return (k * x ** (k - 1),)  # d(x^k)/dx = k x^(k-1)


def _exponential(out, x):
    return (out * math.log(out._op[1]),)  # d(c^x)/dx = c^x ln c


def _exp(out, x):
    return (out,)  # d(e^x)/dx = e^x


def _log(out, x):
    return (1 / x,)  # d(ln x)/dx = 1/x


def _tanh(out, x):
    return (1 - out * out,)  # d(tanh x)/dx = 1 - tanh^2 x


def _sigmoid(out, x):
    return (out * (1 - out),)  # d(s(x))/dx = s (1 - s)


def _dot_values(out, *factors):
    # parents (w_1..w_n, x_1..x_n[, b]): the halves swapped, then 1 for a bias
    n = len(factors) // 2
    swapped = factors[n:2 * n] + factors[:n]
    return swapped + (1.0,) if len(factors) % 2 else swapped


def _logsumexp(out, *z):
    return tuple((zi - out).exp() for zi in z)  # the softmax, e^(z_i - lse)


RULES: dict[str, Callable[..., tuple]] = {
    "*": _mul, "/": _div, "r/k": _reciprocal, "**": _pow, "**k": _power, "r**k": _exponential,
    "exp": _exp, "log": _log, "tanh": _tanh, "sigmoid": _sigmoid,
    "dotv": _dot_values, "dotvk": _dot_values, "logsumexp": _logsumexp,
}


def local_derivatives_as_values(node: Value) -> tuple:
    """d(node)/d(parent) for each parent, as nodes of a new graph (numbers when constant)."""
    op = node._op
    if type(op) is str:
        rule = RULES.get(op)
    elif callable(op[1]):  # a custom op, or a mixed dot: its own derivative function
        rule = op[1]
    else:
        rule = RULES.get(op[0] + "k")
    return node._local if rule is None else rule(node, *node._parents)
