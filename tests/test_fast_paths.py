"""The operators' fast paths in ``autograd.value`` give what ``apply`` gives, and refuse alike.

``x + 2``, ``x * y``, ``x ** 3`` ... skip ``apply`` for speed, so each one repeats its checks
(a number or a Value; .data a real number) and its folding (``Folded`` layouts, shared local
derivatives). These tests hold each fast path to the general path, bit for bit, and to its
error messages word for word, on both sides of the operator.
"""

import copy
import math
import pickle
import re
import struct
import sys
import warnings
from fractions import Fraction

import numpy as np
import pytest

import autograd
from autograd import Value, ops, value
from autograd.value import apply

BINARY = [  # (operator, the table's op, its name in messages)
    (lambda a, b: a + b, ops.ADD, "add"), (lambda a, b: a - b, ops.SUB, "sub"),
    (lambda a, b: a * b, ops.MUL, "mul"), (lambda a, b: a / b, ops.DIV, "div"),
    (lambda a, b: a ** b, ops.POW, "pow"),
]
NOT_NUMBERS = ["a", None, [1.0], 1j]
REAL_NUMBERS = [3, True, Fraction(1, 2), np.float64(1.5), np.int64(2)]


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


@pytest.mark.parametrize(("operate", "op", "name"), BINARY)
@pytest.mark.parametrize("bad", NOT_NUMBERS, ids=repr)
def test_a_bad_operand_on_either_side_is_refused_by_the_op_s_name(operate, op, name, bad):
    x = Value(2.0, "x")
    pattern = rf"^{name}: expected a real number or a Value, got {type(bad).__name__}"
    with pytest.raises(TypeError, match=pattern):
        operate(x, bad)
    with pytest.raises(TypeError, match=pattern):
        operate(bad, x)


@pytest.mark.parametrize("bad", NOT_NUMBERS, ids=repr)
def test_apply_refuses_a_bad_number_by_the_op_s_name(bad):
    with pytest.raises(TypeError, match=r"^maximum: expected a real number or a Value, got "):
        apply(ops.MAXIMUM, (Value(1.0), bad))


@pytest.mark.parametrize(("operate", "op", "name"), BINARY)
@pytest.mark.parametrize("k", REAL_NUMBERS, ids=repr)
@pytest.mark.parametrize("k_first", [False, True], ids=["x_op_k", "k_op_x"])
def test_every_kind_of_real_number_folds_as_a_float(operate, op, name, k, k_first):
    x = Value(1.25, "x")
    y = operate(k, x) if k_first else operate(x, k)
    layout = (float(k), None) if k_first else (None, float(k))
    assert type(y.call) is ops.Folded and y.call.layout == layout
    assert all(type(n) is float for n in y.call.layout if n is not None)
    twin = Value(1.25)
    general = apply(op, (float(k), twin) if k_first else (twin, float(k)))
    assert bits(y.data) == bits(general.data)
    assert [bits(d) for d in y.local_derivatives] == [bits(d) for d in general.local_derivatives]
    y.backward()
    general.backward()
    assert bits(x.grad) == bits(twin.grad)


@pytest.mark.parametrize(("operate", "name"), [
    (lambda a, b: a - b, "sub"), (lambda a, b: a * b, "mul"), (lambda a, b: a / b, "div"),
    (lambda a, b: a + b, "add")])
def test_the_culprit_is_named_when_it_is_the_second_operand(operate, name):
    x, y = Value(2.0, "x"), Value(3.0, "y")
    y.data = "a"
    with pytest.raises(TypeError, match=rf"^{name}: a Value \(name='y'\) has .data = 'a', a str"):
        operate(x, y)
    with pytest.raises(TypeError, match=rf"^{name}: a Value \(name='y'\) has .data = 'a', a str"):
        operate(y, 2.0)


def test_nodes_that_fold_the_same_number_share_one_fold_and_zeros_keep_their_sign():
    x, y = Value(1.0), Value(2.0)
    assert (x + 2.5).call is (y + 2.5).call
    assert (x * 2.5).local_derivatives is (y * 2.5).local_derivatives
    positive, negative = x * 0.0, x * -0.0
    assert bits(positive.call.layout[1]) == bits(0.0)
    assert bits(negative.call.layout[1]) == bits(-0.0)
    assert bits(negative.local_derivatives[0]) == bits(-0.0)
    assert bits((x + math.nan).data) != bits(1.0) and (x + math.nan).call is not (
        y + math.nan).call  # NaN != NaN: never a key


def test_the_shared_folds_are_capped_at_4096(monkeypatch):
    monkeypatch.setattr(value, "_shared_folds", {})
    x = Value(1.0)
    for k in range(1, 5001):
        x + float(k)
    assert len(value._shared_folds) == 4096
    assert (x + 4500.0).call is not (x + 4500.0).call  # past the cap: made fresh, still right
    assert (x + 4500.0).data == 4501.0


def test_a_value_exponent_needs_a_positive_base_and_says_why():
    with pytest.raises(ValueError) as refused:
        Value(0.0) ** Value(2.0)
    assert str(refused.value) == ("power: 0.0 ** Value needs a positive base, because "
                                  "d/dy x**y = x**y * log(x)")
    with pytest.raises(ValueError) as refused:
        0 ** Value(2.0)
    assert str(refused.value) == ("power: 0.0 ** Value needs a positive base, because "
                                  "d/dx c**x = c**x * log(c)")
    y = Value(2.0) ** Value(3.0)
    assert y.op == "pow" and y.data == 8.0


def test_a_plain_number_inside_a_rule_is_refused_with_the_whole_reason():
    bad = autograd.register_op("fast_paths_float_rule", lambda x: x * x,
                               [lambda out, x: 2 * float(x)])
    x = Value(1.5)
    with pytest.raises(TypeError) as refused:
        autograd.grad(bad(x), x, create_graph=True)
    assert str(refused.value).endswith(
        "into a plain number with float() (math.exp(x), say), which would cut the graph; "
        "write rules with autograd.exp, log, sigmoid, ...")


@pytest.mark.parametrize("read", [float, int, round], ids=["float", "int", "round"])
def test_a_plain_number_while_recording_warns_at_the_user_s_line(read):
    def step(x):
        y = x * 2.0
        read(y)  # the line the warning must point at
        return y

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        autograd.compile(step)(1.0)
    said = [w for w in caught if issubclass(w.category, autograd.ReplayWarning)]
    assert [(w.filename, w.lineno) for w in said] == [
        (__file__, step.__code__.co_firstlineno + 2)]


def test_detach_and_pickle_keep_the_name():
    x = Value(2.0, "사과")
    assert x.detach().name == "사과" and (x * 3).detach().name is None
    x.grad = 1.5
    back = pickle.loads(pickle.dumps(x))
    assert (back.data, back.grad, back.name) == (2.0, 1.5, "사과")


def test_pickling_a_graph_is_refused_with_what_to_do_instead():
    with pytest.raises(TypeError) as refused:
        pickle.dumps(Value(2.0) * 3)
    assert str(refused.value) == (
        "pickle: this Value is the result of mul, with a graph of nodes behind it, which is "
        "not pickled; pickle v.data or v.detach() (a leaf), or a model or its state_dict(); "
        "copy.deepcopy(v) copies a graph")


def test_deepcopy_copies_a_shared_node_once():
    x = Value(2.0, "x")
    shared = x * 3
    y = shared * shared + x
    twin = copy.deepcopy(y)
    product, leaf = twin.parents
    assert product.parents[0] is product.parents[1]  # one twin of the shared node
    assert product.parents[0] is not shared and leaf is not x and leaf.name == "x"
    assert product.parents[0].parents[0] is leaf  # and one twin of x, reached twice
    twin.backward()
    y.backward()
    assert leaf.grad == x.grad == 2 * 6.0 * 3 + 1


def test_a_helper_without_a_value_form_gives_numbers_on_a_mix():
    assert autograd.ops.sign(Value(-2.0)) == -1.0
    assert type(autograd.ops.sign(Value(3.0))) is float


def test_apply_names_the_culprit_rather_than_python_s_error():
    x = Value(1.0, "x")
    x.data = "a"
    with pytest.raises(TypeError, match=r"^maximum: a Value \(name='x'\) has .data = 'a'"):
        apply(ops.MAXIMUM, (x, 2.0))
    with pytest.raises(TypeError, match=r"^exp: a Value \(name='x'\) has .data = 'a'"):
        apply(ops.EXP, (x,))


def test_custom_op_s_plain_call_needs_no_old_keyword():
    x = Value(2.0, "x")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no DeprecationWarning on the new spelling
        y = autograd.custom_op(4.0, [x], (4.0,), "square")
    assert (y.op, y.data, y.local_derivatives) == ("square", 4.0, (4.0,))
    with pytest.raises(TypeError, match=re.escape("custom_op: local_derivatives is missing")):
        autograd.custom_op(4.0, [x])


def test_a_power_shares_its_fold_but_computes_its_slope_per_node(monkeypatch):
    monkeypatch.setattr(value, "_shared_folds", {})
    a, b = Value(2.0) ** 3, Value(5.0) ** 3
    assert a.call is b.call  # one Folded(pow, (None, 3.0)) ...
    assert value._shared_folds[(ops.POW, None, 3.0)][1] is None  # ... and no shared slope
    assert (a.local_derivatives, b.local_derivatives) == ((12.0,), (75.0,))


def test_relu_s_constant_slopes_are_shared_by_every_node():
    """The slopes 1 and 0 are tuples read from the table once (memory: a network makes a
    relu node per neuron per sample), on both sides of 0 and at 0 itself."""
    ones = [Value(x).relu().local_derivatives for x in (0.25, 0.5, 1.0, 3.0)]
    zeros = [Value(x).relu().local_derivatives for x in (-2.0, -0.5, 0.0)]
    assert all(t is ones[0] for t in ones) and ones[0] == (1.0,)
    assert all(t is zeros[0] for t in zeros) and zeros[0] == (0.0,)


def test_leaky_relu_s_default_slope_is_a_hundredth():
    y = Value(-2.0).leaky_relu()
    assert (y.data, y.local_derivatives[0]) == (-0.02, 0.01)


def test_deepcopy_of_values_that_share_a_graph_keeps_them_sharing_it():
    x = Value(2.0, "x")
    y = x * 3
    z = y * 2
    y_copy, z_copy = copy.deepcopy([y, z])
    assert z_copy.parents[0] is y_copy and y_copy.parents[0] is not x


def test_custom_op_refuses_parents_that_are_not_a_list_or_tuple():
    x = Value(2.0, "x")
    with pytest.raises(TypeError, match=r"^custom_op 'square': parents must be a list or "
                                        r"tuple of Values, got set; for one parent write \[x\]$"):
        autograd.custom_op(4.0, {x}, (4.0,), "square")


def test_custom_op_s_old_keywords_warn_at_the_caller_s_line():
    x = Value(2.0, "x")
    # mutmut wraps each function it mutates (functools.wraps, so __wrapped__): one frame
    # more between the caller and custom_op, whose caller is then the wrapper
    wrapper = getattr(autograd.custom_op, "__wrapped__", None) and autograd.custom_op
    for keyword in ({"local_grads": (4.0,)}, {"local_derivatives": (4.0,), "label": "sq"}):
        with pytest.warns(DeprecationWarning) as said:
            line = sys._getframe().f_lineno + 1
            y = autograd.custom_op(4.0, [x], **keyword)
        if wrapper:
            assert [w.filename for w in said] == [wrapper.__code__.co_filename]
        else:
            assert [(w.filename, w.lineno) for w in said] == [(__file__, line)]
        assert y.local_derivatives == (4.0,)


def test_custom_op_without_its_derivatives_says_what_they_are():
    with pytest.raises(TypeError) as refused:
        autograd.custom_op(4.0, [Value(2.0)])
    assert str(refused.value) == (
        "custom_op: local_derivatives is missing: a tuple with one number per parent, or a "
        "function local(out, *inputs) returning one")


def test_a_helper_without_a_rule_for_values_reads_their_numbers():
    # sign has no on_values: a Value's number goes in, so NaN stays NaN (a Value itself
    # would equal itself, and its comparisons give a sign of 0)
    from autograd import ops

    assert math.isnan(ops.sign(Value(math.nan)))
    assert ops.sign(Value(-2.0)) == -1.0 and ops.sign(Value(0.0)) == 0.0


def test_the_fast_paths_are_written_from_the_table_and_show_in_tracebacks():
    import linecache
    import traceback

    from autograd import fastpaths, ops

    text = fastpaths.source()
    for op in ops.BUILTINS:  # every entry that asks for a fast path has one, and no other
        for form in op.fast:
            assert f"def {fastpaths.method_names(op)[form]}(self" in text, (op, form)
    assert "local = (1.0 - out * out,)" in text  # tanh's rule, 1 - tanh², from the table
    assert Value.tanh.__doc__.startswith(ops.TANH.__doc__)
    x = Value(1.0)
    x.data = [1]
    with pytest.raises(TypeError) as info:
        x.tanh()
    linecache.clearcache()  # as other tools do: the lines come back all the same
    shown = traceback.format_tb(info.tb)[-1]
    assert f'"{fastpaths.FILENAME}"' in shown and "raise _not_a_number('tanh', self)" in shown
