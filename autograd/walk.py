"""The backward walker: the chain rule, once per node, consumers first.

For an output L and a node v with consumers c_1..c_k (the nodes v feeds),

    dL/dv = sum over consumers c of  dL/dc * dc/dv

where dc/dv is c's local derivative with respect to v. ``Walk`` visits the
nodes in backward order (``autograd.graph.backward_order``): when a node's
turn comes, every consumer has handed it its share, so its gradient (the
*upstream* gradient of its step) is complete. The step hands
``upstream x local`` to each parent, and the walk adds the shares up.

Everything that goes backward reads this one walk: ``grad``, ``backward_steps``,
``running_gradients``, ``explain``, ``animate_backward``, the anomaly check, the
exact oracle (``autograd.testing.exact``) and the replay writer
(``autograd.compile``). Where they need other numbers (Values for higher
orders, Fractions, source code), they give the walk a **step hook** and,
for the adding up, ``start`` and ``add``. ``Value.backward()`` keeps a fast
loop of its own; ``tests/test_walk.py`` checks that it gives the walk's
numbers bit for bit.

The walk reads nodes through the node protocol (``autograd.node``) only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from autograd.graph import backward_order
from autograd.node import Node

__all__ = ["BackwardStep", "Walk", "number_step"]


class BackwardStep(NamedTuple):
    """One chain-rule step: ``node`` hands ``upstream x local`` to each parent.

    A step holds only its own numbers, so ``list(backward_steps(y))`` keeps
    every step as it ran.
    """

    node: Node
    upstream: Any  # d(output)/d(node), complete when the step runs
    local: tuple  # d(node)/d(parent), one per parent
    shares: tuple  # upstream x local, one per parent


# A step hook: (node, its complete upstream gradient) -> (local derivatives, shares).
StepHook = Callable[[Node, Any], tuple[tuple, tuple]]


def number_step(node: Node, upstream: float) -> tuple[tuple, tuple]:
    """The step on numbers, as ``backward()`` runs it.

    A gradient of exactly 0 hands on nothing but zeros: each share would be
    0 x local, and 0 x inf would say NaN where the right answer (the slope of
    relu(sqrt(x) - 1) at x = 0) is 0. A node whose value is NaN is the
    exception, so that NaN in the forward pass reaches every gradient that
    depends on it (NaN in, NaN out, as in numpy and PyTorch).
    """
    local = node.local_derivatives
    if not upstream and node.data == node.data:
        return local, (0.0,) * len(local)
    return local, tuple([upstream * d for d in local])


def _add(total: Any, share: Any) -> Any:
    return total + share


def _from_zero(share: Any) -> Any:
    # 0.0 + share, as backward() adds a first share to a gradient it reset to 0.0:
    # so -0.0 becomes 0.0 here exactly as it does there.
    return 0.0 + share


class Walk:
    """The backward walk of ``output``: iterate it for its steps, in the order they run.

    ``gradients`` maps every node reached so far to d(output)/d(node): the
    output's is ``seed``, a node's is complete when its step runs, and a leaf's
    when the walk ends. ``step`` computes a step's local derivatives and
    shares (``number_step`` by default); ``start(share)`` makes a parent's
    first gradient and ``add(total, share)`` adds each later share.
    """

    __slots__ = ("output", "gradients", "_step", "_start", "_add")

    def __init__(self, output: Node, step: StepHook = number_step, *, seed: Any = 1.0,
                 start: Callable[[Any], Any] = _from_zero,
                 add: Callable[[Any, Any], Any] = _add) -> None:
        self.output = output
        self.gradients: dict[Node, Any] = {output: seed}
        self._step, self._start, self._add = step, start, add

    def __iter__(self) -> Iterator[BackwardStep]:
        gradients, step, hand_on = self.gradients, self._step, self.hand_on
        for node in backward_order(self.output):
            upstream = gradients[node]  # complete now: every consumer has handed its share
            local, shares = step(node, upstream)
            hand_on(node, shares)
            yield BackwardStep(node, upstream, local, shares)

    def hand_on(self, node: Node, shares: tuple) -> None:
        """Add a step's shares to its parents' gradients (the one place that adds them up)."""
        gradients, start, add = self.gradients, self._start, self._add
        for parent, share in zip(node.parents, shares, strict=True):
            gradients[parent] = add(gradients[parent], share) if parent in gradients \
                else start(share)

    def run(self) -> dict[Node, Any]:
        """Walk to the end; the gradients of every node."""
        for _ in self:
            pass
        return self.gradients
