"""The backward pass as an animation: one frame per chain-rule step.

``animate_backward(root, "backward.html")`` writes one self-contained HTML
page. It holds every frame as inline SVG, a step slider, and play/step
buttons. It loads nothing from the network. Frame 0 is the graph after the
forward pass, with only the seed d(root)/d(root) = 1 known. Each later frame
outlines the node whose step runs, in orange, with the edges to its parents.
Every gradient known so far is shown; one still missing is shown as "?". A
parent used in several places shows its running total until its last
consumer has added its share.
"""

from __future__ import annotations

import html
import json
import os

from autograd.atomic import write_atomic
from autograd.backprop import (
    backward_steps,
    nodes_up_to,
    running_gradients,
    topological_order,
)
from autograd.diagram import draw, font_list
from autograd.language import check_language, text
from autograd.naming import fmt, node_names, op_symbol
from autograd.node import Node, is_node
from autograd.style import Style

__all__ = ["animate_backward"]

_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: {fonts}; margin: 1.5em; color: #222; }}
#controls {{ display: flex; gap: .6em; align-items: center; margin: .8em 0; }}
#caption {{ font-size: 1.05em; min-height: 3em; }}
input[type=range] {{ width: 24em; }}
.frame {{ display: none; }} .frame.shown {{ display: block; }}
.frame svg {{ max-width: 100%; height: auto; }}
</style></head><body>
<h2>{title}</h2>
<div id="controls">
<button id="prev">{prev}</button><button id="play">{play}</button>
<button id="next">{next}</button>
<input id="slider" type="range" min="0" max="{last}" value="0">
<span id="counter"></span></div>
<div id="caption"></div>
{frames}
<script>
const frames = document.querySelectorAll('.frame');
const slider = document.getElementById('slider');
let timer = null;
function show(i) {{
  i = Math.max(0, Math.min(frames.length - 1, i));
  frames.forEach((f, k) => f.classList.toggle('shown', k === i));
  slider.value = i;
  document.getElementById('caption').textContent = frames[i].dataset.caption;
  document.getElementById('counter').textContent = (i === 0 ? {counter_start} : {counter})
    .replace('{{i}}', i).replace('{{n}}', frames.length - 1);
}}
const play = document.getElementById('play');
function stop() {{ clearInterval(timer); timer = null; play.textContent = {play_label}; }}
slider.oninput = () => show(+slider.value);
document.getElementById('prev').onclick = () => show(+slider.value - 1);
document.getElementById('next').onclick = () => show(+slider.value + 1);
play.onclick = () => {{  // the button says what a click does: play, or pause while playing
  if (timer) {{ stop(); return; }}
  if (+slider.value === frames.length - 1) show(0);
  play.textContent = {pause_label};
  timer = setInterval(() => {{
    if (+slider.value >= frames.length - 1) {{ stop(); return; }}
    show(+slider.value + 1);
  }}, 1200);
}};
show(+location.hash.slice(1) || 0);  // page.html#3 opens at frame 3
</script></body></html>
"""


def _js(words: str) -> str:
    """A JavaScript string literal of ``words``, in their own letters (사과, not \\uc0ac);
    ``<`` is escaped, so that no text can close the page's <script>."""
    return json.dumps(words, ensure_ascii=False).replace("<", "\\u003c")


def _inline_svg(svg: bytes) -> str:
    # Drop the XML declaration and DOCTYPE: the SVG element is embedded in HTML.
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]


def _captions(root: Node, lang: str) -> tuple[list[str], list[tuple[dict, Node | None]]]:
    """Each frame's caption, and the gradients known and the node stepping at that frame."""
    names = node_names(topological_order(root))
    captions = [text(lang, "anim_start", root=names[root])]
    snapshots: list[tuple[dict, Node | None]] = [({root: 1.0}, None)]
    for i, (step, grads) in enumerate(running_gradients(root, backward_steps(root)), start=1):
        handed = "; ".join(
            text(lang, "anim_hand", upstream=fmt(step.upstream), local=fmt(local),
                 share=fmt(share), parent=names[parent])
            for parent, local, share in zip(step.node.parents, step.local, step.shares,
                                            strict=True)
        )
        captions.append(text(lang, "anim_step", i=i, node=names[step.node],
                             op=op_symbol(step.node), upstream=fmt(step.upstream),
                             handed=handed))
        snapshots.append((grads, step.node))
    return captions, snapshots


def _refuse_a_big_graph(root: Node, max_nodes: int) -> None:
    """Refuse, before any work, a graph of more than ``max_nodes`` nodes: the page has a
    frame, a whole diagram, per chain-rule step. Counting stops past the limit, so this
    costs the same for a million nodes as for a thousand."""
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"animate_backward: max_nodes must be a positive int, got "
                         f"{max_nodes!r}")
    if len(nodes_up_to(root, max_nodes)) > max_nodes:
        raise ValueError(
            f"animate_backward: the graph has more than {max_nodes} nodes (counting stopped "
            f"there), too many for max_nodes={max_nodes}: the page draws the whole graph once "
            "per chain-rule step. Animate a smaller graph (one sample, one neuron), or raise "
            "max_nodes; draw(root) shows a large graph once, and explain(root) its steps")


def animate_backward(
    root: Node, path: str | os.PathLike | None = None, *, style: Style | None = None,
    rankdir: str | None = None, max_nodes: int = 300, lang: str = "en",
    fontname: str | None = None,
) -> str:
    """The HTML page of the backward animation; written atomically to ``path`` if given.

    Rendering each frame needs Graphviz's ``dot`` (``GraphvizNotFound`` says how to
    install it). Graphs over ``max_nodes`` shapes are refused, as in ``draw``.
    ``style`` is the frames' look, as in ``draw``; ``rankdir`` and ``fontname`` are its
    fields given here instead. ``lang`` ("en", "ko", "ja") sets the captions, the buttons
    and the legend; the page's font is the style's, else ``font_list(lang)``.
    """
    if not is_node(root):
        raise TypeError(f"animate_backward: expected a Value, got {type(root).__name__}")
    check_language(lang, "animate_backward")
    if style is not None and not isinstance(style, Style):
        raise TypeError(f"animate_backward: style must be an autograd.Style, got "
                        f"{type(style).__name__}")
    _refuse_a_big_graph(root, max_nodes)
    style = style or Style()
    fonts = fontname or style.fontname or font_list(lang)
    captions, snapshots = _captions(root, lang)
    frames = []
    for caption, (grads, node) in zip(captions, snapshots, strict=True):
        svg = draw(root, style=style, grads=grads, highlight=node, rankdir=rankdir,
                   max_nodes=max_nodes, lang=lang, fontname=fonts)
        frames.append(
            f'<div class="frame" data-caption="{html.escape(caption)}">'
            f"{_inline_svg(svg.pipe(format='svg'))}</div>"
        )
    root_name = node_names(topological_order(root))[root]
    page = _PAGE.format(
        title=html.escape(text(lang, "anim_title", root=root_name)), last=len(frames) - 1,
        frames="\n".join(frames), lang=lang, fonts=html.escape(fonts),
        prev=html.escape(text(lang, "anim_prev")), play=html.escape(text(lang, "anim_play")),
        next=html.escape(text(lang, "anim_next")),
        counter=_js(text(lang, "anim_counter", i="{i}", n="{n}")),
        counter_start=_js(text(lang, "anim_counter_start", n="{n}")),
        play_label=_js(text(lang, "anim_play")), pause_label=_js(text(lang, "anim_pause")),
    )
    if path is not None:
        write_atomic(path, page)
    return page
