"""What the live view shows at one step, read on floats: never a graph, so it costs the
training little (``nn.layers_on_floats``).

A snapshot is a plain dict, sent as JSON to the page and the Jupyter widget:

* ``step`` and ``loss``;
* ``layers``: per layer, each neuron's weights and bias, and their gradients (the
  ``.grad`` that backward left on the parameters);
* ``activations``: the chosen sample's input and each layer's outputs;
* ``boundary``: for 2-D data, the model's first output on a ``GRID`` x ``GRID`` grid over
  the points, row by row from the top, with the grid's extent;
* ``points``: the data's points and labels (2-D data only).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from nn.layers import Layer, layers_on_floats

__all__ = ["GRID", "MAX_NEURONS", "model_layers", "snapshot"]

GRID = 40  # cells a side of the decision boundary: 1,600 forward passes on floats
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


def snapshot(model: Any, step: int, loss: float, points: Sequence[Sequence[float]] | None,
             labels: Sequence[int] | None, sample: int) -> dict[str, Any]:
    """The view at ``step`` (see the module)."""
    layers = model_layers(model)
    shot: dict[str, Any] = {"step": step, "loss": _finite(float(loss)),
                            "layers": [_layer(layer) for layer in layers]}
    if points is not None and len(points):
        shot["sample"] = sample
        shot["activations"] = _activations(layers, points[sample])
        if len(points[0]) == 2:
            shot["boundary"] = _boundary(layers, points)
            shot["points"] = [[float(a), float(b)] for a, b in points]
            shot["labels"] = [int(t) for t in labels] if labels is not None else None
    return shot
