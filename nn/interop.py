"""To PyTorch and back: for when a model outgrows a scalar engine.

``model.to_torch()`` gives a ``torch.nn.Sequential`` of ``Linear`` layers and
activations with the same numbers, in float64, so its outputs and gradients
equal chainrule's to rounding. ``nn.from_torch(module)`` does the reverse: an
``MLP`` (or, for a module whose layers are named ``affine1``/``affine2``, a
``TwoLayerNet``), or, with ``into=model``, the module's weights copied into a
model you have, after checking that every layer matches.

The layouts agree already: torch's ``Linear.weight`` is (out, in), one row per
output, which is one chainrule neuron's ``w``; ``Linear.bias`` is the neurons' ``b``.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from autograd import Value
from nn.layers import MLP, Layer
from nn.module import Module
from nn.two_layer_net import TwoLayerNet

__all__ = ["from_torch", "to_torch"]

_TO_TORCH = {Value.relu: "ReLU", Value.sigmoid: "Sigmoid", Value.tanh: "Tanh"}
_FROM_TORCH = {"ReLU": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh"}


def _activation_name(layer: Layer) -> str:
    """relu, sigmoid, tanh, identity, or the name of a function of your own."""
    fn = layer.neurons[0].activation
    return _FROM_TORCH[_TO_TORCH[fn]] if fn in _TO_TORCH else fn.__name__


def _torch():
    try:
        import torch
    except ImportError:
        raise ImportError("PyTorch is not installed: 'pip install torch' (the CPU build: "
                          "'pip install torch --index-url https://download.pytorch.org/whl/cpu')"
                          ) from None
    return torch


def _layers_of(model: Module) -> list[tuple[str, Layer]]:
    if isinstance(model, TwoLayerNet):
        return [("affine1", model.affine1), ("affine2", model.affine2)]
    if isinstance(model, MLP):
        return [(f"layers.{i}", layer) for i, layer in enumerate(model.layers)]
    if isinstance(model, Layer):
        return [("layer", model)]
    raise TypeError(f"to_torch: expected an MLP, a TwoLayerNet or a Layer, got "
                    f"{type(model).__name__}")


def to_torch(model: Module) -> Any:
    """``model`` as a ``torch.nn.Sequential`` in float64, with a copy of its numbers."""
    torch = _torch()
    modules: OrderedDict[str, Any] = OrderedDict()
    for name, layer in _layers_of(model):
        key = name.replace(".", "_")
        linear = torch.nn.Linear(layer.nin, len(layer.neurons), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons],
                                             dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons],
                                           dtype=torch.float64))
        modules[key] = linear
        activation = layer.neurons[0].activation
        if activation in _TO_TORCH:
            modules[f"{key}_{_TO_TORCH[activation].lower()}"] = getattr(
                torch.nn, _TO_TORCH[activation])()
        elif activation.__name__ != "identity":
            raise ValueError(f"to_torch: layer {name}'s activation {activation.__name__!r} "
                             "has no PyTorch counterpart (use relu, sigmoid, tanh or none)")
    return torch.nn.Sequential(modules)


def _linears(module: Any) -> list[tuple[str, Any, str]]:
    """(name, Linear, activation name) for each Linear of a Sequential, in order."""
    torch = _torch()
    if not isinstance(module, torch.nn.Sequential):
        raise TypeError(f"from_torch: expected a torch.nn.Sequential, got "
                        f"{type(module).__name__}")
    found: list[tuple[str, Any, str]] = []
    for name, child in module.named_children():
        kind = type(child).__name__
        if isinstance(child, torch.nn.Linear):
            if child.bias is None:
                raise ValueError(f"from_torch: layer {name} has no bias; chainrule's have one")
            found.append((name, child, "identity"))
        elif kind in _FROM_TORCH and found and found[-1][2] == "identity":
            found[-1] = (found[-1][0], found[-1][1], _FROM_TORCH[kind])
        else:
            raise ValueError(f"from_torch: layer {name} ({kind}) has no chainrule counterpart "
                             "(Linear, then ReLU, Sigmoid or Tanh, are)")
    if not found:
        raise ValueError("from_torch: the module has no Linear layer")
    return found


def from_torch(module: Any, into: Module | None = None) -> Module:
    """A chainrule model with ``module``'s numbers (see the module docstring)."""
    linears = _linears(module)
    if into is None:
        names = [name for name, _, _ in linears]
        sizes = [linear.out_features for _, linear, _ in linears]
        if names == ["affine1", "affine2"] and linears[0][2] == "relu":
            into = TwoLayerNet(linears[0][1].in_features, sizes[0], sizes[1])
        else:
            hidden = {act for _, _, act in linears[:-1]}
            if len(hidden) > 1 or linears[-1][2] != "identity":
                raise ValueError("from_torch: an MLP has one activation for its hidden layers "
                                 "and a linear last layer; pass into= a model that matches")
            into = MLP(linears[0][1].in_features, sizes, activation=hidden.pop() if hidden
                       else "relu")
    layers = _layers_of(into)
    if len(layers) != len(linears):
        raise ValueError(f"from_torch: the module has {len(linears)} Linear layers, the model "
                         f"{len(layers)}")
    for (name, layer), (torch_name, linear, act) in zip(layers, linears, strict=True):
        shape = (len(layer.neurons), layer.nin)
        if tuple(linear.weight.shape) != shape:
            raise ValueError(f"from_torch: layer {name} is {shape[1]} -> {shape[0]}, but the "
                             f"module's {torch_name} is {linear.in_features} -> "
                             f"{linear.out_features}")
        if _activation_name(layer) != act:
            raise ValueError(f"from_torch: layer {name} uses {_activation_name(layer)}, but "
                             f"the module's {torch_name} is followed by {act}")
    for (_, layer), (_, linear, _) in zip(layers, linears, strict=True):
        weights = linear.weight.detach().double().tolist()
        biases = linear.bias.detach().double().tolist()
        for neuron, row, b in zip(layer.neurons, weights, biases, strict=True):
            for w, number in zip(neuron.w, row, strict=True):
                w.data = number
            neuron.b.data = b
    return into
