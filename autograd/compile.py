"""Graph replay: record one training step's graph, then rerun it without building nodes.

A training loop builds the same graph every step; only the numbers change.
``autograd.compile(fn)`` calls ``fn`` once, with every number in its arguments
turned into an input Value, and records the graph that ``fn`` returns. It
then writes that graph out as one straight-line Python function: one
assignment per node forward, one per node backward. Each replay runs that
function on new inputs and on the parameters' current values, and adds the
gradients into the parameters' ``.grad`` exactly as ``backward()`` does.

    step = autograd.compile(lambda x, y: nn.mse(model(x), y))
    for x, y in data:
        optimizer.zero_grad()
        loss = step(x, y)          # forward and backward; returns the loss
        optimizer.step()

The replayed numbers equal a fresh build's bit for bit. Every op is written
with the same arithmetic as in ``autograd.value``, and each gradient sums its
shares in the order ``backward()`` adds them.

Limits (the graph is fixed when it is recorded):

* Python branches on ``.data``, ``if`` statements or ``max(v.data ...)``, are
  frozen at their recorded outcome. Relu's slope and the max-shift in
  ``logsumexp`` are ops, recomputed on every replay, so they stay correct.
  Class indices used to pick a logit are branches too: pass one-hot targets.
* Arguments become Values, so ``fn`` must not use them as Python numbers
  (as list indices, say). Values passed in stay themselves (parameters).
* A new argument shape (a shorter last batch) records a new graph; that is
  detected. A changed branch inside ``fn`` cannot be, as above.
* Custom ops (``custom_op``) and dots that mix Values and numbers on one side
  are refused when recording, with a message that says so.
"""

from __future__ import annotations

import builtins
import math
import operator
from collections.abc import Callable, Iterator
from numbers import Real

from autograd.backprop import backward_order, topological_order
from autograd.mode import is_grad_enabled
from autograd.nary import _logsumexp
from autograd.value import Value, _sigmoid, _slope_of_power

__all__ = ["Compiled", "compile"]

_MAX_TERMS = 200  # terms per statement: keeps the compiler's expression trees shallow

_GLOBALS = {
    "_exp": math.exp, "_log": math.log, "_tanh": math.tanh, "_sigmoid": _sigmoid,
    "_sum": builtins.sum, "_map": map, "_mul": operator.mul, "_float": float,
    "_logsumexp": _logsumexp, "_slope": _slope_of_power,
    "inf": math.inf, "nan": math.nan,  # repr() of a folded infinite or NaN number
}


def compile(fn: Callable[..., Value]) -> Compiled:  # shadows the builtin here, by design
    """Record ``fn``'s graph on the first call and replay it on later calls (see the module)."""
    if not callable(fn):
        raise TypeError(f"compile: expected a function, got {type(fn).__name__}")
    return Compiled(fn)


class Compiled:
    """A step function that records its graph once per argument shape, then replays it."""

    def __init__(self, fn: Callable[..., Value]) -> None:
        self.fn = fn
        self._programs: dict[tuple, _Program] = {}
        self.last_source = ""

    @property
    def recordings(self) -> int:
        """How many graphs have been recorded (one per argument shape seen)."""
        return len(self._programs)

    def __call__(self, *args) -> float:
        """Forward and backward on ``args``: returns the output value and adds the
        gradients into the parameters' ``.grad``, like ``fn(*args).backward()``."""
        numbers: list[float] = []
        values: list[Value] = []
        shape = _flatten(args, numbers, values)
        program = self._programs.get(shape)
        if program is None:
            return self._record(args, shape, values)
        return program.run(numbers, values)

    def _record(self, args: tuple, shape: tuple, arg_values: list[Value]) -> float:
        if not is_grad_enabled():
            raise RuntimeError("compile: cannot record a step inside no_grad()")
        inputs: list[Value] = []
        out = self.fn(*_wrap(args, inputs))
        if not isinstance(out, Value):
            raise TypeError(f"compile: the function must return a Value, got "
                            f"{type(out).__name__}")
        program = _Program(out, inputs, arg_values)
        out.backward()  # the recording call is a real step too
        self._programs[shape] = program
        self.last_source = program.source
        return out.data


# -- arguments ----------------------------------------------------------------------

def _flatten(obj: object, numbers: list[float], values: list[Value]) -> tuple | str:
    """Numbers and Values in ``obj``, in order; returns the shape (nesting and kinds)."""
    if type(obj) is float:
        numbers.append(obj)
        return "n"
    if isinstance(obj, Value):
        values.append(obj)
        return "v"
    if isinstance(obj, Real):
        numbers.append(float(obj))
        return "n"
    if hasattr(obj, "tolist"):
        obj = obj.tolist()
    if isinstance(obj, (list, tuple)):
        return tuple(_flatten(item, numbers, values) for item in obj)
    raise TypeError(f"compile: arguments must be numbers, Values, or lists, tuples and "
                    f"numpy arrays of them; got {type(obj).__name__}")


def _wrap(obj: object, inputs: list[Value]) -> object:
    """``obj`` with every number replaced by a new input Value (recorded in ``inputs``)."""
    if isinstance(obj, Value):
        return obj
    if isinstance(obj, Real):
        leaf = Value(obj)
        inputs.append(leaf)
        return leaf
    if hasattr(obj, "tolist"):
        obj = obj.tolist()
    if isinstance(obj, tuple):
        return tuple(_wrap(item, inputs) for item in obj)
    return [_wrap(item, inputs) for item in obj]


# -- code generation ----------------------------------------------------------------

_FORMS = {  # {0}, {1}: the parents' variables; {all}: all of them
    "+": "{0} + {1}", "-": "{0} - {1}", "*": "{0} * {1}", "/": "{0} / {1}",
    "**": "{0} ** {1}", "neg": "-{0}", "exp": "_exp({0})", "log": "_log({0})",
    "tanh": "_tanh({0})", "sigmoid": "_sigmoid({0})", "relu": "({0} if {0} > 0 else 0.0)",
    "logsumexp": "_logsumexp(({all},))",
}
_FOLDED_FORMS = {  # {k}: the folded number
    "+": "{0} + {k}", "-": "{0} - {k}", "r-": "{k} - {0}", "*": "{0} * {k}",
    "/": "{0} / {k}", "r/": "{k} / {0}", "**": "{0} ** {k}", "r**": "{k} ** {0}",
}


def _forward(node: Value, a: list[str]) -> str:
    """The expression for ``node``'s value, from its parents' variables ``a``.

    Each line is the arithmetic of the op in autograd.value or autograd.nary.
    """
    op = node._op
    label, k = (op, None) if type(op) is str else op
    if label in ("dot", "dotb", "dotv"):
        return _dot_forward(label, k, a, node._local)
    if label == "sum":
        layout = iter(a)
        terms = [next(layout) if slot is None else repr(slot) for slot in (k or [None] * len(a))]
        return f"_float(_sum(({', '.join(terms)},)))"
    form = _FORMS.get(label) if k is None else _FOLDED_FORMS.get(label)
    if form is None or callable(k):
        raise TypeError(f"compile: the custom op {label!r} cannot be replayed: a replay has "
                        "no forward formula for it. Build it from built-in ops to compile it.")
    return form.format(*a, k=repr(k), all=", ".join(a))


def _dot_forward(label: str, bias: float | None, a: list[str], numbers: tuple) -> str:
    """sum(w_i x_i) + b, as autograd.nary computes it: builtins.sum over map(mul), then + b."""
    if callable(bias):
        raise TypeError("compile: a dot that mixes Values and numbers on one side cannot "
                        "be replayed; give it Values on one side and numbers on the other")
    bias_is_parent = label == "dotb" or (label == "dotv" and len(a) % 2 == 1)
    end = len(a) - 1 if bias_is_parent else len(a)
    tail = a[-1] if bias_is_parent else repr(bias if bias is not None else 0.0)
    if label == "dotv":
        n = end // 2
        return f"_sum(_map(_mul, ({', '.join(a[:n])},), ({', '.join(a[n:end])},))) + {tail}"
    return f"_sum(_map(_mul, ({', '.join(a[:end])},), {numbers[:end]!r})) + {tail}"


def _locals(node: Value, v: str, a: list[str]) -> list[str]:
    """The expression for d(node)/d(parent) for each parent: the op's local derivative."""
    op = node._op
    label, k = (op, None) if type(op) is str else op
    if label == "*" and k is None:
        return [a[1], a[0]]
    if label == "/" and k is None:
        return [f"(1 / {a[1]})", f"(-{v} / {a[1]})"]
    if label == "r/":
        return [f"(-{v} / {a[0]})"]
    if label == "**":
        if k is None:
            return [f"_slope({a[0]}, {a[1]})", f"({v} * _log({a[0]}))"]
        return [f"_slope({a[0]}, {k!r})"]
    if label == "r**":
        return [f"({v} * {math.log(k)!r})"]
    if label == "exp":
        return [v]
    if label == "log":
        return [f"(1 / {a[0]})"]
    if label == "tanh":
        return [f"(1 - {v} * {v})"]
    if label == "sigmoid":
        return [f"({v} * (1 - {v}))"]
    if label == "relu":
        return [f"(1.0 if {a[0]} > 0 else 0.0)"]
    if label == "logsumexp":
        return [f"_exp({z} - {v})" for z in a]
    if label == "dotv":
        n = len(a) // 2
        swapped = a[n:2 * n] + a[:n]
        return swapped + ["1.0"] if len(a) % 2 else swapped
    return [repr(d) for d in node._local]  # constant slopes: +, -, neg, x*k, x/k, sum, dot


def _share(g: str, d: str) -> str:
    if d == "1.0":
        return g  # g * 1.0 is g, exactly
    if d == "-1.0":
        return f"-{g}"
    if d.startswith("_slope("):
        # The one slope that can be infinite at a finite point (sqrt at 0). backward()
        # passes nothing from a zero gradient, so 0 x inf is 0 there; so it is here.
        return f"({g} * {d} if {g} else 0.0)"
    return f"{g} * {d}"


def _sum_statements(target: str, start: str, terms: list[str]) -> Iterator[str]:
    """``target = start + t1 + t2 + ...``, left to right, in chunks of _MAX_TERMS."""
    chunks = [terms[i:i + _MAX_TERMS] for i in range(0, len(terms), _MAX_TERMS)] or [[]]
    for chunk in chunks:
        yield f"    {target} = {' + '.join([start, *chunk])}"
        start = target


class _Program:
    """One recorded graph as generated Python."""

    def __init__(self, out: Value, inputs: list[Value], arg_values: list[Value]) -> None:
        order = topological_order(out)
        input_slot = {leaf: i for i, leaf in enumerate(inputs)}
        names: dict[Value, str] = {}
        params: list[Value] = []
        lines = ["def replay(X, P):"]
        if inputs:
            lines.append(f"    ({', '.join(f'x{i}' for i in range(len(inputs)))},) = X")
        forward = []
        for node in order:
            if not node._parents:
                if node in input_slot:
                    names[node] = f"x{input_slot[node]}"
                else:
                    names[node] = f"w{len(params)}"
                    params.append(node)
                continue
            names[node] = f"v{len(names)}"
            expression = _forward(node, [names[p] for p in node._parents])
            forward.append(f"    {names[node]} = {expression}")
        if params:
            lines.append(f"    ({', '.join(f'p{i}' for i in range(len(params)))},) = P")
            lines += [f"    w{i} = p{i}.data" for i in range(len(params))]
        lines += forward

        # Backward, in backward()'s own order: a node's gradient is the sum of the shares
        # its consumers hand it, added in the order backward() adds them.
        shares: dict[Value, list[str]] = {out: ["1.0"]} if not out._parents else {}
        for node in backward_order(out):
            g = "g" + names[node][1:]
            if node is out:
                lines.append(f"    {g} = 1.0")
            else:
                lines += _sum_statements(g, "0.0", shares.pop(node))
            local = _locals(node, names[node], [names[p] for p in node._parents])
            for parent, d in zip(node._parents, local, strict=True):
                shares.setdefault(parent, []).append(_share(g, d))
        for i, param in enumerate(params):
            if param in shares:
                lines += _sum_statements(f"p{i}.grad", f"p{i}.grad", shares[param])
        lines.append(f"    return {names[out]}")

        self.params = params
        # Values passed as arguments: a replay reads the ones passed then, slot by slot.
        slot_of = {param: i for i, param in enumerate(params)}
        self.arg_slots = [slot_of.get(value) for value in arg_values]
        self.source = "\n".join(lines) + "\n"
        namespace = dict(_GLOBALS)
        # The source is ours: variable names, op templates and repr()'d floats. No text
        # from the user (a Value's name, say) is ever part of it.
        exec(builtins.compile(self.source, "<autograd.compile>", "exec"), namespace)
        self.replay = namespace["replay"]

    def run(self, numbers: list[float], values: list[Value]) -> float:
        params = self.params
        if values:
            params = list(params)
            for slot, value in zip(self.arg_slots, values, strict=True):
                if slot is not None:
                    params[slot] = value
        return self.replay(numbers, params)
