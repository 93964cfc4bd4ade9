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

from collections.abc import Callable, Sequence

from autograd import Value
from nn.module import Module

__all__ = ["ACTIVATIONS", "Identity", "ReLU", "Sigmoid", "Tanh", "activation",
           "identity", "relu", "sigmoid", "tanh"]


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
    "linear": identity,
}


def activation(spec: str | Callable[[Value], Value] | None) -> Callable[[Value], Value]:
    """An activation function from a name ("relu", "sigmoid", "tanh", "identity"),
    a callable, or None (identity)."""
    if spec is None:
        return identity
    if isinstance(spec, str):
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
