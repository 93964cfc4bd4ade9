"""Backpropagation: order the graph, then apply the chain rule once per node.

For an output L and a node v with consumers c_1..c_k (the nodes v feeds),
the chain rule says

    dL/dv = sum over consumers c of  dL/dc * dc/dv

where dc/dv is c's local derivative with respect to v. So we visit nodes in
reverse topological order, consumers before the nodes they consume. When a
node's turn comes, every consumer has already added its share, and its
gradient is complete. The node then hands ``gradient x local derivative`` to
each of its parents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import NamedTuple

from autograd.value import Value

__all__ = [
    "BackwardStep", "backward", "backward_steps", "grad", "local_derivatives", "topological_order",
]

_data = attrgetter("data")


def topological_order(root: Value, *, leaves: bool = True) -> list[Value]:
    """Every node ``root`` depends on, each after its parents; ``root`` is last.

    This is an iterative depth-first search: it keeps an explicit stack
    instead of recursing, so a graph a million nodes deep works under
    Python's default recursion limit. Each stack entry holds a node and an
    iterator over its parents, which resumes where it left off. Parents are
    visited in argument order, so the order is deterministic. With
    ``leaves=False``, nodes without parents are skipped: they have no
    derivative to pass on.
    """
    order: list[Value] = []
    visited = {root}
    stack = [(root, iter(root._parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if (leaves or parent._parents) and parent not in visited:
                visited.add(parent)
                stack.append((parent, iter(parent._parents)))
                break
        else:  # all parents are placed: the node can follow them
            stack.pop()
            order.append(node)
    return order


def local_derivatives(node: Value, *, as_values: bool = False) -> tuple:
    """d(node)/d(parent) for each parent of ``node``, in parent order.

    Floats by default. With ``as_values=True`` the derivative functions run
    on the Values themselves, so the results are nodes in a new graph that
    can be differentiated again.
    """
    local = node._local
    if type(local) is tuple:
        return local
    if as_values:
        return local(node, *node._parents)
    return local(node.data, *map(_data, node._parents))


def backward(root: Value) -> None:
    """Fill ``.grad`` with d(root)/d(node) for every node ``root`` depends on.

    ``root.grad`` is seeded with 1.0. Leaves (nodes without parents, such as
    parameters) *accumulate*, as in PyTorch: a second call adds the gradient
    again, and ``zero_grad()`` clears them. Intermediate nodes start from zero
    on every call, so their gradients never compound.
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward: expected a Value, got {type(root).__name__}")
    if not root._parents:
        root.grad += 1.0  # d(root)/d(root), accumulated like any leaf
        return
    order = topological_order(root, leaves=False)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        upstream = node.grad
        for parent, local in zip(node._parents, local_derivatives(node), strict=True):
            parent.grad += upstream * local


class BackwardStep(NamedTuple):
    """One chain-rule step: ``node`` hands ``upstream x local`` to each parent."""

    node: Value
    upstream: Value | float  # d(output)/d(node), complete when the step runs
    local: tuple  # d(node)/d(parent), one per parent
    shares: tuple  # upstream x local, one per parent
    grads: dict  # d(output)/d(n) for every n reached so far (updated in place)


def backward_steps(output: Value, *, as_values: bool = False) -> Iterator[BackwardStep]:
    """The backward pass one step at a time, leaving every ``.grad`` untouched.

    ``grad()`` runs on this, and so do ``explain()`` and the backward
    animation, so all three show exactly the arithmetic that runs. With
    ``as_values=True`` the gradients are Values in a new graph.
    """
    grads: dict[Value, Value | float] = {output: 1.0}
    for node in reversed(topological_order(output, leaves=False)):
        upstream = grads[node]
        local = local_derivatives(node, as_values=as_values)
        shares = tuple(upstream * d for d in local)
        for parent, share in zip(node._parents, shares, strict=True):
            grads[parent] = grads[parent] + share if parent in grads else share
        yield BackwardStep(node, upstream, local, shares, grads)


def grad(
    output: Value, inputs: Iterable[Value], create_graph: bool = False
) -> tuple[Value, ...]:
    """d(output)/d(input) for each input, leaving every ``.grad`` untouched.

    An input that ``output`` does not depend on gets 0. The results are
    Values. With ``create_graph=True`` they are nodes of a new graph built
    from the local-derivative formulas, so you can differentiate them again:
    ``grad(grad(f, [x], create_graph=True)[0], [x])`` is f''(x).
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad: output must be a Value, got {type(output).__name__}")
    inputs = tuple(inputs)
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"grad: inputs must be Values, got {type(x).__name__}")
    grads: dict[Value, Value | float] = {output: 1.0}
    for step in backward_steps(output, as_values=create_graph):
        grads = step.grads
    return tuple(_as_value(grads.get(x, 0.0)) for x in inputs)


def _as_value(g: Value | float) -> Value:
    return g if type(g) is Value else Value(g)
