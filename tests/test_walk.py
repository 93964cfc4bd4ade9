"""The one backward walker (autograd.walk) and the node protocol (autograd.node).

backward() keeps a fast loop of its own: here it must give the walker's numbers
bit for bit, on random graphs, at random points (NaN and inf included). And a
node chainrule did not build, one that has only the protocol's attributes, is
walked, explained, drawn and searched for paths like a Value.
"""

from __future__ import annotations

import math
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.node import check_node, is_node
from autograd.testing.strategies import expressions
from autograd.walk import Walk


def _bits(x: float) -> bytes:
    """The float's bytes, so -0.0 and 0.0 differ; every NaN is one NaN.

    IEEE 754 leaves a NaN's sign and payload to the hardware: x86 keeps one
    operand's NaN when both are NaN, and CPython's specialised float add may
    swap the operands, so nan(+) + nan(-) can come out either way in one run.
    """
    return b"nan" if x != x else struct.pack("<d", x)


points = st.lists(st.one_of(st.floats(-3, 3), st.sampled_from([0.0, -0.0, math.inf,
                                                                -math.inf, math.nan])),
                  min_size=3, max_size=3)


@given(expressions(n_inputs=3, max_steps=8), points)
def test_backward_gives_the_walkers_numbers_bit_for_bit(expression, point):
    xs = [Value(x) for x in point]
    try:
        y = expression(*xs)
    except (ValueError, ZeroDivisionError, OverflowError):
        return  # outside an op's domain: no graph to compare
    walked = Walk(y).run()
    y.backward()
    for node in autograd.topological_order(y):
        if node is not y:
            assert _bits(node.grad) == _bits(walked.get(node, 0.0)), node


def test_two_nans_meeting_at_one_node_are_nan_in_both():
    # Found by CI: exp(inf) gets a NaN share from sin (0 x nan) and one from the
    # square; which NaN's sign survives the sum is the hardware's choice.
    x = Value(math.inf)
    e = x.exp()
    y = e.sin() / (e**2 + 1)
    walked = Walk(y).run()
    y.backward()
    assert math.isnan(x.grad) and math.isnan(walked[x])
    assert _bits(x.grad) == _bits(walked[x]) == b"nan"


def test_grad_and_explain_read_the_walk():
    a, b = Value(3.0, "a"), Value(-2.0, "b")
    y = a * b + a * a  # a is used three times
    walk = autograd.backward_steps(y)
    assert isinstance(walk, Walk)
    steps = list(walk)
    assert [s.node.op for s in steps] == ["add", "mul", "mul"]
    assert walk.gradients[a] == -2.0 + 6.0 and walk.gradients[b] == 3.0
    assert [g.data for g in autograd.grad(y, [a, b])] == [4.0, 3.0]
    assert dict(autograd.explain(y).gradients) == {"a": 4.0, "b": 3.0}


def test_running_gradients_take_a_fresh_walk_or_recorded_steps_alike():
    x = Value(2.0, "x")
    y = (x * x).tanh() * x
    fresh = [dict(g) for _, g in autograd.running_gradients(y, autograd.backward_steps(y))]
    kept = [dict(g) for _, g in autograd.running_gradients(y, list(autograd.backward_steps(y)))]
    assert fresh == kept and fresh[-1][x] == autograd.grad(y, x).data


class Foreign:
    """A node of another engine: only the protocol's attributes, no Value anywhere."""

    count = 0

    def __init__(self, data, parents=(), local=(), op="", name=None):
        self.data, self.grad, self.name = data, 0.0, name
        self.parents, self.local_derivatives, self.op = tuple(parents), tuple(local), op
        self.call = None  # chainrule's table does not know these ops
        Foreign.count += 1
        self.index = Foreign.count


def _foreign_price():
    apple, n, tax = Foreign(100.0, name="사과"), Foreign(2.0, name="n"), Foreign(1.1, name="tax")
    total = Foreign(200.0, (apple, n), (2.0, 100.0), "*")
    price = Foreign(total.data * tax.data, (total, tax), (1.1, 200.0), "*", "price")
    return apple, n, tax, price


def test_a_foreign_node_is_walked_explained_and_searched_like_a_value():
    apple, n, tax, price = _foreign_price()
    assert is_node(price) and not is_node(3.0)
    gradients = Walk(price).run()
    # the seeds' numbers: the book's apple shop, on a graph chainrule did not build
    assert (gradients[apple], gradients[n], gradients[tax]) == (2.2, 110.00000000000001, 200.0)
    table = str(autograd.explain(price))
    assert "price" in table and "사과 = 2.2" in table and "*" in table
    assert autograd.paths(price, apple).total == 2.2


def test_a_foreign_node_that_lacks_part_of_the_protocol_is_told_what():
    class Half:
        data, grad = 1.0, 0.0

    with pytest.raises(TypeError, match=r"^explain: a Half is not a node chainrule can read: "
                                        r"it has no name, parents, local_derivatives, op, "
                                        r"index, call \(see autograd.node\)$"):
        check_node("explain", Half())
    with pytest.raises(TypeError, match=r"^explain: expected a Value, got float$"):
        autograd.explain(1.5)


def test_a_foreign_node_is_drawn(tmp_path):
    pytest.importorskip("graphviz")
    apple, n, tax, price = _foreign_price()
    source = autograd.draw(price).source
    assert "사과" in source and "price" in source


def test_higher_orders_refuse_a_node_whose_rules_chainrule_does_not_know():
    _, _, _, price = _foreign_price()
    with pytest.raises(TypeError, match=r"local_derivatives: the op '\*' is not in "
                                        r"chainrule's table"):
        autograd.local_derivatives(price, as_values=True)
