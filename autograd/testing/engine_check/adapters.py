"""Adapters: engines that are not written like micrograd, seen as if they were.

The worker checks a micrograd-style class (``worker.py``). An adapter is such a
class wrapped around another engine, found by name:

* ``torch``: PyTorch's autograd, a 0-d float64 tensor per node. Each op is the op
  table's own ``torch`` function (``Op.torch``), so no formula is written twice.
  ``torch:module:Function=op`` puts a user's ``torch.autograd.Function`` in the
  place of the table's op (``torch:my_ops:MyTanh=tanh``): its ``backward`` is
  what gets checked;
* any name that a package registers in the ``chainrule.engines`` entry-point group,
  pointing at a micrograd-style class (``my_engine = "my_pkg.adapter:Value"``).

JAX and minitorch have no adapter here: neither is installed on the machines
this is tested on, and an adapter that no test runs would be a guess.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any

from autograd.ops import OPS

__all__ = ["GROUP", "adapter", "torch_class"]

GROUP = "chainrule.engines"  # the entry-point group other packages register adapters in


def adapter(spec: str) -> type | None:
    """The micrograd-style class that ``spec`` names as an adapter, or None if it names
    none (then it is a module or a file)."""
    name, _, rest = spec.partition(":")
    if name == "torch":
        return torch_class(_functions(rest) if rest else {})
    for point in entry_points(group=GROUP):
        if point.name == spec:
            return point.load()
    return None


def _functions(overrides: str) -> dict[str, Any]:
    """``module:Function=op[,Function=op]`` -> {op: Function.apply}."""
    module_name, _, pairs = overrides.partition(":")
    module = importlib.import_module(module_name)
    functions = {}
    for pair in pairs.split(","):
        function_name, _, op = pair.partition("=")
        if op not in OPS:
            raise ValueError(f"check_engine: torch:{overrides}: {op!r} is not an op of the "
                             "table")
        functions[op] = getattr(module, function_name).apply
    return functions


def torch_class(functions: dict[str, Any]) -> type:
    """A micrograd-style class over PyTorch (see the module); ``functions`` replace the
    table's ops by name."""
    import torch

    def lift(x: Any) -> Any:
        if isinstance(x, TorchValue):
            return x.tensor
        return torch.tensor(float(x), dtype=torch.float64)

    def applied(name: str, *args: Any) -> TorchValue:
        tensors = [lift(a) for a in args]
        if name in functions:
            return TorchValue(functions[name](*tensors))
        return TorchValue(OPS[name].torch(torch, *tensors))

    class TorchValue:
        """One node: a 0-d float64 tensor, its gradient kept even when it is not a leaf."""

        __slots__ = ("tensor",)

        def __init__(self, data: Any) -> None:
            if isinstance(data, torch.Tensor):
                self.tensor = data
                if data.requires_grad and not data.is_leaf:
                    data.retain_grad()
            else:
                self.tensor = torch.tensor(float(data), dtype=torch.float64,
                                           requires_grad=True)

        @property
        def data(self) -> float:
            return self.tensor.item()

        @property
        def grad(self) -> float:
            grad = self.tensor.grad
            return 0.0 if grad is None else grad.item()

        def backward(self) -> None:
            self.tensor.backward(retain_graph=True)  # a second call adds, as PyTorch does

        @staticmethod
        def second_derivatives(output: TorchValue, inputs: list[TorchValue]) -> list[float]:
            """d²(output)/d(x)² for each input: torch's grad of grad (create_graph)."""
            xs = [x.tensor for x in inputs]
            firsts = torch.autograd.grad(output.tensor, xs, create_graph=True,
                                         allow_unused=True)
            seconds = []
            for x, first in zip(xs, firsts, strict=True):
                second = None if first is None or not first.requires_grad else \
                    torch.autograd.grad(first, x, retain_graph=True, allow_unused=True)[0]
                seconds.append(0.0 if second is None else second.item())
            return seconds

    for op in OPS.values():
        if op.torch is None or op.arity not in (1, 2):
            continue
        if op.python_operator is None:  # x.tanh(), x.maximum(y)
            setattr(TorchValue, op.name,
                    lambda self, *rest, _name=op.name: applied(_name, self, *rest))
    for dunder, name in (("add", "add"), ("sub", "sub"), ("mul", "mul"),
                         ("truediv", "div"), ("pow", "pow")):
        setattr(TorchValue, f"__{dunder}__",
                lambda self, other, _name=name: applied(_name, self, other))
        setattr(TorchValue, f"__r{dunder}__",
                lambda self, other, _name=name: applied(_name, other, self))
    TorchValue.__neg__ = lambda self: applied("neg", self)
    TorchValue.__qualname__ = TorchValue.__name__ = "TorchValue"
    return TorchValue
