"""Programs: the small computations that chainrule runs on another engine, and its answers.

A program is a list of steps over numbered nodes. Nodes 0..k-1 are the inputs
(leaves); step i makes node k+i by applying a table op to earlier nodes and
plain numbers (``Const``):

    inputs (0.5, -1.25); steps mul(0, 1), relu(2), add(3, 0)

is ``x2 = x0 * x1; x3 = x2.relu(); x4 = x3 + x0``, and the last node is the
output. The same program is sent to the engine (as JSON, see ``to_json``),
written out as Python for the learner (``source``), and built on chainrule's
own ``Value`` for the right answers (``answers``).

How right must the engine be? Where every op is rational (+ - * /, negation,
whole powers) the answers are exact, from ``autograd.testing.exact``, and an
engine's float passes within **twice** the running rounding bound computed for
chainrule's own order of operations, plus 4 units in the last place of the
exact answer: another engine adds the same shares in another order, and each
order rounds differently by up to such a bound. Elsewhere (exp, tanh, log …)
the answer is chainrule's float, and the engine passes within 1e-9 of the
*size* of the computation: for a value, the largest number feeding it; for a
gradient, the sum of the sizes of the shares that make it up. A wrong rule is
off by far more than either.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

from autograd.backprop import grad
from autograd.ops import OPS, Op
from autograd.testing.exact import EXACT_OPS, exact_answers
from autograd.value import Value
from autograd.walk import Walk

__all__ = ["Answers", "Const", "Program", "Step", "answers", "second_derivatives", "spelling"]

RELATIVE = 1e-9  # of the computation's size, for the ops without exact answers
ULP_SLACK = 4  # units in the last place of the exact answer, on top of twice its bound


@dataclass(frozen=True)
class Const:
    """A plain number in a step (``x * 2.5``), not a node."""
    value: float


@dataclass(frozen=True)
class Step:
    """One op applied to earlier nodes (ints) and plain numbers (Consts)."""
    op: str
    args: tuple[int | Const, ...]

    @property
    def form(self) -> str:
        """"v" for a node and "c" for a number, per argument: "vc" is ``x * 2``."""
        return "".join("c" if isinstance(a, Const) else "v" for a in self.args)


@dataclass(frozen=True)
class Program:
    """Inputs, then steps; the last node is the output (see the module)."""
    inputs: tuple[float, ...]
    steps: tuple[Step, ...]

    @property
    def size(self) -> int:
        return len(self.inputs) + len(self.steps)

    def to_json(self) -> dict:
        """The program as the engine protocol sends it (see the README)."""
        return {"inputs": list(self.inputs),
                "steps": [[s.op, *[{"const": a.value} if isinstance(a, Const) else a
                                   for a in s.args]] for s in self.steps]}

    def source(self, module: str, cls: str, checks: Sequence[str] = (), backward: int = 1
               ) -> str:
        """Plain Python that runs the program on the learner's class (``backward`` calls
        of backward), then ``checks``."""
        lines = [f"from {module} import {cls}", ""]
        # an input nothing uses is left out (it is never the output: a program has a step)
        used = self.nodes_used()
        lines += [f"x{i} = {cls}({x!r})" for i, x in enumerate(self.inputs) if used[i]]
        for i, step in enumerate(self.steps, start=len(self.inputs)):
            lines.append(f"x{i} = {spelling(step, [_written(a) for a in step.args])}")
        lines += [f"x{self.size - 1}.backward()"] * backward
        return "\n".join([*lines, *checks]) + "\n"

    def nodes_used(self) -> list[int]:
        """How many times each node is an argument."""
        used = [0] * self.size
        for step in self.steps:
            for a in step.args:
                if not isinstance(a, Const):
                    used[a] += 1
        return used


def _written(arg: int | Const) -> str:
    if not isinstance(arg, Const):
        return f"x{arg}"
    value = arg.value
    return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def spelling(step: Step, args: Sequence[str]) -> str:
    """How Python writes the step on a micrograd-style class, from the table's notation:
    an operator (``x0 * x1``, ``-x0``, ``x0 ** 2``) or a method (``x0.relu()``)."""
    op = OPS[step.op]
    if op.notation == "infix" and op.python:
        return f"{args[0]} {op.python} {args[1]}"
    if op.notation == "prefix":
        return f"{op.python}{args[0]}"
    return f"{args[0]}.{op.name}({', '.join(args[1:])})"


class Answers(NamedTuple):
    """chainrule's answer for every node, and how far an engine's may be from it."""
    data: list[float]
    grad: list[float]
    data_tolerance: list[float]
    grad_tolerance: list[float]
    exact: bool
    shares: list[list[float]]  # per node, what each use hands it: d out/d user x local

    def data_wrong(self, i: int, got: float) -> bool:
        return _wrong(got, self.data[i], self.data_tolerance[i])

    def grad_wrong(self, i: int, got: float) -> bool:
        return _wrong(got, self.grad[i], self.grad_tolerance[i])

    def one_share(self, i: int, got: float) -> bool:
        """True if ``got``, node i's gradient from an engine, is just one of the shares
        its uses hand it (within its tolerance): the others were overwritten."""
        return any(not _wrong(got, share, self.grad_tolerance[i]) for share in self.shares[i])


def _wrong(got: float, want: float, tolerance: float) -> bool:
    """NaN is right only where NaN is wanted, an infinity only where the same one is;
    else ``got`` must be within ``tolerance`` (a NaN from the engine never is)."""
    if math.isnan(want) or math.isinf(want):
        return not (got == want or math.isnan(got) and math.isnan(want))
    return not abs(got - want) <= tolerance


def build(program: Program) -> list[Value]:
    """The program on chainrule's own Values: one node per program node."""
    nodes = [Value(x) for x in program.inputs]
    for step in program.steps:
        args = [a.value if isinstance(a, Const) else nodes[a] for a in step.args]
        op = OPS[step.op]  # an operator's fast path, or the table's op: both make the node
        # equivalent mutant: op(*args) makes the same node as the operator does
        made = op.python_operator(*args) if op.python_operator else op(*args)  # pragma: no mutate
        nodes.append(made)
    return nodes


def apply(op: Op, args: list[Any]) -> Any:
    """The op on these arguments, as Python applies it to the learner's class too (an
    operator for the ops Python writes as one, so that ``2 * x`` is ``__rmul__``)."""
    if op.python_operator is not None:
        return op.python_operator(*args)
    return getattr(args[0], op.name)(*args[1:])


def is_rational(program: Program) -> bool:
    """True when every step has an exact rational answer (``EXACT_OPS``, whole powers)."""
    for step in program.steps:
        op = OPS[step.op]
        if op not in EXACT_OPS:
            return False
        if op is OPS["pow"] and not (step.form == "vc" and step.args[1].value.is_integer()):
            return False
    return True


def answers(program: Program) -> Answers:
    """chainrule's answers for every node of the program, and their tolerances (see the
    module). A program outside the ops' domains raises their ValueError or
    ArithmeticError: it is no test of an engine."""
    nodes = build(program)
    output = nodes[-1]
    if is_rational(program):
        exact = exact_answers(output)
        # a node the output does not depend on has no exact answer: chainrule's float
        data = [float(exact.values[n]) if n in exact.values else n.data for n in nodes]
        grad = [float(exact.gradients.get(n, Fraction(0))) for n in nodes]
        data_tol = [2 * exact.value_bounds[n] + _ulps(d) if n in exact.values
                    else RELATIVE * _value_size(n) for n, d in zip(nodes, data, strict=True)]
        grad_tol = [2 * exact.gradient_bounds.get(n, 0.0) + _ulps(g)
                    for n, g in zip(nodes, grad, strict=True)]
        return Answers(data, grad, data_tol, grad_tol, True, _shares(program, nodes, grad))
    gradients = Walk(output).run()
    sizes = Walk(output, _size_step).run()
    data = [n.data for n in nodes]
    grad = [float(gradients.get(n, 0.0)) for n in nodes]
    data_tol = [RELATIVE * _value_size(n) for n in nodes]
    grad_tol = [RELATIVE * max(sizes.get(n, 0.0), abs(g)) for n, g in zip(nodes, grad, strict=True)]
    return Answers(data, grad, data_tol, grad_tol, False, _shares(program, nodes, grad))


def _shares(program: Program, nodes: list[Value], grad: list[float]) -> list[list[float]]:
    """What each use of each node hands it: the user's gradient times its local
    derivative for that argument (a number argument is folded, not a parent)."""
    shares: list[list[float]] = [[] for _ in nodes]
    for i, step in enumerate(program.steps, start=len(program.inputs)):
        used = [a for a in step.args if not isinstance(a, Const)]
        for a, local in zip(used, nodes[i].local_derivatives, strict=True):
            shares[a].append(grad[i] * local)
    return shares


def second_derivatives(program: Program) -> list[float]:
    """d²(output)/d(x_i)² for each input x_i, by chainrule's grad of grad: each rule
    differentiated as a function (``create_graph=True``), not only as a number."""
    nodes = build(program)
    output, seconds = nodes[-1], []
    for x in nodes[:len(program.inputs)]:
        first = grad(output, x, create_graph=True)
        seconds.append(float(grad(first, x).data) if first.parents else 0.0)
    return seconds


def _ulps(x: float) -> float:
    return ULP_SLACK * math.ulp(x) if math.isfinite(x) else 0.0


def _value_size(node: Value) -> float:
    return max([abs(node.data), *(abs(p.data) for p in node.parents)])


def _size_step(node: Value, upstream: float) -> tuple[tuple, tuple]:
    """The walk on sizes: each share's |upstream| x |local|, so a gradient's size is the
    sum of the sizes of its shares (what rounding scales with, cancellation or not)."""
    local = node.local_derivatives
    return local, tuple(abs(upstream) * abs(d) for d in local)
