"""The book's TwoLayerNet (chapter 5), on scalar nodes.

Affine -> ReLU -> Affine -> SoftmaxWithLoss, with the book's methods:
``predict``, ``loss``, ``accuracy``, ``numerical_gradient`` and ``gradient``.
The gradients come back as a dict keyed W1, b1, W2, b2, shaped like the
book's numpy arrays: ``W1[i][j]`` is the weight from input i to hidden unit j.
``gradient`` runs backprop, and ``numerical_gradient`` nudges every parameter
both ways (central differences), so comparing them is the book's gradient check.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from autograd import Value, no_grad
from nn.init import make_rng
from nn.interop import Layout, rebuilds, to_torch
from nn.layers import Layer, layers_on_floats
from nn.losses import cross_entropy, predicted_class
from nn.module import Module

__all__ = ["TwoLayerNet", "loss_of_sample", "sample_numbers"]


def _batch(x: Sequence) -> tuple[list, bool]:
    """(list of samples, whether x was a single sample)."""
    rows = x.tolist() if hasattr(x, "tolist") else list(x)
    single = bool(rows) and not isinstance(rows[0], (list, tuple))
    return ([rows] if single else rows), single


def _labels(t: Sequence) -> list[int]:
    """Class indices from indices or one-hot rows."""
    rows = t.tolist() if hasattr(t, "tolist") else list(t)
    labels = [predicted_class(r) if isinstance(r, (list, tuple)) else int(r) for r in rows]
    if None in labels:
        raise ValueError(f"accuracy: target row {labels.index(None)} holds NaN, so it names "
                         "no class")
    return labels


class TwoLayerNet(Module):
    """input -> Affine(W1, b1) -> ReLU -> Affine(W2, b2) -> softmax cross-entropy."""

    def __init__(self, input_size: int, hidden_size: int, output_size: int,
                 weight_init_std: float = 0.01, seed: int | random.Random | None = 0) -> None:
        rng = make_rng(seed)
        self.affine1 = Layer(input_size, hidden_size, "relu", weight_init_std, rng)
        self.affine2 = Layer(hidden_size, output_size, "identity", weight_init_std, rng)
        self.label_parameters()

    @property
    def params(self) -> dict[str, list]:
        """The book's parameter dict: W1 (input x hidden), b1, W2 (hidden x output), b2."""
        def matrix(layer: Layer) -> list[list[Value]]:
            return [list(column) for column in zip(*(n.w for n in layer.neurons), strict=True)]

        return {
            "W1": matrix(self.affine1), "b1": [n.b for n in self.affine1.neurons],
            "W2": matrix(self.affine2), "b2": [n.b for n in self.affine2.neurons],
        }

    def forward(self, x: Sequence) -> list[Value]:
        return self.affine2(self.affine1(x))

    def predict(self, x: Sequence) -> list:
        """Logits: a list of Values for one sample, a list of such lists for a batch.

        Computed on floats, as inference needs no gradients: each weight is read once
        for the whole batch and no graph is built, so the Values are constants (use
        ``loss`` or ``forward`` to differentiate). Their numbers equal ``forward``'s.
        """
        rows, single = _batch(x)
        logits = [list(map(Value, z)) for z in layers_on_floats([self.affine1, self.affine2], rows)]
        return logits[0] if single else logits

    def loss(self, x: Sequence, t: Sequence) -> Value:
        """Mean softmax cross-entropy over the batch; t holds labels or one-hot rows."""
        rows, single = _batch(x)
        targets = [t] if single else (t.tolist() if hasattr(t, "tolist") else list(t))
        return cross_entropy([self.forward(row) for row in rows], targets)

    def accuracy(self, x: Sequence, t: Sequence) -> float:
        """The fraction of samples whose largest logit is the label (no graph is built).

        A sample with a NaN logit picks no class, so it counts as wrong."""
        rows, _ = _batch(x)
        labels = _labels(t)
        if len(labels) != len(rows):
            raise ValueError(f"accuracy: {len(rows)} samples but {len(labels)} labels")
        logits = layers_on_floats([self.affine1, self.affine2], rows)  # floats: no graph
        hits = sum(predicted_class(z) == label
                   for z, label in zip(logits, labels, strict=True))
        return hits / len(rows)

    def to_torch(self):
        """This network as ``torch.nn.Sequential(affine1, affine1_relu, affine2)``, float64,
        the same numbers (the loss is torch's ``cross_entropy``); see ``nn.interop``."""
        return to_torch(self)

    def named_layers(self) -> list[tuple[str, Layer]]:
        """Its two layers, by the book's names."""
        return [("affine1", self.affine1), ("affine2", self.affine2)]

    def gradient(self, x: Sequence, t: Sequence) -> dict[str, list]:
        """Backprop gradients of ``loss(x, t)``, keyed W1, b1, W2, b2."""
        self.zero_grad()
        self.loss(x, t).backward()
        return self._grads_of(lambda p: p.grad)

    def numerical_gradient(self, x: Sequence, t: Sequence, h: float = 1e-6) -> dict[str, list]:
        """Central differences (loss(p + h) - loss(p - h)) / 2h for every parameter."""
        def slope(p: Value) -> float:
            original = p.data
            try:  # the parameter gets its value back even if the loss raises
                with no_grad():
                    p.data = original + h
                    up = self.loss(x, t).data
                    p.data = original - h
                    down = self.loss(x, t).data
            finally:
                p.data = original
            return (up - down) / (2 * h)

        return self._grads_of(slope)

    def _grads_of(self, read) -> dict[str, list]:
        return {
            key: [[read(p) for p in row] for row in value] if isinstance(value[0], list)
            else [read(p) for p in value]
            for key, value in self.params.items()
        }


def sample_numbers(x_row: Sequence[float], label: int, classes: int, scale: float) -> tuple:
    """One sample as ``loss_of_sample`` reads it: the inputs, the one-hot target, and
    ``scale`` (1/N for the mean over a batch of N)."""
    return (*x_row, *[1.0 if k == label else 0.0 for k in range(classes)], scale)


def loss_of_sample(network: TwoLayerNet, *numbers: float) -> Value:
    """``scale × cross-entropy`` of one sample (see ``sample_numbers``): with scale 1/N,
    these add up to ``network.loss`` of the batch. The target is one-hot rather than a
    class index, so a compiled step replays it for any label (an index picks a logit,
    a branch that a recording would freeze)."""
    inputs = len(network.affine1.neurons[0].w)
    classes = len(network.affine2.neurons)
    if len(numbers) != inputs + classes + 1:
        raise ValueError(f"loss_of_sample: expected {inputs} inputs, {classes} target "
                         f"numbers and a scale, got {len(numbers)} numbers")
    x, target, scale = numbers[:inputs], numbers[inputs:-1], numbers[-1]
    return cross_entropy(network.forward(list(x)), list(target)) * scale


def _rebuilt(layout: Layout) -> TwoLayerNet | None:
    """A TwoLayerNet for a torch module named as ``to_torch`` names one (affine1 + relu,
    affine2); None for any other layout."""
    if [name for name, _, _, _ in layout] != ["affine1", "affine2"] or layout[0][3] != "relu":
        return None
    return TwoLayerNet(layout[0][1], layout[0][2], layout[1][2])


rebuilds(_rebuilt, first=True)
