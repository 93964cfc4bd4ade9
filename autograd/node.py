"""The node protocol: what a graph algorithm may read from a node.

Orders (``autograd.graph``), the backward walker (``autograd.walk``), ``explain``,
``draw``, ``paths`` and the anomaly check read a node through these attributes
only, never through private ones. ``autograd.Value`` has them, and so can a node
of another engine (a learner's micrograd ``Value``, wrapped), which is how
chainrule draws and explains graphs it did not build.

A node has:

``data``
    its forward value, a float;
``grad``
    its gradient, a float (what the engine's own backward left there);
``name``
    a label to show, or None;
``parents``
    its input nodes, as a tuple **in argument order** (``a - b`` has
    ``(a, b)``), empty for a leaf;
``local_derivatives``
    a tuple with one number per parent: d(node)/d(parent), evaluated where
    the node was made;
``op``
    the op's name, such as ``"mul"`` (``""`` for a leaf);
``index``
    an int larger than every parent's: creation order, or any topological
    numbering. Orders sort by it, so they are deterministic and need no recursion.

and, when the op is one of the table's, ``call``: the table entry (an
``autograd.ops.Op``), or an ``autograd.ops.Folded`` one when plain numbers were
folded in (``x * 3``). A node whose ``call`` is None can be drawn, explained
and walked, but not replayed, differentiated twice or checked rule by rule,
because chainrule does not know its rules; those refuse it by name.
"""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["MADE_WITHOUT_GRAPH", "Node", "check_node", "is_node", "refuse_without_graph"]

# The op of a result computed inside no_grad(): it has no graph, and backward() says so
# rather than hand back gradients of 0.
MADE_WITHOUT_GRAPH = "made inside no_grad()"


class Node(Protocol):
    """A node of a computational graph, as graph algorithms read it (see the module)."""

    data: float
    grad: float
    name: str | None

    @property
    def parents(self) -> tuple[Node, ...]: ...

    @property
    def local_derivatives(self) -> tuple[float, ...]: ...

    @property
    def op(self) -> str: ...

    @property
    def index(self) -> int: ...

    @property
    def call(self) -> Any: ...


_PROTOCOL = ("data", "grad", "name", "parents", "local_derivatives", "op", "index", "call")


def _lacks(node: object) -> list[str]:
    # Looked up on the class (slots, properties) or in the instance's own dict, so that
    # checking a node never runs its properties.
    kind, own = type(node), getattr(node, "__dict__", {})
    return [a for a in _PROTOCOL if not hasattr(kind, a) and a not in own]


def is_node(candidate: object) -> bool:
    """True if ``candidate`` has every attribute of the node protocol."""
    return not _lacks(candidate)


def check_node(operation: str, node: object) -> None:
    """A TypeError naming ``operation`` unless ``node`` speaks the node protocol: a
    number is "expected a Value"; a node of another engine is told what it lacks."""
    missing = _lacks(node)
    if not missing:
        return
    if "data" in missing:
        raise TypeError(f"{operation}: expected a Value, got {type(node).__name__}")
    raise TypeError(f"{operation}: a {type(node).__name__} is not a node chainrule can read: "
                    f"it has no {', '.join(missing)} (see autograd.node)")


def refuse_without_graph(operation: str, root: Node) -> None:
    """A RuntimeError naming ``operation`` when ``root`` was made inside no_grad()."""
    if root.call is MADE_WITHOUT_GRAPH:
        raise RuntimeError(
            f"{operation}: this Value was computed inside no_grad(), so it has no graph and "
            "no gradient can flow back to its inputs; compute it outside no_grad() "
            "(as PyTorch, which says the tensor does not require grad)")
