"""autograd.foreign: a learner's micrograd-style graph read through the node protocol."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd.foreign import ForeignNode, adopt, expected_gradients, is_foreign
from autograd.ops import OPS, Folded, labelled


class Node:
    """The least a micrograd-style node has; ``_prev`` a set, as micrograd keeps it."""

    def __init__(self, data, children=(), op="", label=""):
        self.data, self.grad, self._prev, self._op = data, 0.0, set(children), op
        self.label = label


class ChildrenNode:
    """Inputs in ``_children``, in order (another common spelling)."""

    def __init__(self, data, children=(), op=""):
        self.data, self.grad, self._children, self._op = data, 0.0, tuple(children), op


def test_labels_name_the_table_s_ops_by_their_number_of_inputs():
    assert labelled("*", 2) is OPS["mul"]
    assert labelled("-", 2) is OPS["sub"] and labelled("-", 1) is OPS["neg"]
    assert labelled("ReLU", 1) is OPS["relu"] and labelled("relu", 1) is OPS["relu"]
    assert labelled("tanh", 1) is OPS["tanh"] and labelled("σ", 1) is OPS["sigmoid"]
    power = labelled("**2", 1)
    assert isinstance(power, Folded) and power.op is OPS["pow"]
    assert power.layout == (None, 2.0)
    assert labelled("**-0.5", 1).layout == (None, -0.5)
    for unknown, parents in (("**", 1), ("**x", 1), ("*", 1), ("+", 3), ("frob", 1)):
        assert labelled(unknown, parents) is None, unknown


def test_a_set_s_order_is_the_one_whose_value_is_the_node_s():
    a, b = Node(5.0, label="a"), Node(2.0, label="b")
    y = Node(3.0, (a, b), "-")  # 5 - 2, whichever way the set iterates
    y.grad, a.grad, b.grad = 1.0, 1.0, -1.0
    root, views = adopt("test", y)
    assert [p.name for p in root.parents] == ["a", "b"]
    assert root.local_derivatives == (1.0, -1.0)
    assert expected_gradients(root)[views[id(b)]] == -1.0
    z = Node(2.5, (a, b), "/")
    assert [p.name for p in adopt("test", z)[0].parents] == ["a", "b"]


def test_a_node_used_twice_by_one_op_is_in_both_places():
    a = Node(3.0, label="a")
    y = Node(9.0, (a, a), "*")  # micrograd's a * a: _prev == {a}
    root, views = adopt("test", y)
    assert root.parents == (views[id(a)], views[id(a)])
    assert expected_gradients(root)[views[id(a)]] == 6.0


def test_the_learner_s_numbers_are_shown_and_chainrule_s_recomputed():
    x = Node(2.0, label="x")
    y = Node(99.0, (x,), "**2")  # a wrong forward: chainrule's own value is 4
    y.grad, x.grad = 1.0, 7.0
    root, views = adopt("test", y)
    assert (root.data, root.chainrule_data) == (99.0, 4.0)
    assert views[id(x)].grad == 7.0  # what the learner's engine left
    assert expected_gradients(root)[views[id(x)]] == 4.0  # 2x at x = 2
    assert "ForeignNode(Node, op='**2', data=99.0)" == repr(root)


def test_outside_the_domain_the_slope_is_nan_and_an_unknown_op_is_refused_by_name():
    x = Node(-1.0, label="x")
    y = Node(math.nan, (x,), "log")
    assert math.isnan(adopt("test", y)[0].local_derivatives[0])
    z = Node(1.0, (x,), "frobnicate")
    root, _ = adopt("test", z)
    assert root.call is None
    with pytest.raises(ValueError, match="does not know the op 'frobnicate' of a Node"):
        expected_gradients(root)
    assert "frobnicate" in autograd.draw(z).source  # drawn with its label all the same


def test_children_in_order_and_a_deep_graph_without_recursion():
    node = ChildrenNode(0.5)
    first = node
    for _ in range(5_000):
        node = ChildrenNode(node.data + 1.0, (node, ChildrenNode(1.0)), "+")
    root, views = adopt("test", node)
    assert len(views) == 10_001
    assert expected_gradients(root)[views[id(first)]] == 1.0


def test_what_is_not_a_node_is_refused_naming_the_operation():
    assert is_foreign(Node(1.0)) and not is_foreign(1.0)
    with pytest.raises(TypeError, match="explain: expected a Value, got float"):
        autograd.explain(1.5)
    bad = Node("a lot")
    with pytest.raises(TypeError, match=r"a Node node's \.data is not a number: 'a lot'"):
        adopt("draw", bad)
    with pytest.raises(TypeError, match="paths: the input must be a Value, got str"):
        autograd.paths(Node(1.0), "x")
    assert isinstance(adopt("test", Node(1.0))[0], ForeignNode)
    value = autograd.Value(1.0)
    assert adopt("test", value) == (value, {})  # chainrule's own node, as it is


class Bare:
    """A learner's leaf of another class: data and grad, no inputs at all."""

    def __init__(self, data):
        self.data, self.grad = data, 0.0


def test_what_counts_as_a_learner_s_node():
    class DataGrad:
        data, grad = 1.0, 0.0

    class PrevOnly:
        data, _prev = 1.0, set()

    class GradPrev:
        grad, _children = 0.0, ()

    assert not is_foreign(DataGrad()) and not is_foreign(PrevOnly())
    assert not is_foreign(GradPrev()) and is_foreign(ChildrenNode(1.0))


def test_a_leaf_without_inputs_or_label_and_a_name_only_from_text():
    a, b = Bare(2.0), Node(3.0, label=7)
    y = ChildrenNode(6.0, (a, b), "*")
    del y._op  # an engine that keeps no label: drawn as an unknown op
    root, views = adopt("test", y)
    assert root.op == "" and root.call is None
    assert views[id(a)].parents == () and views[id(a)].local_derivatives == ()
    assert views[id(b)].name is None  # a label that is not text names nothing
    named = adopt("test", Node(1.0, label="w"))[0]
    assert named.name == "w" and adopt("test", Node(1.0))[0].name is None


def test_below_an_unknown_op_chainrule_knows_no_value():
    x = Node(2.0, label="x")
    odd = Node(5.0, (x,), "frob")
    y = Node(25.0, (odd,), "**2")
    root, views = adopt("test", y)
    assert math.isnan(views[id(odd)].chainrule_data)
    assert views[id(odd)].local_derivatives == (pytest.approx(math.nan, nan_ok=True),)
    assert math.isnan(root.chainrule_data) and math.isnan(root.local_derivatives[0])


def test_a_shared_node_is_one_node_and_a_set_s_order_is_by_value():
    from autograd.graph import topological_order

    x = Node(1.0, label="x")
    a, b = Node(2.0, (x,), "**2"), Node(3.0, (x,), "tanh")
    y = Node(5.0, (a, b), "+")
    root, _ = adopt("test", y)
    assert len(topological_order(root)) == 4  # x once, though two nodes use it
    for first, second in [(2.0, 3.0), (3.0, 2.0)] * 10:  # made in either order
        p, q = Node(first), Node(second)
        product = adopt("test", Node(6.0, (p, q), "*"))[0]
        assert [n.data for n in product.parents] == [2.0, 3.0]  # the same picture each time


def test_matching_infinities_choose_the_order():
    big, one = Node(math.inf, label="big"), Node(1.0, label="one")
    y = Node(math.inf, (big, one), "-")  # inf - 1 = inf; 1 - inf = -inf
    assert [p.name for p in adopt("test", y)[0].parents] == ["big", "one"]


def test_an_unknown_op_s_refusal_word_for_word():
    z = Node(1.0, (Node(2.0),), "frob")
    with pytest.raises(ValueError) as refused:
        expected_gradients(adopt("test", z)[0])
    assert str(refused.value) == (
        "chainrule does not know the op 'frob' of a Node node (data=1.0), so it cannot say "
        "what its gradient should be; the labels it reads are each op's Op.labels")


def test_labels_that_only_look_like_a_power():
    assert labelled("ab5", 1) is None and labelled("*2", 1) is None
    assert labelled("**2.5", 1).layout == (None, 2.5)
    assert labelled("SIGMOID", 1) is OPS["sigmoid"] and labelled("Tanh", 1) is OPS["tanh"]


def test_an_exact_match_beats_a_near_one():
    a, b = Node(0.5, label="a"), Node(0.25, label="b")
    y = Node(0.25, (a, b), "-")  # a - b = 0.25 exactly; b - a = -0.25, off by 0.5
    assert [p.name for p in adopt("test", y)[0].parents] == ["a", "b"]
