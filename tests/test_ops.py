"""Every op's value and derivative against numbers worked by hand."""

import math
from fractions import Fraction

import numpy as np
import pytest

import autograd
from autograd import Value

E = math.e
LN2 = math.log(2.0)
T = math.tanh(0.5)

# (name, function of Values, inputs, value, derivative w.r.t. each input)
CASES = [
    ("x + y", lambda x, y: x + y, (2.0, 3.0), 5.0, (1.0, 1.0)),
    ("x + 4", lambda x: x + 4, (2.0,), 6.0, (1.0,)),
    ("4 + x", lambda x: 4 + x, (2.0,), 6.0, (1.0,)),
    ("x - y", lambda x, y: x - y, (2.0, 3.0), -1.0, (1.0, -1.0)),
    ("x - 4", lambda x: x - 4, (2.0,), -2.0, (1.0,)),
    ("4 - x", lambda x: 4 - x, (2.0,), 2.0, (-1.0,)),
    ("-x", lambda x: -x, (2.0,), -2.0, (-1.0,)),
    ("x * y", lambda x, y: x * y, (2.0, 3.0), 6.0, (3.0, 2.0)),
    ("x * 4", lambda x: x * 4, (2.0,), 8.0, (4.0,)),
    ("4 * x", lambda x: 4 * x, (2.0,), 8.0, (4.0,)),
    ("x * x", lambda x: x * x, (3.0,), 9.0, (6.0,)),
    ("x / y", lambda x, y: x / y, (6.0, 3.0), 2.0, (1 / 3, -6 / 9)),
    ("x / 4", lambda x: x / 4, (2.0,), 0.5, (0.25,)),
    ("4 / x", lambda x: 4 / x, (2.0,), 2.0, (-1.0,)),
    ("x ** 3", lambda x: x**3, (2.0,), 8.0, (12.0,)),
    ("x ** 0.5", lambda x: x**0.5, (4.0,), 2.0, (0.25,)),
    ("x ** -1", lambda x: x**-1, (2.0,), 0.5, (-0.25,)),
    ("x ** 0", lambda x: x**0, (5.0,), 1.0, (0.0,)),
    ("(-2) ** 3", lambda x: x**3, (-2.0,), -8.0, (12.0,)),
    ("x ** y", lambda x, y: x**y, (2.0, 3.0), 8.0, (12.0, 8 * LN2)),
    ("2 ** x", lambda x: 2**x, (3.0,), 8.0, (8 * LN2,)),
    ("exp(0)", lambda x: x.exp(), (0.0,), 1.0, (1.0,)),
    ("exp(1)", lambda x: x.exp(), (1.0,), E, (E,)),
    ("log(e)", lambda x: x.log(), (E,), 1.0, (1 / E,)),
    ("log(2)", lambda x: x.log(), (2.0,), LN2, (0.5,)),
    ("tanh(0)", lambda x: x.tanh(), (0.0,), 0.0, (1.0,)),
    ("tanh(0.5)", lambda x: x.tanh(), (0.5,), T, (1 - T * T,)),
    ("sigmoid(0)", lambda x: x.sigmoid(), (0.0,), 0.5, (0.25,)),
    ("sigmoid(ln 3)", lambda x: x.sigmoid(), (math.log(3.0),), 0.75, (0.1875,)),
    ("sigmoid(-ln 3)", lambda x: x.sigmoid(), (-math.log(3.0),), 0.25, (0.1875,)),
    ("relu(2)", lambda x: x.relu(), (2.0,), 2.0, (1.0,)),
    ("relu(-2)", lambda x: x.relu(), (-2.0,), 0.0, (0.0,)),
    ("relu(0): relu'(0) = 0", lambda x: x.relu(), (0.0,), 0.0, (0.0,)),
    ("sum(x, 2, y)", lambda x, y: autograd.sum([x, 2, y]), (1.0, 3.0), 6.0, (1.0, 1.0)),
    ("sum(x, x)", lambda x: autograd.sum([x, x]), (1.5,), 3.0, (2.0,)),
    ("dot(Values, numbers)", lambda a, b: autograd.dot([a, b], [3.0, 4]), (1.0, 2.0), 11.0,
     (3.0, 4.0)),
    ("dot(Values, Values)", lambda a, b, c, d: autograd.dot([a, b], [c, d]),
     (1.0, 2.0, 3.0, 4.0), 11.0, (3.0, 4.0, 1.0, 2.0)),
    ("dot(w, x, b)", lambda a, b, c, d, bias: autograd.dot([a, b], [c, d], bias),
     (1.0, 2.0, 3.0, 4.0, 0.5), 11.5, (3.0, 4.0, 1.0, 2.0, 1.0)),
    ("dot(numbers, Values)", lambda c, d: autograd.dot([1, 2], [c, d], 0.5), (3.0, 4.0), 11.5,
     (1.0, 2.0)),
    ("dot(mixed)", lambda a, c, d: autograd.dot([a, 2.0], [c, d]), (1.0, 3.0, 4.0), 11.0,
     (3.0, 1.0, 2.0)),
    ("dot(mixed, bias)", lambda a, c, d, b: autograd.dot([a, 2.0], [c, d], b),
     (1.0, 3.0, 4.0, 1.0), 12.0, (3.0, 1.0, 2.0, 1.0)),
    ("dot(w, w)", lambda a: autograd.dot([a], [a]), (3.0,), 9.0, (6.0,)),
]


@pytest.mark.parametrize(("name", "f", "inputs", "value", "derivatives"), CASES,
                         ids=[c[0] for c in CASES])
def test_value_and_local_derivative(name, f, inputs, value, derivatives):
    xs = [Value(x) for x in inputs]
    out = f(*xs)
    assert out.data == pytest.approx(value, rel=1e-15, abs=1e-15)
    out.backward()
    assert [x.grad for x in xs] == pytest.approx(derivatives, rel=1e-15, abs=1e-15)
    # grad() agrees and leaves .grad alone
    before = [x.grad for x in xs]
    assert [g.data for g in autograd.grad(f(*xs), xs)] == pytest.approx(derivatives, rel=1e-15)
    assert [x.grad for x in xs] == before


@pytest.mark.parametrize(("name", "f", "inputs", "value", "derivatives"), CASES,
                         ids=[c[0] for c in CASES])
def test_free_functions_match_methods_on_floats(name, f, inputs, value, derivatives):
    # The same formula evaluated under no_grad gives the same number and no graph.
    with autograd.no_grad():
        out = f(*[Value(x) for x in inputs])
    assert out.data == pytest.approx(value, rel=1e-15, abs=1e-15)
    assert out.parents == ()


@pytest.mark.parametrize(("fn", "method"), [
    (autograd.exp, "exp"), (autograd.log, "log"), (autograd.tanh, "tanh"),
    (autograd.sigmoid, "sigmoid"), (autograd.relu, "relu"),
])
@pytest.mark.parametrize("x", [0.3, 1.7])
def test_generic_functions_accept_floats_and_values(fn, method, x):
    as_float = fn(x)
    as_value = fn(Value(x))
    assert type(as_float) is float
    assert isinstance(as_value, Value) and as_value.op == method
    assert as_value.data == as_float == getattr(Value(x), method)().data


# -- numerics at the edges ----------------------------------------------------

@pytest.mark.parametrize(("x", "value"), [(1000.0, 1.0), (-1000.0, -1.0), (30.0, 1.0)])
def test_tanh_saturates_without_overflow(x, value):
    v = Value(x)
    out = v.tanh()
    out.backward()
    assert out.data == value
    assert v.grad == 0.0 and math.isfinite(v.grad)


@pytest.mark.parametrize(("x", "value"), [(1000.0, 1.0), (-1000.0, 0.0), (-745.5, 0.0)])
def test_sigmoid_saturates_without_overflow(x, value):
    v = Value(x)
    out = v.sigmoid()
    out.backward()
    assert out.data == value
    assert v.grad == 0.0


def test_sigmoid_is_accurate_in_the_left_tail():
    # exp(-40) is 4.2e-18: the stable form keeps it, 1/(1+e^40) would too, both match.
    assert Value(-40.0).sigmoid().data == pytest.approx(math.exp(-40.0), rel=1e-12)


@pytest.mark.parametrize("x", [0.0, -1.0, -1e-300])
def test_log_of_non_positive_raises_value_error(x):
    with pytest.raises(ValueError, match=r"log\(.*\).*x > 0"):
        Value(x).log()
    with pytest.raises(ValueError, match="log"):
        autograd.log(x)


def test_negative_base_with_fractional_exponent_raises():
    with pytest.raises(ValueError, match=r"-8\.0 \*\* 0\.5"):
        Value(-8.0) ** 0.5
    with pytest.raises(ValueError, match="positive base"):
        Value(-2.0) ** Value(2.0)
    with pytest.raises(ValueError, match="positive base"):
        (-2) ** Value(2.0)


@pytest.mark.parametrize("f", [
    lambda x: x / 0, lambda x: x / Value(0.0), lambda x: 1 / (x - 2), lambda x: (x - 2) ** -1,
])
def test_division_by_zero_raises(f):
    with pytest.raises(ZeroDivisionError):
        f(Value(2.0))


def test_overflow_gives_an_infinity_in_every_op_alike():
    # IEEE 754, as numpy and PyTorch: exp and ** as * and + (see autograd.ops)
    big = Value(1e200)
    assert Value(1000.0).exp().data == math.inf and (big * big).data == math.inf
    assert (big ** 2).data == math.inf and ((-big) ** 3).data == -math.inf
    assert ((-big) ** 2).data == math.inf and (big + Value(1.7e308) * 2).data == math.inf
    y = Value(1000.0)
    z = y.exp()
    z.backward()
    assert y.grad == math.inf  # d/dx e^x = e^x, infinite too
    x = Value(1e200)
    (x ** 3).backward()
    assert x.grad == math.inf  # 3 x^2 overflows as x^3 does
    assert Value(709.0).exp().data == math.exp(709.0)


# -- types ----------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["3", None, [1.0], (1.0,), 1 + 2j, {"a": 1}])
def test_value_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


def test_value_rejects_a_value():
    with pytest.raises(TypeError, match=r"got a Value.*detach"):
        Value(Value(1.0))


@pytest.mark.parametrize("good", [3, 2.5, True, Fraction(1, 4), np.float64(1.5), np.float32(0.5),
                                  np.int64(7)])
def test_value_accepts_any_real_and_stores_a_float(good):
    v = Value(good)
    assert type(v.data) is float and v.data == float(good)
    assert type(v.grad) is float


@pytest.mark.parametrize("op", [
    lambda v: v + "a", lambda v: "a" + v, lambda v: v * None, lambda v: v - [1],
    lambda v: v / "x", lambda v: v ** "2", lambda v: "2" ** v, lambda v: v < "a",
    lambda v: autograd.sum([v, "a"]), lambda v: autograd.dot([v], ["a"]),
])
def test_operations_with_non_numbers_raise_type_error(op):
    with pytest.raises(TypeError):
        op(Value(2.0))


def test_type_error_names_the_operation_and_the_type():
    with pytest.raises(TypeError, match=r"mul: expected a real number or a Value, got str"):
        Value(2.0) * "a"


def test_name_must_be_a_string():
    with pytest.raises(TypeError, match="name"):
        Value(1.0, name=3)


def test_numpy_scalars_mix_with_values():
    for out in [np.float64(2) * Value(3), Value(3) * np.float64(2), np.int64(2) * Value(3.0)]:
        assert type(out) is Value and out.data == 6.0 and type(out.data) is float
    x = Value(3.0)
    (np.float64(2.0) * x + np.float32(1.0)).backward()
    assert x.grad == 2.0


def test_numpy_arrays_are_refused_not_broadcast():
    with pytest.raises(TypeError, match="ndarray"):
        np.array([1.0, 2.0]) * Value(3.0)
    with pytest.raises(TypeError, match="ndarray"):
        Value(3.0) * np.array([1.0, 2.0])


def test_dot_length_mismatch():
    with pytest.raises(ValueError, match="2 weights but 3 inputs"):
        autograd.dot([Value(1), Value(2)], [1, 2, 3])


def test_n_ary_nodes_are_one_node():
    xs = [Value(i) for i in range(5)]
    s = autograd.sum(xs + [10])
    assert s.op == "sum" and s.parents == tuple(xs) and s.data == 20.0
    d = autograd.dot(xs, [1.0] * 5, xs[0])
    assert d.op == "dot" and d.parents == (*xs, xs[0])


def test_sum_of_numbers_only_is_a_constant_leaf():
    s = autograd.sum([1, 2.5])
    assert s.data == 3.5 and s.parents == ()
    assert autograd.sum([]).data == 0.0


def test_comparisons_use_data_and_equality_is_identity():
    a, b = Value(1.0), Value(2.0)
    assert a < b and a <= 1 and b > a and b >= 2.0
    assert max([a, b]) is b
    assert a != Value(1.0) and a == a
    assert len({a, Value(1.0)}) == 2


def test_repr_shows_data_grad_and_name():
    assert repr(Value(2.0, "w")) == "Value(data=2.0, grad=0.0, name='w')"
    assert repr(Value(0.1)) == "Value(data=0.1, grad=0.0)"


@pytest.mark.parametrize(("terms", "value"), [
    ([-math.inf, -math.inf], -math.inf), ([math.inf, 1.0], math.inf), ([-math.inf, 0.0], 0.0),
])
def test_logsumexp_at_infinities_gives_the_limit_not_nan(terms, value):
    assert autograd.logsumexp([Value(t) for t in terms]).data == value


@pytest.mark.parametrize(("build", "value", "slopes"), [
    (lambda x: x.sqrt(), 2.0, (0.25,)),                        # at 4
    (lambda x: abs(x), 4.0, (1.0,)),
    (lambda x: x.softplus(), math.log1p(math.exp(4.0)), (1 / (1 + math.exp(-4.0)),)),
    (lambda x: x.sin(), math.sin(4.0), (math.cos(4.0),)),
    (lambda x: x.cos(), math.cos(4.0), (-math.sin(4.0),)),
    (lambda x: x.leaky_relu(), 4.0, (1.0,)),
    (lambda x: (-x).leaky_relu(0.1), -0.4, (0.1,)),
])
def test_new_functions_by_hand_at_4(build, value, slopes):
    x = Value(4.0)
    out = build(x)
    out.backward()
    assert out.data == pytest.approx(value, rel=1e-15)
    assert (abs(x.grad),) == pytest.approx(tuple(map(abs, slopes)), rel=1e-15)


@pytest.mark.parametrize(("op", "a", "b", "value", "da", "db"), [
    (autograd.maximum, 3.0, 2.0, 3.0, 1.0, 0.0),
    (autograd.maximum, 2.0, 3.0, 3.0, 0.0, 1.0),
    (autograd.maximum, 2.0, 2.0, 2.0, 0.5, 0.5),   # a tie splits the gradient
    (autograd.minimum, 3.0, 2.0, 2.0, 0.0, 1.0),
    (autograd.minimum, 2.0, 2.0, 2.0, 0.5, 0.5),
])
def test_maximum_and_minimum_and_their_ties(op, a, b, value, da, db):
    x, y = Value(a), Value(b)
    out = op(x, y)
    out.backward()
    assert (out.data, x.grad, y.grad) == (value, da, db)


def test_kinks_follow_the_documented_choices():
    for build, slope in [(lambda x: abs(x), 0.0), (lambda x: x.relu(), 0.0),
                         (lambda x: x.leaky_relu(0.2), 0.2), (lambda x: x.sqrt(), math.inf)]:
        x = Value(0.0)
        build(x).backward()
        assert x.grad == slope
    x = Value(1.5)
    autograd.maximum(x, x).backward()  # both halves of the tie go to x
    assert x.grad == 1.0
    x, s = Value(-2.0), Value(0.1)
    out = x.leaky_relu(s)  # a Value slope gets its gradient too (PReLU)
    out.backward()
    assert (out.data, x.grad, s.grad) == (-0.2, 0.1, -2.0)


@pytest.mark.parametrize("x", [800.0, 1000.0, -1000.0])
def test_softplus_never_overflows(x):
    assert Value(x).softplus().data == max(x, 0.0) + math.log1p(math.exp(-abs(x)))
    assert autograd.softplus(800.0) == 800.0


def test_domain_errors_name_the_op():
    with pytest.raises(ValueError, match=r"sqrt\(-1.0\)"):
        Value(-1.0).sqrt()
    with pytest.raises(ZeroDivisionError, match="div"):
        2.0 / Value(0.0)


def test_values_format_and_convert_like_their_numbers():
    loss = Value(0.123456)
    assert f"{loss:.4f}" == "0.1235" and f"{loss}" == "0.123456" and float(loss) == 0.123456
    assert math.exp(Value(0.0)) == 1.0  # a plain float, cut from the graph


def test_a_rule_that_calls_math_on_a_value_is_refused_not_silently_constant():
    x = Value(0.5)
    y = autograd.custom_op(math.exp(0.5), [x], lambda out, x: (math.exp(x),), "math_exp")
    assert y.grad == 0.0 and autograd.local_derivatives(y) == (math.exp(0.5),)
    with pytest.raises(TypeError, match=r"turned .* into a plain number with float\(\).*"
                                        r"autograd.exp"):
        autograd.grad(y, [x], create_graph=True)
    assert float(x) == 0.5  # outside rules, float() is allowed again


@pytest.mark.parametrize("bad", ["a", [1.0], (2.0,), None])
def test_a_bad_data_assignment_fails_at_the_next_op_never_silently(bad):
    x = Value(1.0)
    x.data = bad
    # "a" + "a" would be "aa", and None + None Python's own TypeError: both name the op
    with pytest.raises(TypeError, match=r"^add: a Value \(name=None\) has \.data = "):
        x + x


@pytest.mark.parametrize("bad", ["a", None, [1.0]])
def test_a_bad_grad_assignment_fails_in_backward_naming_the_value(bad):
    x = Value(2.0, "x")
    y = x * 3.0
    x.grad = bad
    with pytest.raises(TypeError, match=r"backward: Value\(.*name='x'\) has .grad = "):
        y.backward()
