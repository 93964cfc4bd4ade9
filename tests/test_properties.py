"""Property tests over random expression graphs (autograd.testing.strategies)."""

import math

import pytest
import sympy
from fuzzing import examples
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.testing import gradcheck, numerical_gradient
from autograd.testing.expressions import FLOAT, TORCH
from autograd.testing.strategies import expression_cases, expressions, input_values


def backprop(expression, inputs):
    xs = [Value(x) for x in inputs]
    expression(*xs).backward()
    return [x.grad for x in xs]


@given(expression_cases())
def test_backprop_matches_central_differences(case):
    expression, inputs = case
    assert gradcheck(expression, inputs, atol=1e-4, rtol=1e-4)


@given(expression_cases())
def test_backward_and_grad_agree_exactly(case):
    expression, inputs = case
    xs = [Value(x) for x in inputs]
    assert [g.data for g in autograd.grad(expression(*xs), xs)] == backprop(expression, inputs)


@given(expression_cases())
def test_forward_value_matches_plain_floats(case):
    expression, inputs = case
    assert expression(*map(Value, inputs)).data == pytest.approx(
        expression(*inputs, backend=FLOAT), rel=1e-12, abs=1e-12)


@settings(max_examples=examples(40))
@given(expression_cases(n_inputs=st.integers(1, 2), max_steps=5))
def test_first_and_second_derivatives_match_sympy(case):
    expression, inputs = case
    symbols = sympy.symbols(f"x0:{expression.n_inputs}", real=True)
    formula = expression.to_sympy(symbols)
    at = dict(zip(symbols, inputs, strict=True))

    xs = [Value(x) for x in inputs]
    first = autograd.grad(expression(*xs), xs, create_graph=True)
    for i, gi in enumerate(first):
        d1 = sympy.diff(formula, symbols[i])
        assert gi.data == pytest.approx(float(d1.evalf(subs=at)), rel=1e-9, abs=1e-9)
        second = autograd.grad(gi, xs)  # the row i of the Hessian
        for j, gij in enumerate(second):
            d2 = sympy.diff(d1, symbols[j])
            assert gij.data == pytest.approx(float(d2.evalf(subs=at)), rel=1e-8, abs=1e-8)


@st.composite
def two_expressions_and_point(draw):
    n = draw(st.integers(1, 3))
    f = draw(expressions(n_inputs=n, max_steps=4))
    g = draw(expressions(n_inputs=n, max_steps=4))
    inputs = draw(input_values(n))
    for e in (f, g):
        largest, kink = e.trace(*inputs)
        assume(largest < 1e3 and kink > 1e-3)
    return f, g, inputs


@given(two_expressions_and_point())
def test_sum_rule(case):
    f, g, inputs = case
    both = backprop(lambda *xs: f(*xs) + g(*xs), inputs)
    separately = [a + b for a, b in zip(backprop(f, inputs), backprop(g, inputs), strict=True)]
    assert both == pytest.approx(separately, rel=1e-12, abs=1e-12)


@given(two_expressions_and_point())
def test_product_rule(case):
    f, g, inputs = case
    fv, gv = f(*inputs, backend=FLOAT), g(*inputs, backend=FLOAT)
    product = backprop(lambda *xs: f(*xs) * g(*xs), inputs)
    slopes = zip(backprop(f, inputs), backprop(g, inputs), strict=True)
    rule = [df * gv + fv * dg for df, dg in slopes]
    assert product == pytest.approx(rule, rel=1e-10, abs=1e-10)


@pytest.mark.parametrize(("outer", "derivative"), [
    ("tanh", lambda u: 1 - math.tanh(u) ** 2),
    ("sigmoid", lambda u: (1 / (1 + math.exp(-u))) * (1 - 1 / (1 + math.exp(-u)))),
    ("log", None),
])
@given(case=expression_cases(max_steps=4))
def test_chain_rule(outer, derivative, case):
    expression, inputs = case
    u = expression(*inputs, backend=FLOAT)
    if outer == "log":  # log needs a positive argument: use log(u^2 + 1)
        composed = backprop(lambda *xs: (expression(*xs) ** 2 + 1).log(), inputs)
        outer_slope = 2 * u / (u * u + 1)
    else:
        composed = backprop(lambda *xs: getattr(expression(*xs), outer)(), inputs)
        outer_slope = derivative(u)
    rule = [outer_slope * d for d in backprop(expression, inputs)]
    assert composed == pytest.approx(rule, rel=1e-10, abs=1e-12)


@given(expression_cases(), st.integers(2, 5))
def test_fan_out_of_a_whole_expression(case, copies):
    expression, inputs = case
    xs = [Value(x) for x in inputs]
    shared = expression(*xs)
    autograd.sum([shared] * copies).backward()
    assert [x.grad for x in xs] == pytest.approx(
        [copies * d for d in backprop(expression, inputs)], rel=1e-12, abs=1e-12)


@given(expression_cases(max_steps=4))
def test_numerical_gradient_is_close_to_backprop(case):
    expression, inputs = case
    assert numerical_gradient(expression, inputs) == pytest.approx(
        backprop(expression, inputs), rel=1e-4, abs=1e-4)


# -- PyTorch, when it is installed -------------------------------------------



@settings(max_examples=examples(40))
@given(expression_cases())
def test_backprop_matches_pytorch(case):
    torch = pytest.importorskip("torch")
    expression, inputs = case
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
    out = expression(*ts, backend=TORCH)
    if not isinstance(out, torch.Tensor) or not out.requires_grad:
        assume(False)
    out.backward()
    expected = [0.0 if t.grad is None else t.grad.item() for t in ts]
    assert backprop(expression, inputs) == pytest.approx(expected, rel=1e-10, abs=1e-10)
