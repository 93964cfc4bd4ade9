"""Activations, as functions of a Value and as modules over a Value or a list.

=========  =====================  ========================  ======================
name       f(x)                   f'(x)                     notes
=========  =====================  ========================  ======================
relu       max(0, x)              1 if x > 0 else 0         relu'(0) = 0 (book)
sigmoid    1 / (1 + e^-x)         f (1 - f)                 stable in both tails
tanh       tanh x                 1 - f^2                   saturates to +-1
identity   x                      1                         the output layer's
=========  =====================  ========================  ======================
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

from autograd import OPS, Value, no_grad
from nn.module import Module

__all__ = ["ACTIVATIONS", "Identity", "ReLU", "Sigmoid", "Tanh", "activation",
           "identity", "on_floats", "relu", "sigmoid", "tanh"]


def relu(x: Value) -> Value:
    return x.relu()


def sigmoid(x: Value) -> Value:
    return x.sigmoid()


def tanh(x: Value) -> Value:
    return x.tanh()


def identity(x: Value) -> Value:
    return x


# Names map straight to Value's methods: a neuron calls one function, not two.
ACTIVATIONS: dict[str, Callable[[Value], Value]] = {
    "relu": Value.relu, "sigmoid": Value.sigmoid, "tanh": Value.tanh, "identity": identity,
}
_RENAMED = {"linear": "identity"}  # old names, which warn: one name per concept


def identity_float(z: float) -> float:
    return z


# The same functions on floats, for evaluation: the op table's own forward functions,
# which the Value methods compute too, so a float result equals a Value's .data.
_ON_FLOATS: dict[Callable, Callable[[float], float]] = {
    Value.relu: OPS["relu"].forward, Value.sigmoid: OPS["sigmoid"].forward,
    Value.tanh: OPS["tanh"].forward, identity: identity_float,
    relu: OPS["relu"].forward, sigmoid: OPS["sigmoid"].forward, tanh: OPS["tanh"].forward,
}


def on_floats(fn: Callable[[Value], Value]) -> Callable[[float], float]:
    """``fn`` as a function of a float: the table's forward for the named activations;
    a function of your own runs on a graph-less Value and gives its ``.data``."""
    known = _ON_FLOATS.get(fn)
    if known is not None:
        return known

    def through_a_value(z: float) -> float:
        with no_grad():
            out = fn(Value(z))
        return out.data if isinstance(out, Value) else float(out)

    return through_a_value


def activation(spec: str | Callable[[Value], Value] | None) -> Callable[[Value], Value]:
    """An activation function from a name ("relu", "sigmoid", "tanh", "identity"),
    a callable, or None (identity)."""
    if spec is None:
        return identity
    if isinstance(spec, str):
        if spec in _RENAMED:
            warnings.warn(f"activation {spec!r} is {_RENAMED[spec]!r}: use that name",
                          DeprecationWarning, stacklevel=3)
            spec = _RENAMED[spec]
        try:
            return ACTIVATIONS[spec]
        except KeyError:
            raise ValueError(f"unknown activation {spec!r}; use one of {sorted(ACTIVATIONS)} "
                             "or a function") from None
    if callable(spec):
        return spec
    raise TypeError(f"activation must be a name or a function, got {type(spec).__name__}")


class _Activation(Module):
    function: Callable[[Value], Value] = staticmethod(identity)

    def forward(self, x: Value | Sequence[Value]) -> Value | list[Value]:
        if isinstance(x, Value):
            return self.function(x)
        return [self.function(v) for v in x]

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class ReLU(_Activation):
    function = staticmethod(relu)


class Sigmoid(_Activation):
    function = staticmethod(sigmoid)


class Tanh(_Activation):
    function = staticmethod(tanh)


class Identity(_Activation):
    function = staticmethod(identity)
