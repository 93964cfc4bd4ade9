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
from collections.abc import Callable
from typing import Any

from autograd import Value

__all__ = ["Layout", "from_torch", "rebuilds", "to_torch"]

# A torch module's layers, as the model classes read them: (name, nin, nout, activation).
Layout = list[tuple[str, int, int, str]]
# How each model class rebuilds itself from a layout (None: not its layout). Each class
# registers its own, so this module knows no model class and the models can import it.
_BUILDERS: list[Callable[[Layout], Any]] = []


def rebuilds(builder: Callable[[Layout], Any], *, first: bool = False) -> None:
    """Register ``builder(layout)``, which makes a model for a layout it fits (None if it
    does not); ``from_torch`` asks each in turn. ``first``: ask it before the others (a
    layout that is its own in particular, such as TwoLayerNet's affine1, affine2)."""
    _BUILDERS.insert(0, builder) if first else _BUILDERS.append(builder)

_TO_TORCH = {Value.relu: "ReLU", Value.sigmoid: "Sigmoid", Value.tanh: "Tanh"}
_FROM_TORCH = {"ReLU": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh"}


def _activation_name(layer: Any) -> str:
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


def _layers_of(model: Any) -> list[tuple[str, Any]]:
    """The model's layers and their names: each model class says (``named_layers``)."""
    named_layers = getattr(model, "named_layers", None)
    if named_layers is None:
        raise TypeError(f"to_torch: expected an MLP, a TwoLayerNet or a Layer, got "
                        f"{type(model).__name__}")
    return named_layers()


def to_torch(model: Any) -> Any:
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


def from_torch(module: Any, into: Any = None) -> Any:
    """A chainrule model with ``module``'s numbers (see the module docstring)."""
    linears = _linears(module)
    if into is None:
        layout = [(name, linear.in_features, linear.out_features, act)
                  for name, linear, act in linears]
        into = next((m for m in (build(layout) for build in _BUILDERS) if m is not None), None)
        if into is None:
            raise ValueError("from_torch: no chainrule model has this module's layout; "
                             "pass into= a model that matches")
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
