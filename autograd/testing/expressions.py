"""A tiny language of expression graphs over the op table, for any number system.

An ``Expression`` is a list of steps over numbered nodes. Nodes 0..n-1 are
the inputs, and step j makes node n+j. A step applies one op of the table
(``autograd.ops``, built-in or registered by you) to earlier nodes and folded
numbers, so an expression is a graph with fan-out, not only a tree::

    v0 = x0 * x1
    v1 = exp(v0)
    v2 = v1 + v0          # v0 is used twice

The same expression runs on Values (``AUTOGRAD``), on floats (``FLOAT``), on
sympy symbols (``SYMPY``) or on PyTorch tensors (``TORCH``). That lets a test
compare backprop with central differences, sympy's symbolic derivative, or
PyTorch, all on one random graph.

Each argument stays in its op's domain (from the table) by construction: a
node given to a "positive" or "nonzero" argument enters as ``a**2 + 1``
(``log(x0**2 + 1)``), and a folded number is drawn inside the domain. So
every real input is valid, and only overflow and the kinks (relu at 0, a tie
of maximum) need filtering (see ``Expression.trace``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import autograd
from autograd.ops import DOT, LOGSUMEXP, OPS, SUM, Op
from autograd.value import Value

__all__ = ["AUTOGRAD", "FLOAT", "SYMPY", "TORCH", "Backend", "Expression", "Step", "lift"]


@dataclass(frozen=True)
class Backend:
    """How one number system applies an op of the table: ``apply(op, args)``."""

    name: str
    apply: Callable[[Op, list], Any]


def _apply_to_values(op: Op, args: list) -> Any:
    """Through the API a user calls, so that the fast paths are what gets tested."""
    if op.python_operator is not None and any(type(a) is Value for a in args):
        return op.python_operator(*args)  # x + y, -x: the Value's own operator
    if op is SUM:
        return autograd.sum(args)
    if op is LOGSUMEXP:
        return autograd.logsumexp(args)
    if op is DOT:
        n = len(args) // 2
        return autograd.dot(args[:n], args[n:2 * n], args[-1])
    method = getattr(Value, op.name, None)
    if type(args[0]) is Value and OPS.get(op.name) is op and callable(method):
        return method(*args)
    return op(*args)


def _apply_sympy(op: Op, args: list) -> Any:
    import sympy

    if op.sympy is None:
        raise ValueError(f"op {op.name!r} has no sympy form: give register_op(sympy=...)")
    return op.sympy(sympy, *args)


def _apply_torch(op: Op, args: list) -> Any:
    import torch

    if op.torch is None:
        raise ValueError(f"op {op.name!r} has no PyTorch form")
    tensors = [a if isinstance(a, torch.Tensor) else torch.tensor(a, dtype=torch.float64)
               for a in args]
    return op.torch(torch, *tensors)


AUTOGRAD = Backend("autograd", _apply_to_values)
FLOAT = Backend("float", lambda op, args: op.on_floats([float(a) for a in args]))
SYMPY = Backend("sympy", _apply_sympy)
TORCH = Backend("torch", _apply_torch)


def lift(domain: str, a: Any) -> Any:
    """A node's value moved into ``domain``: itself for "real", ``a**2 + 1`` otherwise."""
    return a if domain == "real" else a * a + 1


@dataclass(frozen=True)
class Step:
    """One op over earlier nodes and numbers: an int in ``args`` is a node, a float a number."""

    op: str
    args: tuple[int | float, ...]


def _op(name: str) -> Op:
    try:
        return OPS[name]
    except KeyError:
        raise ValueError(f"Expression: unknown op {name!r}; known: {sorted(OPS)}") from None


def _domain(op: Op, i: int) -> str:
    return op.domains[0] if op.arity is None else op.domains[i]


@dataclass(frozen=True)
class Expression:
    """A graph of ``steps`` over ``n_inputs`` inputs; the last node is the output."""

    n_inputs: int
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        for j, step in enumerate(self.steps):
            op = _op(step.op)
            if op.arity is not None and len(step.args) != op.arity:
                raise ValueError(f"Expression: {step.op} takes {op.arity} arguments, "
                                 f"got {len(step.args)}")
            if op is DOT and len(step.args) % 2 == 0:
                raise ValueError("Expression: dot takes w_1..w_n, x_1..x_n and a bias")
            nodes = [a for a in step.args if type(a) is int]
            if not nodes or not all(0 <= i < self.n_inputs + j for i in nodes):
                raise ValueError(f"Expression: step {j} must use earlier nodes, got {step.args}")

    def nodes(self, inputs: Sequence[Any], backend: Backend = AUTOGRAD) -> list[Any]:
        """Every node's value: the inputs, then one per step."""
        if len(inputs) != self.n_inputs:
            raise ValueError(f"Expression: {self.n_inputs} inputs expected, got {len(inputs)}")
        nodes = list(inputs)
        for step in self.steps:
            op = _op(step.op)
            args = [lift(_domain(op, i), nodes[a]) if type(a) is int else a
                    for i, a in enumerate(step.args)]
            nodes.append(backend.apply(op, args))
        return nodes

    def __call__(self, *inputs: Any, backend: Backend = AUTOGRAD) -> Any:
        return self.nodes(inputs, backend)[-1]

    def to_sympy(self, symbols: Sequence[Any]) -> Any:
        return self(*symbols, backend=SYMPY)

    def trace(self, *inputs: float) -> tuple[float, float]:
        """(largest |node value|, smallest distance to a kink) on floats.

        Tests keep points where the first is moderate (no overflow, sound
        finite differences) and the second is not tiny: at relu's kink
        backprop's relu'(0) = 0, and a central difference gives 0.5.
        """
        nodes = [float(x) for x in inputs]
        kinks = [math.inf]
        try:
            for step in self.steps:
                op = _op(step.op)
                args = [lift(_domain(op, i), nodes[a]) if type(a) is int else a
                        for i, a in enumerate(step.args)]
                if op.kink is not None:
                    kinks.append(op.kink(*args))
                nodes.append(op.on_floats(args))
        except (OverflowError, ValueError, ZeroDivisionError):
            return math.inf, 0.0
        largest = max((abs(v) for v in nodes), default=0.0)
        return (largest if largest == largest else math.inf), min(kinks)

    def lines(self) -> list[str]:
        """The program, one line per step: ``v0 = x0 * x1``."""
        names = [f"x{i}" for i in range(self.n_inputs)]
        lines = []
        for j, step in enumerate(self.steps):
            op = _op(step.op)
            args = [f"{names[a]}**2 + 1" if type(a) is int and _domain(op, i) != "real"
                    else names[a] if type(a) is int else f"{a:.6g}"
                    for i, a in enumerate(step.args)]
            names.append(f"v{j}")
            lines.append(f"v{j} = {_written(op, args)}")
        return lines

    def __str__(self) -> str:
        return "; ".join(self.lines()) or "x0"

    def __repr__(self) -> str:
        inputs = ", ".join(f"x{i}" for i in range(self.n_inputs))
        return f"<expression of {inputs}:\n    " + "\n    ".join(self.lines()) + "\n>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # hypothesis prints a failing case with IPython's protocol, which would otherwise
        # spell a dataclass out field by field: the program reads better.
        printer.text(repr(self))


def _written(op: Op, args: list[str]) -> str:
    def grouped(a: str) -> str:
        return f"({a})" if " " in a else a

    if op.python is not None and op.notation == "infix":
        return f"{grouped(args[0])} {op.python} {grouped(args[1])}"
    if op.python is not None:  # prefix
        return f"{op.python}{grouped(args[0])}"
    if op is DOT:
        n = len(args) // 2
        return f"dot([{', '.join(args[:n])}], [{', '.join(args[n:2 * n])}], {args[-1]})"
    if op.arity is None:
        return f"{op.name}([{', '.join(args)}])"
    return f"{op.name}({', '.join(args)})"
