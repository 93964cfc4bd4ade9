"""Why a gradient is a sum: every path from an output back to an input.

The chain rule on a graph says

    d output / d input  =  sum over every path from output to input
                           of the product of the local derivatives along it.

``paths(price, apple)`` lists those paths. Each ``Path`` holds its nodes
(output first, input last), the local derivative of each edge, and their
product. ``Paths.total`` is the sum of the products, which is what
``backward()`` leaves in ``input.grad``: backward computes the same sum, but
factored (it adds the shares at each node before multiplying on), so the two
can differ in the last bits when paths branch and join; ``math.fsum`` makes
``total`` the correctly rounded sum of the products.

    >>> a = Value(3.0, "a"); y = a + a        # two paths, a local derivative 1 on each
    >>> paths(y, a).total                     # so y.grad is 1 + 1, which is why += and not =
    2.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from autograd.foreign import adopt, is_foreign
from autograd.graph import topological_order
from autograd.naming import fmt, node_names, op_symbol
from autograd.node import Node, is_node

__all__ = ["Path", "Paths", "paths"]

MAX_PATHS = 10_000


@dataclass(frozen=True)
class Path:
    """One path: ``nodes[0]`` is the output, ``nodes[-1]`` the input, and ``locals[k]``
    is d nodes[k] / d nodes[k+1] along the edge between them."""
    nodes: tuple[Node, ...]
    locals: tuple[float, ...]

    @property
    def product(self) -> float:
        """The local derivatives multiplied from the output down (as backward does)."""
        result = 1.0
        for local in self.locals:
            result *= local
        return result


class Paths:
    """Every path from ``output`` to ``input``, and the sum of their products.

    Iterate over it for ``Path`` objects; ``str()`` shows one line per path.
    ``draw(output, highlight=paths)`` colours them.
    """

    __slots__ = ("output", "input", "paths", "_names")

    def __init__(self, output: Node, input: Node, found: list[Path]) -> None:
        self.output, self.input, self.paths = output, input, found
        self._names: dict[Node, str] | None = None

    @property
    def names(self) -> dict[Node, str]:
        """Each node's display name, as ``draw`` and ``explain`` give it (made when first
        needed: finding the paths of a million-node chain needs no names)."""
        if self._names is None:
            self._names = node_names(topological_order(self.output))
        return self._names

    @property
    def total(self) -> float:
        """Σ over paths of Π of local derivatives: d output / d input (0 with no path)."""
        return math.fsum(path.product for path in self.paths)

    def __iter__(self):
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def describe(self, path: Path) -> str:
        """``price ←(× tax)─ total ←(+)─ apple_price ←(×)─ apple``, then the product."""
        parts = [self.names[path.nodes[0]]]
        for node, parent in zip(path.nodes[:-1], path.nodes[1:], strict=True):
            parts.append(f"←({op_symbol(node)})─ {self.names[parent]}")
        factors = " × ".join(fmt(local) for local in path.locals) or "1"
        return f"{' '.join(parts)}:  {factors} = {fmt(path.product)}"

    def __str__(self) -> str:
        out, inp = self.names[self.output], self.names.get(self.input, self.input.name or "?")
        lines = [f"{len(self.paths)} path{'' if len(self.paths) == 1 else 's'} "
                 f"from {out} to {inp}:"]
        lines += [f"  {self.describe(path)}" for path in self.paths]
        lines.append(f"sum = {self.total!r} = d {out} / d {inp}")
        return "\n".join(lines)

    __repr__ = __str__


def paths(output: Node, input: Node, *, max_paths: int = MAX_PATHS) -> Paths:
    """Every path from ``output`` back to ``input`` through the graph's edges.

    A parent used twice by one node (``a + a``) gives two paths, one per edge.
    Unconnected nodes give no paths and a total of 0. The number of paths can
    grow exponentially with depth; more than ``max_paths`` raises ValueError.
    """
    if not is_node(output) and not is_foreign(output):
        raise TypeError(f"paths: the output must be a Value, got {type(output).__name__}")
    output, views = adopt("paths", output)  # a learner's micrograd graph too
    input = views.get(id(input), input)
    if not is_node(input):
        raise TypeError(f"paths: the input must be a Value, got {type(input).__name__}")
    order = topological_order(output)
    leads = _leading_to(order, input)
    found: list[Path] = []
    if output is input:  # the empty path, whose product is 1: d x / d x
        found.append(Path((output,), ()))
    elif output in leads:
        _walk(output, input, leads, found, max_paths)
    return Paths(output, input, found)


def _leading_to(order: list[Node], input: Node) -> set[Node]:
    """The nodes from which ``input`` can be reached: input, and whatever has such a parent.
    (An input outside the graph is no node's parent, so nothing leads to it.)"""
    leads = {input}
    lead, add = leads.__contains__, leads.add  # looked up once, not per node
    for node in order:
        for parent in node.parents:
            if lead(parent):
                add(node)
                break
    return leads


def _walk(output: Node, input: Node, leads: set[Node], found: list[Path],
          max_paths: int) -> None:
    """Depth first from ``output``, without recursion, entering only nodes that lead to
    ``input``. One path is kept and extended or cut back in place, with the position of
    the next parent to try at each depth, so a step costs O(1) and allocates nothing the
    garbage collector tracks: a single path of n nodes takes O(n), not O(n²)."""
    nodes, slopes, parents_of, next_parent = [output], [], [output.parents], [0]
    while nodes:
        parents, k = parents_of[-1], next_parent[-1]
        if k == len(parents):  # every edge from the path's last node is done: step back
            nodes.pop()
            parents_of.pop()
            next_parent.pop()
            if slopes:
                slopes.pop()
            continue
        next_parent[-1] = k + 1
        parent = parents[k]
        if parent not in leads:
            continue
        local = float(nodes[-1].local_derivatives[k])
        if parent is input:
            found.append(Path((*nodes, parent), (*slopes, local)))
            if len(found) > max_paths:
                raise ValueError(f"paths: more than max_paths={max_paths} paths from "
                                 f"{output.name or 'the output'} to "
                                 f"{input.name or 'the input'}")
            continue
        nodes.append(parent)
        slopes.append(local)
        parents_of.append(parent.parents)
        next_parent.append(0)
