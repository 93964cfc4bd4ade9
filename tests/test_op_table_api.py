"""The op table's pieces, one by one: entries, folding, the helpers on three kinds of
number, the forward functions' edges, registration, Symbols and the n-ary functions."""

import math
from fractions import Fraction

import numpy as np
import pytest

import autograd
from autograd import Value, ops
from autograd.backprop import local_derivatives, nodes_up_to, running_gradients
from autograd.ops import (
    DOT,
    LOGSUMEXP,
    MUL,
    OPS,
    SUB,
    SUM,
    Folded,
    Op,
    arguments,
    entry,
    power_slope,
    real,
    register_op,
    select,
    sign,
    total,
)
from autograd.symbolic import Symbol, calls_recorded, function_name, source

# -- entries ------------------------------------------------------------------------

def test_entries_describe_themselves():
    assert repr(MUL) == "<op mul>" and repr(select) == "<primitive select>"
    assert repr(Folded(MUL, (None, 3.0))) == "Folded(mul, (None, 3.0))"
    assert (MUL.name, MUL.symbol, MUL.arity, MUL.notation, MUL.domains) == (
        "mul", "×", 2, "infix", ("real", "real"))
    assert ops.DIV.domains == ("real", "nonzero") and ops.LOG.domains == ("positive",)
    assert SUM.arity is None and SUM.domains == ("real",) and SUM.notation == "nary"
    assert "d/dx = y" in MUL.__doc__ and ops.ABS.__doc__.count("abs'(0) = 0") == 1
    assert OPS["mul"] is MUL and len({op.name for op in ops.BUILTINS}) == len(ops.BUILTINS)


def test_arity_and_missing_forward_are_named():
    with pytest.raises(TypeError, match=r"^mul: takes 2 arguments, got 1$"):
        MUL(1.0)
    with pytest.raises(TypeError, match=r"^mul: takes 2 arguments, got 3$"):
        MUL.on_floats([1.0, 2.0, 3.0])
    assert MUL.on_floats([2.0, 3.0]) == 6.0 and SUM.on_floats([1.0, 2.0, 3.5]) == 6.5
    blind = Op("blind", "b", None, (lambda out, x: 1.0,))
    with pytest.raises(TypeError, match="op 'blind' has no forward function"):
        blind.on_floats([1.0])
    with pytest.raises(NotImplementedError, match="'blind' has no derivative rule for "
                                                  "argument 1"):
        blind.derivative(1, 0.0, [1.0, 2.0])


def test_entry_and_arguments_put_folded_numbers_back_in_place():
    x, y = Value(1.0), Value(2.0)
    assert entry(MUL) is MUL and entry(Folded(SUB, (2.0, None))) is SUB
    assert arguments(MUL, [x, y]) == [x, y]
    assert arguments(Folded(SUB, (2.0, None)), [x]) == [2.0, x]
    assert arguments(Folded(DOT, (None, 3.0, None)), [x, y]) == [x, 3.0, y]
    assert (2 - x).call.layout == (2.0, None) and (x - 2).call.layout == (None, 2.0)


def test_the_dot_rule_swaps_the_halves_and_gives_the_bias_one():
    args = ["w1", "w2", "x1", "x2", "b"]
    assert [DOT.derivative(i, None, args) for i in range(5)] == ["x1", "x2", "w1", "w2", 1.0]
    assert DOT.on_floats([1.0, 2.0, 3.0, 4.0, 0.5]) == 11.5
    assert DOT.sympy(None, 1.0, 2.0, 3.0, 4.0, 0.5) == 11.5
    assert LOGSUMEXP.derivative(1, math.log(2.0), [0.0, 0.0]) == 0.5


# -- the helpers, on floats, Values and Symbols -----------------------------------

def test_helpers_on_floats():
    assert (select(1.0, 2.0, 3.0), select(-1.0, 2.0, 3.0), select(0.0, 2.0, 3.0)) == (2, 3, 3)
    assert (sign(-2.0), sign(0.0), sign(3.0)) == (-1.0, 0.0, 1.0) and type(sign(2)) is float
    assert power_slope(2.0, 3.0) == 12.0 and power_slope(4.0, 0.5) == 0.25
    assert power_slope(0.0, 0.5) == math.inf and power_slope(0.0, -1.0) == -math.inf
    assert power_slope(0.0, 0.0) == 0.0
    assert total(1.0, 2.0, 0.5) == 3.5 and total() == 0.0 and type(total(1, 2)) is float


def test_helpers_on_values_keep_the_graph_where_it_matters():
    a, b = Value(2.0), Value(3.0)
    assert select(Value(1.0), a, b) is a and select(Value(-1.0), a, b) is b
    assert sign(Value(-2.0)) == -1.0  # piecewise constant: a plain number
    slope = power_slope(a, 3.0)
    assert isinstance(slope, Value) and slope.data == 12.0
    (d,) = autograd.grad(slope, [a])
    assert d.data == 12.0  # d/dx 3x^2 = 6x at 2
    summed = total(a, b)
    assert summed.op == "sum" and summed.data == 5.0


def test_helpers_and_ops_on_symbols_write_source():
    a, b = Symbol("a"), Symbol("b")
    chosen = select(a, 1.0, 0.0)
    assert (chosen.text, chosen.finite) == ("(1.0 if a > 0 else 0.0 if a <= 0 else nan)", True)
    assert select(a, Symbol("q", finite=False), 0.0).finite is False
    assert (sign(a).text, sign(a).finite) == ("_sign(a)", True)
    assert (power_slope(a, 0.5).text, power_slope(a, 0.5).finite) == ("_slope(a, 0.5)", False)
    assert (total(a, b).text, total(a, b).finite) == ("_sum((a, b,))", False)
    assert MUL(a, 2.0).text == "(a * 2.0)"
    assert ops.RELU(a).text == "(a if a > 0 else 0.0 if a <= 0 else nan)"
    with calls_recorded() as called:
        assert ops.EXP(a).text == "_f_exp(a)" and ops.EXP(a).finite is False
    assert list(called) == [ops.EXP] and function_name(ops.EXP) == "_f_exp"
    with pytest.raises(TypeError, match="custom op 'blind' cannot be replayed"):
        Op("blind", "b", None, (lambda out, x: 1.0,))(a)
    with pytest.raises(TypeError, match="cannot write"):
        Symbol._interpret(print, (a,))


def test_symbol_arithmetic_and_finiteness():
    a, b = Symbol("a"), Symbol("b")
    assert [(e.text, e.finite) for e in (a + b, 1 + a, a - 2, 3 - a, a * b, 2 * a, -a)] == [
        ("(a + b)", True), ("(1.0 + a)", True), ("(a - 2.0)", True), ("(3.0 - a)", True),
        ("(a * b)", True), ("(2.0 * a)", True), ("(-a)", True)]
    assert [(e.text, e.finite) for e in (a / b, 1 / a, a**2, 2**a)] == [
        ("(a / b)", False), ("(1.0 / a)", False), ("(a ** 2.0)", False), ("(2.0 ** a)", False)]
    assert (a + math.inf).finite is False and (a * math.nan).finite is False
    assert repr(a) == "Symbol('a')" and source(3) == "3.0" and source(a) == "a"
    with pytest.raises(TypeError, match="Symbols and numbers, got str"):
        source("x")


# -- forward functions at their edges ----------------------------------------------

def test_real_accepts_every_real_and_names_what_it_refuses():
    assert [real("op", v) for v in (2, True, Fraction(1, 4), np.float32(0.5), 1.5)] == [
        2.0, 1.0, 0.25, 0.5, 1.5]
    assert all(type(real("op", v)) is float for v in (2, Fraction(1, 4), np.int64(3)))
    with pytest.raises(TypeError, match=r"^mul: expected a real number or a Value, got str 'x'"):
        real("mul", "x")


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: Value(1.0) / 0.0, ZeroDivisionError, r"^div\(1.0, 0.0\): division by zero$"),
    (lambda: 2 / Value(0.0), ZeroDivisionError, r"^div\(2.0, 0.0\): division by zero$"),
    (lambda: Value(0.0) ** -1, ZeroDivisionError, r"^power: 0.0 \*\* -1.0 divides by zero$"),
    (lambda: ops._power(-8.0, 0.5), ValueError, r"-8.0 \*\* 0.5 is not a real number"),
    (lambda: ops._power(0.0, -1.0), ZeroDivisionError, r"0.0 \*\* -1.0 divides by zero"),
    (lambda: ops._log(0.0), ValueError, r"log\(0.0\): log is only defined for x > 0"),
    (lambda: ops._sqrt(-1.0), ValueError, r"sqrt\(-1.0\): sqrt is only defined for x >= 0"),
    (lambda: ops._logsumexp(), ValueError, "logsumexp: needs at least one term"),
])
def test_forward_functions_name_the_op_and_the_value(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_forward_functions_at_their_edges():
    assert ops._power(-2.0, 3.0) == -8.0 and ops._sqrt(0.0) == 0.0
    assert (ops._sigmoid(1000.0), ops._sigmoid(-1000.0), ops._sigmoid(0.0)) == (1.0, 0.0, 0.5)
    assert ops._sigmoid(-2.0) == pytest.approx(1 / (1 + math.exp(2.0)), rel=1e-15)
    assert (ops._softplus(800.0), ops._softplus(-800.0)) == (800.0, 0.0)
    assert ops._softplus(0.0) == math.log(2.0)
    assert (ops._leaky_relu(2.0, 0.1), ops._leaky_relu(-2.0, 0.1), ops._leaky_relu(0.0, 0.1)) \
        == (2.0, -0.2, 0.0)
    assert (ops._maximum(1.0, 2.0), ops._maximum(2.0, 1.0), ops._minimum(1.0, 2.0),
            ops._minimum(2.0, 1.0)) == (2.0, 2.0, 1.0, 1.0)
    assert ops._logsumexp(0.0, 0.0) == math.log(2.0) and ops._logsumexp(5.0) == 5.0
    assert ops._logsumexp(-math.inf, 1.0) == 1.0


# -- registration -------------------------------------------------------------------

def test_register_op_makes_a_full_entry_and_a_second_registration_replaces_it():
    def cube(x):
        """x^3."""
        return x**3

    first = register_op("table_api_cube", cube, [lambda out, x: 3 * x * x],
                        kink=None, sympy=lambda sp, x: x**3)
    assert (first.name, first.symbol, first.arity, first.domains, first.notation) == (
        "table_api_cube", "table_api_cube", 1, ("real",), "function")
    assert first.__doc__ == "x^3." and OPS["table_api_cube"] is first
    assert first(2.0) == 8.0 and first(Value(2.0)).data == 8.0
    second = register_op("table_api_cube", cube, lambda out, x: 3 * x * x,  # one rule, bare
                         symbol="³", domains="positive", doc="cubed")
    assert OPS["table_api_cube"] is second is not first
    assert (second.symbol, second.domains, second.__doc__) == ("³", ("positive",), "cubed")
    with pytest.raises(ValueError, match="unknown domain 'complex'"):
        register_op("table_api_bad", cube, [lambda out, x: 1.0], domains="complex")
    with pytest.raises(ValueError, match="unknown domain 'sometimes'"):
        register_op("table_api_bad", cube, [lambda out, x: 1.0], domains=["sometimes"])
    assert "table_api_bad" not in OPS


# -- the n-ary functions ------------------------------------------------------------

def test_dots_checks_its_rows_and_takes_any_mix():
    x = [Value(1.0), Value(2.0)]
    with pytest.raises(ValueError, match="2 weight rows but 1 biases"):
        autograd.dots([[1.0, 2.0], [3.0, 4.0]], x, [0.0])
    with pytest.raises(ValueError, match="dot: 3 weights but 2 inputs"):
        autograd.dots([[Value(1.0)] * 3], x, [0.0])
    with pytest.raises(ValueError, match="dot: 1 weights but 2 inputs"):
        autograd.dots([[Value(1.0)]], [1.0, 2.0], [Value(0.0)])
    with pytest.raises(ValueError, match="dot: 2 weights but 1 inputs"):
        autograd.dot([1.0, Value(2.0)], [Value(1.0)])
    rows = autograd.dots([[Value(1.0), 2.0], [np.float64(3.0), Value(1.0)]], x,
                         [0.5, Value(1.0)])
    assert [r.data for r in rows] == [5.5, 6.0]
    w = [Value(1.0), Value(2.0)]
    first = autograd.dots([w], [3.0, 4.0], [0.0])[0]
    assert first.parents == tuple(w) and first.call.layout == (None, None, 3.0, 4.0, 0.0)
    assert first.data == 11.0 and first.local_derivatives == (3.0, 4.0)


def test_sum_and_logsumexp_fold_numbers():
    a = Value(1.0)
    s = autograd.sum([a, 2, a])
    assert s.data == 4.0 and s.parents == (a, a) and s.call.layout == (None, 2.0, None)
    assert autograd.sum([]).data == 0.0
    z = autograd.logsumexp([a, 0.0])
    assert z.parents == (a,) and z.data == pytest.approx(math.log(math.e + 1), rel=1e-15)
    assert z.call.layout == (None, 0.0)
    with pytest.raises(ValueError, match="needs at least one term"):
        autograd.logsumexp([])


# -- backprop's smaller pieces ---------------------------------------------------------

def test_nodes_up_to_stops_just_past_the_limit_and_running_gradients_are_snapshots():
    x = Value(1.0)
    y = x
    for _ in range(50):
        y = y * 1.5
    assert len(nodes_up_to(y, 10)) == 11 and len(nodes_up_to(y, 1000)) == 51
    steps = list(autograd.backward_steps(y))
    totals = [dict(grads) for _, grads in running_gradients(y, steps)]
    assert totals[0] == {y: 1.0, y.parents[0]: 1.5} and totals[-1][x] == 1.5**50
    assert local_derivatives(x, as_values=True) == () and local_derivatives(y) == (1.5,)
    (g,) = autograd.grad(y, [y])
    assert g.data == 1.0


def test_a_helper_of_ones_own_runs_on_all_three_kinds_of_number():
    clamp = ops.Primitive("clamp", lambda x: min(max(x, -1.0), 1.0), "_clamp({0})",
                          doc="x limited to [-1, 1]")
    assert (clamp.name, clamp.source, clamp.__doc__, clamp.on_values) == (
        "clamp", "_clamp({0})", "x limited to [-1, 1]", None)
    assert clamp(3.0) == 1.0 and clamp(Value(-5.0)) == -1.0  # a number, even for a Value
    assert clamp(Symbol("a")).text == "_clamp(a)"
    twice = ops.Primitive("twice", lambda x: 2 * x, "(2 * {0})", on_values=lambda x: x * 2)
    assert isinstance(twice(Value(1.5)), Value) and twice(Value(1.5)).data == 3.0


@pytest.mark.parametrize("op", [op for op in ops.BUILTINS if op.python is not None],
                         ids=lambda op: op.name)
def test_an_op_python_spells_as_an_operator_applies_it_through_python(op):
    x, y = Value(2.0), Value(0.5)
    args = (x, y) if op.notation == "infix" else (x,)
    node = op.python_operator(*args)
    assert node.op == op.name and node.data == op.on_floats([a.data for a in args])


def test_python_spellings_are_python_s_own_and_a_wrong_one_is_refused():
    spelled = {op.name: (op.notation, op.python) for op in ops.BUILTINS if op.python}
    assert spelled == {"add": ("infix", "+"), "sub": ("infix", "-"), "mul": ("infix", "*"),
                       "div": ("infix", "/"), "pow": ("infix", "**"), "neg": ("prefix", "-")}
    assert all(op.python_operator is None for op in ops.BUILTINS if op.python is None)
    with pytest.raises(ValueError, match=r"^op 'mod': python='%' is not a Python operator "
                                         r"for notation 'infix'; known: '\+' \(infix\)"):
        Op("mod", "%", lambda x, y: x % y, (lambda out, x, y: 1.0, None), notation="infix",
           python="%")
    with pytest.raises(ValueError, match=r"python='\*\*' is not a Python operator for "
                                         r"notation 'prefix'"):
        Op("twice", "²", lambda x: x * x, (lambda out, x: 2 * x,), notation="prefix",
           python="**")


def test_every_helper_is_listed_and_its_source_calls_only_what_it_names():
    import re
    import sys

    compile_module = sys.modules["autograd.compile"]  # autograd.compile is the function
    found = [v for v in vars(ops).values() if type(v) is ops.Primitive]
    assert sorted(h.name for h in found) == sorted(h.name for h in ops.PRIMITIVES)
    for helper in ops.PRIMITIVES:
        called = set(re.findall(r"\b(_\w+)\(", helper.source)) | (
            {"nan"} if re.search(r"\bnan\b", helper.source) else set())
        assert called == set(helper.calls), helper.name
        for name, function in helper.calls.items():
            assert compile_module._GLOBALS[name] is function
    assert sign.finite_from == () and select.finite_from == (1, 2)
    assert total.finite_from is None and power_slope.finite_from is None


def test_a_replay_knows_a_helper_s_finiteness_from_the_table():
    from autograd.symbolic import Symbol

    finite, infinite = Symbol("a"), Symbol("b", finite=False)
    assert select(finite, finite, finite).finite and not select(finite, infinite, finite).finite
    assert select(infinite, finite, finite).finite  # the condition is not a value it gives
    assert sign(infinite).finite
    assert not total(finite, finite).finite and not power_slope(finite, finite).finite


def test_a_fast_form_the_table_does_not_know_and_a_rule_that_reads_other_terms_are_refused():
    from autograd.fastpaths import per_term

    with pytest.raises(ValueError, match=r"op 'twice': unknown fast forms \['quick'\]"):
        ops.Op("twice", "2x", lambda x: 2 * x, (lambda out, x: 2.0,), fast=("method", "quick"))
    with pytest.raises(ValueError, match="op 'dot': its rule for a term reads other terms"):
        per_term(ops.DOT)
    softmax = per_term(ops.LOGSUMEXP)
    z = [0.5, -1.0, 2.0]
    out = ops.LOGSUMEXP.on_floats(z)
    assert softmax(out, z) == tuple(ops.LOGSUMEXP.derivative(i, out, z) for i in range(3))
