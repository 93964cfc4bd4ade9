"""N-ary nodes: one node for an operation over many terms.

``a + b + c + d`` makes three nodes and three backward steps.
``autograd.sum([a, b, c, d])`` makes one node with four parents, and
``autograd.dot(w, x, bias)`` one node for a neuron's whole pre-activation
``w . x + b``. That means fewer objects and fewer steps, and a diagram that
reads like the book's Affine layer. ``autograd.logsumexp(z)`` is the stable
log-sum-exp behind softmax and cross-entropy. Plain numbers among the terms
fold in as constants.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from operator import attrgetter, mul

from autograd.value import Operand, Value, _node, _real

__all__ = ["dot", "logsumexp", "sum"]

_data = attrgetter("data")


@lru_cache(maxsize=1024)
def _ones(n: int) -> tuple[float, ...]:
    return (1.0,) * n


def sum(terms: Iterable[Operand]) -> Value:  # mirrors builtins.sum, one node
    """t_1 + t_2 + ... + t_n as one node.   d/dt_i = 1 for every Value term.

    Plain numbers fold into the value; the terms are added left to right,
    as ``builtins.sum`` adds them. A sum with constants records them, in
    place, in its op: ("sum", (None, 2.0, None)) for ``sum([a, 2, b])``.
    """
    parents = []
    numbers = []
    layout: list[float | None] = []
    for term in terms:
        if type(term) is Value:
            parents.append(term)
            numbers.append(term.data)
            layout.append(None)
        else:
            number = _real("sum", term)
            numbers.append(number)
            layout.append(number)
    op = "sum" if len(parents) == len(layout) else ("sum", tuple(layout))
    return _node(float(builtins.sum(numbers)), tuple(parents), _ones(len(parents)), op)


def _logsumexp(z: Sequence[float]) -> float:
    """log(sum_i e^(z_i)) = m + log(sum_i e^(z_i - m)) with m = max(z).

    Every exponent is <= 0, so nothing overflows, and the largest term is
    e^0 = 1, so the log's argument is >= 1.
    """
    m = max(z)
    if math.isinf(m):  # all -inf (log 0), or a +inf term: the answer is m itself
        return m
    return m + math.log(builtins.sum([math.exp(v - m) for v in z]))


def logsumexp(terms: Iterable[Value]) -> Value:
    """log(e^(z_1) + ... + e^(z_n)) as one node, computed stably.

    The local derivatives are softmax(z). The max-shift happens inside the
    node, recomputed from the current values each time, so logits of +-1000
    are fine and a replayed graph (``autograd.compile``) shifts correctly too.
    """
    z = [t if type(t) is Value else Value(_real("logsumexp", t)) for t in terms]
    if not z:
        raise ValueError("logsumexp: needs at least one term")
    data = [v.data for v in z]
    out = _logsumexp(data)
    # d/dz_i log sum_j e^(z_j) = e^(z_i) / sum_j e^(z_j) = e^(z_i - out): the softmax
    return _node(out, tuple(z), tuple([math.exp(v - out) for v in data]), "logsumexp")


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
    if type(bias) is not Value:
        bias = _real("dot", bias)
    w_types, x_types = set(map(type, ws)), set(map(type, xs))
    if w_types <= {Value} and Value not in x_types:
        return _dot_by_numbers(ws, [x if type(x) is float else _real("dot", x) for x in xs], bias)
    if x_types <= {Value} and Value not in w_types:  # numbers . Values: the same, turned round
        return _dot_by_numbers(xs, [w if type(w) is float else _real("dot", w) for w in ws], bias)
    if w_types <= {Value} and x_types <= {Value}:
        return _dot_by_values(ws, xs, bias)
    return _mixed_dot(ws, xs, bias)


def _dot_by_numbers(values: Sequence[Value], numbers: Sequence[float],
                    bias: Value | float) -> Value:
    """Values . floats (+ bias): the local derivatives are the numbers themselves.

    No type checks: for callers that have checked (``dot``, and ``nn.Layer``
    once per layer rather than once per neuron).
    """
    data = builtins.sum(map(mul, map(_data, values), numbers))
    if type(bias) is Value:  # "dotb": the bias is the last parent
        return _node(float(data + bias.data), (*values, bias), (*numbers, 1.0), "dotb")
    return _node(float(data + bias), tuple(values), tuple(numbers), _dot_op("dot", bias))


def _dot_by_values(ws: Sequence[Value], xs: Sequence[Value], bias: Value | float,
                   x_data: Sequence[float] | None = None) -> Value:
    """Values . Values (+ bias), unchecked like ``_dot_by_numbers``.

    Parents are (w_1..w_n, x_1..x_n[, b]). d/dw_i = x_i and d/dx_i = w_i, so
    the local derivatives are the parents' values with the two halves swapped.
    Its op is "dotv", so that higher orders know the slopes are the parents.
    A layer passes ``x_data``, its inputs' values, read once for all its neurons.
    """
    w_data = list(map(_data, ws))
    if x_data is None:
        x_data = list(map(_data, xs))
    data = builtins.sum(map(mul, w_data, x_data))
    if type(bias) is Value:
        return _node(float(data + bias.data), (*ws, *xs, bias), (*x_data, *w_data, 1.0), "dotv")
    return _node(float(data + bias), (*ws, *xs), (*x_data, *w_data), _dot_op("dotv", bias))


def _dot_op(label: str, bias: float) -> str | tuple:
    # A constant bias other than 0 is recorded, so that a replay can add it again.
    return label if bias == 0.0 else (label, bias)


def _mixed_dot(ws: Sequence[Operand], xs: Sequence[Operand], bias: Value | float) -> Value:
    """The general case: a mix of Values and numbers on one side.

    ``spec`` holds, for each parent, what its local derivative is: an int is
    the index of the parent it was multiplied by; a float is a constant.
    """
    parents: list[Value] = []
    spec: list[int | float] = []
    products = []
    for w, x in zip(ws, xs, strict=True):
        w_is_value, x_is_value = type(w) is Value, type(x) is Value
        if w_is_value and x_is_value:
            parents += (w, x)
            spec += (len(parents) - 1, len(parents) - 2)
            products.append(w.data * x.data)
        elif w_is_value or x_is_value:
            node, number = (w, _real("dot", x)) if w_is_value else (x, _real("dot", w))
            parents.append(node)
            spec.append(number)
            products.append(node.data * number)
        else:
            products.append(_real("dot", w) * _real("dot", x))
    data = builtins.sum(products)
    if type(bias) is Value:
        parents.append(bias)
        spec.append(1.0)
        data += bias.data
    else:
        data += bias
    local = _spec_local(tuple(spec))
    # The op keeps the spec's function, for higher orders (see autograd.higher_order).
    return _node(float(data), tuple(parents), local(data, *map(_data, parents)), ("dot", local))


def _spec_local(spec: tuple[int | float, ...]):
    def d_mixed_dot(out, *factors):
        return tuple(factors[s] if type(s) is int else s for s in spec)

    return d_mixed_dot
