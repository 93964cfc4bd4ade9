"""N-ary nodes: one node for an operation over many terms.

``a + b + c + d`` makes three nodes and three backward steps.
``autograd.sum([a, b, c, d])`` makes one node with four parents, and
``autograd.dot(w, x, bias)`` one node for a neuron's whole pre-activation
``w . x + b``. That means fewer objects and fewer steps, and a diagram that
reads like the book's Affine layer. ``autograd.dots`` makes a whole layer's
pre-activations at once. ``autograd.logsumexp(z)`` is the stable log-sum-exp
behind softmax and cross-entropy. Plain numbers among the terms fold in as
constants.

The ops and their rules are ``ops.SUM``, ``ops.DOT`` and ``ops.LOGSUMEXP``;
the functions here are their fast paths, checked against the table bit for
bit by ``tests/test_op_table.py``.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import repeat
from operator import attrgetter, mul

# Private by name, shared on purpose: the table's logsumexp forward (one definition), and
# value's node constructor, which the n-ary fast paths build with as the operators do.
from autograd.fastpaths import per_term
from autograd.ops import DOT, LOGSUMEXP, SUM, Folded, _logsumexp, dot_locals, real
from autograd.value import Operand, Value, _node, apply

__all__ = ["dot", "dots", "logsumexp", "sum"]

_data = attrgetter("data")
# Every local derivative below comes from the table's rules: constants read once, the
# softmax written from logsumexp's rule, a dot's from ops.dot_locals.
_TERM_SLOPE = SUM.derivative(0, 0.0, (0.0,))  # d/dt_i of a sum: 1
_softmax = per_term(LOGSUMEXP)  # (out, z) -> e^(z_i - out) for every i


@lru_cache(maxsize=1024)
def _ones(n: int) -> tuple[float, ...]:
    return (_TERM_SLOPE,) * n


@lru_cache(maxsize=1024)
def _dot_of_values(n: int, bias: float) -> Folded:
    # Values . Values with a constant bias: (w_1..w_n, x_1..x_n, bias)
    return Folded(DOT, (None,) * (2 * n) + (bias,))


def sum(terms: Iterable[Operand]) -> Value:  # mirrors builtins.sum, one node
    """t_1 + t_2 + ... + t_n as one node.   d/dt_i = 1 for every Value term.

    Plain numbers fold into the value; the terms are added left to right,
    as ``builtins.sum`` adds them.
    """
    terms = terms if isinstance(terms, (list, tuple)) else list(terms)
    if all(type(term) is Value for term in terms):
        data = float(builtins.sum(map(_data, terms)))
        return _node(data, tuple(terms), _ones(len(terms)), SUM)
    return apply(SUM, terms)


def logsumexp(terms: Iterable[Operand]) -> Value:
    """log(e^(z_1) + ... + e^(z_n)) as one node, computed stably.

    The local derivatives are softmax(z). The max-shift happens inside the
    node, recomputed from the current values each time, so logits of +-1000
    are fine and a replayed graph (``autograd.compile``) shifts correctly too.
    """
    z = terms if isinstance(terms, (list, tuple)) else list(terms)
    if not z:
        raise ValueError("logsumexp: needs at least one term")
    if not all(type(v) is Value for v in z):
        return apply(LOGSUMEXP, z)
    data = [v.data for v in z]
    out = _logsumexp(*data)
    # d/dz_i log sum_j e^(z_j) = e^(z_i) / sum_j e^(z_j) = e^(z_i - out): the softmax
    return _node(out, tuple(z), _softmax(out, data), LOGSUMEXP)


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
    return dots([ws], xs, [bias])[0]


def dots(weight_rows: Sequence[Sequence[Operand]], inputs: Sequence[Operand],
         biases: Sequence[Operand]) -> list[Value]:
    """``[dot(w, inputs, b) for w, b in zip(weight_rows, biases)]``: a layer's pre-activations.

    The inputs are shared, so their types are checked and their numbers read
    once for the whole layer rather than once per neuron.
    """
    xs = inputs if isinstance(inputs, (list, tuple)) else list(inputs)
    if len(weight_rows) != len(biases):
        raise ValueError(f"dots: {len(weight_rows)} weight rows but {len(biases)} biases")
    x_types = set(map(type, xs))
    try:
        # Weights are nearly always parameters, so they are not checked one by one, which
        # would cost as much as the dot itself: a number among them has no .data, and
        # the general path below, which checks everything, takes over.
        if x_types <= {Value}:  # Values . Values: the local derivatives are the values swapped
            x_data = list(map(_data, xs))
            return list(map(_dot_by_values, weight_rows, repeat(xs), biases, repeat(x_data)))
        if Value not in x_types:  # Values . numbers: the numbers are the local derivatives
            numbers = [x if type(x) is float else real("dot", x) for x in xs]
            layout = (None,) * len(numbers) + tuple(numbers)
            with_bias = Folded(DOT, (*layout, None))
            return list(map(_dot_by_numbers, weight_rows, repeat(numbers), biases,
                            repeat(layout), repeat(with_bias)))
    except _NOT_ALL_VALUES:
        # Only a weight that is not a Value hands over to the general path; any other
        # error is a real one (checked now, on the failure path, where it costs nothing).
        if all(type(w) is Value for ws in weight_rows for w in ws):
            raise
    return [_general_dot(ws, xs, b) for ws, b in zip(weight_rows, biases, strict=True)]


# A plain number among the weights has no .data (AttributeError); a numpy scalar's .data
# is a buffer that cannot be multiplied (TypeError).
_NOT_ALL_VALUES = (AttributeError, TypeError)


def _dot_by_numbers(ws: Sequence[Value], numbers: list[float], bias: Operand,
                    layout: tuple, with_bias: Folded) -> Value:
    """Values . floats (+ bias): the local derivatives are the numbers themselves."""
    if len(ws) != len(numbers):
        raise ValueError(f"dot: {len(ws)} weights but {len(numbers)} inputs")
    data = builtins.sum(map(mul, map(_data, ws), numbers))
    if type(bias) is Value:  # the numbers are folded in: only the weights' and bias's slopes
        return _node(float(data + bias.data), (*ws, bias), dot_locals((), numbers, True),
                     with_bias)
    b = real("dot", bias)
    return _node(float(data + b), tuple(ws), dot_locals((), numbers, False),
                 Folded(DOT, (*layout, b)))


def _dot_by_values(ws: Sequence[Value], xs: Sequence[Value], bias: Operand,
                   x_data: list[float]) -> Value:
    """Values . Values (+ bias): parents (w_1..w_n, x_1..x_n[, b]), derivatives the halves
    swapped. ``x_data``, the inputs' values, is read once for all of a layer's neurons."""
    if len(ws) != len(xs):
        raise ValueError(f"dot: {len(ws)} weights but {len(xs)} inputs")
    w_data = list(map(_data, ws))
    data = builtins.sum(map(mul, w_data, x_data))
    if type(bias) is Value:
        return _node(float(data + bias.data), (*ws, *xs, bias),
                     dot_locals(w_data, x_data, True), DOT)
    b = real("dot", bias)
    return _node(float(data + b), (*ws, *xs), dot_locals(w_data, x_data, False),
                 _dot_of_values(len(ws), b))


def _general_dot(ws: Sequence[Operand], xs: Sequence[Operand], bias: Operand) -> Value:
    """Any mix of Values and numbers on either side: through the table."""
    if len(ws) != len(xs):
        raise ValueError(f"dot: {len(ws)} weights but {len(xs)} inputs")
    return apply(DOT, (*ws, *xs, bias))
