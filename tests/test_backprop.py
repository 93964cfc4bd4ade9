"""backward(), grad(), higher orders, no_grad, the graph's shape and memory."""

import gc
import math
import sys
import threading

import pytest

import autograd
from autograd import Value
from autograd.testing import gradcheck


def test_leaf_grads_accumulate_but_intermediates_do_not_compound():
    a = Value(3.0)
    b = a * a
    c = b * a
    c.backward()
    assert a.grad == 27.0 and b.grad == 3.0
    c.backward()
    assert a.grad == 54.0  # leaves accumulate, as in PyTorch
    assert b.grad == 3.0  # micrograd would give 6 here and 72 for a


def test_backward_on_a_leaf_accumulates_one():
    x = Value(5.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_backward_seeds_the_root_with_one():
    x = Value(2.0)
    y = x * 3
    y.backward()
    assert y.grad == 1.0 and x.grad == 3.0


@pytest.mark.parametrize("k", [1, 2, 3, 7])
def test_fan_out_accumulates(k):
    a = Value(1.5)
    autograd.sum([a] * k).backward()
    assert a.grad == k


def test_fan_out_through_intermediates():
    a = Value(1.0)
    b = a + a
    c = b + b
    c.backward()
    assert (a.grad, b.grad, c.data) == (4.0, 2.0, 4.0)


def test_a_zero_gradient_hands_nothing_on_even_past_an_infinite_slope():
    x = Value(0.0)
    y = ((x**0.5) - 1).relu()  # relu is off, so y is flat near x = 0: dy/dx = 0
    y.backward()
    assert x.grad == 0.0  # 0 x inf would have given NaN
    assert autograd.grad(y, [x])[0].data == 0.0
    step = autograd.compile(lambda v: ((v**0.5) - 1).relu())
    w = Value(0.0)
    step(w)
    assert w.grad == 0.0
    live = Value(4.0)
    (live**0.5).backward()
    assert live.grad == 0.25  # a non-zero gradient still flows as usual


def test_diamond():
    x = Value(2.0)
    y = x * 3
    z = x.exp()
    out = y * z
    out.backward()
    # d/dx (3x e^x) = 3 e^x + 3x e^x
    assert x.grad == pytest.approx(3 * math.exp(2) + 6 * math.exp(2), rel=1e-14)


def test_grad_does_not_touch_grad_and_unused_inputs_get_zero():
    x, y, unused = Value(2.0), Value(3.0), Value(7.0)
    f = x * y + x
    gx, gy, gu = autograd.grad(f, [x, y, unused])
    assert (gx.data, gy.data, gu.data) == (4.0, 2.0, 0.0)
    assert all(isinstance(g, Value) for g in (gx, gy, gu))
    assert (x.grad, y.grad, unused.grad, f.grad) == (0.0, 0.0, 0.0, 0.0)


def test_grad_checks_its_arguments():
    with pytest.raises(TypeError, match="output"):
        autograd.grad(3.0, [Value(1.0)])
    with pytest.raises(TypeError, match="inputs"):
        autograd.grad(Value(1.0) * 2, [1.0])
    with pytest.raises(TypeError, match="backward"):
        autograd.backward(2.0)


def test_higher_order_derivatives_of_x_to_the_fourth():
    x = Value(2.0)
    f = x**4
    derivatives = []
    for _ in range(5):
        (f,) = autograd.grad(f, [x], create_graph=True)
        derivatives.append(f.data)
    # 4x^3, 12x^2, 24x, 24, 0 at x = 2
    assert derivatives == [32.0, 48.0, 48.0, 24.0, 0.0]


def test_every_derivative_of_exp_is_exp():
    x = Value(0.7)
    f = x.exp()
    for _ in range(4):
        (f,) = autograd.grad(f, [x], create_graph=True)
        assert f.data == pytest.approx(math.exp(0.7), rel=1e-14)


@pytest.mark.parametrize("x0", [-1.3, 0.0, 0.4, 2.2])
def test_second_derivatives_of_tanh_and_sigmoid(x0):
    x = Value(x0)
    (d1,) = autograd.grad(x.tanh(), [x], create_graph=True)
    (d2,) = autograd.grad(d1, [x])
    t = math.tanh(x0)
    assert d2.data == pytest.approx(-2 * t * (1 - t * t), abs=1e-14)
    (s1,) = autograd.grad(x.sigmoid(), [x], create_graph=True)
    (s2,) = autograd.grad(s1, [x])
    s = 1 / (1 + math.exp(-x0))
    assert s2.data == pytest.approx(s * (1 - s) * (1 - 2 * s), abs=1e-14)


def test_mixed_second_derivative():
    x, y = Value(1.5), Value(-0.5)
    f = x**2 * y**3 + (x * y).exp()
    gx, _ = autograd.grad(f, [x, y], create_graph=True)
    (gxy,) = autograd.grad(gx, [y])
    # d2f/dxdy = 6 x y^2 + e^{xy} (1 + xy)
    expected = 6 * 1.5 * 0.25 + math.exp(-0.75) * (1 - 0.75)
    assert gxy.data == pytest.approx(expected, rel=1e-13)


def test_second_derivative_through_dot_with_both_sides_values():
    w, x = Value(2.0), Value(3.0)
    f = autograd.dot([w], [x]) ** 2  # (wx)^2
    gw, _ = autograd.grad(f, [w, x], create_graph=True)
    (gwx,) = autograd.grad(gw, [x])  # d/dx (2 w x^2) = 4 w x
    assert gwx.data == 24.0


def test_relu_second_derivative_is_zero():
    x = Value(1.5)
    (d1,) = autograd.grad(x.relu() * 3, [x], create_graph=True)
    (d2,) = autograd.grad(d1, [x])
    assert (d1.data, d2.data) == (3.0, 0.0)


def test_a_chain_ten_times_deeper_than_the_recursion_limit():
    # 10,000 nodes show what a million would: no step of backward() recurses.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1_000)
    try:
        y = x = Value(1.0)
        for _ in range(5_000):  # two nodes per step
            y = y * 1.0000001 + 1e-7
        y.backward()
        (g,) = autograd.grad(y, [x])
    finally:
        sys.setrecursionlimit(limit)
    assert x.grad == g.data == pytest.approx(1.0000001**5_000, rel=1e-12)
    order = autograd.topological_order(y)
    assert len(order) == 10_001 and order[0] is x and order[-1] is y


def test_topological_order_is_deterministic_and_parents_come_first():
    def build():
        a, b = Value(1.0, "a"), Value(2.0, "b")
        c = a * b
        d = c + a
        return (d * c).tanh()

    orders = [[(n.op, n.name, n.data) for n in autograd.topological_order(build())]
              for _ in range(3)]
    assert orders[0] == orders[1] == orders[2]
    root = build()
    order = autograd.topological_order(root)
    position = {node: i for i, node in enumerate(order)}
    assert all(position[p] < position[n] for n in order for p in n.parents)
    assert [n.name for n in order if n.name] == ["a", "b"]  # argument order


def test_parents_keep_argument_order():
    a, b = Value(1.0), Value(2.0)
    assert (a * b).parents == (a, b) and (b * a).parents == (b, a)
    assert (a - b).parents == (a, b)


def test_graphs_have_no_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        xs = [Value(0.1 * i) for i in range(10)]
        out = autograd.sum(x.tanh() * x.exp() / (1 + x * x) for x in xs)
        out = autograd.dot(xs, [out] * 10, xs[0]) ** 2 + (2 ** xs[1]) + xs[2] ** xs[3].sigmoid()
        out.backward()
        autograd.grad(out, xs, create_graph=True)
        del out, xs
        assert gc.collect() == 0  # nothing was left for the cycle collector
    finally:
        gc.enable()


def test_no_grad_builds_no_graph_and_restores():
    x = Value(2.0)
    with autograd.no_grad():
        assert not autograd.is_grad_enabled()
        y = (x * 3).exp()
    assert autograd.is_grad_enabled()
    assert y.parents == () and y.op == ""
    # Its inputs' gradients would all be 0: a clear error instead, as PyTorch gives.
    with pytest.raises(RuntimeError, match="computed inside no_grad"):
        y.backward()
    with pytest.raises(RuntimeError, match="computed inside no_grad"):
        autograd.grad(y, [x])
    assert x.grad == 0.0
    y.detach().backward()  # a new leaf is a graph of its own: d y / d y = 1
    assert Value(1.0).op == "" and (Value(1.0) * 2).op == "mul"


def test_nested_no_grad_blocks_restore_the_mode_of_the_block_around_them():
    with autograd.no_grad():
        with autograd.no_grad():
            assert not autograd.is_grad_enabled()
        assert not autograd.is_grad_enabled()  # the outer block is still open
        assert (Value(1.0) * 2).parents == ()
    assert autograd.is_grad_enabled()
    assert (Value(1.0) * 2).parents != ()


@pytest.mark.parametrize("decorate", [autograd.no_grad(), autograd.no_grad],
                         ids=["no_grad()", "no_grad"])
def test_no_grad_is_a_decorator_with_or_without_parentheses(decorate):
    @decorate
    def f(v):
        """Square v."""
        assert not autograd.is_grad_enabled()
        return v * v

    assert f(Value(3.0)).parents == ()
    assert f.__name__ == "f" and f.__doc__ == "Square v."
    assert autograd.is_grad_enabled()
    with pytest.raises(TypeError, match="no_grad: expected a function"):
        autograd.no_grad(3)


def test_no_grad_is_thread_local():
    inside, other_done = threading.Event(), threading.Event()
    seen = {}

    def worker():
        inside.wait()
        seen["enabled"] = autograd.is_grad_enabled()
        seen["parents"] = len((Value(1.0) * Value(2.0)).parents)
        other_done.set()

    thread = threading.Thread(target=worker)
    thread.start()
    with autograd.no_grad():
        inside.set()
        other_done.wait(5)
    thread.join(5)
    assert seen == {"enabled": True, "parents": 2}


def test_detach_cuts_the_graph():
    x = Value(2.0, "x")
    y = (x * x).detach()
    assert y.parents == () and y.data == 4.0
    (y * 3).backward()
    assert x.grad == 0.0 and y.grad == 3.0


def test_custom_op_softplus_passes_gradcheck_and_second_order():
    def softplus(x):
        # softplus(x) = log(1 + e^x);  d/dx = sigmoid(x)
        return autograd.custom_op(
            math.log1p(math.exp(x.data)), (x,), lambda out, x: (autograd.sigmoid(x),), "softplus"
        )

    assert gradcheck(softplus, [0.3])
    x = Value(0.3)
    (d1,) = autograd.grad(softplus(x), [x], create_graph=True)
    (d2,) = autograd.grad(d1, [x])
    s = 1 / (1 + math.exp(-0.3))
    assert d2.data == pytest.approx(s * (1 - s), rel=1e-14)


def test_custom_op_with_constant_local_derivative():
    x = Value(2.0)
    y = autograd.custom_op(5 * 2.0, [x], (5,), "times5")
    y.backward()
    assert (y.op, x.grad) == ("times5", 5.0)


def test_custom_op_rejects_bad_definitions():
    x = Value(1.0)
    with pytest.raises(ValueError, match="2 local derivatives for 1 parents"):
        autograd.custom_op(1.0, [x], (1.0, 2.0))
    with pytest.raises(TypeError, match="parents must be Values"):
        autograd.custom_op(1.0, [1.0], (1.0,))
    with pytest.raises(TypeError, match="local_derivatives"):
        autograd.custom_op(1.0, [x], "nope")
    # the derivative function runs once at creation, so a wrong length fails there
    with pytest.raises(ValueError, match="bad: 2 local derivatives for 1 parents"):
        autograd.custom_op(1.0, [x], lambda out, x: (1.0, 2.0), "bad")
    with pytest.raises(TypeError, match="returning one"):
        autograd.custom_op(1.0, [x], lambda out, x: [1.0], "bad")


def test_grad_of_a_single_value_gives_a_single_gradient():
    x = Value(3.0, "x")
    y = x * x * x
    assert autograd.grad(y, x).data == 27.0 == autograd.grad(y, [x])[0].data
    second = autograd.grad(autograd.grad(y, x, create_graph=True), x)
    assert second.data == 18.0  # d²/dx² x³ = 6x
    with pytest.raises(TypeError, match=r"^grad: inputs must be a Value or a list of Values, "
                                        r"got float$"):
        autograd.grad(y, 3.0)


def test_int_and_round_are_plain_numbers_cut_from_the_graph_like_float():
    v = Value(-2.7)
    assert int(v) == -2 and type(int(v)) is int
    assert round(v) == -3 and type(round(v)) is int
    assert round(Value(2.675), 1) == 2.7 and type(round(v, 1)) is float
    assert "cut from the graph" in " ".join(Value.__int__.__doc__.split())
    assert "cut from the graph" in " ".join(Value.__round__.__doc__.split())
    # inside a rule evaluated on Values (higher orders), they are refused as float() is
    bad = autograd.register_op("test_int_rule", lambda x: x * x, [lambda out, x: 2 * int(x)])
    x = Value(1.5)
    with pytest.raises(TypeError, match=r"turned .* into a plain number with int\(\)"):
        autograd.grad(bad(x), x, create_graph=True)
