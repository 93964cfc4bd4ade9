"""gradcheck at any order, the wrong rule found, the exact oracle, check_backward and
detect_anomaly: each passes what is right and names what is wrong."""

import math

import numpy as np
import pytest
from book_layers import (
    AddLayer,
    AffineDbWithoutSum,
    MulLayer,
    Relu,
    ReluLessThan,
    ReluMaskedLessThan,
    Sigmoid,
    SigmoidMissingFactor,
    SoftmaxWithLoss,
    SoftmaxWithLossNotAveraged,
    affine_check_functions,
    softmax,
)
from fuzzing import examples
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import autograd.value
from autograd import Value
from autograd.testing import (
    ForwardMismatch,
    GradcheckError,
    check_backward,
    exact_check,
    find_wrong_rule,
    gradcheck,
)
from autograd.testing.differences import close, derivative
from autograd.testing.strategies import checked, expression_cases, layer_inputs

SOFTPLUS_RIGHT = autograd.OPS.get("checks_softplus") or autograd.register_op(
    "checks_softplus", lambda x: math.log1p(math.exp(x)), [lambda out, x: autograd.sigmoid(x)])
SOFTPLUS_WRONG = autograd.OPS.get("softplus_half") or autograd.register_op(
    "softplus_half", lambda x: math.log1p(math.exp(x)), [lambda out, x: 0.5], symbol="softplus")
# Right as a number, wrong as a function: the rule reads x.data, a constant on Values.
SOFTPLUS_FLAT = autograd.OPS.get("softplus_flat") or autograd.register_op(
    "softplus_flat", lambda x: math.log1p(math.exp(x)),
    [lambda out, x: autograd.sigmoid(x.data if isinstance(x, Value) else x)])


# -- differences --------------------------------------------------------------------

def test_richardson_is_far_more_accurate_than_one_central_difference_and_says_so():
    estimate = derivative(math.exp, 1.0)
    assert abs(estimate.value - math.e) < 1e-10 < 1e-6 and estimate.error < 1e-8
    plain = (math.exp(1 + 1e-4) - math.exp(1 - 1e-4)) / 2e-4
    assert abs(plain - math.e) > 100 * abs(estimate.value - math.e)
    with pytest.raises(ValueError, match="positive"):
        derivative(math.exp, 1.0, h=0.0)


@pytest.mark.parametrize(("a", "b", "same"), [
    (math.nan, math.nan, True), (math.inf, math.inf, True), (-math.inf, math.inf, False),
    (math.inf, 1e308, False), (1.0, math.nan, False), (1.0, 1.0005, True), (1.0, 1.01, False),
])
def test_comparison_is_safe_for_inf_and_nan(a, b, same):
    assert close(a, b, 1e-5, 1e-3) is same


# -- gradcheck ----------------------------------------------------------------------

@pytest.mark.parametrize("fast_mode", [False, True])
def test_correct_functions_pass_up_to_the_third_order(fast_mode):
    def f(x, y):
        return (x * y).tanh() + x.exp() / (1 + y * y) + autograd.logsumexp([x, y, x * y])

    assert gradcheck(f, [0.3, -1.2], order=3, fast_mode=fast_mode)
    assert gradcheck(lambda x: SOFTPLUS_RIGHT(x) * x, [0.7], order=3)


def test_a_bug_only_in_the_second_derivative_fails_at_order_2_and_names_it():
    assert gradcheck(lambda x: SOFTPLUS_FLAT(x) * x, [1.0])  # order 1 is right
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: SOFTPLUS_FLAT(x) * x, [1.0], order=2)
    message = str(info.value)
    assert message.startswith("the second derivative of your op `softplus_flat` "
                              "(d/dx of its rule for d/dx) at x = 1.0 gives 0, ")
    assert "order 2: the gradient of the gradient" in message


def test_the_wrong_rule_is_named_as_the_issue_asks():
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x, y: SOFTPLUS_WRONG(x) * y + y, [3.0, 2.0])
    first = str(info.value).splitlines()[0]
    assert first.startswith("the rule of your op `softplus_half` at x = 3.0 gives 0.5, "
                            "central differences give 0.952574")
    found = find_wrong_rule(lambda x: SOFTPLUS_WRONG(x), [3.0])
    assert (found.op.name, found.args, found.rule_gives) == ("softplus_half", (3.0,), 0.5)
    assert find_wrong_rule(lambda x: SOFTPLUS_RIGHT(x), [3.0]) is None


def test_fast_mode_checks_one_random_direction_and_fails_for_a_wrong_rule():
    f = lambda *xs: autograd.sum([SOFTPLUS_WRONG(x) for x in xs])  # noqa: E731
    with pytest.raises(GradcheckError, match="along the random direction v = "):
        gradcheck(f, [0.1 * i for i in range(20)], fast_mode=True, find_rule=False)


@pytest.mark.parametrize(("args", "kwargs", "error", "message"), [
    ((3, [1.0]), {}, TypeError, "fn must be a function"),
    ((lambda x: x, "1.0"), {}, TypeError, "inputs must be a list"),
    ((lambda x: x, ["a"]), {}, TypeError, "numbers or Values"),
    ((lambda x, y: x, [1.0]), {}, TypeError, "fn takes 2 inputs, got 1"),
    ((lambda x: x, [1.0]), {"order": 0}, ValueError, "order must be"),
    ((lambda x: x, [1.0]), {"order": 1.5}, ValueError, "order must be"),
    ((lambda x: x, [1.0]), {"eps": -1}, ValueError, "eps must be positive"),
])
def test_gradcheck_refuses_nonsense(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        gradcheck(*args, **kwargs)


@settings(max_examples=examples(25))
@given(expression_cases(max_steps=4, ops=["add", "mul", "tanh", "exp", "logsumexp", "sin",
                                           "softplus", "sqrt", "div"]))
def test_random_graphs_pass_to_the_second_order(case):
    expression, inputs = case
    assert gradcheck(expression, inputs, order=2, fast_mode=True, atol=1e-4, rtol=1e-4)


@settings(max_examples=examples(25))
@given(expression_cases(max_steps=4))
def test_checked_steers_with_target_and_passes_correct_graphs(case):
    assert checked(case, atol=1e-4, rtol=1e-4)


# -- the exact oracle ---------------------------------------------------------------

EXACT = ["add", "sub", "mul", "div", "neg", "sum", "dot"]


@settings(max_examples=examples(60))
@given(expression_cases(ops=EXACT, max_steps=6, max_magnitude=1e6),
       st.integers(-3, 4).filter(bool))
def test_exact_oracle_passes_every_graph_of_rational_ops(case, power):
    expression, inputs = case
    assume_nonzero = abs(expression(*inputs, backend=autograd.testing.expressions.FLOAT))
    if power < 0 and assume_nonzero < 1e-3:
        return
    assert exact_check(lambda *xs: expression(*xs) ** power, inputs)


def test_exact_oracle_catches_a_wrong_sign_and_refuses_other_ops(monkeypatch):
    assert exact_check(lambda x, y: (x - y) * y / (x + 3), [0.3, 0.7])
    real_sub = Value.__sub__

    def sign_flipped(self, other):  # d(x - y)/dy = +1
        out = real_sub(self, other)
        if type(other) is Value:
            out.local_derivatives = (1.0, 1.0)
        return out

    monkeypatch.setattr(Value, "__sub__", sign_flipped)
    with pytest.raises(GradcheckError, match=r"d f/d x1 \(x1 = 0.7\) is .* exactly it is "):
        exact_check(lambda x, y: (x - y) * y, [0.3, 0.7])
    with pytest.raises(ValueError, match="op `exp` has no exact rational value"):
        exact_check(lambda x: x.exp(), [1.0])
    with pytest.raises(ValueError, match="whole-number powers"):
        exact_check(lambda x: x**0.5, [2.0])


def test_exact_oracle_catches_a_one_ulp_error_in_a_slope(monkeypatch):
    real_mul = Value.__mul__

    def slightly_off(self, other):
        out = real_mul(self, other)
        if type(other) is Value:  # d/dx = y, but one unit in the last place too big
            out.local_derivatives = (math.nextafter(other.data, math.inf), self.data)
        return out

    monkeypatch.setattr(Value, "__mul__", slightly_off)
    with pytest.raises(GradcheckError, match="over the rounding bound"):
        exact_check(lambda x, y: x * y, [0.1, 0.7])


# -- check_backward -----------------------------------------------------------------

@settings(max_examples=examples(30))
@given(layer_inputs(("N", "D"), ("D", "H"), ("H",)))
def test_the_books_affine_passes_and_db_without_the_sum_is_named(arrays):
    assert check_backward(*affine_check_functions(), *arrays)
    x = arrays[0]
    if x.shape[0] > 1:
        with pytest.raises(GradcheckError, match=r"^check_backward: db\[\d\] is "):
            check_backward(*affine_check_functions(AffineDbWithoutSum), *arrays)


@settings(max_examples=examples(30))
@given(layer_inputs(("N", "C")), st.data())
def test_softmax_with_loss_passes_and_a_missing_division_is_named(arrays, data):
    (x,) = arrays
    labels = data.draw(st.lists(st.integers(0, x.shape[1] - 1), min_size=x.shape[0],
                                max_size=x.shape[0]))
    t = np.eye(x.shape[1])[labels]
    layer = SoftmaxWithLoss()
    # The book's loss is log(y + 1e-7), so its exact gradient is (y - t)/N times
    # y_t / (y_t + 1e-7): off by 1e-7 / y_t relatively, which a confident wrong
    # prediction (small y_t) makes larger than the default rtol. Allow that, and no more.
    y_t = (softmax(x) * t).sum(axis=1)
    rtol = max(1e-5, 2e-7 / y_t.min())
    assert check_backward(lambda z: layer.forward(z, t), layer.backward, x, rtol=rtol)
    wrong = SoftmaxWithLossNotAveraged()
    if x.shape[0] > 1 and x.shape[1] > 1:
        with pytest.raises(GradcheckError, match=r"^check_backward: dz\[\d+, \d+\] is "):
            check_backward(lambda z: wrong.forward(z, t), wrong.backward, x, rtol=rtol)


@settings(max_examples=examples(30))
@given(layer_inputs(("N", "D")))
def test_relu_and_sigmoid_pass_and_their_planted_mistakes_are_named(arrays):
    (x,) = arrays
    for good in (Relu(), Sigmoid()):
        assert check_backward(good.forward, good.backward, x)
    with pytest.raises(GradcheckError, match=r"dx\[\d+, \d+\]"):
        _check(SigmoidMissingFactor(), x)
    if (x == 0).any():  # the < mask differs from the book's <= only at exactly 0
        with pytest.raises(GradcheckError, match=r"dx\[\d+, \d+\] is .* chainrule gives 0.0"):
            _check(ReluLessThan(), x)


def _check(layer, x):
    return check_backward(layer.forward, layer.backward, x)


def _relu_reference(x):
    return np.vectorize(autograd.relu, otypes=[object])(x)


def test_a_reference_decides_the_slope_at_a_kink_that_forward_s_numbers_leave_open():
    from autograd.testing import BackwardMismatch

    x = np.array([[0.0, -1.0, 2.0]])
    layer = ReluMaskedLessThan()
    assert check_backward(layer.forward, layer.backward, x)  # consistent with itself
    with pytest.raises(BackwardMismatch, match=r"^check_backward: dx\[0, 0\] is 1\.") as info:
        check_backward(layer.forward, layer.backward, x, dout=np.ones((1, 3)),
                       reference=_relu_reference)
    assert info.value.mismatch.expected.tolist() == [[0.0, 0.0, 1.0]]
    book = Relu()
    assert check_backward(book.forward, book.backward, x, reference=_relu_reference)


def test_a_forward_that_does_not_give_the_reference_s_numbers_is_named():

    x = np.array([[0.5, -1.0, 2.0]])
    with pytest.raises(ForwardMismatch, match=r"^check_backward: forward gives out\[0, 1\] = "
                                              r"-1\.0, but the reference gives 0\.0$") as info:
        check_backward(lambda x: x, lambda dout: dout, x, reference=_relu_reference)
    assert info.value.mismatch.name == "out" and info.value.mismatch.index == (0, 1)
    with pytest.raises(ForwardMismatch, match=r"forward's output has shape \(3,\), but the "
                                              r"reference's has shape \(1, 3\)"):
        check_backward(lambda x: x.ravel(), lambda dout: dout.reshape(1, 3), x,
                       reference=_relu_reference, dout=np.ones((1, 3)))


def test_mul_and_add_layers_in_the_apple_shop():
    assert check_backward(MulLayer().forward, _mul_backward(), np.array(100.0), np.array(2.0))
    add = AddLayer()
    assert check_backward(add.forward, add.backward, np.array([200.0]), np.array([450.0]))


def _mul_backward():
    layer = MulLayer()

    def backward(dout):
        layer.forward(np.array(100.0), np.array(2.0))
        return layer.backward(dout)

    return backward


def test_check_backward_refuses_nonsense():
    relu = Relu()
    with pytest.raises(TypeError, match="^check_backward: forward and backward must be "
                                        "functions, got method and NoneType$"):
        check_backward(relu.forward, None, np.ones(2))
    with pytest.raises(TypeError, match="got int and method$"):
        check_backward(3, relu.backward, np.ones(2))
    with pytest.raises(ValueError, match="^check_backward: give at least one input array$"):
        check_backward(relu.forward, relu.backward)
    with pytest.raises(ValueError, match=r"^check_backward: backward returned 1 gradients for "
                                         r"2 inputs \(x, w\)$"):
        check_backward(lambda x, w: x * w, lambda d: d, np.ones(2), np.ones(2))
    with pytest.raises(TypeError, match="input 0 must be an array of numbers"):
        check_backward(relu.forward, relu.backward, np.array(["a"]))
    with pytest.raises(ValueError, match="dout has shape"):
        check_backward(relu.forward, relu.backward, np.ones(2), dout=np.ones(3))
    with pytest.raises(ValueError, match="returned 2 gradients for 1 inputs"):
        check_backward(relu.forward, lambda d: (d, d), np.ones(2))
    with pytest.raises(GradcheckError, match=r"dx has shape \(3,\), but x has shape \(2,\)"):
        check_backward(relu.forward, lambda d: np.ones(3), np.ones(2))


# -- detect_anomaly -----------------------------------------------------------------

def test_detect_anomaly_names_the_first_bad_value_and_the_first_bad_gradient():
    x = Value(0.0, "x")
    with autograd.detect_anomaly():
        with pytest.raises(FloatingPointError,
                           match=r"gradient of x became inf in the backward step of "
                                 r"v1 = sqrt\(x = 0\).*local derivative for x is inf"):
            (x.sqrt() * 2.0).backward()
        a = Value(1e308, "a")
        with pytest.raises(FloatingPointError,
                           match=r"forward value of v1 = mul\(a = 1e\+308, 10\) is inf"):
            (a * 10.0 - a).backward()
        assert autograd.is_anomaly_enabled()
        (Value(2.0) * 3.0).backward()  # a finite graph passes
    assert not autograd.is_anomaly_enabled()
    (x.sqrt() * 2.0).backward()  # outside the block: no check, inf as the math says
    assert x.grad == math.inf


def test_exports():
    assert {"gradcheck", "exact_check", "check_backward", "find_wrong_rule"} <= set(
        autograd.testing.__all__)
    assert all(callable(getattr(autograd.testing, name)) for name in
               ("gradcheck", "exact_check", "check_backward", "find_wrong_rule"))


# --- found by mutation testing: a failure's every part -------------------------------------

def test_a_backward_mismatch_carries_every_number_and_says_them_all():
    from autograd.testing import BackwardMismatch

    x, w, dout = np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.array([1.0, 0.5])
    with pytest.raises(BackwardMismatch) as info:
        check_backward(lambda x, w: x * w, lambda dout: (dout, dout), x, w, dout=dout)
    assert str(info.value) == (
        "check_backward: dx[0] is 1.0 from backward, but chainrule gives 3.0 "
        "(d sum(out * dout) / d x[0])\n"
        "  dx from backward = array([1. , 0.5])\n  dx from chainrule = array([3., 2.])\n"
        "inputs:\n  x = array([1., 2.])\n  w = array([3., 4.])\n  dout = array([1. , 0.5])")
    m = info.value.mismatch
    assert (m.name, m.index) == ("x", (0,))
    assert m.got.tolist() == [1.0, 0.5] and m.expected.tolist() == [3.0, 2.0]
    assert {k: v.tolist() for k, v in m.inputs.items()} == {"x": [1.0, 2.0], "w": [3.0, 4.0]}
    assert m.dout.tolist() == [1.0, 0.5]
    with pytest.raises(BackwardMismatch) as info:  # the wrong shape, with every number too
        check_backward(lambda x, w: x * w, lambda dout: (dout[:1], dout), x, w, dout=dout)
    m = info.value.mismatch
    assert str(info.value) == "check_backward: dx has shape (1,), but x has shape (2,)"
    assert (m.name, m.index, m.got.tolist(), m.expected.tolist()) == ("x", None, [1.0], [3.0, 2.0])
    assert list(m.inputs) == ["x", "w"] and m.dout.tolist() == [1.0, 0.5]


def test_inputs_without_names_are_numbered_and_nan_equals_nan():
    from autograd.testing import BackwardMismatch

    with pytest.raises(BackwardMismatch, match=r"^check_backward: da\[0\] is .* d a\[0\]\)\n"):
        check_backward(lambda *a: a[0] * 2, lambda dout: (dout,), np.array([1.0]))
    with pytest.raises(BackwardMismatch, match=r"^check_backward: dinput 1\[0\] is 2\.0"):
        check_backward(lambda *a: a[0] * a[1], lambda dout: (dout * 3, dout * 2), np.array([1.0]),
                       np.array([3.0]), dout=np.array([1.0]))
    nan = np.array([float("nan")])
    assert check_backward(lambda x: x * 2, lambda dout: dout * 2, nan, dout=np.array([1.0]))


def test_a_forward_mismatch_carries_both_outputs_the_inputs_and_dout():

    x, dout = np.array([[0.5, -1.0]]), np.array([[1.0, 2.0]])
    with pytest.raises(ForwardMismatch) as info:
        check_backward(lambda x: x, lambda dout: dout, x, dout=dout, reference=_relu_reference)
    m = info.value.mismatch
    assert (m.name, m.index) == ("out", (0, 1))
    assert m.got.tolist() == [[0.5, -1.0]] and m.expected.tolist() == [[0.5, 0.0]]
    assert m.inputs["x"].tolist() == [[0.5, -1.0]] and m.dout.tolist() == [[1.0, 2.0]]
    # within rtol and atol the numbers agree: 1e-9 off passes
    assert check_backward(lambda x: np.maximum(x, 0) + 1e-9, lambda dout: dout * (x > 0), x,
                          dout=dout, reference=_relu_reference)


def test_nan_equals_nan_and_tolerances_are_the_callers():
    from autograd.testing import BackwardMismatch

    x, y = np.array([1.0]), np.array([float("nan")])
    assert check_backward(lambda x, y: x * y, lambda d: (d * y, d * x), x, y, dout=np.ones(1))
    with pytest.raises(BackwardMismatch, match=r"dx\[0\] is 0\.0"):
        check_backward(lambda x, y: x * y, lambda d: (d * 0, d * x), x, y, dout=np.ones(1))
    off = 1 + 1e-12  # within the default rtol, not within rtol=0 and atol=0
    assert check_backward(lambda x: x * 3, lambda d: d * 3 * off, x, dout=np.ones(1))
    with pytest.raises(BackwardMismatch):
        check_backward(lambda x: x * 3, lambda d: d * 3 * off, x, dout=np.ones(1), rtol=0, atol=0)
    assert check_backward(lambda x: x * 3, lambda d: d * 3 + 1e-9, x, dout=np.ones(1), rtol=0,
                          atol=1e-8)
    with pytest.raises(BackwardMismatch):
        check_backward(lambda x: x * 3, lambda d: d * 3 + 1e-9, x, dout=np.ones(1), rtol=0,
                       atol=1e-10)
    with pytest.raises(ForwardMismatch):  # the forward check uses them too
        check_backward(lambda x: np.maximum(x, 0) * off, lambda d: d, x, dout=np.ones(1),
                       rtol=0, atol=0, reference=_relu_reference)


def test_a_scalar_output_hands_backward_a_float_and_long_inputs_print_short():
    from autograd.testing import BackwardMismatch

    seen = []
    x = np.array([0.123456789, 1e-10] + [1.0] * 48)
    assert check_backward(lambda x: np.sum(x) * 1.0, lambda d: seen.append(d) or np.full(50, d),
                          x)
    assert seen == [1.0] and type(seen[0]) is float
    with pytest.raises(BackwardMismatch) as info:
        check_backward(lambda x: np.sum(x) * 1.0, lambda d: np.full(50, 2 * d), x)
    message = str(info.value)
    # 4 digits, tiny numbers as 0, and 50 elements summarized (newer numpy adds the shape)
    assert "  x = array([0.1235, 0.    , 1.    , ..., 1.    , 1.    , 1.    ]" in message


def test_a_difference_within_the_differences_own_error_is_no_mismatch():
    # Found by make fuzz: at x = 1, (9x² + 1) ** 3x is 1000 and climbs steeply, so the
    # central differences of sin of it are uncertain by about 400 (their error estimate).
    def steep(x):
        v1 = x + (x + x)
        return x + ((v1 ** 2 + 1) ** v1).sin()

    assert gradcheck(steep, [1.0], atol=1e-4, rtol=1e-4)
    # the uncertainty is counted, not ignored: a wrong rule is still found where f is tame
    wrong = autograd.register_op("sin_wrong_sign", math.sin, [lambda out, x: -autograd.cos(x)])
    with pytest.raises(GradcheckError, match=r"\+ the error estimate \d"):
        gradcheck(lambda x: wrong(x * 0.5), [1.0], find_rule=False)
