"""autograd.testing: numerical_gradient, gradcheck and the expression language."""

import math
import re

import pytest
import sympy
from hypothesis import find

import autograd
from autograd import Value
from autograd.testing import GradcheckError, gradcheck, numerical_gradient
from autograd.testing.expressions import FLOAT, Expression, Step
from autograd.testing.strategies import expressions


def test_numerical_gradient_of_known_functions():
    slopes = numerical_gradient(lambda x, y: x * x * y + y.exp(), [3.0, 0.5])
    assert slopes == pytest.approx([2 * 3.0 * 0.5, 9.0 + math.exp(0.5)], rel=1e-8)


def test_numerical_gradient_builds_no_graph_and_accepts_values():
    seen = []

    def f(x):
        out = x * 2
        seen.append(out.parents)
        return out

    assert numerical_gradient(f, [Value(1.0)]) == pytest.approx([2.0])
    assert seen == [(), ()]


def test_numerical_gradient_rejects_bad_input():
    with pytest.raises(ValueError, match="h must be positive"):
        numerical_gradient(lambda x: x, [1.0], h=0)
    with pytest.raises(TypeError, match="str"):
        numerical_gradient(lambda x: x, ["1"])
    with pytest.raises(TypeError, match="must return"):
        numerical_gradient(lambda x: "nope", [1.0])


def _wrong_square(x):
    # value x^2 but a wrong local derivative 3x: exactly the bug gradcheck exists for
    return autograd.custom_op(x.data**2, (x,), lambda out, x: (3 * x,), "wrong_square")


def test_gradcheck_passes_a_correct_function():
    assert gradcheck(lambda x, y: (x * y).tanh() + x.exp() / (1 + y * y), [0.3, -1.2])


def test_gradcheck_names_the_input_and_both_numbers():
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a, b: a * 1.0 + _wrong_square(b), [1.0, Value(2.0, "b")])
    message = str(info.value)
    assert "Jacobian mismatch for output 0 with respect to input 1 (b = 2.0)" in message
    assert "backprop   6.0" in message and re.search(r"numerical  (4\.0|3\.99999999)", message)
    assert "error estimate" in message
    assert "backprop row:  [1.0, 6.0]" in message


def test_gradcheck_can_return_false_and_say_why(capsys):
    assert gradcheck(_wrong_square, [2.0], raise_exception=False) is False
    assert "input 0" in capsys.readouterr().err


def test_gradcheck_catches_nan():
    nan_grad = lambda x: autograd.custom_op(x.data, (x,), (math.nan,), "nan")  # noqa: E731
    assert gradcheck(nan_grad, [1.0], raise_exception=False) is False


def test_expression_evaluates_on_values_floats_and_sympy():
    # v0 = x0 * x1; v1 = tanh(v0) ; v2 = v1 + v0 (fan-out of v0)
    e = Expression(2, (Step("mul", (0, 1)), Step("tanh", (2,)), Step("add", (3, 2))))
    assert str(e) == "v0 = x0 * x1; v1 = tanh(v0); v2 = v1 + v0"
    expected = math.tanh(0.6) + 0.6
    assert e(Value(2.0), Value(0.3)).data == pytest.approx(expected)
    assert e(2.0, 0.3, backend=FLOAT) == pytest.approx(expected)
    x0, x1 = sympy.symbols("x0 x1")
    assert sympy.simplify(e.to_sympy([x0, x1]) - (sympy.tanh(x0 * x1) + x0 * x1)) == 0


def test_expression_trace_reports_magnitude_and_relu_kink():
    e = Expression(1, (Step("relu", (0,)), Step("mul", (1, 100.0))))
    assert e.trace(0.25) == (25.0, 0.25)
    assert e.trace(-0.001) == (0.001, 0.001)
    overflow = Expression(1, (Step("exp", (0,)), Step("exp", (1,)), Step("exp", (2,))))
    assert e.trace(1e-9)[1] == 1e-9 and overflow.trace(2.0)[0] == math.inf
    tie = Expression(2, (Step("maximum", (0, 1)),))
    assert tie.trace(1.0, 1.25)[1] == 0.25  # a tie of maximum is a kink too


def test_expression_rejects_bad_graphs():
    with pytest.raises(ValueError, match="unknown op"):
        Expression(1, (Step("no_such_op", (0,)),))
    with pytest.raises(ValueError, match="earlier nodes"):
        Expression(1, (Step("neg", (1,)),))
    with pytest.raises(ValueError, match="earlier nodes"):
        Expression(1, (Step("mul", (2.0, 3.0)),))  # numbers only: no node
    with pytest.raises(ValueError, match="takes"):
        Expression(1, (Step("add", (0,)),))
    with pytest.raises(ValueError, match="dot takes"):
        Expression(2, (Step("dot", (0, 1)),))
    with pytest.raises(ValueError, match="inputs expected"):
        Expression(2, (Step("add", (0, 1)),))(1.0)
    with pytest.raises(ValueError, match="unknown op"):
        find(expressions(ops=["add", "no_such_op"]), lambda e: True)


def test_a_failing_example_prints_as_a_readable_program():
    e = Expression(2, (Step("mul", (0, 1)), Step("log", (2,)), Step("dot", (2, 3, 1, 0, 0.5))))
    assert repr(e) == ("<expression of x0, x1:\n    v0 = x0 * x1\n    v1 = log(v0**2 + 1)\n"
                       "    v2 = dot([v0, v1], [x1, x0], 0.5)\n>")


def test_autograd_testing_loads_lazily_and_names_the_extra_when_hypothesis_is_missing():
    import subprocess
    import sys

    code = ("import sys, autograd; print(autograd.testing.gradcheck.__name__); "
            "sys.modules['hypothesis'] = None\n"
            "try:\n    import autograd.testing.strategies\n"
            "except ImportError as e:\n    print(e)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0] == "gradcheck"
    assert "needs hypothesis: pip install 'chainrule[test]'" in out[1]


def test_hypothesis_prints_a_failing_case_as_the_program():
    from hypothesis.vendor.pretty import pretty

    e = Expression(1, (Step("exp", (0,)),))
    assert pretty((e, [0.0])) == "(<expression of x0:\n    v0 = exp(x0)\n>, [0.0])"
