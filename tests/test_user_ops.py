"""A user's op is first-class: backward, higher orders, replay, explain, draw, strategies.
And no op silently falls back to a constant slope anywhere."""

import math
import subprocess
import sys

import pytest
from fuzzing import examples
from hypothesis import given, settings

import autograd
from autograd import Value
from autograd.ops import OPS, Op, register_op
from autograd.testing import gradcheck
from autograd.testing.strategies import expression_cases, expressions


def stable_softplus(x: float) -> float:
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


SOFTPLUS = OPS.get("user_softplus") or register_op(
    "user_softplus", stable_softplus, [lambda out, x: autograd.sigmoid(x)],
    symbol="sp", sympy=lambda sp, x: sp.log(1 + sp.exp(x)))

# A two-argument op: a*exp(b), with one rule per argument.
SCALED_EXP = OPS.get("scaled_exp") or register_op(
    "scaled_exp", lambda a, b: a * math.exp(b),
    [lambda out, a, b: autograd.exp(b),      # d/da = e^b
     lambda out, a, b: out])                 # d/db = a e^b


def test_a_registered_op_on_floats_values_and_in_backward():
    assert SCALED_EXP(2.0, 0.0) == 2.0  # numbers in, a float out
    a, b = Value(2.0), Value(1.0)
    y = SCALED_EXP(a, b)
    y.backward()
    assert (y.op, y.data, a.grad, b.grad) == ("scaled_exp", 2 * math.e, math.e, 2 * math.e)
    c = Value(1.0)
    z = SCALED_EXP(3.0, c)  # a number folds in; only c is a parent
    z.backward()
    assert z.parents == (c,) and c.grad == 3 * math.e


def test_higher_orders_come_from_the_same_rules():
    x = Value(3.0)
    (d1,) = autograd.grad(SOFTPLUS(x), [x], create_graph=True)
    (d2,) = autograd.grad(d1, [x], create_graph=True)
    (d3,) = autograd.grad(d2, [x])
    s = 1 / (1 + math.exp(-3.0))
    assert d1.data == pytest.approx(s, rel=1e-15)
    assert d2.data == pytest.approx(s * (1 - s), rel=1e-14)
    assert d3.data == pytest.approx(s * (1 - s) * (1 - 2 * s), rel=1e-13)
    assert gradcheck(lambda v: SOFTPLUS(v), [0.3])
    assert SOFTPLUS(800.0) == 800.0


def test_a_registered_op_replays_bit_for_bit():
    w = Value(0.7)
    step = autograd.compile(lambda x: SCALED_EXP(w * x, SOFTPLUS(x)))
    for x in (0.5, -1.25):
        w.grad = 0.0
        replayed = step(x)
        fresh_w = Value(0.7)
        fresh = SCALED_EXP(fresh_w * x, SOFTPLUS(Value(x)))
        fresh.backward()
        assert (replayed, w.grad) == (fresh.data, fresh_w.grad)
    assert "_f_user_softplus(" in step.last_source and "_f_scaled_exp(" in step.last_source


def test_explain_and_draw_show_the_symbol():
    y = SOFTPLUS(Value(1.0, "x"))
    y.backward()
    assert "  sp  " in str(autograd.explain(y))
    assert 'label=sp ' in autograd.draw(y).source


@settings(max_examples=examples(30))
@given(expression_cases(ops=["mul", "tanh", SOFTPLUS, SCALED_EXP], max_steps=4))
def test_the_strategies_draw_user_ops(case):
    expression, inputs = case
    assert gradcheck(expression, inputs, atol=1e-4, rtol=1e-4)


def test_user_op_names_reach_the_strategies_and_printed_programs():
    from hypothesis import find

    e = find(expressions(ops=[SOFTPLUS]), lambda e: True)
    assert "user_softplus(" in str(e)


@pytest.mark.parametrize(("args", "error", "message"), [
    (("mul", math.exp, [lambda out, x: out]), ValueError, "built-in op"),
    (("not a name", math.exp, [lambda out, x: out]), ValueError, "identifier"),
    (("nope", 3.0, [lambda out, x: out]), TypeError, "forward must be a function"),
    (("nope", math.exp, []), TypeError, "one function per argument"),
    (("nope", math.exp, [3.0]), TypeError, "one function per argument"),
])
def test_register_op_refuses_nonsense(args, error, message):
    with pytest.raises(error, match=message):
        register_op(*args)
    assert "nope" not in OPS


# -- no silent fallback -------------------------------------------------------------

def test_an_op_without_a_rule_says_so_by_name_everywhere():
    half = Op("half_ruled", "h", lambda a, b: a * b, (lambda out, a, b: b, None))
    a, b = Value(2.0), Value(3.0)
    with pytest.raises(NotImplementedError, match="'half_ruled' has no derivative rule for "
                                                  "argument 1"):
        half(a, b)
    y = half(a, 5.0)  # the missing rule is for a folded number: never evaluated
    assert autograd.local_derivatives(y) == (5.0,)


@pytest.mark.filterwarnings("ignore::autograd.recording.ReplayWarning")  # v.data, on purpose
def test_an_op_without_a_forward_cannot_be_evaluated_or_replayed():
    x = Value(2.0)
    y = autograd.custom_op(4.0, [x], lambda out, x: (2 * x,), "square_by_hand")
    with pytest.raises(TypeError, match="'square_by_hand' has no forward function"):
        y.call.on_floats([2.0])
    with pytest.raises(TypeError, match="custom op 'square_by_hand' cannot be replayed"):
        autograd.compile(lambda v: autograd.custom_op(v.data**2, [v], lambda out, v: (2 * v,),
                                                      "square_by_hand"))(2.0)
    (d2,) = autograd.grad(autograd.grad(y, [x], create_graph=True)[0], [x])
    assert d2.data == 2.0  # its rule, run on Values


def test_a_rule_that_cannot_be_written_as_source_is_refused_at_recording():
    opaque = OPS.get("opaque_exp") or register_op(
        "opaque_exp", math.exp, [lambda out, x: math.exp(x)])  # math.* on a Symbol fails
    assert opaque(Value(0.0)).data == 1.0
    with pytest.raises(TypeError, match="rule of op 'opaque_exp' cannot be written"):
        autograd.compile(lambda x: opaque(x))(0.5)


def test_custom_op_with_a_bare_value_for_parents_names_the_mistake():
    x = Value(1.0)
    with pytest.raises(TypeError, match="parents must be a list or tuple of Values.*\\[x\\]"):
        autograd.custom_op(1.0, x, (1.0,), "mine")


# -- the package's shape -------------------------------------------------------------

def run_python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout


def test_import_autograd_loads_neither_graphviz_nor_hypothesis():
    out = run_python("import sys, autograd; print('graphviz' in sys.modules, "
                     "'hypothesis' in sys.modules, 'autograd.diagram' in sys.modules)")
    assert out.split() == ["False", "False", "False"]
    out = run_python("import sys, autograd; d = autograd.draw; print(d.__module__, "
                     "'graphviz' in sys.modules, autograd.testing.gradcheck.__name__)")
    assert out.split() == ["autograd.diagram", "True", "gradcheck"]


def test_autograd_draw_stays_the_function():
    import autograd.diagram  # noqa: F401 (importing a submodule must not rebind the name)

    assert callable(autograd.draw) and autograd.draw.__module__ == "autograd.diagram"
    with pytest.raises(ModuleNotFoundError):
        __import__("autograd.draw")


def test_the_command_line_runs_as_a_module_and_as_a_console_script(tmp_path):
    for command in ([sys.executable, "-m", "autograd"],
                    [str(sys.executable).rsplit("/", 1)[0] + "/chainrule"]):
        result = subprocess.run([*command, "x*y", "x=2", "y=3"], capture_output=True,
                                text=True, check=False)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == ["x*y = 6.0", "d/dx = 3.0", "d/dy = 2.0"]


def test_unknown_attribute_of_the_package_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        autograd.nothing_here  # noqa: B018
