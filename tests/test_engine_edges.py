"""The engine's edges that mutation testing (make mutate) found untested: exact error
messages, defaults, fields, the fast paths staying fast, and the replay's exact source."""

import math
import re
import warnings

import pytest

import autograd
import autograd.nary
from autograd import Value
from autograd.backprop import running_gradients
from autograd.ops import Op, Primitive, register_op
from autograd.symbolic import Symbol

# -- messages, in full ------------------------------------------------------------

def test_backward_and_grad_messages_in_full():
    with autograd.no_grad():
        y = Value(1.0) * 2
    expected = ("{}: this Value was computed inside no_grad(), so it has no graph and no "
                "gradient can flow back to its inputs; compute it outside no_grad() (as "
                "PyTorch, which says the tensor does not require grad)")
    for name, call in (("backward", y.backward), ("grad", lambda: autograd.grad(y, []))):
        with pytest.raises(RuntimeError) as info:
            call()
        assert str(info.value) == expected.format(name)
    with pytest.raises(TypeError) as info:
        autograd.backprop.backward(3.0)
    assert str(info.value) == "backward: expected a Value, got float"
    with pytest.raises(TypeError) as info:
        autograd.grad(3.0, [])
    assert str(info.value) == "grad: output must be a Value, got float"
    with pytest.raises(TypeError) as info:
        autograd.grad(Value(1.0), [2.0])
    assert str(info.value) == "grad: inputs must be Values, got float"
    x = Value(2.0, "x")
    z = x * 3.0
    x.grad = "a"
    with pytest.raises(TypeError) as info:
        z.backward()
    assert str(info.value) == ("backward: Value(data=2.0, grad='a', name='x') has .grad = 'a', "
                               "a str; a gradient must be a number (set it to 0.0, or call "
                               "zero_grad())")


def test_table_messages_in_full():
    with pytest.raises(ValueError) as info:
        autograd.ops._power(-8.0, 0.5)
    assert str(info.value) == ("power: -8.0 ** 0.5 is not a real number (a negative base "
                               "needs an integer exponent)")
    with pytest.raises(ValueError) as info:
        autograd.ops._logsumexp()
    assert str(info.value) == "logsumexp: needs at least one term"
    with pytest.raises(ValueError) as info:
        autograd.logsumexp([])
    assert str(info.value) == "logsumexp: needs at least one term"
    blind = Op("blind", "b", None, (lambda out, x: 1.0,))
    with pytest.raises(TypeError) as info:
        blind.on_floats([1.0])
    assert str(info.value) == ("op 'blind' has no forward function: it was made by custom_op, "
                               "which gives only its value; use autograd.register_op")
    with pytest.raises(TypeError) as info:
        blind(Symbol("a"))
    assert str(info.value) == ("compile: the custom op 'blind' cannot be replayed: custom_op "
                               "gives only its value, not a forward function. Make it with "
                               "autograd.register_op to replay it.")
    with pytest.raises(TypeError, match=r"^exp: expected a real number or a Value, got str"):
        autograd.exp("a")
    with pytest.raises(TypeError, match=r"^select: expected a real number or a Value, got str"):
        autograd.ops.select("a", 1.0, 2.0)
    with pytest.raises(TypeError) as info:
        register_op("edges_bad", 3.0, [lambda out, x: 1.0])
    assert str(info.value) == "register_op 'edges_bad': forward must be a function, got float"
    with pytest.raises(ValueError) as info:
        autograd.nary._general_dot([1.0], [Value(1.0), Value(2.0)], 0.0)
    assert str(info.value) == "dot: 1 weights but 2 inputs"


def test_compile_messages_in_full():
    with autograd.no_grad(), pytest.raises(RuntimeError) as info:
        autograd.compile(lambda x: x * 2)(1.0)
    assert str(info.value) == "compile: cannot record a step inside no_grad()"
    with pytest.raises(TypeError) as info:
        autograd.compile(3)
    assert str(info.value) == "compile: expected a function, got int"
    with pytest.raises(TypeError) as info:
        autograd.compile(lambda x: 3.0)(1.0)
    assert str(info.value) == "compile: the function must return a Value, got float"
    with pytest.raises(TypeError) as info:
        autograd.compile(lambda x: x)({1})
    assert str(info.value).endswith("numpy arrays of them; got set")
    opaque = autograd.OPS.get("edges_opaque") or register_op(
        "edges_opaque", math.exp, [lambda out, x: math.exp(x)])
    with pytest.raises(TypeError) as info:
        autograd.compile(lambda x: opaque(x))(0.5)
    assert str(info.value).endswith("write its rules with arithmetic and the functions of "
                                    "autograd (exp, log, sigmoid, ...)")


# -- defaults and fields ------------------------------------------------------------

def test_defaults_build_no_graph():
    x = Value(2.0)
    (g,) = autograd.grad(x * x, [x])
    assert g.data == 4.0 and g.parents == ()  # create_graph=False: a plain leaf
    steps = list(autograd.backward_steps(x * x))
    assert all(type(d) is float for step in steps for d in step.local)


def test_op_and_primitive_defaults():
    one = Op("edges_one", "1", lambda x: x, (lambda out, x: 1.0,))
    assert (one.domains, one.__doc__, one.notation, one.kink, one.inline) == (
        ("real",), "", "function", None, False)
    two = Op("edges_two", "2", lambda a, b: a, (lambda o, a, b: 1.0,) * 2, domains="positive")
    assert two.domains == ("positive", "positive")
    many = Op("edges_many", "n", lambda *a: a[0], lambda out, args, i: 1.0, arity=None)
    assert many.domains == ("real",) and many.arity is None
    helper = Primitive("edges_helper", abs, "abs({0})")
    assert helper.__doc__ == "" and helper.on_values is None


def test_register_op_passes_every_option_on():
    def halve(x):
        """x / 2."""
        return x / 2

    def kink(x):
        return abs(x)

    def reference(sp, x):
        return x / 2

    op = register_op("edges_halve", halve, [lambda out, x: 0.5], kink=kink, sympy=reference,
                     torch=reference)
    assert (op.kink, op.sympy, op.torch, op.__doc__) == (kink, reference, reference, "x / 2.")
    bare = register_op("edges_bare", lambda x: x, [lambda out, x: 1.0])
    assert bare.__doc__ == "" and bare.kink is None and bare.sympy is None


def test_a_negated_symbol_keeps_its_finiteness():
    assert (-Symbol("q", finite=False)).finite is False and (-Symbol("q")).finite is True


def test_running_gradients_add_the_shares_of_a_fan_out():
    a = Value(3.0)
    y = a + a
    ((_, grads),) = list(running_gradients(y, autograd.backward_steps(y)))
    assert grads[a] == 2.0  # 1 + 1, the two shares of a + a


def test_a_rule_that_runs_a_nested_grad_still_may_not_call_float():
    def rule(out, x):
        if isinstance(x, Value):
            autograd.grad(x * x, [x], create_graph=True)  # rules on Values, nested
            return float(x) * 0 + x / x
        return 1.0

    x = Value(2.0)
    y = autograd.custom_op(2.0, [x], lambda out, x: (rule(out, x),), "nested")
    with pytest.raises(TypeError, match=r"into a plain number with float\(\)"):
        autograd.grad(y, [x], create_graph=True)


# -- the fast paths stay fast ---------------------------------------------------------

def test_the_nary_fast_paths_never_take_the_general_path(monkeypatch):
    def general(*args):
        raise AssertionError("the general path was taken")

    monkeypatch.setattr(autograd.nary, "apply", general)
    w = [Value(1.0), Value(2.0)]
    x = [Value(3.0), Value(4.0)]
    assert autograd.sum(w).data == 3.0 and autograd.sum(iter(w)).data == 3.0
    assert autograd.logsumexp(x).data == pytest.approx(4.313261687518223, rel=1e-15)
    assert autograd.logsumexp(iter(x)).data == autograd.logsumexp(x).data
    assert autograd.dot(w, x, Value(0.5)).data == 11.5 and autograd.dot(w, [3.0, 4.0]).data == 11
    assert autograd.dot(iter(w), iter(x)).data == 11.0
    assert [d.data for d in autograd.dots([w, w], x, [0.0, Value(1.0)])] == [11.0, 12.0]
    assert [d.data for d in autograd.dots([w], (3.0, 4.0), [Value(1.0)])] == [12.0]


def test_a_broken_fast_path_is_an_error_not_a_quiet_detour(monkeypatch):
    monkeypatch.setattr(autograd.nary, "_data", None)  # every Value's .data unreadable
    with pytest.raises(TypeError):
        autograd.dots([[Value(1.0)]], [Value(2.0)], [0.0])


def test_a_recorded_step_is_not_recorded_again():
    calls = []

    def step(x):
        calls.append(x)
        return w * x

    w = Value(2.0)
    compiled = autograd.compile(step)
    assert compiled.refusal == ""
    compiled(1.0)
    compiled(2)  # an int is a number like a float: the same shape, no new recording
    compiled(3.0)
    assert len(calls) == 1 and compiled.recordings == 1 and w.grad == 6.0


def test_compile_max_size_boundaries_and_the_warnings_place():
    w = Value(2.0)
    assert autograd.compile(lambda x: w * x, max_size=1).max_size == 1
    with pytest.raises(ValueError, match="max_size"):
        autograd.compile(lambda x: w * x, max_size=True)
    exact = autograd.compile(lambda x: w * x, max_size=5)  # 3 nodes + 2 edges: just fits
    exact(1.0)
    assert exact.recordings == 1
    over = autograd.compile(lambda x: w * x, max_size=4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        over(1.0)
    # The warning points at the caller, not into the engine (under mutmut a trampoline
    # frame sits between the two, so the test names where it must not point).
    assert not caught[0].filename.endswith(("compile.py", "warnings.py"))
    assert "has 5 nodes and edges, more than 4; writing it out would take about 0 MB" in str(
        caught[0].message)
    big = autograd.compile(lambda xs: autograd.sum([w * x for x in xs]), max_size=1000)
    with pytest.warns(autograd.ReplayRefused, match="has 1,002 nodes and edges, more than "
                                                     "1,000; writing it out would take about 3 MB"):
        big([1.0] * 200)  # 200 inputs, w, 200 products and a sum; 600 edges


def test_two_ops_of_one_name_in_one_graph_are_refused():
    first = Op("edges_twin", "t", lambda x: x, (lambda out, x: 1.0,))
    second = Op("edges_twin", "t", lambda x: 2 * x, (lambda out, x: 2.0,))
    with pytest.raises(ValueError) as info:
        autograd.compile(lambda x: second(first(x)))(1.0)
    assert str(info.value) == ("compile: the graph uses two different ops of the same name "
                               "(['edges_twin', 'edges_twin']); give each its own name")


def test_the_replay_source_exactly():
    w = Value(2.0)
    step = autograd.compile(lambda x: (w * x).sqrt() - w)
    step(2.0)
    assert step.last_source == (
        "def replay(X, P):\n"
        "    (x0,) = X\n"
        "    (p0,) = P\n"
        "    w0 = p0.data\n"
        "    a0 = p0.grad\n"
        "    v2 = (w0 * x0)\n"
        "    v3 = _f_sqrt(v2)\n"
        "    v4 = (v3 - w0)\n"
        "    g4 = 1.0\n"
        "    g3 = 0.0 + g4\n"
        "    g2 = 0.0 + (g3 * _slope(v2, 0.5) if g3 or v3 != v3 else 0.0)\n"
        "    a0 = a0 + -g4 + g2 * x0\n"
        "    nan_check = 0.0 + a0\n"
        "    if nan_check != nan_check:\n"
        "        return None\n"
        "    p0.grad = a0\n"
        "    return v4\n")
    divide = autograd.compile(lambda x: w / x)
    divide(1.0)
    with pytest.raises(ZeroDivisionError) as info:
        divide(0.0)
    files, tb = [], info.tb
    while tb:
        files.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    assert files[-1] == "<autograd.compile>"  # a traceback shows where the replay failed


def test_dot_names_itself_for_a_bad_bias_or_input():
    w = [Value(1.0)]
    for x in ([Value(2.0)], [2.0]):
        with pytest.raises(TypeError, match=r"^dot: expected a real number or a Value, got str"):
            autograd.dot(w, x, "b")
    with pytest.raises(TypeError, match=r"^dot: expected a real number or a Value, got str"):
        autograd.dots([w], ["a"], [0.0])


def test_dots_take_any_iterable_and_store_float_slopes():
    w = [Value(1.0), Value(2.0)]
    made = autograd.dots([w], (x for x in [Value(3.0), Value(4.0)]), [0.0])
    assert made[0].data == 11.0
    ints = autograd.dots([w], [3, 4], [Value(0.5)])[0]  # ints among the inputs
    assert ints.local_derivatives == (3.0, 4.0, 1.0)
    assert all(type(d) is float for d in ints.local_derivatives)
    b = Value(0.5)
    first_layer = autograd.dots([w], [3.0, 4.0], [b])[0]  # Values . numbers, a Value bias
    assert first_layer.call.layout == (None, None, 3.0, 4.0, None)
    (db,) = autograd.grad(first_layer * first_layer, [b], create_graph=True)
    assert db.data == 23.0 and autograd.grad(db, [b])[0].data == 2.0


def test_a_refusal_says_exactly_why_and_how_much():
    w = Value(1.0)
    step = autograd.compile(lambda xs: autograd.sum([w * x for x in xs]), max_size=5000)
    with pytest.warns(autograd.ReplayRefused):
        step([1.0] * 1000)  # 2,002 nodes and 3,000 edges
    assert step.refusal == (
        "compile: the step's graph has 5,002 nodes and edges, more than 5,000; writing it out "
        "would take about 15 MB, so this step is rebuilt on every call instead of replayed")


def test_sigmoid_takes_the_direct_formula_for_x_at_or_above_0():
    # 1 / (1 + e^-x) where e^-x <= 1, e^x / (1 + e^x) below: the branch point is 0.
    for x in (0.0, 0.007, 0.012, 0.5):  # the two formulas differ in the last bit here
        assert autograd.ops._sigmoid(x) == 1.0 / (1.0 + math.exp(-x))
    for x in (-0.25, -0.5):
        assert autograd.ops._sigmoid(x) == math.exp(x) / (1.0 + math.exp(x))


def test_nodes_that_fold_the_same_number_share_one_op():
    a, b = Value(2.0), Value(3.0)
    assert (a**2).call is (b**2).call and (a * 3).call is (b * 3).call
    # each its own slope
    assert (a**2).local_derivatives == (4.0,) and (b**2).local_derivatives == (6.0,)
    assert (a**2).call is not (a**3).call
    zero, minus_zero = (a ** 0.0).call, (a ** -0.0).call  # -0.0 == 0.0: never shared
    assert zero is not minus_zero and str(minus_zero.layout[1]) == "-0.0"


@pytest.mark.parametrize("bad", ["a", None, [1.0], b"1"])
@pytest.mark.parametrize(("operation", "build"), [
    ("mul", lambda x: x * 2), ("mul", lambda x: x * x), ("mul", lambda x: 2 * x),
    ("add", lambda x: x + 1), ("add", lambda x: x + x), ("add", lambda x: 1 + x),
    ("sub", lambda x: x - 1), ("sub", lambda x: 1 - x), ("sub", lambda x: x - Value(1.0)),
    ("div", lambda x: x / 2), ("div", lambda x: x / Value(2.0)), ("neg", lambda x: -x),
    ("pow", lambda x: x ** 2), ("exp", lambda x: x.exp()), ("log", lambda x: x.log()),
    ("tanh", lambda x: x.tanh()), ("sigmoid", lambda x: x.sigmoid()),
    ("relu", lambda x: x.relu()), ("sqrt", lambda x: x.sqrt()), ("sin", lambda x: x.sin()),
    ("maximum", lambda x: autograd.maximum(x, 1.0)),
])
def test_a_bad_data_names_the_op_and_the_value_on_every_path(operation, build, bad):
    x = Value(1.0, "x")
    x.data = bad
    with pytest.raises(TypeError) as info:
        build(x)
    assert str(info.value) == (
        f"{operation}: a Value (name='x') has .data = {bad!r:.60}, a {type(bad).__name__}, "
        "not a number; .data must be a real number (set it to a float)")


def test_a_type_error_with_another_cause_stands_as_it_is():
    # the engine's own TypeError (an op that takes a number) is not blamed on .data
    with pytest.raises(TypeError, match=r"^mul: expected a real number or a Value, got str"):
        Value(1.0) * "a"


def test_a_value_is_true_and_comparisons_name_themselves():
    assert bool(Value(0.0)) is True and bool(Value(math.nan)) is True  # as any object
    for symbol, compare in [("<", lambda v: v < "a"), ("<=", lambda v: v <= "a"),
                            (">", lambda v: v > "a"), (">=", lambda v: v >= "a")]:
        with pytest.raises(TypeError, match=rf"^{symbol}: expected a real number or a Value, "
                                            r"got str 'a'$"):
            compare(Value(1.0))
    assert (Value(1.0) < Value(2.0), Value(2.0) <= 2, Value(3.0) > 2.5, Value(2.0) >= 2.0) == (
        True, True, True, True)


def test_int_and_round_say_which_cut_the_graph_inside_a_rule():
    for how, cut in [("int()", int), ("round()", round), ("float()", float)]:
        bad = autograd.register_op(f"edges_{cut.__name__}_rule", lambda x: x * x,
                                   [lambda out, x, cut=cut: 2 * cut(x)])
        x = Value(1.5)
        with pytest.raises(TypeError, match=rf"into a plain number with {re.escape(how)} "):
            autograd.grad(bad(x), x, create_graph=True)


def test_custom_op_s_defaults_and_refusals_exactly():
    x = Value(2.0, "x")
    assert autograd.custom_op(4.0, [x], (4.0,)).op == "op"  # the default label
    with pytest.raises(TypeError) as refused:
        autograd.custom_op(4.0, x, (4.0,), "square")
    assert str(refused.value) == ("custom_op 'square': parents must be a list or tuple of "
                                  "Values, got Value; for one parent write [x]")
    with pytest.raises(TypeError, match=r"^square: parents must be Values, got float$"):
        autograd.custom_op(4.0, [2.0], (4.0,), "square")
    with pytest.raises(TypeError, match=r"^square: expected a real number or a Value, got str"):
        autograd.custom_op("4", [x], (4.0,), "square")
    with pytest.raises(TypeError, match=r"^square: local_derivatives must be a tuple or a function "
                                        r"returning one, got list$"):
        autograd.custom_op(4.0, [x], [4.0], "square")
    with pytest.raises(TypeError, match=r"^square: expected a real number or a Value, got str"):
        autograd.custom_op(4.0, [x], ("a",), "square")
    # the function gets the output first, at first order and again at higher orders
    y = autograd.custom_op(x.data ** 3, [x], lambda out, v: (3 * out / v,), "cube")
    assert y.local_derivatives == (12.0,) and autograd.explain(y).rows[0].op == "cube"
    assert autograd.grad(autograd.grad(y, x, create_graph=True), x).data == 12.0  # 6x at 2


def test_comparisons_at_a_tie_and_the_free_leaky_relu_s_slope():
    assert not Value(2.0) > 2.0 and not Value(2.0) < 2.0 and Value(2.0) >= 2.0
    assert autograd.leaky_relu(Value(-1.0)).data == -0.01 and autograd.leaky_relu(-2.0) == -0.02


def test_custom_op_s_old_keywords_still_work_and_warn():
    x = Value(2.0)
    with pytest.warns(DeprecationWarning, match=r"^custom_op: local_grads= is now "
                                                r"local_derivatives=$"):
        y = autograd.custom_op(8.0, [x], local_grads=(12.0,), name="cube")
    with pytest.warns(DeprecationWarning, match=r"^custom_op: label= is now name=$"):
        z = autograd.custom_op(8.0, [x], (12.0,), label="cube")
    assert (y.op, z.op, y.local_derivatives) == ("cube", "cube", (12.0,))
    with pytest.raises(TypeError, match=r"^custom_op: unexpected keyword 'slope'$"):
        autograd.custom_op(8.0, [x], (12.0,), slope=1)
    with pytest.raises(TypeError, match=r"^custom_op: local_derivatives is missing"):
        autograd.custom_op(8.0, [x])
