"""Backpropagation as a library: gradients without ``.grad``, step by step, or as Values.

``Value.backward()`` (in ``autograd.value``) fills every ``.grad``. This module
gives the same chain rule in the forms other code needs, each one a reading of
the one backward walk (``autograd.walk``):

* ``grad(y, xs)``: d(y)/d(x) for each x, leaving ``.grad`` untouched; with
  ``create_graph=True`` the gradients are Values, to differentiate again;
* ``backward_steps(y)``: the walk itself, one ``BackwardStep`` at a time, for
  ``explain`` and the animation;
* ``running_gradients(y)``: each step with every gradient so far;
* ``local_derivatives(node)``: a node's record of d(node)/d(parent), or the
  same rules run again on Values.

The orders (``topological_order``, ``backward_order``) live in ``autograd.graph``
and are re-exported here, beside the pass that uses them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from autograd.anomaly import check_gradients, check_values
from autograd.graph import backward_order, nodes_up_to, topological_order
from autograd.mode import anomaly_mode, rules_on_values
from autograd.node import Node, refuse_without_graph
from autograd.ops import arguments, entry
from autograd.value import Value, backward
from autograd.walk import BackwardStep, Walk, number_step

__all__ = [
    "BackwardStep", "backward", "backward_order", "backward_steps", "grad", "local_derivatives",
    "nodes_up_to", "running_gradients", "topological_order",
]  # backward is defined beside Value (autograd.value) and the orders in autograd.graph


def local_derivatives(node: Node, *, as_values: bool = False) -> tuple:
    """d(node)/d(parent) for each parent of ``node``, in parent order.

    Numbers by default: the ones the op's rules computed beside its value.
    With ``as_values=True`` the same rules run again on the node and its
    parents, so the derivatives are nodes of a new graph that can be
    differentiated in turn (a rule that gives a constant gives a number).
    """
    if not as_values or not node.parents:
        return node.local_derivatives
    call = node.call
    if call is None:
        raise TypeError(f"local_derivatives: the op {node.op!r} is not in chainrule's table, "
                        "so its rules cannot run again on Values")
    op = entry(call)
    slots = [i for i, a in enumerate(arguments(call, [None] * len(node.parents))) if a is None]
    args = arguments(call, node.parents)
    rules_on_values[0] += 1  # a rule that calls float() on a Value is refused (see Value)
    try:
        return tuple(op.derivative(i, node, args) for i in slots)
    finally:
        rules_on_values[0] -= 1


def _value_step(node: Node, upstream: Value | float) -> tuple[tuple, tuple]:
    """The step on Values (``create_graph=True``): the rules run again on Values, so the
    shares are nodes of a new graph. A gradient of 0 builds nothing: it is the step on
    numbers (whose shares are 0, or NaN from a NaN node)."""
    if type(upstream) is float and not upstream:
        return number_step(node, upstream)
    local = local_derivatives(node, as_values=True)
    return local, tuple(upstream * d for d in local)


def _as_is(share: Any) -> Any:
    return share  # a first share on Values: no 0.0 + share node in the new graph


def backward_steps(output: Node, *, as_values: bool = False) -> Walk:
    """The backward pass one step at a time, leaving every ``.grad`` untouched.

    The walk (``autograd.walk.Walk``): iterate it for ``BackwardStep``s, and read
    its ``gradients`` for every d(output)/d(node) so far. ``grad()`` runs on it,
    and so do ``explain()`` and the backward animation, so all three show exactly
    the arithmetic that runs. With ``as_values=True`` the gradients are Values in
    a new graph.
    """
    if as_values:
        return Walk(output, _value_step, start=_as_is)
    return Walk(output)


def running_gradients(output: Node, steps: Iterable[BackwardStep] | None = None
                      ) -> Iterator[tuple[BackwardStep, dict[Node, Any]]]:
    """Each step with d(output)/d(n) for every node n reached so far, in a dict of its own.

    ``steps``: the steps of ``output``'s backward pass, as ``backward_steps(output)``
    gives them (a new walk by default, or a list of its steps kept earlier).
    """
    if isinstance(steps, Walk) and steps.output is output and len(steps.gradients) == 1:
        for step in steps:  # a walk not yet started: its own gradients, as it goes
            yield step, dict(steps.gradients)
        return
    adder = Walk(output)  # recorded steps: added up as a walk adds them
    for step in backward_steps(output) if steps is None else steps:
        adder.hand_on(step.node, step.shares)
        yield step, dict(adder.gradients)


def grad(
    output: Value, inputs: Iterable[Value] | Value, create_graph: bool = False
) -> tuple[Value, ...] | Value:
    """d(output)/d(input) for each input, leaving every ``.grad`` untouched.

    ``inputs`` is a list (or any iterable) of Values, and the result a tuple, one
    gradient per input; a single Value gives a single gradient, as ``jax.grad``
    of one argument does: ``grad(y, x)`` is ``grad(y, [x])[0]``.

    An input that ``output`` does not depend on gets 0. The results are
    Values. With ``create_graph=True`` they are nodes of a new graph built
    from the local-derivative formulas, so you can differentiate them again:
    ``grad(grad(f, x, create_graph=True), x)`` is f''(x). Inside
    ``detect_anomaly()`` the pass is checked as ``backward()``'s is.
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad: output must be a Value, got {type(output).__name__}")
    if isinstance(inputs, Value):
        return grad(output, (inputs,), create_graph)[0]
    refuse_without_graph("grad", output)
    try:
        inputs = tuple(inputs)
    except TypeError:
        raise TypeError(f"grad: inputs must be a Value or a list of Values, got "
                        f"{type(inputs).__name__}") from None
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"grad: inputs must be Values, got {type(x).__name__}")
    if anomaly_mode.depth:
        check_values(topological_order(output))
        check_gradients(output)
    gradients = backward_steps(output, as_values=create_graph).run()
    return tuple(_as_value(gradients.get(x, 0.0)) for x in inputs)


def _as_value(g: Value | float) -> Value:
    return g if type(g) is Value else Value(g)

