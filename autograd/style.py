"""How a diagram looks: one ``Style`` for ``draw``, ``animate_backward`` and the command line.

The defaults follow the book's figures: left to right, forward values in black and
gradients in red under them, inputs (leaves) tinted, ops in small circles. Colours are
Graphviz colour strings; sizes are Graphviz points, as strings, as Graphviz takes them.

    >>> from autograd import Style, draw
    >>> quiet = Style(show="data", legend=False, leaf_fill="white")
    >>> draw(price, style=quiet)                         # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RANKDIRS", "SHOW", "Style"]

SHOW = ("data", "grad", "both")
RANKDIRS = ("LR", "TB", "RL", "BT")


@dataclass(frozen=True)
class Style:
    """What a diagram shows and in which colours, fonts and direction.

    rankdir: "LR" (left to right, as in the book), "RL", "TB" or "BT".
    show: "data" (forward values), "grad" (gradients) or "both".
    legend: a key explaining the colours (never with show="data": nothing to explain).
    fontname: Graphviz's font, a comma-separated list; None: ``font_list(lang)``,
        which covers Hangul and Kana when such a font is installed.
    """
    rankdir: str = "LR"
    show: str = "both"
    legend: bool = True
    fontname: str | None = None
    fontsize: str = "11"
    small_fontsize: str = "10"  # op circles, cluster titles, the legend
    grad_color: str = "#c0392b"  # the book draws backward values in red
    wrong_color: str = "#c0392b"  # a gradient that differs from the expected one
    highlight_color: str = "#e67e22"
    leaf_fill: str = "#eaf2fb"
    edge_color: str = "#555555"
    unnamed_color: str = "#888888"  # the name of a node the user did not name (v3)
    cluster_fill: str = "#f7f7f7"
    cluster_border: str = "#bbbbbb"
    cluster_title: str = "#666666"
    collapsed_fill: str = "#dddddd"
    legend_border: str = "#dddddd"
    nodesep: str = "0.25"
    ranksep: str = "0.35"

    def __post_init__(self) -> None:
        if self.show not in SHOW:
            raise ValueError(f"Style: show must be one of {SHOW}, got {self.show!r}")
        if self.rankdir not in RANKDIRS:
            raise ValueError(f"Style: rankdir must be LR, RL, TB or BT, got {self.rankdir!r}")
        if not isinstance(self.legend, bool):
            raise TypeError(f"Style: legend must be True or False, got {self.legend!r}")
        for field, value in vars(self).items():
            if field not in ("legend", "fontname") and not isinstance(value, str):
                raise TypeError(f"Style: {field} must be a str, got {value!r}")
        if self.fontname is not None and not isinstance(self.fontname, str):
            raise TypeError(f"Style: fontname must be a str or None, got {self.fontname!r}")
