"""Explain a graph in words: node names, op symbols, and the backward pass as a table.

    >>> print(explain(price))           # doctest: +SKIP
    step  node         op  upstream  parent       local  share
       1  price        ×   1         total        1.1    1.1
                                     tax          650    650
    ...

``explain`` and ``draw`` give every node the same name: its own name if it
has one, else ``v<i>`` with i its position in topological order. So a row of
the table points at a box of the diagram.
"""

from __future__ import annotations

from autograd.backprop import backward_steps, topological_order
from autograd.ops import Folded, entry
from autograd.value import Value

__all__ = ["explain", "fmt", "node_names", "op_symbol"]

def fmt(x: float) -> str:
    """A number as a learner reads it: up to 6 significant digits (220.00000000000003 -> 220)."""
    return f"{x:.6g}"


def node_names(order: list[Value]) -> dict[Value, str]:
    """Each node's display name: its ``name``, or ``v<i>`` for position i in ``order``."""
    return {node: node.name or f"v{i}" for i, node in enumerate(order)}


def op_symbol(node: Value) -> str:
    """The op's symbol from the table, with its folded numbers: "× 3", "5 −", "^ 2"."""
    call = node._op
    op = entry(call)
    if type(call) is not Folded or op.notation == "nary":
        return op.symbol  # a sum's or a dot's constants are in its value, not its name
    numbers = [fmt(k) for k in call.layout if k is not None]
    if op.notation == "infix" and len(call.layout) == 2:
        left = call.layout[0] is None
        return f"{op.symbol} {numbers[0]}" if left else f"{numbers[0]} {op.symbol}"
    slots = ["·" if k is None else fmt(k) for k in call.layout]
    return f"{op.symbol}({', '.join(slots)})"


def explain(root: Value) -> str:
    """The backward pass of ``root`` as a table, one row per chain-rule step.

    Rows come in the order the steps run: reverse topological order, so a
    node's row comes only after every consumer has handed it its share. Each
    row shows the node, its op, the upstream gradient d(root)/d(node), and
    for each parent the local derivative d(node)/d(parent) and the share
    ``upstream x local`` the parent receives. A parent used in several places
    adds up its shares, and the last lines give each leaf's total. No
    ``.grad`` is changed.
    """
    if not isinstance(root, Value):
        raise TypeError(f"explain: expected a Value, got {type(root).__name__}")
    order = topological_order(root)
    names = node_names(order)
    header = ("step", "node", "op", "upstream", "parent", "local", "share")
    rows: list[tuple[str, ...]] = []
    grads: dict[Value, float] = {root: 1.0}
    for i, step in enumerate(backward_steps(root), start=1):
        for parent, share in zip(step.node.parents, step.shares, strict=True):
            grads[parent] = grads.get(parent, 0.0) + share
        for j, (parent, local, share) in enumerate(
            zip(step.node.parents, step.local, step.shares, strict=True)
        ):
            lead = (str(i), names[step.node], op_symbol(step.node), fmt(step.upstream))
            rows.append((lead if j == 0 else ("",) * 4) + (names[parent], fmt(local), fmt(share)))
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    steps = len(set(r[0] for r in rows) - {""})
    lines = [
        f"backward pass of {names[root]} = {fmt(root.data)}: {steps} chain-rule "
        f"step{'' if steps == 1 else 's'}; each parent gets upstream × local",
        "",
    ]
    for row in [header, *rows]:
        cells = [c.rjust(widths[0]) if k == 0 else c.ljust(widths[k]) for k, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    leaves = [node for node in order if not node.parents and node is not root]
    lines += ["", "gradients of the leaves (d " + names[root] + " / d leaf):"]
    lines += [f"  {names[leaf]} = {grads.get(leaf, 0.0)!r}" for leaf in leaves]
    return "\n".join(lines) + "\n"
