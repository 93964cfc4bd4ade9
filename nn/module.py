"""``Module``: parameters found by walking attributes, named by their path.

A module's parameters are the leaf Values it holds in attributes, directly or
in lists, and those of its sub-modules. They are found in attribute
definition order. A name is the dotted path to the parameter:
``layers.0.neurons.3.w.2`` is weight 2 of neuron 3 of layer 0. Each parameter's
``Value.name`` is set to that path too, so ``autograd.draw`` can cluster a
graph by layer and neuron.

State is a flat ``{name: float}`` dict. ``save``/``load`` write it as JSON,
atomically: a temporary file, then a rename.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator, Mapping
from numbers import Real
from pathlib import Path

from autograd import Value
from autograd.atomic import write_atomic

__all__ = ["Module"]

_FORMAT = "chainrule.state_dict"


class Module:
    """Base class: subclasses keep Values and Modules in attributes and define ``forward``."""

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Value]]:
        """(dotted name, Value) for every parameter, in definition order."""
        for attribute, held in vars(self).items():
            if attribute.startswith("_"):
                continue
            yield from _named(f"{prefix}{attribute}", held)

    def parameters(self) -> list[Value]:
        return [value for _, value in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (they accumulate across backward calls)."""
        for p in self.parameters():
            p.grad = 0.0

    def label_parameters(self) -> None:
        """Set each parameter's ``Value.name`` to its dotted path (constructors call this)."""
        for name, value in self.named_parameters():
            value.name = name

    def state_dict(self) -> dict[str, float]:
        return {name: value.data for name, value in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Copy values in by name. Everything is checked before anything is copied,
        so a bad state leaves the module unchanged."""
        if not isinstance(state, Mapping):
            raise ValueError(f"load_state_dict: expected a dict, got {type(state).__name__}")
        params = dict(self.named_parameters())
        missing = [name for name in params if name not in state]
        if missing:
            raise ValueError(f"load_state_dict: missing key {missing[0]!r} "
                             f"({len(missing)} missing)")
        unexpected = [name for name in state if name not in params]
        if unexpected:
            raise ValueError(f"load_state_dict: unexpected key {unexpected[0]!r} "
                             f"({len(unexpected)} unexpected); is this the same architecture?")
        for name, number in state.items():
            if isinstance(number, bool) or not isinstance(number, Real) or not math.isfinite(
                    number):
                raise ValueError(f"load_state_dict: key {name!r} holds {number!r}, "
                                 "not a finite number")
        for name, value in params.items():
            value.data = float(state[name])

    def save(self, path: str | os.PathLike) -> Path:
        """Write the state as JSON, atomically (a crash leaves any old file whole)."""
        document = {"format": _FORMAT, "version": 1, "parameters": self.state_dict()}
        return write_atomic(path, json.dumps(document, indent=1) + "\n")

    def load(self, path: str | os.PathLike) -> None:
        """Read a file written by ``save`` into this module (same architecture)."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise FileNotFoundError(f"load: no such file {str(path)!r}") from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"load: {str(path)!r} is not valid JSON ({error})") from None
        if not isinstance(document, dict) or document.get("format") != _FORMAT:
            raise ValueError(f"load: {str(path)!r} is not a chainrule state file "
                             f"(key 'format' should be {_FORMAT!r})")
        if document.get("version") != 1:
            raise ValueError(f"load: key 'version' is {document.get('version')!r}; "
                             "this chainrule reads version 1")
        if not isinstance(document.get("parameters"), dict):
            raise ValueError(f"load: key 'parameters' in {str(path)!r} is not an object")
        self.load_state_dict(document["parameters"])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.parameters())} parameters)"


def _named(name: str, held: object) -> Iterator[tuple[str, Value]]:
    if isinstance(held, Value):
        yield name, held
    elif isinstance(held, Module):
        yield from held.named_parameters(prefix=f"{name}.")
    elif isinstance(held, (list, tuple)):
        for i, item in enumerate(held):
            yield from _named(f"{name}.{i}", item)
