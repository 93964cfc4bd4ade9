"""Neurons, layers and MLPs built from scalar Values.

A neuron computes ``activation(w . x + b)``. Its pre-activation is one
``autograd.dot`` node, the book's Affine layer for one output. A layer is a
list of neurons. An MLP is a list of layers: the hidden ones use the
activation, and the output layer is linear, so its outputs are the logits
or scores that a loss takes.

Parameter order goes per layer and per neuron, weights then bias. That is
micrograd's order, so the two can be compared side by side. Calling a layer
or an MLP always returns a list of Values, one per output, even for a width-1
layer: micrograd's bug #13 unwraps those and breaks ``MLP(2, [16, 1, 1])``.
"""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable, Sequence
from operator import attrgetter, mul

import autograd
from autograd import Value, is_grad_enabled
from autograd.ops import real
from nn.activations import activation as activation_function
from nn.activations import on_floats
from nn.init import Init, check_init, make_rng, weights
from nn.interop import Layout, rebuilds, to_torch
from nn.module import Module

__all__ = ["MLP", "Layer", "Neuron", "as_inputs", "layers_on_floats"]

Activation = str | Callable[[Value], Value] | None
_weights, _bias = attrgetter("w"), attrgetter("b")  # a neuron's, read in C for a whole layer


def as_inputs(operation: str, x: object, expected: int) -> list:
    """A sample as a list of numbers or Values, of the expected length.

    numpy rows become Python floats once here, not once per neuron.
    """
    if isinstance(x, Value):
        raise ValueError(f"{operation}: expected {expected} inputs, got a single Value")
    if hasattr(x, "tolist"):
        x = x.tolist()
    if not isinstance(x, (list, tuple)):
        raise TypeError(f"{operation}: expected a list of {expected} inputs, "
                        f"got {type(x).__name__}")
    if len(x) != expected:
        raise ValueError(f"{operation}: expected {expected} inputs, got {len(x)}")
    return x


def _positive_count(operation: str, name: str, n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{operation}: {name} must be a positive int, got {n!r}")
    return n


class Neuron(Module):
    """activation(w . x + b) for ``nin`` inputs."""

    def __init__(self, nin: int, activation: Activation = "relu", init: Init = "he",
                 seed: int | random.Random | None = 0) -> None:
        _positive_count("Neuron", "nin", nin)
        check_init(init)
        self.w = [Value(w) for w in weights(nin, init, make_rng(seed))]
        self.b = Value(0.0)
        self.activation = activation_function(activation)
        self.label_parameters()

    def forward(self, x: Sequence) -> Value:
        inputs = as_inputs("Neuron", x, len(self.w))
        return self.activation(autograd.dot(self.w, inputs, self.b))

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, {self.activation.__name__})"


class Layer(Module):
    """``nout`` neurons over the same ``nin`` inputs: ``act(W x + b)``, the book's Affine
    followed by its activation (``nn.Linear`` and ``nn.Affine``, old names, warn)."""

    def __init__(self, nin: int, nout: int, activation: Activation = "identity",
                 init: Init = "he", seed: int | random.Random | None = 0) -> None:
        _positive_count("Layer", "nin", nin)
        _positive_count("Layer", "nout", nout)
        rng = make_rng(seed)
        self.neurons = [Neuron(nin, activation, init, rng) for _ in range(nout)]
        self.label_parameters()

    @property
    def nin(self) -> int:
        return len(self.neurons[0].w)

    def weights_on_floats(self) -> tuple[list[list[float]], list[float], Callable]:
        """The layer as numbers: each neuron's weights and bias, and the activation on
        floats. Read once, these evaluate any number of samples without nodes."""
        neurons = self.neurons
        return ([[w.data for w in n.w] for n in neurons], [n.b.data for n in neurons],
                on_floats(neurons[0].activation))

    def forward(self, x: Sequence) -> list[Value]:
        inputs = as_inputs("Layer", x, self.nin)
        if not is_grad_enabled():  # nothing will be differentiated: compute on floats
            (outputs,) = layers_on_floats([self], [inputs])
            return list(map(Value, outputs))
        # One call for the layer: the inputs are checked and read once, not once per neuron.
        neurons = self.neurons
        zs = autograd.dots(list(map(_weights, neurons)), inputs, list(map(_bias, neurons)))
        return [n.activation(z) for n, z in zip(neurons, zs, strict=True)]

    def named_layers(self) -> list[tuple[str, Layer]]:
        """Itself, as ``to_torch`` names a model of one layer."""
        return [("layer", self)]

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {len(self.neurons)}, {self.neurons[0].activation.__name__})"



def _number(operation: str, x: object) -> float:
    if type(x) is float:
        return x
    if isinstance(x, Value):
        return x.data
    return real(operation, x)


def layers_on_floats(layers: Sequence[Layer], rows: Sequence[Sequence]) -> list[list[float]]:
    """The layers applied in turn to each row, on floats: no nodes, and each weight read
    once for all rows. Each output equals the ``.data`` of the graph the layers would
    build, bit for bit: the same dot (``sum(w_i x_i)``, then ``+ b``, as
    ``autograd.dot`` sums it) and the op table's own activation functions."""
    tables = [layer.weights_on_floats() for layer in layers]
    results = []
    for row in rows:
        h = [_number("on_floats", x) for x in as_inputs("on_floats", row, layers[0].nin)]
        for weight_rows, biases, act in tables:
            h = [act(sum(map(mul, w, h)) + b) for w, b in zip(weight_rows, biases, strict=True)]
        results.append(h)
    return results


class MLP(Module):
    """Layers of sizes ``nouts`` after ``nin`` inputs; hidden layers use ``activation``,
    the last layer is linear."""

    def __init__(self, nin: int, nouts: Sequence[int], activation: Activation = "relu",
                 init: Init = "he", seed: int | random.Random | None = 0) -> None:
        _positive_count("MLP", "nin", nin)
        if not isinstance(nouts, (list, tuple)) or not nouts:
            raise ValueError(f"MLP: nouts must be a non-empty list of sizes, got {nouts!r}")
        for n in nouts:
            _positive_count("MLP", "each layer size", n)
        activation_function(activation)  # refuse a bad name even when no layer is hidden
        rng = make_rng(seed)
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation if i < last else "identity", init, rng)
            for i in range(len(nouts))
        ]
        self.label_parameters()

    def forward(self, x: Sequence) -> list[Value]:
        if not is_grad_enabled():  # all layers on floats, one Value per output at the end
            (outputs,) = layers_on_floats(self.layers, [x])
            return list(map(Value, outputs))
        for layer in self.layers:
            x = layer(x)
        return x

    def on_floats(self, rows: Sequence[Sequence]) -> list[list[float]]:
        """Outputs for many samples as floats, without nodes (see
        ``nn.layers_on_floats``)."""
        return layers_on_floats(self.layers, rows)

    def evaluate(self, rows: Sequence[Sequence]) -> list[list[float]]:
        """The old name of ``on_floats``: warns, then gives its numbers."""
        warnings.warn("MLP.evaluate is MLP.on_floats: use that name", DeprecationWarning,
                      stacklevel=2)
        return self.on_floats(rows)

    def to_torch(self):
        """This MLP as a ``torch.nn.Sequential`` (float64, the same numbers); see
        ``nn.interop``."""
        return to_torch(self)

    def named_layers(self) -> list[tuple[str, Layer]]:
        """Its layers and their names, as ``to_torch`` names the torch modules."""
        return [(f"layers.{i}", layer) for i, layer in enumerate(self.layers)]

    def __repr__(self) -> str:
        sizes = [len(layer.neurons) for layer in self.layers]
        return f"MLP({self.layers[0].nin}, {sizes})"


def _rebuilt(layout: Layout) -> MLP:
    """An MLP for a torch module of Linear layers: one activation for the hidden ones, and
    a linear last layer (``from_torch`` asks this after the more particular models)."""
    hidden = {act for _, _, _, act in layout[:-1]}
    if len(hidden) > 1 or layout[-1][3] != "identity":
        raise ValueError("from_torch: an MLP has one activation for its hidden layers "
                         "and a linear last layer; pass into= a model that matches")
    return MLP(layout[0][1], [nout for _, _, nout, _ in layout],
               activation=hidden.pop() if hidden else "relu")


rebuilds(_rebuilt)
