"""chainrule's engine: scalar reverse-mode automatic differentiation.

    >>> from autograd import Value
    >>> apple, n, tax = Value(100.0), Value(2.0), Value(1.1)
    >>> price = apple * n * tax
    >>> price.backward()
    >>> apple.grad, n.grad, tax.grad
    (2.2, 110.00000000000001, 200.0)

Modules, one concept each:

* ``autograd.ops``: the op table, every op's forward function and its
  local-derivative rules, written once;
* ``autograd.value``: the node, and the fast paths of the hot ops;
* ``autograd.nary``: one-node ``sum``, ``dot`` and ``logsumexp``;
* ``autograd.backprop``: topological order, ``backward`` and ``grad``;
* ``autograd.mode``: ``no_grad``;
* ``autograd.explain`` and ``autograd.diagram``: the step table and ``draw``;
* ``autograd.symbolic`` and ``autograd.compile``: replay a step without nodes;
* ``autograd.testing``: numerical gradients, ``gradcheck``, hypothesis strategies.

``import autograd`` loads neither graphviz nor hypothesis: ``draw``,
``animate_backward`` and ``autograd.testing`` load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from autograd.anomaly import detect_anomaly, is_anomaly_enabled
from autograd.backprop import (
    BackwardStep,
    backward,
    backward_steps,
    grad,
    local_derivatives,
    running_gradients,
    topological_order,
)
from autograd.compile import Compiled, ReplayRefused, ReplayWarning, compile  # noqa: F401
from autograd.explain import Explanation, explain
from autograd.mode import is_grad_enabled, no_grad
from autograd.nary import dot, dots, logsumexp, sum  # noqa: F401 (sum is public; see __all__)
from autograd.ops import OPS, Op, register_op
from autograd.pathsum import Path, Paths, paths
from autograd.style import Style
from autograd.value import (
    Value,
    abs,  # noqa: F401 (abs is public; see __all__)
    cos,
    custom_op,
    exp,
    leaky_relu,
    log,
    maximum,
    minimum,
    relu,
    sigmoid,
    sin,
    softplus,
    sqrt,
    tanh,
)

# Loaded on first use, so that `import autograd` stays light: name -> module.
_LAZY = {
    "draw": "autograd.diagram", "Diagram": "autograd.diagram",
    "GraphvizNotFound": "autograd.diagram", "animate_backward": "autograd.animate",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name == "testing":
        return importlib.import_module("autograd.testing")
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


# `sum`, `abs` and `compile` are public (autograd.sum, autograd.compile) but left out of
# __all__: a star import would otherwise replace the builtins in the importing module.
__all__ = [
    "OPS",
    "BackwardStep",
    "Compiled",
    "Diagram",
    "Explanation",
    "GraphvizNotFound",
    "Op",
    "Path",
    "Paths",
    "ReplayRefused",
    "ReplayWarning",
    "Style",
    "Value",
    "animate_backward",
    "backward",
    "backward_steps",
    "cos",
    "custom_op",
    "detect_anomaly",
    "dot",
    "dots",
    "draw",
    "exp",
    "explain",
    "grad",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "leaky_relu",
    "local_derivatives",
    "log",
    "logsumexp",
    "maximum",
    "minimum",
    "no_grad",
    "paths",
    "register_op",
    "relu",
    "running_gradients",
    "sigmoid",
    "sin",
    "softplus",
    "sqrt",
    "tanh",
    "topological_order",
]
