"""NaN in gives NaN out, overflow gives inf, and a replay gives eager's numbers for both.

The policy is the op table's (see ``autograd.ops``): IEEE 754, as numpy and PyTorch.
"""

import math
import warnings

import pytest
from fuzzing import examples
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value, ops
from autograd.backprop import local_derivatives
from autograd.testing.expressions import OPS as EXPRESSION_OPS
from autograd.testing.strategies import expressions
from autograd.value import apply

NAN = math.nan
FIXED = [op for op in ops.BUILTINS if op.arity is not None]
VARIADIC = [op for op in ops.BUILTINS if op.arity is None]


def is_nan(x) -> bool:
    return x != x


def _finite_point(draw, op: ops.Op, n: int) -> list[float]:
    domains = op.domains if op.arity is not None else op.domains * n
    point = []
    for domain in domains:
        x = draw(st.floats(0.25, 3.0) if domain != "real" else st.floats(-3.0, 3.0))
        point.append(x)
    return point


def _ieee_exception(op: ops.Op, args: list[float]) -> bool:
    # IEEE 754 (and numpy, and PyTorch): nan ** 0 = 1 and 1 ** nan = 1
    return op is ops.POW and (args[0] == 1.0 or args[1] == 0.0)


def _reads(f, op: ops.Op, j: int, args: list[float]) -> bool:
    """Whether ``f(args)`` reads argument j: it changes when argument j moves, either way."""
    domain = (op.domains if op.arity is not None else op.domains * len(args))[j]
    before = f(args)
    for target in (args[j] * 1.5 + 0.125, 4.0, 0.3, -args[j] - 1.0, -4.0):
        if domain != "real" and target <= 0:
            continue
        moved = list(args)
        moved[j] = target
        if f(moved) != before:
            return True
    return False


def _rule(op: ops.Op, i: int):
    return lambda args: op.derivative(i, op.on_floats(args), args)


@settings(max_examples=examples(60))
@given(st.data())
def test_nan_in_any_argument_gives_nan_out_and_nan_slopes_where_it_is_read(data):
    op = data.draw(st.sampled_from(FIXED + VARIADIC), label="op")
    n = op.arity if op.arity is not None else (5 if op is ops.DOT else 3)
    args = _finite_point(data.draw, op, n)
    j = data.draw(st.integers(0, n - 1), label="the NaN argument")
    with_nan = list(args)
    with_nan[j] = NAN
    if _ieee_exception(op, with_nan):
        return
    leaves = [Value(a) for a in with_nan]
    out = apply(op, leaves)
    if _reads(op.on_floats, op, j, args):  # leaky_relu(1, nan) = 1 reads no slope
        assert is_nan(out.data), f"{op.name}{tuple(with_nan)} = {out.data}"
    else:  # IEEE's nan x 0 is nan, though the value does not move with the argument
        assert is_nan(out.data) or out.data == op.on_floats(args)
    for i, local in enumerate(local_derivatives(out)):
        if _reads(_rule(op, i), op, j, args):
            assert is_nan(local), f"d {op.name} / d arg {i} at {with_nan} is {local}"
        else:  # d(x*y)/dx = y does not read x
            assert is_nan(local) or local == op.derivative(i, op.on_floats(args), args)


@pytest.mark.parametrize(("build", "grads"), [
    (lambda x, y: x.relu(), 1), (lambda x, y: autograd.maximum(x, y), 2),
    (lambda x, y: autograd.minimum(y, x), 2), (lambda x, y: abs(x), 1),
    (lambda x, y: x.leaky_relu(), 1), (lambda x, y: autograd.leaky_relu(x, y), 2),
    (lambda x, y: x.sigmoid(), 1), (lambda x, y: x.tanh(), 1), (lambda x, y: x ** 2, 1),
    (lambda x, y: y ** x, 1), (lambda x, y: x.softplus(), 1), (lambda x, y: x.sqrt(), 1),
    (lambda x, y: x.log(), 1), (lambda x, y: x.exp(), 1),
    (lambda x, y: autograd.logsumexp([y, x, y]), 2),
])
def test_the_issue_s_cases_stay_nan_in_the_value_and_in_every_gradient(build, grads):
    x, y = Value(NAN, "x"), Value(2.0, "y")  # 1 ** nan would be IEEE's 1.0
    out = build(x, y)
    out.backward()
    assert is_nan(out.data)
    assert is_nan(x.grad) and (grads == 1 or is_nan(y.grad))


def test_a_model_never_turns_nan_into_a_class():
    model = nn.MLP(2, [3, 1])
    (score,) = model([NAN, 1.0])
    assert is_nan(score.data)
    score.backward()
    *hidden, last = model.parameters()
    assert all(is_nan(p.grad) for p in hidden)  # every gradient the NaN reaches
    assert last.grad == 1.0  # d score / d its own bias reads no NaN
    net = nn.TwoLayerNet(2, 3, 2)
    assert net.accuracy([[NAN, 1.0], [0.5, 0.5]], [0, 1]) in (0.0, 0.5)
    assert net.accuracy([[NAN, 1.0]], [0]) == 0.0 and net.accuracy([[NAN, 1.0]], [1]) == 0.0
    assert nn.predicted_class([NAN, 1.0]) is None and nn.predicted_class([1.0, NAN]) is None
    assert nn.predicted_class([Value(0.5), Value(2.0), Value(2.0)]) == 1
    with pytest.raises(ValueError, match="target row 0 holds NaN, so it names no class"):
        net.accuracy([[1.0, 1.0]], [[NAN, 1.0]])


def test_a_nan_node_hands_on_nan_even_from_a_zero_gradient():
    # 0 * e^x at x = nan: the product's share to e^x is 0 x 0.0 = 0, and e^x is NaN, so
    # x gets 0 x nan = nan (a finite node with gradient 0 would hand on nothing)
    x = Value(NAN, "x")
    y = 0.0 * x.exp()
    y.backward()
    assert is_nan(y.data) and is_nan(x.grad)
    (dx,) = autograd.grad(y, [x])
    assert is_nan(dx.data)
    assert is_nan(autograd.grad(y, x, create_graph=True).data)
    w = Value(0.5)
    step = autograd.compile(lambda: 0.0 * w.exp())
    step()  # recorded at a finite w; then replayed at NaN
    w.data, w.grad = NAN, 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", autograd.ReplayWarning)
        assert is_nan(step())
    assert is_nan(w.grad)


def test_a_finite_node_with_a_zero_gradient_still_hands_on_nothing():
    # relu(sqrt(x) - 1) at x = 0: sqrt's slope is inf, but relu is off: 0, not 0 x inf
    x = Value(0.0)
    ((x.sqrt() - 1).relu()).backward()
    assert x.grad == 0.0


@pytest.mark.parametrize(("make", "value"), [
    (lambda: Value(1000.0).exp(), math.inf), (lambda: Value(1e200) ** 2, math.inf),
    (lambda: Value(-1e200) ** 3, -math.inf), (lambda: Value(1e308) * 10, math.inf),
    (lambda: Value(-1e308) - 1e308, -math.inf), (lambda: 2.0 ** Value(2000.0), math.inf),
    (lambda: apply(ops.POW, (Value(10.0), 400.0)), math.inf),
    (lambda: Value(-1000.0).sigmoid(), 0.0), (lambda: Value(1000.0).tanh(), 1.0),
    (lambda: Value(800.0).softplus(), 800.0),
])
def test_overflow_is_an_infinity_in_every_op_and_stable_ops_stay_finite(make, value):
    assert make().data == value


def test_the_op_table_documents_the_policy():
    doc = " ".join(ops.__doc__.split())
    assert "Overflow gives an infinity" in doc and "NaN in gives NaN out" in doc
    assert "nan ** 0" in doc and "Outside an op's domain is an error" in doc


NOT_FINITE = st.sampled_from([NAN, math.inf, -math.inf, 0.0, 1.0, -2.0, 1e308, 750.0, -750.0])


def _bits(x: float) -> str:
    return repr(x)  # 'nan', 'inf', '-0.0' and '0.0' all told apart


# The table's own ops: IEEE 754 is their policy. An op a test registers with register_op
# (math.exp in its forward, say) may raise OverflowError, as its author wrote it.
BUILTIN_EXPRESSIONS = [op for op in EXPRESSION_OPS if op in {b.name for b in ops.BUILTINS}]


@settings(max_examples=examples(150))
@given(expressions(ops=BUILTIN_EXPRESSIONS), st.data())
def test_a_replay_gives_eager_s_numbers_for_nan_and_inf_too(expression, data):
    n = expression.n_inputs
    weights = [Value(0.5 + 0.25 * i) for i in range(n)]

    def f(*xs):  # every node feeds the output: a replay computes only what the output uses
        nodes = expression.nodes([w * x for w, x in zip(weights, xs, strict=True)])
        return autograd.sum(nodes[n:])

    step = autograd.compile(f)
    step(*[0.5] * n)  # recorded at a safe point, where every op is defined
    point = data.draw(st.lists(NOT_FINITE, min_size=n, max_size=n), label="inputs")
    shared = data.draw(st.sampled_from([None, NAN, math.inf]), label="a weight")
    if shared is not None:
        weights[0].data = shared
    def outcome(run) -> tuple:
        for w in weights:
            w.grad = 0.0
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", autograd.ReplayWarning)
                value = run()
        except (ArithmeticError, ValueError):  # a domain error (sin(inf), log(-2)): in both
            return ("refused",)
        return _bits(value), [_bits(w.grad) for w in weights]

    def fresh() -> float:
        out = f(*map(Value, point))
        out.backward()
        return out.data

    assert outcome(lambda: step(*point)) == outcome(fresh)


def test_a_replay_that_would_compute_zero_times_inf_is_rebuilt_and_says_so():
    # relu(w - e^x) at x = 1000: e^x = inf, the relu is off, so nothing reaches w from
    # e^x in backward(); a replay computes 0 x inf = nan for the share of w that e^x hands
    w = Value(0.5, "w")
    step = autograd.compile(lambda x: (w - (w * x).exp()).relu() + w * w)
    step(0.1)
    w.grad = 0.0
    with pytest.warns(autograd.ReplayWarning, match=r"a gradient came out NaN in the replay"):
        replayed = step(2000.0)
    got = w.grad
    w.grad = 0.0
    fresh = (w - (w * Value(2000.0)).exp()).relu() + w * w
    fresh.backward()
    assert replayed == fresh.data and got == w.grad == 1.0
    w.grad = 0.0
    with pytest.warns(autograd.ReplayWarning, match=r"2 sample\(s\) rebuilt"):
        assert step.over([(2000.0,), (2000.0,)]) == [fresh.data] * 2
    assert w.grad == 2.0
