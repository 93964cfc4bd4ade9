"""How a learner sees a node: its number, its name and its op's symbol.

``explain``, ``draw``, ``paths``, the anomaly check and the command line all
name nodes the same way: a node's own ``name`` if it has one, else ``v<i>``,
with i its position in topological order. So a row of a table points at a box
of a diagram, and an error message at both. This module sits at the bottom of
the package: it reads nodes through the node protocol (``autograd.node``) and
the op table, and nothing else.
"""

from __future__ import annotations

from autograd.node import Node
from autograd.ops import Folded, entry

__all__ = ["fmt", "node_names", "op_symbol"]


def fmt(x: float) -> str:
    """A number as a learner reads it: up to 6 significant digits (220.00000000000003 -> 220)."""
    return f"{x:.6g}"


def node_names(order: list[Node]) -> dict[Node, str]:
    """Each node's display name: its ``name``, or ``v<i>`` for position i in ``order``."""
    return {node: node.name or f"v{i}" for i, node in enumerate(order)}


def op_symbol(node: Node) -> str:
    """The op's symbol from the table, with its folded numbers: "× 3", "5 −", "^ 2".

    A node of another engine, whose op the table does not know (``call`` is None),
    is shown by its op's own name.
    """
    call = node.call
    if call is None:
        return node.op
    op = entry(call)
    if type(call) is not Folded or op.notation == "nary":
        return op.symbol  # a sum's or a dot's constants are in its value, not its name
    numbers = [fmt(k) for k in call.layout if k is not None]
    if op.notation == "infix" and len(call.layout) == 2:
        left = call.layout[0] is None
        return f"{op.symbol} {numbers[0]}" if left else f"{numbers[0]} {op.symbol}"
    slots = ["·" if k is None else fmt(k) for k in call.layout]
    return f"{op.symbol}({', '.join(slots)})"
