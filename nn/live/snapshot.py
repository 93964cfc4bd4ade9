"""What the live view shows at one step, read on floats: never a graph, so it costs the
training little (``nn.layers_on_floats``).

A snapshot is a plain dict, sent as JSON to the page and the Jupyter widget:

* ``step`` and ``loss``;
* ``layers``: per layer, each neuron's weights and bias, and their gradients (the
  ``.grad`` that backward left on the parameters);
* ``activations``: the chosen sample's input and each layer's outputs;
* ``boundary``: for 2-D data, the model's first output on a ``GRID`` x ``GRID`` grid over
  the points, row by row from the top, with the grid's extent;
* ``points``: the data's points and labels (2-D data only);
* ``graph``: the chosen sample's scalar graph, drawn as ``autograd.draw`` draws it
  (small models only: a larger one gives its size and the limit);
* ``classes``: for other labelled data (digits), the predictions and the confusion
  matrix on the first ``CLASS_ROWS`` points, and some of them as images.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from autograd.diagram import draw
from autograd.graph import topological_order
from autograd.walk import Walk
from nn.layers import Layer, layers_on_floats

__all__ = ["CLASS_ROWS", "GRAPH_NODES", "GRID", "HEAVY", "MAX_NEURONS", "SHOWN_SAMPLES",
           "model_layers", "scalar_graph", "snapshot"]

GRID = 32  # cells a side of the decision boundary: 1,024 forward passes on floats
CLASS_ROWS = 60  # the points a classifier's predictions and confusion matrix are read on
SHOWN_SAMPLES = 12  # of those, the ones drawn with their prediction
GRAPH_NODES = 120  # the largest scalar graph of one sample drawn (dot takes ~0.1 s)
MAX_NEURONS = 64  # the widest layer the network view draws; wider ones are summarised


def model_layers(model: Any) -> list[Layer]:
    """The model's layers in order (``named_layers``, as nn.interop reads them); a
    TypeError for a model that has none."""
    named = getattr(model, "named_layers", None)
    if named is None:
        raise TypeError(f"LiveView: a {type(model).__name__} has no named_layers(); give an "
                        "nn.MLP, nn.Layer or nn.TwoLayerNet")
    return [layer for _, layer in named()]


def _finite(x: float) -> float | None:
    """JSON has no NaN or infinity: they travel as null, and the page says so."""
    return x if math.isfinite(x) else None


def _layer(layer: Layer) -> dict:
    neurons = layer.neurons
    return {"weights": [[_finite(w.data) for w in n.w] for n in neurons[:MAX_NEURONS]],
            "bias": [_finite(n.b.data) for n in neurons[:MAX_NEURONS]],
            "weight_grads": [[_finite(w.grad) for w in n.w] for n in neurons[:MAX_NEURONS]],
            "neurons": len(neurons), "inputs": layer.nin}


def _activations(layers: list[Layer], sample: Sequence[float]) -> list[list[float | None]]:
    """The sample, then each layer's outputs for it, layer by layer."""
    current = [float(x) for x in sample]
    shown = [[_finite(x) for x in current[:MAX_NEURONS]]]
    for layer in layers:
        (current,) = layers_on_floats([layer], [current])
        shown.append([_finite(v) for v in current[:MAX_NEURONS]])
    return shown


def _boundary(layers: list[Layer], points: Sequence[Sequence[float]]) -> dict:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    left, right = min(xs) - 0.5, max(xs) + 0.5
    bottom, top = min(ys) - 0.5, max(ys) + 0.5
    rows = [[left + (right - left) * (i + 0.5) / GRID, top - (top - bottom) * (j + 0.5) / GRID]
            for j in range(GRID) for i in range(GRID)]
    scores = [_finite(out[0]) for out in layers_on_floats(layers, rows)]
    return {"scores": scores, "size": GRID, "extent": [left, right, bottom, top]}


def scalar_graph(model: Any, sample: Sequence[float], turn: int = 0,
                 index: int = 0) -> dict[str, Any]:
    """The scalar graph of one sample through the model, drawn as ``draw`` draws it: each
    node's data and its gradient of the first output (by the walker, so no ``.grad``
    that training reads is touched), with the chain-rule step of the ``turn``-th node in
    backward order outlined (each drawing outlines the next); as SVG. A graph over
    ``GRAPH_NODES`` gives its size, so that the page can say why it shows only the
    network. ``index``: the sample's place in the data, which the page names."""
    output = model(list(sample))[0]
    order = topological_order(output)
    if len(order) > GRAPH_NODES:
        return {"nodes": len(order), "limit": GRAPH_NODES, "sample": index}
    steps = [node for node in reversed(order) if node.parents]  # backward order
    step = steps[turn % len(steps)] if steps else None
    svg = draw(output, grads=Walk(output).run(), legend=False, highlight=step).pipe(
        format="svg")
    return {"nodes": len(order), "svg": svg.decode("utf-8"), "sample": index,
            "step": turn % max(1, len(steps))}


HEAVY = ("boundary", "classes", "graph")  # the parts that cost forward passes or a dot run


def snapshot(model: Any, step: int, loss: float, points: Sequence[Sequence[float]] | None,
             labels: Sequence[int] | None, sample: int, graph: bool = False,
             heavy: bool = True, turn: int = 0) -> dict[str, Any]:
    """The view at ``step`` (see the module); ``graph`` adds the sample's scalar graph, and
    ``heavy=False`` leaves out every part in HEAVY (the caller shows the last ones)."""
    layers = model_layers(model)
    shot: dict[str, Any] = {"step": step, "loss": _finite(float(loss)),
                            "layers": [_layer(layer) for layer in layers]}
    if points is not None and len(points):
        shot["sample"] = sample
        shot["activations"] = _activations(layers, points[sample])
        if graph and heavy:
            shot["graph"] = scalar_graph(model, points[sample], turn, sample)
        if len(points[0]) == 2:
            if heavy:
                shot["boundary"] = _boundary(layers, points)
            shot["points"] = [[float(a), float(b)] for a, b in points]
            shot["labels"] = [int(t) for t in labels] if labels is not None else None
        elif labels is not None and heavy:
            shot["classes"] = _classes(layers, points, labels)
    return shot


def _classes(layers: list[Layer], points: Sequence[Sequence[float]],
             labels: Sequence[int]) -> dict[str, Any]:
    """A classifier on its first CLASS_ROWS points: the confusion matrix (true class by
    row, predicted by column), and SHOWN_SAMPLES of them with their predictions, as
    square images when their size is a square (8 x 8 digits, 28 x 28 MNIST)."""
    rows, truth = points[:CLASS_ROWS], [int(t) for t in labels[:CLASS_ROWS]]
    outputs = layers_on_floats(layers, rows)
    classes = len(outputs[0])
    predicted = [max(range(classes), key=out.__getitem__) if all(map(math.isfinite, out))
                 else None for out in outputs]  # NaN is no class (nn.predicted_class)
    confusion = [[0] * classes for _ in range(classes)]
    for t, p in zip(truth, predicted, strict=True):
        if p is not None and 0 <= t < classes:
            confusion[t][p] += 1
    side = math.isqrt(len(rows[0]))
    return {"confusion": confusion, "side": side if side * side == len(rows[0]) else None,
            "samples": [{"pixels": [round(float(v), 3) for v in rows[i]],
                         "predicted": predicted[i], "label": truth[i]}
                        for i in range(min(SHOWN_SAMPLES, len(rows)))],
            "correct": sum(p == t for p, t in zip(predicted, truth, strict=True)),
            "count": len(rows)}
