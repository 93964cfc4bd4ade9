"""Draw a computational graph with each node's forward value and gradient.

``draw(root)`` returns a ``graphviz.Digraph``. Jupyter displays it, and
``.pipe(format="svg")``, ``.render()`` or ``.write("graph.png")`` turn it into
SVG, PNG or PDF through Graphviz's ``dot``. Only rendering needs ``dot``: the
DOT text (``.source``) is built in Python.

The style follows the book's figures. Each op is a small circle (×, +, exp,
tanh, dot, ...). Each value is a box with its name, its forward value, and in
red its gradient d(root)/d(node). Leaves (inputs and parameters) are shaded,
and the root has a heavy border. Node ids come from topological position, so
the same graph always gives the same DOT text.

Big graphs: ``nn`` names parameters by module path (``layers.0.neurons.3.w.2``).
Every node is placed in the scope of the parameters it uses, and scopes become
nested clusters (a layer around its neurons). ``collapse=["layers.*"]`` draws
each matching cluster as a single box.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from pathlib import Path

import graphviz

from autograd.atomic import write_atomic
from autograd.backprop import nodes_up_to, topological_order
from autograd.explain import fmt, node_names, op_symbol
from autograd.value import Value

__all__ = ["Diagram", "GraphvizNotFound", "draw", "scopes"]

GRAD_COLOR = "#c0392b"  # the book draws backward values in red
HIGHLIGHT_COLOR = "#e67e22"
LEAF_FILL = "#eaf2fb"
CLUSTER_FILL = "#f7f7f7"
SHOW = ("data", "grad", "both")
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf"}


class GraphvizNotFound(graphviz.ExecutableNotFound):
    """Graphviz's ``dot`` program is not installed, so the diagram cannot be rendered."""

    def __init__(self) -> None:
        RuntimeError.__init__(
            self,
            "Graphviz's 'dot' program was not found on PATH, so the diagram cannot be "
            "rendered. Install Graphviz: 'sudo apt-get install graphviz' on Debian/Ubuntu, "
            "'brew install graphviz' on macOS (or run 'make demo', which installs it as root). "
            "The DOT text is still available as diagram.source.",
        )


class Diagram(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose rendering errors say how to install Graphviz."""

    def pipe(self, *args, **kwargs):
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise GraphvizNotFound() from error

    def render(self, *args, **kwargs):
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise GraphvizNotFound() from error

    def write(self, path: str | os.PathLike) -> Path:
        """Write to ``path`` (atomically). The suffix picks the format.

        .svg, .png and .pdf are rendered by ``dot``; .dot and .gv are the DOT text.
        """
        suffix = Path(path).suffix.lower()
        if suffix in (".dot", ".gv"):
            return write_atomic(path, self.source)
        if suffix not in FORMATS:
            raise ValueError(
                f"Diagram.write: unknown format {suffix or '(none)'!r} in {str(path)!r}; "
                "use .svg, .png, .pdf, .dot or .gv"
            )
        return write_atomic(path, self.pipe(format=FORMATS[suffix]))


def _scope_of_name(name: str | None) -> str:
    """``layers.0.neurons.3.w.2`` -> ``layers.0.neurons.3``: drop indices, then the field."""
    if not name:
        return ""
    parts = name.split(".")
    while parts and parts[-1].isdigit():
        parts.pop()
    return ".".join(parts[:-1])


def _common_scope(scopes: Iterable[str]) -> str:
    split = [s.split(".") for s in scopes]
    common = os.path.commonprefix(split) if split else []
    return ".".join(common)


def scopes(order: list[Value]) -> dict[Value, str]:
    """The module scope of every node ("" for none).

    A named leaf is in its name's scope. An op node is in the common scope of
    the named leaves it uses directly (its weights and bias). If it uses none,
    it inherits its op parents' scope when they all agree (a neuron's relu
    stays with its dot).
    """
    scope: dict[Value, str] = {}
    for node in order:
        if not node.parents:
            scope[node] = _scope_of_name(node.name)
            continue
        from_leaves = {scope[p] for p in node.parents if not p.parents and scope[p]}
        if from_leaves:
            scope[node] = _common_scope(from_leaves)
        else:
            from_ops = {scope[p] for p in node.parents if p.parents}
            scope[node] = from_ops.pop() if len(from_ops) == 1 else ""
    return scope


def _natural(scope: str) -> list[tuple[int, int | str]]:
    """Sort key: layers.2 before layers.10."""
    return [(0, int(p)) if p.isdigit() else (1, p) for p in scope.split(".")]


def _clusters_of(scope: str) -> list[str]:
    """The clusters around a scope, outermost first: every prefix that ends in an index
    (a layer ``layers.0``, a neuron ``layers.0.neurons.3``), and the scope itself."""
    if not scope:
        return []
    parts = scope.split(".")
    prefixes = [".".join(parts[: i + 1]) for i, part in enumerate(parts) if part.isdigit()]
    return prefixes if prefixes and prefixes[-1] == scope else [*prefixes, scope]


COLLAPSE_FACTOR = 100  # nodes per shape that collapsing may fold, at most, on average


def _globs(nodes: Iterable[Value]) -> list[str]:
    """Patterns that collapse each module: ``layers.*`` or ``affine1.*``, not a neuron."""
    tops = {_scope_of_name(node.name).split(".")[0] for node in nodes if node.name}
    return sorted(f"{top}.*" for top in tops if top)


def _advice(nodes: Iterable[Value], patterns: list[str]) -> str:
    globs = [g for g in _globs(nodes) if g not in patterns]
    if globs:
        return f"collapse modules, e.g. draw(root, collapse={globs[:4]!r}), or raise max_nodes"
    if patterns:
        return "collapsing does not fold enough of it; raise max_nodes"
    return ("raise max_nodes, or name the parameters by module (nn's modules do) so that "
            "draw(root, collapse=[...]) can fold them")


def _too_big_message(seen: set[Value], limit: int, max_nodes: int, patterns: list[str]) -> str:
    return (f"draw: the graph has more than {limit} nodes, too many for max_nodes={max_nodes}"
            f"{' with collapse' if patterns else ''} (counting stopped there); "
            f"{_advice(seen, patterns)}")


def draw(
    root: Value,
    *,
    rankdir: str = "LR",
    show: str = "both",
    max_nodes: int = 1000,
    collapse: str | Iterable[str] = (),
    legend: bool = True,
    grads: Mapping[Value, float] | None = None,
    highlight: Value | None = None,
) -> Diagram:
    """Draw the graph that ``root`` depends on.

    rankdir: "LR" (left to right, as in the book) or "TB", "RL", "BT".
    show: "data" (forward values), "grad" (gradients) or "both".
    max_nodes: refuse, with advice, to draw more shapes than this.
    collapse: glob patterns of cluster names to draw as one box each,
        e.g. ``["layers.*"]`` for every layer or ``["layers.1.neurons.*"]``.
    legend: add a key explaining the colours.
    grads: gradients to show instead of ``.grad`` (a missing node shows "?");
        the backward animation uses this for its partial frames.
    highlight: a node to outline, with the edges from its parents.
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw: expected a Value, got {type(root).__name__}")
    if show not in SHOW:
        raise ValueError(f"draw: show must be one of {SHOW}, got {show!r}")
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw: rankdir must be LR, RL, TB or BT, got {rankdir!r}")
    patterns = [collapse] if isinstance(collapse, str) else list(collapse)
    # Every node is at least one shape, unless clusters are collapsed: then a box may
    # hold up to COLLAPSE_FACTOR of them on average. Past that, refuse before walking on.
    limit = max_nodes * (COLLAPSE_FACTOR if patterns else 1)
    seen = nodes_up_to(root, limit)
    if len(seen) > limit:
        raise ValueError(_too_big_message(seen, limit, max_nodes, patterns))

    order = topological_order(root)
    names = node_names(order)
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    scope = scopes(order)
    cluster_path = {node: _clusters_of(scope[node]) for node in order}

    def outermost_collapsed(node: Value) -> str | None:
        matches = (c for c in cluster_path[node] if any(fnmatchcase(c, p) for p in patterns))
        return next(matches, None)

    collapsed_into = {node: outermost_collapsed(node) for node in order}
    groups = set(collapsed_into.values()) - {None}
    # a box per value, a circle per op, one box per collapsed cluster
    shapes = len(groups) + sum(1 + bool(n.parents) for n in order if not collapsed_into[n])
    if shapes > max_nodes:
        raise ValueError(f"draw: the graph needs {shapes} shapes, more than "
                         f"max_nodes={max_nodes}; {_advice(order, patterns)}")

    diagram = Diagram(name="chainrule", graph_attr={
        "rankdir": rankdir, "fontname": "Helvetica", "nodesep": "0.25", "ranksep": "0.35",
    }, node_attr={"fontname": "Helvetica", "fontsize": "11"}, edge_attr={"color": "#555555"})

    # Statements per cluster; a cluster's children in first-appearance order.
    members: dict[str, list[tuple[str, str, dict]]] = {"": []}
    children: dict[str, list[str]] = {"": []}

    def place(node: Value, statement: tuple[str, str, dict]) -> None:
        path = cluster_path[node]
        if collapsed_into[node]:
            path = path[: path.index(collapsed_into[node])]
        parent = ""
        for cluster in path:
            if cluster not in members:
                members[cluster], children[cluster] = [], []
                children[parent].append(cluster)
            parent = cluster
        members[parent].append(statement)

    def grad_text(node: Value) -> str:
        if grads is None:
            return fmt(node.grad)
        return fmt(grads[node]) if node in grads else "?"

    group_sizes: dict[str, int] = {}
    for node in order:
        if collapsed_into[node]:
            group_sizes[collapsed_into[node]] = group_sizes.get(collapsed_into[node], 0) + 1
    for group, size in group_sizes.items():
        label = f"<<b>{html.escape(group)}</b><br/>{size} nodes>"
        first = next(n for n in order if collapsed_into[n] == group)
        place(first, (f"c_{group}", label, {
            "shape": "box3d", "style": "filled", "fillcolor": "#dddddd",
        }))

    for node in order:
        if collapsed_into[node]:
            continue
        # Inside its cluster a parameter needs only the rest of its name: w.2, b.
        shown = names[node].removeprefix(scope[node] + ".") if scope[node] else names[node]
        lines = [f"<b>{html.escape(shown)}</b>" if node.name else
                 f'<font color="#888888">{names[node]}</font>']
        if show in ("data", "both"):
            lines.append(f"data {fmt(node.data)}")
        if show in ("grad", "both"):
            lines.append(f'<font color="{GRAD_COLOR}">grad {grad_text(node)}</font>')
        attrs = {"shape": "box", "style": "rounded"}
        if not node.parents:
            attrs = {"shape": "box", "style": "rounded,filled", "fillcolor": LEAF_FILL}
        if node is root:
            attrs["penwidth"] = "2"
        if node is highlight:
            attrs.update(color=HIGHLIGHT_COLOR, penwidth="3")
        place(node, (ids[node], "<" + "<br/>".join(lines) + ">", attrs))
        if node.parents:
            place(node, (ids[node] + "op", html.escape(op_symbol(node)), {
                "shape": "circle", "fixedsize": "false", "width": "0.3", "margin": "0.02",
                "fontsize": "10", **({"color": HIGHLIGHT_COLOR, "penwidth": "2"}
                                      if node is highlight else {}),
            }))

    def emit(graph: graphviz.Digraph, cluster: str) -> None:
        for node_id, label, attrs in members[cluster]:
            graph.node(node_id, label, **attrs)
        for child in sorted(children[cluster], key=_natural):
            with graph.subgraph(name=f"cluster_{child}") as sub:
                sub.attr(label=child, style="rounded,filled", fillcolor=CLUSTER_FILL,
                         color="#bbbbbb", fontsize="10", fontcolor="#666666")
                emit(sub, child)

    emit(diagram, "")

    def shape_of(node: Value) -> str:
        group = collapsed_into[node]
        return f"c_{group}" if group else ids[node]

    drawn_edges: set[tuple[str, str]] = set()
    for node in order:
        if not node.parents:
            continue
        target = shape_of(node) if collapsed_into[node] else ids[node] + "op"
        if not collapsed_into[node]:
            diagram.edge(target, ids[node])
        for parent in node.parents:
            source = shape_of(parent)
            if collapsed_into[node] or collapsed_into[parent]:
                if source == target or (source, target) in drawn_edges:
                    continue  # one edge per pair of boxes, none inside a box
                drawn_edges.add((source, target))
            attrs = {"color": HIGHLIGHT_COLOR, "penwidth": "2"} if node is highlight else {}
            diagram.edge(source, target, **attrs)

    if legend and show != "data":
        with diagram.subgraph(name="cluster_legend") as key:
            key.attr(label="", color="#dddddd", style="rounded")
            key_lines = ["data = forward value"] if show == "both" else []
            key_lines += [f'<font color="{GRAD_COLOR}">grad = d {html.escape(names[root])}'
                          " / d node</font>", "circle = operation"]
            key.node("legend", "<" + "<br/>".join(key_lines) + ">", shape="plaintext",
                     fontsize="10")
    return diagram
