"""chainrule's engine: scalar reverse-mode automatic differentiation.

    >>> from autograd import Value
    >>> apple, n, tax = Value(100.0), Value(2.0), Value(1.1)
    >>> price = apple * n * tax
    >>> price.backward()
    >>> apple.grad, n.grad, tax.grad
    (2.2, 110.00000000000001, 200.0)

Modules, one concept each:

* ``autograd.value``: the node, and every op's value and local derivative;
* ``autograd.nary``: one-node ``sum``, ``dot`` and ``logsumexp``;
* ``autograd.backprop``: topological order, ``backward`` and ``grad``;
* ``autograd.higher_order``: local derivatives as Values, for ``create_graph=True``;
* ``autograd.mode``: ``no_grad``;
* ``autograd.explain`` and ``autograd.diagram``: the step table and ``draw``;
* ``autograd.compile``: record a step's graph once, replay it without nodes;
* ``autograd.testing``: numerical gradients, ``gradcheck``, hypothesis strategies.
"""

from autograd.animate import animate_backward
from autograd.backprop import (
    BackwardStep,
    backward,
    backward_steps,
    grad,
    local_derivatives,
    topological_order,
)
from autograd.compile import Compiled, compile  # noqa: F401 (compile is public; see __all__)
from autograd.diagram import Diagram, GraphvizNotFound, draw
from autograd.explain import explain
from autograd.mode import is_grad_enabled, no_grad
from autograd.nary import dot, logsumexp, sum  # noqa: F401 (sum is public; see __all__)
from autograd.value import Value, custom_op, exp, log, relu, sigmoid, tanh

# `sum` and `compile` are public (autograd.sum, autograd.compile) but left out of
# __all__: a star import would otherwise replace the builtins in the importing module.
__all__ = [
    "BackwardStep",
    "Compiled",
    "Diagram",
    "GraphvizNotFound",
    "Value",
    "animate_backward",
    "backward_steps",
    "draw",
    "explain",
    "backward",
    "custom_op",
    "dot",
    "exp",
    "grad",
    "is_grad_enabled",
    "local_derivatives",
    "log",
    "logsumexp",
    "no_grad",
    "relu",
    "sigmoid",
    "tanh",
    "topological_order",
]
