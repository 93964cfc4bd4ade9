"""Backpropagation: apply the chain rule once per node, consumers first.

For an output L and a node v with consumers c_1..c_k (the nodes v feeds),
the chain rule says

    dL/dv = sum over consumers c of  dL/dc * dc/dv

where dc/dv is c's local derivative with respect to v. A node's gradient is
complete once every consumer has added its share, and only then can the node
pass shares on to its parents. So the nodes must run in reverse topological
order: consumers before the nodes they consume.

Finding that order is easy here. Every node is numbered when it is made
(``Value._index``), and a node's parents always exist before it, so parents
have smaller numbers than their consumers. Creation order *is* a topological
order. backward() collects the nodes the output depends on (a loop with a
stack, no recursion, so a graph a million nodes deep is fine) and sorts them
by number, largest first. Sorting is done in C, and it runs in linear time on
a chain, which arrives already in order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from numbers import Real
from operator import attrgetter
from typing import NamedTuple

from autograd.mode import _anomaly_mode
from autograd.ops import arguments, entry
from autograd.value import MADE_WITHOUT_GRAPH, Value, _rules_on_values

__all__ = [
    "BackwardStep", "backward", "backward_order", "backward_steps", "grad", "local_derivatives",
    "nodes_up_to", "running_gradients", "topological_order",
]

_creation = attrgetter("_index")


def _reachable(root: Value, *, leaves: bool) -> list[Value]:
    """Root and the nodes it depends on (leaves only if ``leaves``), in discovery order.

    Walking back from the root finds nodes roughly newest first, so the list
    is nearly in order already, and timsort makes light work of sorting it.
    """
    found = [root]
    seen = {root}
    stack = [root]
    see, find, push, pop = seen.add, found.append, stack.append, stack.pop  # once, not per node
    while stack:
        for parent in pop()._parents:
            if (leaves or parent._parents) and parent not in seen:
                see(parent)
                find(parent)
                push(parent)
    return found


def nodes_up_to(root: Value, limit: int) -> set[Value]:
    """The nodes ``root`` depends on, itself and leaves included, found until there are
    more than ``limit``: a diagram that will refuse a huge graph never walks all of it."""
    seen = {root}
    stack = [root]
    while stack and len(seen) <= limit:
        for parent in stack.pop()._parents:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, leaves included, each after its parents; ``root`` last.

    The order is creation order, which is deterministic for a given program.
    Diagrams number their nodes by it.
    """
    order = _reachable(root, leaves=True)
    order.sort(key=_creation)
    return order


def local_derivatives(node: Value, *, as_values: bool = False) -> tuple:
    """d(node)/d(parent) for each parent of ``node``, in parent order.

    Numbers by default: the ones the op's rules computed beside its value.
    With ``as_values=True`` the same rules run again on the node and its
    parents, so the derivatives are nodes of a new graph that can be
    differentiated in turn (a rule that gives a constant gives a number).
    """
    if not as_values or not node._parents:
        return node._local
    op = entry(node._op)
    args = arguments(node._op, node._parents)
    _rules_on_values[0] += 1  # a rule that calls float() on a Value is refused (see Value)
    try:
        return tuple(op.derivative(i, node, args) for i, a in enumerate(args)
                     if type(a) is Value)
    finally:
        _rules_on_values[0] -= 1


def backward_order(root: Value) -> list[Value]:
    """The non-leaf nodes in the order ``backward()`` runs their chain-rule steps.

    Newest first: every node comes after all of its consumers. Leaves are
    left out, because they have nothing to pass on.
    """
    if not root._parents:
        return []
    order = _reachable(root, leaves=False)
    order.sort(key=_creation, reverse=True)
    return order


def backward(root: Value) -> None:
    """Fill ``.grad`` with d(root)/d(node) for every node ``root`` depends on.

    ``root.grad`` is seeded with 1.0. Leaves (nodes without parents, such as
    parameters) *accumulate*, as in PyTorch: a second call adds the gradient
    again, and ``zero_grad()`` clears them. Intermediate nodes start from zero
    on every call, so their gradients never compound.

    A node whose gradient is exactly 0 hands nothing on: each share would be
    0 x local = 0. A hinge that is not active, or a relu that is off, cuts off
    everything upstream of it, which is most of a trained model's step. It is
    also the right answer at a singular point that a zero cuts off: the slope
    of relu(sqrt(x) - 1) at x = 0 is 0, where 0 x inf would say NaN.

    A node whose value is NaN is the exception: it hands ``0 x local`` on even
    from a zero gradient, so that a NaN in the forward pass reaches every
    gradient that depends on it (NaN in, NaN out, as in numpy and PyTorch).
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward: expected a Value, got {type(root).__name__}")
    _refuse_without_graph("backward", root)
    if not root._parents:
        root.grad += 1.0  # d(root)/d(root), accumulated like any leaf
        return
    order = backward_order(root)
    if _anomaly_mode.depth:  # inside detect_anomaly(): check the values first
        from autograd.anomaly import check_values

        check_values(topological_order(root))
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    try:
        for node in order:
            upstream = node.grad
            # A gradient of exactly 0 hands nothing on (see the docstring), unless the
            # node's value is NaN: then NaN reaches its parents, as 0 x nan says.
            if upstream or node.data != node.data:
                # Not strict: every way of making a node pairs its parents with its local
                # derivatives one to one, and this is the hottest loop of all.
                for parent, local in zip(node._parents, node._local):  # noqa: B905
                    parent.grad += upstream * local
    except TypeError:
        _name_the_bad_gradient(order)
        raise
    if _anomaly_mode.depth:  # and then the gradients
        from autograd.anomaly import check_gradients

        check_gradients(topological_order(root), order)


def _name_the_bad_gradient(order: list[Value]) -> None:
    """After a TypeError in backward(): a leaf whose ``.grad`` was set to a non-number."""
    for node in order:
        for parent in node._parents:
            if not isinstance(parent.grad, Real):
                raise TypeError(
                    f"backward: {parent!r} has .grad = {parent.grad!r:.60}, a "
                    f"{type(parent.grad).__name__}; a gradient must be a number "
                    "(set it to 0.0, or call zero_grad())") from None


class BackwardStep(NamedTuple):
    """One chain-rule step: ``node`` hands ``upstream x local`` to each parent.

    A step holds only its own numbers, so ``list(backward_steps(y))`` keeps
    every step as it ran. ``running_gradients`` adds the shares up.
    """

    node: Value
    upstream: Value | float  # d(output)/d(node), complete when the step runs
    local: tuple  # d(node)/d(parent), one per parent
    shares: tuple  # upstream x local, one per parent


def backward_steps(output: Value, *, as_values: bool = False) -> Iterator[BackwardStep]:
    """The backward pass one step at a time, leaving every ``.grad`` untouched.

    ``grad()`` runs on this, and so do ``explain()`` and the backward
    animation, so all three show exactly the arithmetic that runs. With
    ``as_values=True`` the gradients are Values in a new graph.
    """
    grads: dict[Value, Value | float] = {output: 1.0}
    for node in backward_order(output):
        upstream = grads.pop(node)  # complete now: every consumer has handed its share
        if type(upstream) is float and not upstream and node.data == node.data:
            # Nothing flows, as in backward() (0 x inf stays 0; a NaN node still hands
            # on), and no derivative nodes need building: the numbers the node holds.
            local = node._local
            shares = (0.0,) * len(local)
        else:
            local = local_derivatives(node, as_values=as_values)
            shares = tuple(upstream * d for d in local)
        for parent, share in zip(node._parents, shares, strict=True):
            grads[parent] = grads[parent] + share if parent in grads else share
        yield BackwardStep(node, upstream, local, shares)


def running_gradients(output: Value, steps: Iterable[BackwardStep]
                      ) -> Iterator[tuple[BackwardStep, dict[Value, Value | float]]]:
    """Each step with d(output)/d(n) for every node n reached so far, in a dict of its own."""
    grads: dict[Value, Value | float] = {output: 1.0}
    for step in steps:
        for parent, share in zip(step.node._parents, step.shares, strict=True):
            grads[parent] = grads[parent] + share if parent in grads else share
        yield step, dict(grads)


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
    ``grad(grad(f, x, create_graph=True), x)`` is f''(x).
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad: output must be a Value, got {type(output).__name__}")
    if isinstance(inputs, Value):
        return grad(output, (inputs,), create_graph)[0]
    _refuse_without_graph("grad", output)
    try:
        inputs = tuple(inputs)
    except TypeError:
        raise TypeError(f"grad: inputs must be a Value or a list of Values, got "
                        f"{type(inputs).__name__}") from None
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"grad: inputs must be Values, got {type(x).__name__}")
    wanted = set(inputs)
    grads: dict[Value, Value | float] = {output: 1.0} if output in wanted else {}
    for step in backward_steps(output, as_values=create_graph):
        for parent, share in zip(step.node._parents, step.shares, strict=True):
            if parent in wanted:
                grads[parent] = grads[parent] + share if parent in grads else share
    return tuple(_as_value(grads.get(x, 0.0)) for x in inputs)


def _refuse_without_graph(operation: str, root: Value) -> None:
    if root._op is MADE_WITHOUT_GRAPH:
        raise RuntimeError(
            f"{operation}: this Value was computed inside no_grad(), so it has no graph and "
            "no gradient can flow back to its inputs; compute it outside no_grad() "
            "(as PyTorch, which says the tensor does not require grad)")


def _as_value(g: Value | float) -> Value:
    return g if type(g) is Value else Value(g)
