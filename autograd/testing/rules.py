"""Find the wrong rule: the first node whose own local derivatives are off.

A gradient is a sum over paths of products of local derivatives, so when
gradcheck says d f/d x3 is off, the mistake is in some node's rule. This
module checks every node of the graph on its own: its op's rule for each
argument against a central difference of that op's forward function alone,
at that node's arguments. The first node, in the order the graph was built,
whose rule disagrees is named with its op, its arguments and both numbers:

    the rule of your op `softplus` at x = 3.0 gives 0.5, central differences give 0.9526

At order 2 it checks the rules run on Values (the derivative of each rule)
against central differences of the rule on floats, which finds a rule that
is right as a number but wrong as a function (a constant where it should not
be one). Nodes next to a kink of their op (relu at 0) are skipped, and so are
nodes made by ``custom_op``, which has no forward function to differentiate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograd.backprop import grad, topological_order
from autograd.ops import BUILTINS, Op, arguments, entry
from autograd.testing.differences import close, derivative
from autograd.value import Value

__all__ = ["RuleMismatch", "check_rules", "find_wrong_rule"]

_BUILTIN = set(BUILTINS)


@dataclass(frozen=True)
class RuleMismatch:
    """A node's rule for one argument that disagrees with central differences."""

    op: Op
    args: tuple[float, ...]
    argument: int
    rule_gives: float
    differences_give: float
    error_estimate: float
    order: int = 1
    by: int | None = None  # at order 2: the argument the rule was differentiated by

    def __str__(self) -> str:
        owner = "op" if self.op in _BUILTIN else "your op"
        names = _argument_names(len(self.args))
        at = ", ".join(f"{name} = {value!r}" for name, value in zip(names, self.args,
                                                                      strict=True))
        arg = names[self.argument]
        if self.order == 2:
            what = f"the second derivative of {owner} `{self.op.name}` (d/d{names[self.by]} " \
                   f"of its rule for d/d{arg})"
        else:
            which = f" for d/d{arg}" if len(self.args) > 1 else ""
            what = f"the rule of {owner} `{self.op.name}`{which}"
        return (f"{what} at {at} gives "
                f"{self.rule_gives:.6g}, central differences give {self.differences_give:.6g} "
                f"(error estimate {self.error_estimate:.1g})")


def _argument_names(n: int) -> list[str]:
    return ["x"] if n == 1 else ["x", "y"] if n == 2 else [f"a{i}" for i in range(n)]


def check_rules(output: Value, *, order: int = 1, h: float = 1e-4, atol: float = 1e-6,
                rtol: float = 1e-5) -> list[RuleMismatch]:
    """Every node's rules checked on their own, in the order the graph was built."""
    if not isinstance(output, Value):
        raise TypeError(f"check_rules: expected a Value, got {type(output).__name__}")
    found = []
    for node in topological_order(output):
        if not node.parents:
            continue
        op = entry(node.call)
        args = arguments(node.call, [p.data for p in node.parents])
        if op.forward is None or (op.kink is not None and op.kink(*args) < 10 * h):
            continue
        slots = [i for i, a in enumerate(arguments(node.call, node.parents))
                 if type(a) is Value]
        check = _first_order if order == 1 else _second_order
        found += check(op, args, slots, node.local_derivatives, h, atol, rtol)
    return found


def _nudged(args: Sequence[float], i: int) -> Callable[[float], list[float]]:
    return lambda t: [t if k == i else a for k, a in enumerate(args)]


def _first_order(op, args, slots, local, h, atol, rtol) -> list[RuleMismatch]:
    found = []
    for slot, rule_gives in zip(slots, local, strict=True):
        moved = _nudged(args, slot)
        estimate = derivative(lambda t, moved=moved: op.on_floats(moved(t)), args[slot], h)
        if not close(rule_gives, estimate.value, atol + 2 * estimate.error, rtol):
            found.append(RuleMismatch(op, tuple(args), slot, rule_gives, estimate.value,
                                      estimate.error))
    return found


def _second_order(op, args, slots, local, h, atol, rtol) -> list[RuleMismatch]:
    found = []
    values = [Value(a) for a in args]
    for slot in slots:
        rule = op.derivative(slot, op(*values), values)  # the rule, run on Values
        for by in slots:
            if isinstance(rule, Value):
                (d2,) = grad(rule, [values[by]])
                rule_gives = d2.data
            else:
                rule_gives = 0.0  # a number: the rule says its derivative is constant
            moved = _nudged(args, by)
            estimate = derivative(
                lambda t, moved=moved, slot=slot: float(
                    op.derivative(slot, op.on_floats(moved(t)), moved(t))), args[by], h)
            if not close(rule_gives, estimate.value, atol + 2 * estimate.error, rtol):
                found.append(RuleMismatch(op, tuple(args), slot, rule_gives, estimate.value,
                                          estimate.error, order=2, by=by))
    return found


def find_wrong_rule(fn: Callable[..., Value] | Value, point: Sequence[float] = (), *,
                    order: int = 1, h: float = 1e-4) -> RuleMismatch | None:
    """The first node of ``fn``'s graph at ``point`` (or of a built graph) whose rule is off."""
    output = fn if isinstance(fn, Value) else fn(*map(Value, point))
    if not isinstance(output, Value):
        return None
    for k in range(1, order + 1):
        found = check_rules(output, order=min(k, 2), h=h)
        if found:
            return found[0]
    return None
