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
import os

from autograd.atomic import write_atomic
from autograd.backprop import backward_steps, running_gradients, topological_order
from autograd.diagram import draw
from autograd.explain import fmt, node_names, op_symbol
from autograd.value import Value

__all__ = ["animate_backward"]

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }}
#controls {{ display: flex; gap: .6em; align-items: center; margin: .8em 0; }}
#caption {{ font-size: 1.05em; min-height: 3em; }}
input[type=range] {{ width: 24em; }}
.frame {{ display: none; }} .frame.shown {{ display: block; }}
.frame svg {{ max-width: 100%; height: auto; }}
</style></head><body>
<h2>{title}</h2>
<div id="controls">
<button id="prev">&#9664; step</button><button id="play">play</button>
<button id="next">step &#9654;</button>
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
  document.getElementById('counter').textContent = 'frame ' + i + ' of ' + (frames.length - 1);
}}
slider.oninput = () => show(+slider.value);
document.getElementById('prev').onclick = () => show(+slider.value - 1);
document.getElementById('next').onclick = () => show(+slider.value + 1);
document.getElementById('play').onclick = () => {{
  if (timer) {{ clearInterval(timer); timer = null; return; }}
  if (+slider.value === frames.length - 1) show(0);
  timer = setInterval(() => {{
    if (+slider.value >= frames.length - 1) {{ clearInterval(timer); timer = null; return; }}
    show(+slider.value + 1);
  }}, 1200);
}};
show(0);
</script></body></html>
"""


def _inline_svg(svg: bytes) -> str:
    # Drop the XML declaration and DOCTYPE: the SVG element is embedded in HTML.
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]


def animate_backward(
    root: Value, path: str | os.PathLike | None = None, *, rankdir: str = "LR",
    max_nodes: int = 300,
) -> str:
    """The HTML page of the backward animation; written atomically to ``path`` if given.

    Rendering each frame needs Graphviz's ``dot`` (``GraphvizNotFound`` says how to
    install it). Graphs over ``max_nodes`` shapes are refused, as in ``draw``.
    """
    if not isinstance(root, Value):
        raise TypeError(f"animate_backward: expected a Value, got {type(root).__name__}")
    names = node_names(topological_order(root))
    captions = [
        f"Forward pass done. Backward starts from the seed d {names[root]} / d {names[root]} = 1."
    ]
    snapshots: list[tuple[dict, Value | None]] = [({root: 1.0}, None)]
    for i, (step, grads) in enumerate(running_gradients(root, backward_steps(root)), start=1):
        handed = "; ".join(
            f"{fmt(step.upstream)} × {fmt(local)} = {fmt(share)} to {names[parent]}"
            for parent, local, share in zip(step.node.parents, step.local, step.shares,
                                            strict=True)
        )
        captions.append(
            f"Step {i}: {names[step.node]} ({op_symbol(step.node)}) has its full gradient "
            f"{fmt(step.upstream)} and hands upstream × local to each parent: {handed}."
        )
        snapshots.append((grads, step.node))
    frames = []
    for caption, (grads, node) in zip(captions, snapshots, strict=True):
        svg = draw(root, grads=grads, highlight=node, rankdir=rankdir, max_nodes=max_nodes)
        frames.append(
            f'<div class="frame" data-caption="{html.escape(caption)}">'
            f"{_inline_svg(svg.pipe(format='svg'))}</div>"
        )
    title = f"Backward pass of {names[root]}, one chain-rule step at a time"
    page = _PAGE.format(title=html.escape(title), last=len(frames) - 1, frames="\n".join(frames))
    if path is not None:
        write_atomic(path, page)
    return page
