"""N-ary nodes: one node for a sum of many terms.

``a + b + c + d`` makes three nodes and three backward steps.
``autograd.sum([a, b, c, d])`` makes one node with four parents, and
``autograd.dot(w, x, bias)`` one node for a neuron's whole pre-activation
``w . x + b``. That means fewer objects and fewer steps, and a diagram that
reads like the book's Affine layer. Plain numbers among the terms fold in as
constants.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from operator import attrgetter, mul

from autograd.value import Operand, Value, _node, _real

__all__ = ["dot", "sum"]

_data = attrgetter("data")


@lru_cache(maxsize=1024)
def _ones(n: int) -> tuple[float, ...]:
    return (1.0,) * n


def sum(terms: Iterable[Operand]) -> Value:  # mirrors builtins.sum, one node
    """t_1 + t_2 + ... + t_n as one node.   d/dt_i = 1 for every Value term.

    Plain numbers fold into the value. The terms are added left to right,
    as ``builtins.sum`` would add them.
    """
    parents = []
    numbers = []
    for term in terms:
        if type(term) is Value:
            parents.append(term)
            numbers.append(term.data)
        else:
            numbers.append(_real("sum", term))
    return _node(float(builtins.sum(numbers)), tuple(parents), _ones(len(parents)), "sum")


def _d_dot(out, *factors):
    # Parents are (w_1..w_n, x_1..x_n): d/dw_i = x_i and d/dx_i = w_i,
    # so the local derivatives are the parents with their two halves swapped.
    n = len(factors) // 2
    return factors[n:] + factors[:n]


def _d_dot_bias(out, *factors):
    # As _d_dot, with the bias last: d/db = 1.
    n = len(factors) // 2
    return factors[n:-1] + factors[:n] + (1.0,)


def dot(weights: Sequence[Operand], inputs: Sequence[Operand], bias: Operand = 0.0) -> Value:
    """w . x + b = sum_i w_i x_i + b as one node.

    Local derivatives: d/dw_i = x_i, d/dx_i = w_i, d/db = 1. Either side may
    hold Values or numbers; a number is a constant and gets no parent slot.
    A neuron is ``dot(weights, inputs, bias)``.
    """
    ws = weights if isinstance(weights, (list, tuple)) else list(weights)
    xs = inputs if isinstance(inputs, (list, tuple)) else list(inputs)
    if len(ws) != len(xs):
        raise ValueError(f"dot: {len(ws)} weights but {len(xs)} inputs")
    w_types = set(map(type, ws))
    x_types = set(map(type, xs))

    if w_types <= {Value} and Value not in x_types:
        # Values . numbers (a first layer): the local derivatives are the numbers.
        if not x_types <= {float}:
            xs = [_real("dot", x) for x in xs]
        data = builtins.sum(map(mul, map(_data, ws), xs))
        parents, local = tuple(ws), tuple(xs)
    elif w_types <= {Value} and x_types <= {Value}:
        # Values . Values (a hidden layer): the halves-swapped local derivative.
        data = builtins.sum(map(mul, map(_data, ws), map(_data, xs)))
        parents, local = (*ws, *xs), _d_dot
    else:
        data, parents, local = _mixed_dot(ws, xs)

    if type(bias) is Value:
        data += bias.data
        parents += (bias,)
        if type(local) is tuple:
            local += (1.0,)
        elif local is _d_dot:
            local = _d_dot_bias
        else:
            local = _with_bias(local)
    else:
        data += _real("dot", bias)
    return _node(float(data), parents, local, "dot")


def _mixed_dot(ws: Sequence[Operand], xs: Sequence[Operand]) -> tuple[float, tuple, Callable]:
    """The general case: any mix of Values and numbers on either side.

    ``spec`` holds, for each parent, what its local derivative is: an int is
    the index of the parent it was multiplied by; a float is a constant.
    """
    parents: list[Value] = []
    spec: list[int | float] = []
    data = 0.0
    for w, x in zip(ws, xs, strict=True):
        w_is_value, x_is_value = type(w) is Value, type(x) is Value
        if w_is_value and x_is_value:
            parents += (w, x)
            spec += (len(parents) - 1, len(parents) - 2)
            data += w.data * x.data
        elif w_is_value or x_is_value:
            node, number = (w, _real("dot", x)) if w_is_value else (x, _real("dot", w))
            parents.append(node)
            spec.append(number)
            data += node.data * number
        else:
            data += _real("dot", w) * _real("dot", x)
    return data, tuple(parents), _spec_local(tuple(spec))


def _spec_local(spec: tuple[int | float, ...]) -> Callable:
    def d_mixed_dot(out, *factors):
        return tuple(factors[s] if type(s) is int else s for s in spec)

    return d_mixed_dot


def _with_bias(local: Callable) -> Callable:
    def d_with_bias(out, *factors):
        return (*local(out, *factors[:-1]), 1.0)

    return d_with_bias
