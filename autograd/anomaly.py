"""detect_anomaly: name the first node whose value or gradient is NaN or infinite.

    with autograd.detect_anomaly():
        loss.backward()     # FloatingPointError: the first bad node, its op and inputs

Inside the block, ``backward()`` and ``grad()`` check the graph before the pass
(every forward value, parents first) and after it (every gradient, in the
order the pass computed them). The first node that is not finite while
everything it came from is finite is the one to blame, and the error names
it, its op and its inputs. Outside the block nothing is checked, and nothing
costs: the check is one flag read per backward pass, not per node.

NaN and inf are sometimes the right answer (``log(0)`` of a probability is
-inf); this is a debugging aid, as PyTorch's ``detect_anomaly`` is.
"""

from __future__ import annotations

import math

from autograd.graph import topological_order
from autograd.mode import anomaly_mode
from autograd.naming import fmt, node_names
from autograd.node import Node
from autograd.ops import arguments, entry
from autograd.walk import Walk

__all__ = [
    "check_gradients", "check_values", "describe", "detect_anomaly", "first_not_finite",
    "is_anomaly_enabled",
]


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()`` (in this thread)."""
    return anomaly_mode.depth > 0


class detect_anomaly:  # noqa: N801 (a context manager, named like PyTorch's)
    """Check every backward pass in this block for NaN and inf (see the module)."""

    def __enter__(self) -> detect_anomaly:
        anomaly_mode.depth += 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        anomaly_mode.depth -= 1


def describe(node: Node, names: dict[Node, str]) -> str:
    """``v2 = exp(x = 1000)``: the node, its op, and its arguments' names and values."""
    if not node.parents:
        return f"the leaf {names[node]}"
    parents = [f"{names[p]} = {fmt(p.data)}" for p in node.parents]
    call = node.call
    args = parents if call is None else arguments(call, parents)
    shown = [a if isinstance(a, str) else fmt(a) for a in args]
    return f"{names[node]} = {node.op if call is None else entry(call).name}({', '.join(shown)})"


def first_not_finite(order: list):
    """The first node of ``order`` (parents first) whose value is NaN or inf, or None."""
    for node in order:
        if not math.isfinite(node.data):
            return node
    return None


def check_values(order: list) -> None:
    """The first node, parents first, whose forward value is NaN or inf."""
    node = first_not_finite(order)
    if node is not None:
        raise FloatingPointError(
            f"detect_anomaly: the forward value of {describe(node, node_names(order))} is "
            f"{node.data!r}; it is the first value in the graph that is not finite")


def check_gradients(root: Node) -> None:
    """The first backward step, in the order they run, that hands on a share that is
    NaN or inf from a finite gradient: which node, which parent, what local derivative.

    It walks the pass again (``autograd.walk``), which gives ``backward()``'s numbers."""
    for step in Walk(root):
        upstream = step.upstream
        if not upstream or not math.isfinite(upstream):
            continue  # nothing flowed, or the bad gradient came from further down
        for parent, local, share in zip(step.node.parents, step.local, step.shares,
                                        strict=True):
            if not math.isfinite(share):
                names = node_names(topological_order(root))
                raise FloatingPointError(
                    f"detect_anomaly: the gradient of {names[parent]} became "
                    f"{share!r} in the backward step of {describe(step.node, names)}: "
                    f"its upstream gradient is {fmt(upstream)} and its local derivative for "
                    f"{names[parent]} is {local!r}")
