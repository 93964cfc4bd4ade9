"""Adapters: engines that are not written like micrograd, seen as if they were.

The worker checks a micrograd-style class (``worker.py``). An adapter is such a
class wrapped around another engine, found by name:

* ``torch``: PyTorch's autograd, a 0-d float64 tensor per node. Each op is the op
  table's own ``torch`` function (``Op.torch``), so no formula is written twice.
  ``torch:module:Function=op`` puts a user's ``torch.autograd.Function`` in the
  place of the table's op (``torch:my_ops:MyTanh=tanh``): its ``backward`` is
  what gets checked;
* ``jax``: JAX, in float64. A node keeps how it is computed from its inputs; its
  ``backward`` adds a zero to every node's value and asks ``jax.grad`` for the slope of
  the output by each of those zeros, which is d(output)/d(node). Each op is the op
  table's own ``jax`` function. ``jax:module:function=op`` puts a user's function (a
  ``jax.custom_jvp`` with its ``defjvp`` rule) in the place of the table's op;
* any name that a package registers in the ``chainrule.engines`` entry-point group,
  pointing at a micrograd-style class (``my_engine = "my_pkg.adapter:Value"``).

Both adapters give second derivatives (``second_derivatives``), so ``order=2``
checks them. minitorch has no adapter: it is not on PyPI, so no test could run one.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any

from autograd.ops import OPS

__all__ = ["GROUP", "adapter", "jax_class", "torch_class"]

GROUP = "chainrule.engines"  # the entry-point group other packages register adapters in


def adapter(spec: str) -> type | None:
    """The micrograd-style class that ``spec`` names as an adapter, or None if it names
    none (then it is a module or a file)."""
    name, _, rest = spec.partition(":")
    if name == "torch":
        return torch_class(_functions(rest, "apply") if rest else {})
    if name == "jax":
        return jax_class(_functions(rest, None) if rest else {})
    for point in entry_points(group=GROUP):
        if point.name == spec:
            return point.load()
    return None


def _functions(overrides: str, attribute: str | None) -> dict[str, Any]:
    """``module:Function=op[,Function=op]`` -> {op: Function.apply} (or the function
    itself, for ``attribute`` None)."""
    module_name, _, pairs = overrides.partition(":")
    module = importlib.import_module(module_name)
    functions = {}
    for pair in pairs.split(","):
        function_name, _, op = pair.partition("=")
        if op not in OPS:
            raise ValueError(f"check_engine: torch:{overrides}: {op!r} is not an op of the "
                             "table")
        function = getattr(module, function_name)
        functions[op] = getattr(function, attribute) if attribute else function
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

    class TorchValue:  # its ops are added by _with_ops
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

    return _with_ops(TorchValue, applied, "torch")


def _with_ops(cls: type, applied: Any, library: str) -> type:
    """``cls`` with Python's operators and a method for every table op that has a
    function in ``library`` (``Op.torch``, ``Op.jax``), each one ``applied(name, *args)``."""
    for op in OPS.values():
        if getattr(op, library) is None or op.arity not in (1, 2):
            continue
        if op.python_operator is None:  # x.tanh(), x.maximum(y)
            setattr(cls, op.name, lambda self, *rest, _name=op.name: applied(_name, self, *rest))
    for dunder, name in (("add", "add"), ("sub", "sub"), ("mul", "mul"),
                         ("truediv", "div"), ("pow", "pow")):
        setattr(cls, f"__{dunder}__", lambda self, other, _name=name: applied(_name, self, other))
        setattr(cls, f"__r{dunder}__",
                lambda self, other, _name=name: applied(_name, other, self))
    cls.__neg__ = lambda self: applied("neg", self)
    return cls


def jax_class(functions: dict[str, Any]) -> type:
    """A micrograd-style class over JAX (see the module); ``functions`` replace the
    table's ops by name."""
    import jax

    jax.config.update("jax_enable_x64", True)  # float64, as chainrule and the others

    def applied(name: str, *args: Any) -> JaxValue:
        function = functions.get(name) or (lambda *xs: OPS[name].jax(jax, *xs))
        inputs = tuple(a for a in args if isinstance(a, JaxValue))
        numbers = [None if isinstance(a, JaxValue) else float(a) for a in args]

        def compute(*values: Any) -> Any:  # the op on its inputs' values, numbers in place
            given = iter(values)
            return function(*[next(given) if n is None else n for n in numbers])
        return JaxValue(float(compute(*[x.data for x in inputs])), inputs, compute)

    class JaxValue:
        """One node: its value, its gradient, and how it is computed from its inputs (not
        ``parents``: it is JAX's, not a node chainrule reads)."""

        __slots__ = ("data", "grad", "inputs", "compute")

        def __init__(self, data: float, inputs: tuple = (), compute: Any = None) -> None:
            self.data, self.grad = float(data), 0.0
            self.inputs, self.compute = inputs, compute

        def _graph(self) -> tuple[list[JaxValue], Any]:
            """Every node, inputs first, and the output as a function of a zero added to
            each node's value: its slope by that zero is d(output)/d(node)."""
            order, seen, stack = [], {id(self)}, [(self, iter(self.inputs))]
            while stack:
                node, pending = stack[-1]
                given = next((x for x in pending if id(x) not in seen), None)
                if given is None:
                    order.append(stack.pop()[0])
                else:
                    seen.add(id(given))
                    stack.append((given, iter(given.inputs)))
            place = {id(node): k for k, node in enumerate(order)}

            def output(zeros: Any) -> Any:
                values: list[Any] = []
                for k, node in enumerate(order):
                    value = node.compute(*[values[place[id(x)]] for x in node.inputs]) \
                        if node.inputs else node.data
                    values.append(value + zeros[k])
                return values[-1]
            return order, output

        def backward(self) -> None:
            order, output = self._graph()
            slopes = jax.grad(output)(jax.numpy.zeros(len(order)))
            for node, slope in zip(order, slopes.tolist(), strict=True):
                node.grad += slope  # a second call adds, as PyTorch does

        @staticmethod
        def second_derivatives(output: JaxValue, inputs: list[JaxValue]) -> list[float]:
            """d²(output)/d(x)² for each input: the diagonal of jax.hessian."""
            order, function = output._graph()
            hessian = jax.hessian(function)(jax.numpy.zeros(len(order)))
            place = {id(node): k for k, node in enumerate(order)}
            return [float(hessian[place[id(x)], place[id(x)]]) if id(x) in place else 0.0
                    for x in inputs]

    return _with_ops(JaxValue, applied, "jax")
