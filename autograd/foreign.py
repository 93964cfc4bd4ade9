"""Graphs chainrule did not build: a learner's micrograd ``Value``, read as nodes.

A micrograd-style node has its forward value in ``data``, its gradient in
``grad``, its inputs in ``_prev`` (micrograd keeps a set) or ``_children``, and
its op as a label in ``_op``: "+", "*", "**2", "ReLU", "tanh". ``adopt`` wraps
such a graph, once, in ``ForeignNode``\\ s that speak the node protocol
(``autograd.node``), so that ``draw``, ``explain`` and ``paths`` read it as
they read chainrule's own graphs.

What the wrapper says about a node:

* ``data`` and ``grad`` are the learner's numbers, as their engine left them;
* ``call`` is the table's op for the label (each entry's ``Op.labels``), or None
  for a label the table does not know (its boxes are drawn with the label);
* ``parents`` are in argument order. A set has no order, so for an op whose
  arguments do not commute (``a - b``), the order chosen is the one whose value,
  by the table, is the node's ``data``. A set holds a node used twice once
  (micrograd's ``a * a`` has ``_prev == {a}``): a binary op with one parent
  has it in both places;
* ``local_derivatives`` are the table's rules, evaluated on **chainrule's** forward
  values, recomputed from the leaves: so ``expected_gradients`` are the true
  gradients of the function the graph computes, even where the learner's
  forward pass is wrong.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from autograd.graph import topological_order
from autograd.node import Node, check_node, is_node
from autograd.ops import Folded, arguments, entry, labelled
from autograd.walk import Walk

__all__ = ["ForeignNode", "adopt", "expected_gradients", "is_foreign"]


def is_foreign(candidate: object) -> bool:
    """True for a micrograd-style node: ``data``, ``grad`` and ``_prev`` or ``_children``."""
    return (hasattr(candidate, "data") and hasattr(candidate, "grad")
            and (hasattr(candidate, "_prev") or hasattr(candidate, "_children")))


class ForeignNode:
    """One node of another engine's graph, as the node protocol reads it (see the module)."""

    __slots__ = ("original", "data", "grad", "name", "parents", "op", "index", "call",
                 "local_derivatives", "chainrule_data")

    def __init__(self, original: Any, parents: tuple[ForeignNode, ...], op: str, index: int
                 ) -> None:
        self.original, self.parents, self.op, self.index = original, parents, op, index
        self.data, self.grad = _number(original, "data"), _number(original, "grad")
        label = getattr(original, "label", None)
        self.name = label if isinstance(label, str) and label else None
        self.call: Any = None
        self.local_derivatives: tuple[float, ...] = ()
        self.chainrule_data = self.data  # a leaf's value is the learner's input

    def __repr__(self) -> str:
        return f"ForeignNode({type(self.original).__name__}, op={self.op!r}, data={self.data!r})"


def _number(original: Any, attribute: str) -> float:
    value = getattr(original, attribute)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"a {type(original).__name__} node's .{attribute} is not a number: "
                        f"{value!r}") from None


def _inputs(original: Any) -> list[Any]:
    """A node's inputs as its engine keeps them; a set's in a fixed order (by value), so
    that drawing the same graph twice gives the same picture."""
    inputs = getattr(original, "_prev", None)
    if inputs is None:
        inputs = getattr(original, "_children", ())
    if isinstance(inputs, (set, frozenset)):
        return sorted(inputs, key=lambda n: (repr(getattr(n, "data", None)), id(n)))
    return list(inputs)


def _label(original: Any) -> str:
    return str(getattr(original, "_op", ""))  # no _op: a label the table does not know


def adopt(operation: str, root: Any) -> tuple[Node, dict[int, Node]]:
    """``root`` as a node: itself if it speaks the node protocol, else its graph wrapped
    in ForeignNodes. Also gives the wrapper of every original node, by ``id``, so that a
    second argument (``paths``' input) can be found in the same graph. Anything else is
    a TypeError naming ``operation``."""
    if is_node(root):
        return root, {}
    if not is_foreign(root):
        check_node(operation, root)  # raises, saying what is missing
    views: dict[int, ForeignNode] = {}
    for original in _post_order(root):
        parents = tuple(views[id(p)] for p in _inputs(original))
        node = ForeignNode(original, parents, _label(original), len(views))
        if parents:
            _read_op(node)
        views[id(original)] = node
    return views[id(root)], views


def _post_order(root: Any) -> list[Any]:
    """Every node root depends on, inputs before the nodes made from them, with a stack
    rather than recursion (a learner's graph may be deep)."""
    order, seen, stack = [], {id(root)}, [(root, iter(_inputs(root)))]
    while stack:
        node, pending = stack[-1]
        for parent in pending:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append((parent, iter(_inputs(parent))))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def _read_op(node: ForeignNode) -> None:
    """Set the node's op from its label, its parents in argument order, and its local
    derivatives by the table's rules; an unknown label leaves ``call`` None."""
    call = labelled(node.op, len(node.parents))
    if call is None and len(node.parents) == 1:
        call = labelled(node.op, 2)  # a set keeps `a * a`'s parent once
        if call is not None:
            node.parents = node.parents * 2
    if call is None:
        node.local_derivatives = (math.nan,) * len(node.parents)
        node.chainrule_data = math.nan
        return
    node.call = call
    node.parents = _in_argument_order(call, node.parents, node.data)
    args = arguments(call, [p.chainrule_data for p in node.parents])
    op = entry(call)
    try:
        out = op.on_floats(args)
        slots = range(len(args)) if type(call) is not Folded else \
            [i for i, k in enumerate(call.layout) if k is None]
        node.local_derivatives = tuple(float(op.derivative(i, out, args)) for i in slots)
    except (ArithmeticError, ValueError):  # outside the op's domain: no true gradient
        out, node.local_derivatives = math.nan, (math.nan,) * len(node.parents)
    node.chainrule_data = out


def _in_argument_order(call: Any, parents: tuple, data: float) -> tuple:
    """The order of two parents whose value, by the table, is closest to ``data``."""
    if len(parents) != 2 or parents[0] is parents[1]:
        return parents
    orders = (parents, parents[::-1])
    return min(orders, key=lambda order: _miss(call, order, data))


def _miss(call: Any, order: Iterable[ForeignNode], data: float) -> float:
    """How far the op's value for this order of parents is from the learner's ``data``:
    0 when equal (infinities too), infinite outside the domain or for NaN."""
    try:
        value = entry(call).on_floats(arguments(call, [p.data for p in order]))
    except (ArithmeticError, ValueError):
        return math.inf
    if value == data:
        return 0.0
    difference = abs(value - data)
    # equivalent mutant: NaN here means a NaN input, so both orders are NaN and tie
    return difference if difference == difference else math.inf  # pragma: no mutate


def expected_gradients(root: Node) -> dict[Node, float]:
    """Chainrule's gradients of ``root`` with respect to every node of its graph, by the
    one walker; a ValueError names an op the table does not know (no silent guess)."""
    for node in _unknown(root):  # only a learner's node can have an op the table lacks
        raise ValueError(f"chainrule does not know the op {node.op!r} of a "
                         f"{type(node.original).__name__} node "
                         f"(data={node.data!r}), so it cannot say what its gradient should "
                         "be; the labels it reads are each op's Op.labels")
    return Walk(root).run()


def _unknown(root: Node) -> list[Node]:
    return [n for n in topological_order(root) if n.parents and n.call is None]
