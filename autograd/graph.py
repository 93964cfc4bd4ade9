"""Orders of a graph: which nodes an output depends on, and in what order to visit them.

For an output L, backpropagation visits the nodes *consumers first*: a node's
gradient dL/dv = sum over its consumers c of dL/dc x dc/dv is complete only
once every consumer has handed its share. That is reverse topological order.

Finding it is easy here. Every node carries an ``index`` larger than its
parents' (``autograd.Value`` numbers nodes as they are made, and a node's
parents always exist before it), so sorting by index is a topological sort.
Collecting the nodes is a loop with a stack, not recursion, so a graph a
million nodes deep is fine, and the sort runs in C, in linear time on a chain,
which arrives already in order.

These functions read nodes through the node protocol only (``autograd.node``).
"""

from __future__ import annotations

from operator import attrgetter

from autograd.node import Node

__all__ = ["backward_order", "nodes_up_to", "reachable", "topological_order"]

_by_index = attrgetter("index")


def reachable(root: Node, *, leaves: bool) -> list[Node]:
    """Root and the nodes it depends on (leaves only if ``leaves``), in discovery order.

    Walking back from the root finds nodes roughly newest first, so the list
    is nearly in order already, and timsort makes light work of sorting it.
    """
    found = [root]
    seen = {root}
    stack = [root]
    see, find, push, pop = seen.add, found.append, stack.append, stack.pop  # once, not per node
    while stack:
        for parent in pop().parents:
            if (leaves or parent.parents) and parent not in seen:
                see(parent)
                find(parent)
                push(parent)
    return found


def nodes_up_to(root: Node, limit: int) -> set[Node]:
    """The nodes ``root`` depends on, itself and leaves included, found until there are
    more than ``limit``: a diagram that will refuse a huge graph never walks all of it."""
    seen = {root}
    stack = [root]
    while stack and len(seen) <= limit:
        for parent in stack.pop().parents:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def topological_order(root: Node) -> list[Node]:
    """Every node ``root`` depends on, leaves included, each after its parents; ``root`` last.

    The order is creation order, which is deterministic for a given program.
    Diagrams number their nodes by it.
    """
    order = reachable(root, leaves=True)
    order.sort(key=_by_index)
    return order


def backward_order(root: Node) -> list[Node]:
    """The non-leaf nodes in the order the backward pass runs their chain-rule steps.

    Newest first: every node comes after all of its consumers. Leaves are
    left out, because they have nothing to pass on.
    """
    if not root.parents:
        return []
    order = reachable(root, leaves=False)
    order.sort(key=_by_index, reverse=True)
    return order
