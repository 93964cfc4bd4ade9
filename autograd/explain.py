"""Explain a graph in words: node names, op symbols, and the backward pass as a table.

    >>> print(explain(price))           # doctest: +SKIP
    step  node         op  upstream  parent       local  share
       1  price        ×   1         total        1.1    1.1
                                     tax          650    650
    ...

``explain`` returns an ``Explanation``: ``str()`` (and ``print``) give the
table, Jupyter shows it as an HTML table, and ``.rows`` holds the numbers for
programs. ``lang="ko"`` or ``"ja"`` gives the headers in Korean or Japanese.

``explain`` and ``draw`` give every node the same name: its own name if it
has one, else ``v<i>`` with i its position in topological order. So a row of
the table points at a box of the diagram.
"""

from __future__ import annotations

import html
import math
import unicodedata
from typing import NamedTuple

from autograd.foreign import adopt
from autograd.graph import topological_order
from autograd.language import check_language, text
from autograd.naming import fmt, node_names, op_symbol
from autograd.node import Node
from autograd.walk import Walk

__all__ = ["MAX_ROWS", "Explanation", "Row", "display_width", "explain"]

_WIDE = ("W", "F")  # East Asian Wide and Fullwidth


def display_width(cell: str) -> int:
    """Columns a terminal gives ``cell``: 2 for East Asian wide characters (사, り, 税),
    0 for combining marks, 1 for the rest. ``len`` would count 사과 as 2, not 4."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in _WIDE
               else 1 for ch in cell)


def _pad(cell: str, width: int, right: bool) -> str:
    fill = " " * (width - display_width(cell))
    return fill + cell if right else cell + fill


class Row(NamedTuple):
    """One parent's share in one chain-rule step. A step's first row carries its
    ``step``, ``node``, ``op`` and ``upstream``; its later rows have None there."""
    step: int | None
    node: str | None
    op: str | None
    upstream: float | None
    parent: str
    local: float
    share: float


COLUMNS = ("step", "node", "op", "upstream", "parent", "local", "share")


class Explanation:
    """The backward pass of one output, step by step (what ``explain`` returns).

    ``rows``: a ``Row`` per (step, parent), in the order the steps run, the first
    ``max_rows`` of them; ``total_rows``: how many there are in all; ``steps``: the steps.
    ``gradients``: each leaf's name and its total gradient d(output)/d(leaf), for the
    first ``max_rows`` leaves; ``leaves``: how many there are in all.
    ``str()`` is the table, aligned by display width; in Jupyter it shows as HTML.
    """

    __slots__ = ("output", "value", "rows", "gradients", "lang", "steps", "total_rows",
                 "leaves")

    def __init__(self, output: str, value: float, rows: list[Row],
                 gradients: list[tuple[str, float]], lang: str, steps: int | None = None,
                 total_rows: int | None = None, leaves: int | None = None) -> None:
        self.output, self.value, self.rows = output, value, rows
        self.gradients, self.lang = gradients, lang
        self.steps = sum(row.step is not None for row in rows) if steps is None else steps
        self.total_rows = len(rows) if total_rows is None else total_rows
        self.leaves = len(gradients) if leaves is None else leaves

    def title(self) -> str:
        return text(self.lang, "explain_title", root=self.output, value=fmt(self.value),
                    steps=self.steps, plural="" if self.steps == 1 else "s")

    def header(self) -> list[str]:
        return [text(self.lang, f"col_{column}") for column in COLUMNS]

    def cells(self) -> list[list[str]]:
        """Each row as the text the table shows (numbers to 6 digits, blanks for None)."""
        return [["" if v is None else fmt(v) if isinstance(v, float) else str(v) for v in row]
                for row in self.rows]

    def more(self) -> tuple[str | None, str | None]:
        """The lines that say how many rows and leaves the limit left out, and how to see
        them all (None where nothing was left out)."""
        hidden_rows = self.total_rows - len(self.rows)
        hidden_leaves = self.leaves - len(self.gradients)
        steps = text(self.lang, "explain_more_rows", n=hidden_rows,
                     plural="" if hidden_rows == 1 else "s") if hidden_rows else None
        leaves = text(self.lang, "explain_more_leaves", n=hidden_leaves,
                      plural="" if hidden_leaves == 1 else "s") if hidden_leaves else None
        return steps, leaves

    def __str__(self) -> str:
        table = [self.header(), *self.cells()]
        widths = [max(display_width(r[k]) for r in table) for k in range(len(COLUMNS))]
        more_steps, more_leaves = self.more()
        lines = [self.title(), ""]
        lines += ["  ".join(_pad(c, widths[k], right=k == 0) for k, c in enumerate(r)).rstrip()
                  for r in table]
        lines += [more_steps] if more_steps else []
        lines += ["", text(self.lang, "leaves_title", root=self.output)]
        lines += [f"  {name} = {gradient!r}" for name, gradient in self.gradients]
        lines += [more_leaves] if more_leaves else []
        return "\n".join(lines) + "\n"

    __repr__ = __str__  # a bare explain(...) at the prompt shows the table, not one line

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # IPython's terminal
        printer.text(str(self))

    def _repr_html_(self) -> str:
        def line(cells: list[str], tag: str) -> str:
            return "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"

        leaves = "".join(f"<li><code>{html.escape(n)} = {g!r}</code></li>"
                         for n, g in self.gradients)
        more = "".join(f"<p>{html.escape(m)}</p>" for m in self.more() if m)
        return (f"<p>{html.escape(self.title())}</p><table>{line(self.header(), 'th')}"
                + "".join(line(r, "td") for r in self.cells())
                + f"</table><p>{html.escape(text(self.lang, 'leaves_title', root=self.output))}"
                f"</p><ul>{leaves}</ul>{more}")

    def _repr_markdown_(self) -> str:
        def line(cells: list[str]) -> str:
            return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

        return "\n".join([
            self.title(), "", line(self.header()), line(["---"] * len(COLUMNS)),
            *(line(r) for r in self.cells()), "",
            text(self.lang, "leaves_title", root=self.output), "",
            *(f"- `{name} = {gradient!r}`" for name, gradient in self.gradients),
            *(f"\n{m}" for m in self.more() if m),
        ]) + "\n"


MAX_ROWS = 200  # explain's default: rows (and leaves) shown; max_rows=None shows all


def explain(root: Node, *, lang: str = "en", max_rows: int | None = MAX_ROWS) -> Explanation:
    """The backward pass of ``root`` as a table, one row per chain-rule step.

    Rows come in the order the steps run: reverse topological order, so a
    node's row comes only after every consumer has handed it its share. Each
    row shows the node, its op, the upstream gradient d(root)/d(node), and
    for each parent the local derivative d(node)/d(parent) and the share
    ``upstream x local`` the parent receives. A parent used in several places
    adds up its shares, and the last lines give each leaf's total. No
    ``.grad`` is changed. ``lang``: "en", "ko" or "ja", for the headers.

    ``max_rows``: the table shows the first 200 rows and the first 200 leaves, and
    says how many more there are; ``max_rows=None`` shows every one. Either way the
    walk is one pass over the graph, linear in its size.
    """
    root, _ = adopt("explain", root)  # a learner's micrograd node too
    check_language(lang, "explain")
    if max_rows is not None and (isinstance(max_rows, bool) or not isinstance(max_rows, int)
                                 or max_rows < 1):
        raise ValueError(f"explain: max_rows must be a positive int or None, got {max_rows!r}")
    limit = max_rows if max_rows is not None else math.inf
    order = topological_order(root)
    names = node_names(order)
    rows: list[Row] = []
    walk = Walk(root)
    steps = total_rows = 0
    for steps, step in enumerate(walk, start=1):
        for j, (parent, local, share) in enumerate(
            zip(step.node.parents, step.local, step.shares, strict=True)
        ):
            total_rows += 1
            if total_rows <= limit:
                lead = (steps, names[step.node], op_symbol(step.node), step.upstream)
                rows.append(Row(*(lead if j == 0 else (None,) * 4), names[parent],
                                float(local), float(share)))
    leaves = [node for node in order if not node.parents and node is not root]
    # every leaf but the root is some step's parent (a zero upstream still hands on 0.0)
    gradients = [(names[leaf], walk.gradients[leaf]) for leaf in leaves[:max_rows]]
    return Explanation(names[root], root.data, rows, gradients, lang, steps, total_rows,
                       len(leaves))
