"""A tiny language of expression graphs that any number system can evaluate.

An ``Expression`` is a list of steps over numbered nodes. Nodes 0..n-1 are
the inputs, and step j makes node n+j from earlier nodes. A step may reuse
any earlier node, so an expression is a graph with fan-out, not only a tree.
The last node is the output.

The same expression runs on Values (``AUTOGRAD``), on floats (``FLOAT``),
on sympy symbols (``sympy_backend()``) or on anything else that has
arithmetic and the five functions. That lets a test compare backprop with
central differences, sympy's symbolic derivative, or PyTorch, all on one
random graph.

Each op keeps its arguments in their domain by construction. Division
divides by ``b**2 + 1``; log takes ``a**2 + 1``; a Value exponent gets the
base ``a**2 + 1``. So every real input is valid, and only overflow and relu's
kink need filtering (see ``Expression.trace``).
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import mul
from typing import Any

import autograd
from autograd.value import _sigmoid

__all__ = ["AUTOGRAD", "FLOAT", "OPS", "Backend", "Expression", "Op", "Step", "sympy_backend"]


@dataclass(frozen=True)
class Backend:
    """The non-arithmetic functions an expression needs, for one number system."""

    exp: Callable[[Any], Any]
    log: Callable[[Any], Any]
    tanh: Callable[[Any], Any]
    sigmoid: Callable[[Any], Any]
    relu: Callable[[Any], Any]
    sum: Callable[[list], Any]
    dot: Callable[[list, list, Any], Any]


def _float_relu(x: float) -> float:
    return x if x > 0 else 0.0


def _plain_dot(weights: list, inputs: list, bias: Any) -> Any:
    return builtins.sum(map(mul, weights, inputs)) + bias


AUTOGRAD = Backend(
    autograd.exp, autograd.log, autograd.tanh, autograd.sigmoid, autograd.relu,
    autograd.sum, autograd.dot,
)
FLOAT = Backend(
    math.exp, math.log, math.tanh, _sigmoid, _float_relu, builtins.sum, _plain_dot
)


def sympy_backend() -> Backend:
    """Sympy functions; relu is a Piecewise whose derivative is a Piecewise step."""
    import sympy

    def relu(x):
        return sympy.Piecewise((x, x > 0), (0, True))

    return Backend(
        sympy.exp, sympy.log, sympy.tanh, lambda x: 1 / (1 + sympy.exp(-x)), relu,
        lambda terms: sympy.Add(*terms), _plain_dot,
    )


@dataclass(frozen=True)
class Op:
    """One kind of step: how many arguments, what constant, how to apply it."""

    name: str
    min_args: int
    max_args: int
    const_range: tuple[float, float] | None
    apply: Callable[[Backend, list, float], Any]
    template: str  # {0}, {1}, ... are the arguments, {c} the constant, {args} all of them


def _op(name, n_args, const_range, apply, template) -> Op:
    low, high = n_args if isinstance(n_args, tuple) else (n_args, n_args)
    return Op(name, low, high, const_range, apply, template)


_C = (-3.0, 3.0)
OPS: dict[str, Op] = {op.name: op for op in [
    _op("add", 2, None, lambda B, a, c: a[0] + a[1], "{0} + {1}"),
    _op("sub", 2, None, lambda B, a, c: a[0] - a[1], "{0} - {1}"),
    _op("mul", 2, None, lambda B, a, c: a[0] * a[1], "{0} * {1}"),
    _op("div", 2, None, lambda B, a, c: a[0] / (a[1] * a[1] + 1), "{0} / ({1}**2 + 1)"),
    _op("neg", 1, None, lambda B, a, c: -a[0], "-{0}"),
    _op("add_const", 1, _C, lambda B, a, c: a[0] + c, "{0} + {c}"),
    _op("mul_const", 1, _C, lambda B, a, c: a[0] * c, "{0} * {c}"),
    _op("rsub_const", 1, _C, lambda B, a, c: c - a[0], "{c} - {0}"),
    _op("rdiv_const", 1, _C, lambda B, a, c: c / (a[0] * a[0] + 1), "{c} / ({0}**2 + 1)"),
    _op("square", 1, None, lambda B, a, c: a[0] ** 2, "{0}**2"),
    _op("cube", 1, None, lambda B, a, c: a[0] ** 3, "{0}**3"),
    _op("root", 1, (-1.5, 1.5), lambda B, a, c: (a[0] * a[0] + 1) ** c, "({0}**2 + 1)**{c}"),
    _op("pow", 2, None, lambda B, a, c: (a[0] * a[0] + 1) ** a[1], "({0}**2 + 1)**{1}"),
    _op("rpow", 1, (0.5, 3.0), lambda B, a, c: c ** a[0], "{c}**{0}"),
    _op("exp", 1, None, lambda B, a, c: B.exp(a[0]), "exp({0})"),
    _op("log", 1, None, lambda B, a, c: B.log(a[0] * a[0] + 1), "log({0}**2 + 1)"),
    _op("tanh", 1, None, lambda B, a, c: B.tanh(a[0]), "tanh({0})"),
    _op("sigmoid", 1, None, lambda B, a, c: B.sigmoid(a[0]), "sigmoid({0})"),
    _op("relu", 1, None, lambda B, a, c: B.relu(a[0]), "relu({0})"),
    _op("sum", (1, 4), _C, lambda B, a, c: B.sum([*a, c]), "sum({args}, {c})"),
    # Values . Values, halves of the arguments, plus a constant bias.
    _op("dot", (2, 6), _C, lambda B, a, c: B.dot(a[: len(a) // 2], a[len(a) // 2:], c),
        "dot({args}; bias {c})"),
    # Values . numbers: a first layer's neuron, weights c, c+1, c+2, ...
    _op("affine", (1, 3), _C,
        lambda B, a, c: B.dot(list(a), [c + i for i in range(len(a))], 0.0),
        "affine({args}; weights from {c})"),
    # A mix of Values and numbers on one side.
    _op("mixed_dot", 3, _C, lambda B, a, c: B.dot([a[0], c], [a[1], a[2]], 0.0),
        "dot([{0}, {c}], [{1}, {2}])"),
]}


@dataclass(frozen=True)
class Step:
    op: str
    args: tuple[int, ...]
    const: float = 0.0


@dataclass(frozen=True)
class Expression:
    """A graph of ``steps`` over ``n_inputs`` inputs; the last node is the output."""

    n_inputs: int
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        for j, step in enumerate(self.steps):
            op = OPS.get(step.op)
            if op is None:
                raise ValueError(f"Expression: unknown op {step.op!r}")
            if not op.min_args <= len(step.args) <= op.max_args:
                raise ValueError(f"Expression: {step.op} takes {op.min_args}..{op.max_args} args")
            if not all(0 <= i < self.n_inputs + j for i in step.args):
                raise ValueError(f"Expression: step {j} uses a node that does not exist yet")

    def nodes(self, inputs: Sequence[Any], backend: Backend = AUTOGRAD) -> list[Any]:
        """Every node's value: the inputs, then one per step."""
        if len(inputs) != self.n_inputs:
            raise ValueError(f"Expression: {self.n_inputs} inputs expected, got {len(inputs)}")
        nodes = list(inputs)
        for step in self.steps:
            nodes.append(OPS[step.op].apply(backend, [nodes[i] for i in step.args], step.const))
        return nodes

    def __call__(self, *inputs: Any, backend: Backend = AUTOGRAD) -> Any:
        return self.nodes(inputs, backend)[-1]

    def to_sympy(self, symbols: Sequence[Any]) -> Any:
        return self(*symbols, backend=sympy_backend())

    def trace(self, *inputs: float) -> tuple[float, float]:
        """(largest |node value|, smallest |relu argument|) on floats.

        Tests keep points where the first is moderate (no overflow, sound
        finite differences) and the second is not tiny (relu's kink at 0 is
        where backprop's relu'(0) = 0 and a central difference's 0.5 part).
        """
        relu_args: list[float] = []

        def recording_relu(x: float) -> float:
            relu_args.append(abs(x))
            return _float_relu(x)

        backend = Backend(
            FLOAT.exp, FLOAT.log, FLOAT.tanh, FLOAT.sigmoid, recording_relu, FLOAT.sum, FLOAT.dot
        )
        try:
            values = self.nodes([float(x) for x in inputs], backend)
        except (OverflowError, ValueError, ZeroDivisionError):
            return math.inf, 0.0
        largest = max((abs(v) for v in values), default=0.0)
        return largest, min(relu_args, default=math.inf)

    def __str__(self) -> str:
        names = [f"x{i}" for i in range(self.n_inputs)]
        lines = []
        for j, step in enumerate(self.steps):
            args = [names[i] for i in step.args]
            text = OPS[step.op].template.format(*args, c=f"{step.const:.6g}", args=", ".join(args))
            names.append(f"v{j}")
            lines.append(f"v{j} = {text}")
        return "; ".join(lines) or names[-1]
