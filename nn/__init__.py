"""chainrule's learning library: neural networks built from scalar ``autograd.Value`` nodes.

* ``nn.module``: ``Module`` (parameters, names, state dicts, save/load);
* ``nn.layers``: ``Neuron``, ``Layer``, ``MLP``;
* ``nn.activations``: ``relu``, ``sigmoid``, ``tanh``, ``identity`` and their modules;
* ``nn.losses``: ``softmax``, ``log_softmax``, ``cross_entropy``, ``mse``, ``hinge``;
* ``nn.optim``: ``SGD``, ``Momentum``, ``Nesterov``, ``AdaGrad``, ``RMSprop``, ``Adam``;
* ``nn.two_layer_net``: the book's ``TwoLayerNet``;
* ``nn.parallel``: ``DataParallel``, gradients of a batch in worker processes;
* ``nn.interop``: ``to_torch`` and ``from_torch``, for PyTorch;
* ``nn.data``: digits, MNIST IDX files, moons, batches (needs numpy; imported on first use).
"""

import importlib
import warnings

from nn.activations import Identity, ReLU, Sigmoid, Tanh, identity, relu, sigmoid, tanh
from nn.interop import from_torch, to_torch
from nn.layers import MLP, Layer, Neuron, layers_on_floats
from nn.losses import cross_entropy, hinge, log_softmax, mse, predicted_class, softmax
from nn.module import Module
from nn.optim import SGD, AdaGrad, Adam, Momentum, Nesterov, Optimizer, RMSprop
from nn.parallel import DataParallel
from nn.two_layer_net import TwoLayerNet

__all__ = [
    "MLP", "SGD", "AdaGrad", "Adam", "DataParallel", "Identity", "Layer", "Module", "Momentum",
    "Nesterov", "Neuron", "Optimizer", "RMSprop", "ReLU", "Sigmoid", "Tanh", "TwoLayerNet",
    "cross_entropy", "from_torch", "hinge", "identity", "layers_on_floats", "log_softmax", "mse",
    "predicted_class", "relu", "sigmoid", "softmax", "tanh", "to_torch",
]


# Old names of one concept, kept as aliases that warn (one name per concept: a layer of
# neurons is a Layer, whatever a book or another library calls it).
_RENAMED = {"Linear": "Layer", "Affine": "Layer", "evaluate": "layers_on_floats"}


def __getattr__(name: str):
    # nn.data needs numpy (and load_digits scikit-learn): load it only when asked for.
    if name == "data":
        return importlib.import_module("nn.data")
    if name in _RENAMED:
        warnings.warn(f"nn.{name} is nn.{_RENAMED[name]}: use that name", DeprecationWarning,
                      stacklevel=2)
        return globals()[_RENAMED[name]]
    raise AttributeError(f"module 'nn' has no attribute {name!r}")
