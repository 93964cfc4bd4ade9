"""Planted bugs, and the check that should catch each: one list for the test that
asserts they are caught (tests/test_planted_bugs.py) and for the script that
measures how fast (benchmarks/planted_bugs.py).

Each bug is a search: a hypothesis strategy, and a predicate that runs one of
chainrule's checks on a drawn case and returns True when the check fails, that
is, when the bug is caught. ``hypothesis.find`` returns the first such case.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from book_layers import (
    AffineDbWithoutSum,
    ReluLessThan,
    SigmoidMissingFactor,
    SoftmaxWithLossNotAveraged,
    affine_check_functions,
)
from hypothesis import strategies as st

import autograd
import autograd.value
from autograd import Value
from autograd.testing import GradcheckError, check_backward, exact_check, gradcheck
from autograd.testing.strategies import expression_cases, layer_inputs


@dataclass(frozen=True)
class Bug:
    name: str
    check: str
    strategy: st.SearchStrategy
    caught: Callable[[object], bool]
    plant: Callable[[], contextlib.AbstractContextManager] = contextlib.nullcontext


def _op(name: str, forward, rules, **options):
    return autograd.OPS.get(name) or autograd.register_op(name, forward, rules, **options)


def _softplus(x: float) -> float:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


SOFTPLUS_CONSTANT = _op("bug_softplus_half", _softplus, [lambda out, x: 0.5])
SIN_WRONG_SIGN = _op("bug_sin_sign", math.sin, [lambda out, x: -autograd.cos(x)])
SQUARE_NO_TWO = _op("bug_square_no_two", lambda x: x * x, [lambda out, x: x])
TANH_ONE_PERCENT = _op("bug_tanh_1pct", math.tanh, [lambda out, x: 1.01 * (1 - out * out)])
SCALED_EXP_WRONG_ARG = _op("bug_scaled_exp", lambda a, b: a * math.exp(b),
                           [lambda out, a, b: autograd.exp(b),
                            lambda out, a, b: autograd.exp(b)])  # d/db should be a e^b
SOFTPLUS_FLAT = _op("bug_softplus_flat", _softplus,
                    [lambda out, x: autograd.sigmoid(x.data if isinstance(x, Value) else x)])


def _gradcheck_fails(order: int = 1) -> Callable[[object], bool]:
    def caught(case) -> bool:
        expression, inputs = case
        try:
            return not gradcheck(expression, inputs, order=order, atol=1e-4, rtol=1e-4)
        except GradcheckError:
            return True

    return caught


def _exact_fails(case) -> bool:
    expression, inputs = case
    try:
        return not exact_check(expression, inputs)
    except GradcheckError:
        return True


def _layer_fails(make: Callable) -> Callable[[object], bool]:
    def caught(arrays) -> bool:
        forward, backward = make(arrays)
        try:
            return not check_backward(forward, backward, *arrays)
        except GradcheckError:
            return True

    return caught


def _one_layer(layer_class):
    def make(arrays):
        layer = layer_class()
        return layer.forward, layer.backward

    return make


def _softmax_not_averaged(arrays):
    layer = SoftmaxWithLossNotAveraged()
    t = np.eye(arrays[0].shape[1])[[i % arrays[0].shape[1] for i in range(arrays[0].shape[0])]]
    return (lambda z: layer.forward(z, t)), layer.backward


@contextlib.contextmanager
def _sub_sign_flipped() -> Iterator[None]:
    saved = Value.__sub__

    def sign_flipped(self, other):  # d(x - y)/dy = +1: the engine's own number
        out = saved(self, other)
        if type(other) is Value:
            out.local_derivatives = (1.0, 1.0)
        return out

    Value.__sub__ = sign_flipped
    try:
        yield
    finally:
        Value.__sub__ = saved


@contextlib.contextmanager
def _mul_one_ulp_off() -> Iterator[None]:
    real_mul = Value.__mul__

    def mul(self, other):
        out = real_mul(self, other)
        if type(other) is Value and out.parents:
            out.local_derivatives = (math.nextafter(other.data, math.inf), self.data)
        return out

    Value.__mul__ = mul
    try:
        yield
    finally:
        Value.__mul__ = real_mul


def _cases(*ops, steps: int = 4):
    return expression_cases(ops=list(ops), max_steps=steps)


EXACT_OPS = ["add", "sub", "mul", "div", "neg", "sum", "dot"]

BUGS = [
    Bug("softplus rule a constant 0.5 (wrong rule)", "gradcheck",
        _cases(SOFTPLUS_CONSTANT, "add", "mul", "tanh"), _gradcheck_fails()),
    Bug("sin rule -cos (wrong sign)", "gradcheck",
        _cases(SIN_WRONG_SIGN, "add", "mul", "exp"), _gradcheck_fails()),
    Bug("square rule x, not 2x (missing factor)", "gradcheck",
        _cases(SQUARE_NO_TWO, "add", "mul", "sigmoid"), _gradcheck_fails()),
    Bug("tanh rule 1% too large", "gradcheck",
        _cases(TANH_ONE_PERCENT, "add", "mul"), _gradcheck_fails()),
    Bug("a e^b: d/db written as e^b (wrong rule, one argument)", "gradcheck",
        _cases(SCALED_EXP_WRONG_ARG, "add", "mul"), _gradcheck_fails()),
    Bug("softplus rule reads x.data (wrong in the 2nd derivative only)", "gradcheck order=2",
        _cases(SOFTPLUS_FLAT, "add", "mul"), _gradcheck_fails(order=2)),
    Bug("engine: d(x - y)/dy = +1 (wrong sign)", "exact_check",
        _cases(*EXACT_OPS), _exact_fails, _sub_sign_flipped),
    Bug("engine: d(xy)/dx one unit in the last place high", "exact_check",
        _cases("mul", "add", "sub"), _exact_fails, _mul_one_ulp_off),
    Bug("engine: d(xy)/dx one unit in the last place high", "gradcheck",
        _cases("mul", "add", "sub"), _gradcheck_fails(), _mul_one_ulp_off),
    Bug("Affine db without the sum over the batch (wrong layer backward)", "check_backward",
        layer_inputs(("N", "D"), ("D", "H"), ("H",)),
        _layer_fails(lambda arrays: affine_check_functions(AffineDbWithoutSum))),
    Bug("SoftmaxWithLoss not divided by the batch size", "check_backward",
        layer_inputs(("N", "C")), _layer_fails(_softmax_not_averaged)),
    Bug("Sigmoid dx = dout * y (missing factor)", "check_backward",
        layer_inputs(("N", "D")), _layer_fails(_one_layer(SigmoidMissingFactor))),
    Bug("Relu mask x < 0 (error only at the kink)", "check_backward",
        layer_inputs(("N", "D")), _layer_fails(_one_layer(ReluLessThan))),
]
