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
from dataclasses import replace
from fnmatch import fnmatchcase
from pathlib import Path

import graphviz

from autograd.atomic import write_atomic
from autograd.foreign import adopt, expected_gradients
from autograd.graph import nodes_up_to, topological_order
from autograd.language import check_language, fonts, text
from autograd.naming import fmt, node_names, op_symbol
from autograd.node import Node, is_node
from autograd.pathsum import Paths
from autograd.style import RANKDIRS, SHOW, Style

__all__ = ["Diagram", "GraphvizNotFound", "draw", "font_list", "scopes"]


def font_list(lang: str = "en") -> str:
    """The fontname ``draw`` uses for ``lang``: a comma-separated list, first match wins."""
    # Helvetica and sans-serif are the fallbacks on a machine with none of the language's
    # fonts (Latin names still render).
    return ",".join([*fonts(check_language(lang, "font_list")), "NanumGothic",
                     "Helvetica", "Arial", "sans-serif"])
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


def scopes(order: list[Node]) -> dict[Node, str]:
    """The module scope of every node ("" for none).

    A named leaf is in its name's scope. An op node is in the common scope of
    the named leaves it uses directly (its weights and bias). If it uses none,
    it inherits its op parents' scope when they all agree (a neuron's relu
    stays with its dot).
    """
    scope: dict[Node, str] = {}
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


def _globs(nodes: Iterable[Node]) -> list[str]:
    """Patterns that collapse each module: ``layers.*`` or ``affine1.*``, not a neuron."""
    tops = {_scope_of_name(node.name).split(".")[0] for node in nodes if node.name}
    return sorted(f"{top}.*" for top in tops if top)


def _advice(nodes: Iterable[Node], patterns: list[str]) -> str:
    globs = [g for g in _globs(nodes) if g not in patterns]
    if globs:
        return f"collapse modules, e.g. draw(root, collapse={globs[:4]!r}), or raise max_nodes"
    if patterns:
        return "collapsing does not fold enough of it; raise max_nodes"
    return ("raise max_nodes, or name the parameters by module (nn's modules do) so that "
            "draw(root, collapse=[...]) can fold them")


def _too_big_message(seen: set[Node], limit: int, max_nodes: int, patterns: list[str]) -> str:
    return (f"draw: the graph has more than {limit} nodes, too many for max_nodes={max_nodes}"
            f"{' with collapse' if patterns else ''} (counting stopped there); "
            f"{_advice(seen, patterns)}")


Highlight = Node | Paths | Iterable[Node] | None


def _highlighted(highlight: Highlight) -> tuple[set[Node], set[tuple[Node, Node]], Paths | None]:
    """The nodes and (parent, node) edges to outline, from a node, nodes, or ``paths()``."""
    if highlight is None:
        return set(), set(), None
    if isinstance(highlight, Paths):
        edges = {(p.nodes[k + 1], p.nodes[k]) for p in highlight for k in range(len(p.locals))}
        return {n for p in highlight for n in p.nodes}, edges, highlight
    nodes = [highlight] if is_node(highlight) else list(highlight)
    for node in nodes:
        if not is_node(node):
            raise TypeError("draw: highlight takes a Value, Values, or paths(output, input); "
                            f"got {type(node).__name__}")
    return set(nodes), {(p, n) for n in nodes for p in n.parents}, None


def _style_of(root: Node, style: Style | None, lang: str, **given: object) -> Style:
    """``style`` (the default Style when None) with the keywords given to draw itself."""
    if not is_node(root):
        raise TypeError(f"draw: expected a Value, got {type(root).__name__}")
    check_language(lang, "draw")
    if style is not None and not isinstance(style, Style):
        raise TypeError(f"draw: style must be an autograd.Style, got {type(style).__name__}")
    if given.get("show") not in (None, *SHOW):
        raise ValueError(f"draw: show must be one of {SHOW}, got {given['show']!r}")
    if given.get("rankdir") not in (None, *RANKDIRS):
        raise ValueError(f"draw: rankdir must be LR, RL, TB or BT, got {given['rankdir']!r}")
    chosen = {key: value for key, value in given.items() if value is not None}
    return replace(style or Style(), **chosen)  # Style checks the types


class _Layout:
    """Where each node goes: its name, its id, its cluster path, and the collapsed box
    (if any) it is folded into."""

    def __init__(self, root: Node, patterns: list[str], max_nodes: int) -> None:
        # Every node is at least one shape, unless clusters are collapsed: then a box may
        # hold up to COLLAPSE_FACTOR of them on average. Past that, refuse before walking on.
        limit = max_nodes * (COLLAPSE_FACTOR if patterns else 1)
        seen = nodes_up_to(root, limit)
        if len(seen) > limit:
            raise ValueError(_too_big_message(seen, limit, max_nodes, patterns))
        self.order = topological_order(root)
        self.names = node_names(self.order)
        self.ids = {node: f"v{i}" for i, node in enumerate(self.order)}
        self.scope = scopes(self.order)
        self.cluster_path = {node: _clusters_of(self.scope[node]) for node in self.order}
        self.collapsed_into = {node: next((c for c in self.cluster_path[node]
                                           if any(fnmatchcase(c, p) for p in patterns)), None)
                               for node in self.order}
        groups = set(self.collapsed_into.values()) - {None}
        # a box per value, a circle per op, one box per collapsed cluster
        shapes = len(groups) + sum(1 + bool(n.parents) for n in self.order
                                   if not self.collapsed_into[n])
        if shapes > max_nodes:
            raise ValueError(f"draw: the graph needs {shapes} shapes, more than "
                             f"max_nodes={max_nodes}; {_advice(self.order, patterns)}")
        # Statements per cluster; a cluster's children in first-appearance order.
        self.members: dict[str, list[tuple[str, str, dict]]] = {"": []}
        self.children: dict[str, list[str]] = {"": []}

    def place(self, node: Node, statement: tuple[str, str, dict]) -> None:
        path = self.cluster_path[node]
        if self.collapsed_into[node]:
            path = path[: path.index(self.collapsed_into[node])]
        parent = ""
        for cluster in path:
            if cluster not in self.members:
                self.members[cluster], self.children[cluster] = [], []
                self.children[parent].append(cluster)
            parent = cluster
        self.members[parent].append(statement)

    def shape_of(self, node: Node) -> str:
        group = self.collapsed_into[node]
        return f"c_{group}" if group else self.ids[node]

    def emit(self, graph: graphviz.Digraph, style: Style, cluster: str = "") -> None:
        for node_id, label, attrs in self.members[cluster]:
            graph.node(node_id, label, **attrs)
        for child in sorted(self.children[cluster], key=_natural):
            with graph.subgraph(name=f"cluster_{child}") as sub:
                sub.attr(label=child, style="rounded,filled", fillcolor=style.cluster_fill,
                         color=style.cluster_border, fontsize=style.small_fontsize,
                         fontcolor=style.cluster_title)
                self.emit(sub, style, child)


def _place_collapsed(layout: _Layout, style: Style) -> None:
    sizes: dict[str, int] = {}
    for node in layout.order:
        if layout.collapsed_into[node]:
            sizes[layout.collapsed_into[node]] = sizes.get(layout.collapsed_into[node], 0) + 1
    for group, size in sizes.items():
        first = next(n for n in layout.order if layout.collapsed_into[n] == group)
        layout.place(first, (f"c_{group}", f"<<b>{html.escape(group)}</b><br/>{size} nodes>",
                             {"shape": "box3d", "style": "filled",
                              "fillcolor": style.collapsed_fill}))


def _grad_line(shown: float | None, right: float | None, style: Style) -> tuple[str, bool]:
    """The box's gradient line, and whether it is wrong (differs from ``right``)."""
    value = "?" if shown is None else fmt(shown)
    if right is None or (shown is not None and shown == right):
        return f'<font color="{style.grad_color}">grad {value}</font>', False
    return (f'<font color="{style.wrong_color}"><s>grad {value}</s> ({fmt(right)})</font>',
            True)


def _place_values(layout: _Layout, root: Node, style: Style, marked: set[Node],
                  grads: Mapping[Node, float] | None,
                  expected: Mapping[Node, float] | None) -> None:
    show = style.show
    for node in layout.order:
        if layout.collapsed_into[node]:
            continue
        scope = layout.scope[node]
        # Inside its cluster a parameter needs only the rest of its name: w.2, b.
        shown = layout.names[node].removeprefix(scope + ".") if scope else layout.names[node]
        lines = [f"<b>{html.escape(shown)}</b>" if node.name else
                 f'<font color="{style.unnamed_color}">{layout.names[node]}</font>']
        if show in ("data", "both"):
            lines.append(f"data {fmt(node.data)}")
        wrong = False
        if show in ("grad", "both"):
            gradient = node.grad if grads is None else grads.get(node)
            line, wrong = _grad_line(gradient, None if expected is None else expected.get(node),
                                     style)
            lines.append(line)
        attrs = {"shape": "box", "style": "rounded"}
        if not node.parents:
            attrs = {"shape": "box", "style": "rounded,filled", "fillcolor": style.leaf_fill}
        if node is root:
            attrs["penwidth"] = "2"
        if node in marked:
            attrs.update(color=style.highlight_color, penwidth="3")
        if wrong:
            attrs.update(color=style.wrong_color, penwidth="3", style=attrs["style"] + ",dashed")
        layout.place(node, (layout.ids[node], "<" + "<br/>".join(lines) + ">", attrs))
        if node.parents:
            layout.place(node, (layout.ids[node] + "op", html.escape(op_symbol(node)), {
                "shape": "circle", "fixedsize": "false", "width": "0.3", "margin": "0.02",
                "fontsize": style.small_fontsize,
                **({"color": style.highlight_color, "penwidth": "2"} if node in marked else {}),
            }))


def _add_edges(diagram: graphviz.Digraph, layout: _Layout, edges: set[tuple[Node, Node]],
               style: Style) -> None:
    drawn: set[tuple[str, str]] = set()
    bold = {"color": style.highlight_color, "penwidth": "2.5"}
    reached = {node for _, node in edges}  # an op's edge to its value is on a path too
    for node in layout.order:
        if not node.parents:
            continue
        folded = layout.collapsed_into[node]
        target = layout.shape_of(node) if folded else layout.ids[node] + "op"
        if not folded:
            diagram.edge(target, layout.ids[node], **(bold if node in reached else {}))
        for parent in node.parents:
            source = layout.shape_of(parent)
            if folded or layout.collapsed_into[parent]:
                if source == target or (source, target) in drawn:
                    continue  # one edge per pair of boxes, none inside a box
                drawn.add((source, target))
            diagram.edge(source, target, **(bold if (parent, node) in edges else {}))


def _add_legend(diagram: graphviz.Digraph, style: Style, root_name: str, lang: str,
                paths: Paths | None, names: dict[Node, str], expected: bool) -> None:
    lines = [html.escape(text(lang, "legend_data"))] if style.show == "both" else []
    grad = html.escape(text(lang, "legend_grad", root=root_name))
    lines += [f'<font color="{style.grad_color}">{grad}</font>',
              html.escape(text(lang, "legend_op"))]
    if paths is not None:
        target = names.get(paths.input, paths.input.name or "?")
        path_text = text(lang, "legend_path", root=root_name, input=target)
        lines.append(f'<font color="{style.highlight_color}">{html.escape(path_text)}</font>')
    if expected:
        wrong = html.escape(text(lang, "legend_wrong"))
        lines.append(f'<font color="{style.wrong_color}">{wrong}</font>')
    with diagram.subgraph(name="cluster_legend") as key:
        key.attr(label="", color=style.legend_border, style="rounded")
        key.node("legend", "<" + "<br/>".join(lines) + ">", shape="plaintext",
                 fontsize=style.small_fontsize)


def draw(
    root: Node,
    *,
    style: Style | None = None,
    rankdir: str | None = None,
    show: str | None = None,
    max_nodes: int = 1000,
    collapse: str | Iterable[str] = (),
    legend: bool | None = None,
    grads: Mapping[Node, float] | None = None,
    highlight: Highlight = None,
    expected: Mapping[Node, float] | None = None,
    lang: str = "en",
    fontname: str | None = None,
    check: bool = False,
) -> Diagram:
    """Draw the graph that ``root`` depends on.

    style: how it looks (``autograd.Style``: direction, what the boxes show, the legend,
        fonts and colours); the default Style when None.
    rankdir, show, legend, fontname: the style's fields of those names, given here
        instead (None: the style's). rankdir: "LR" (left to right, as in the book) or
        "TB", "RL", "BT"; show: "data" (forward values), "grad" (gradients) or "both".
    max_nodes: refuse, with advice, to draw more shapes than this.
    collapse: glob patterns of cluster names to draw as one box each,
        e.g. ``["layers.*"]`` for every layer or ``["layers.1.neurons.*"]``.
    grads: gradients to show instead of ``.grad`` (a missing node shows "?");
        the backward animation uses this for its partial frames.
    highlight: what to outline in orange: a node (with the edges from its
        parents), several nodes, or ``paths(output, input)`` (every edge on them).
    expected: the right gradients; a box whose shown gradient differs is drawn
        dashed red, with the wrong number struck out and the right one beside it.
    lang: "en", "ko" or "ja", for the legend; a font for its script when the style
        names none (``font_list(lang)``).
    check: compare every gradient with chainrule's own (``expected`` from
        ``autograd.foreign.expected_gradients``): for a learner's engine, whose micrograd
        ``Value`` draw reads as well (``autograd.foreign``), the wrong boxes are red.
    """
    root, _ = adopt("draw", root)
    if check:
        if expected is not None:
            raise ValueError("draw: give check=True or expected=, not both")
        expected = expected_gradients(root)
    style = _style_of(root, style, lang, rankdir=rankdir, show=show, legend=legend,
                      fontname=fontname)
    marked, edges, chosen_paths = _highlighted(highlight)
    layout = _Layout(root, [collapse] if isinstance(collapse, str) else list(collapse),
                     max_nodes)
    font = style.fontname or font_list(lang)
    diagram = Diagram(name="chainrule", graph_attr={
        "rankdir": style.rankdir, "fontname": font, "nodesep": style.nodesep,
        "ranksep": style.ranksep,
    }, node_attr={"fontname": font, "fontsize": style.fontsize},
        edge_attr={"color": style.edge_color})
    _place_collapsed(layout, style)
    _place_values(layout, root, style, marked, grads, expected)
    layout.emit(diagram, style)
    _add_edges(diagram, layout, edges, style)
    if style.legend and style.show != "data":
        _add_legend(diagram, style, layout.names[root], lang, chosen_paths, layout.names,
                    expected is not None)
    return diagram
