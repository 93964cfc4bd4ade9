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

The program is written by the op table itself (``autograd.ops``): each node's
forward function and local-derivative rules run on Symbols
(``autograd.symbolic``), which print Python source. So the replayed numbers
equal a fresh build's bit for bit: the same arithmetic, and each gradient
sums its shares in the order ``backward()`` adds them.

Limits (the graph is fixed when it is recorded):

* Python branches on ``.data``, ``if`` statements or ``max(v.data ...)``, are
  frozen at their recorded outcome. Relu's slope and the max-shift in
  ``logsumexp`` are ops, recomputed on every replay, so they stay correct.
  Class indices used to pick a logit are branches too: pass one-hot targets.
* Arguments become Values, so ``fn`` must not use them as Python numbers
  (as list indices, say). Values passed in stay themselves (parameters).
* A new argument shape (a shorter last batch) records a new graph; that is
  detected. A changed branch inside ``fn`` cannot be, as above.
* A graph of more than ``MAX_PROGRAM_SIZE`` nodes and edges (a 784-50-10 net
  on a batch of 100 has millions) is not written out, because compiling it
  would take gigabytes; that step says so once and is rebuilt on every call.
* Ops made by ``custom_op`` have a value but no forward function, so they are
  refused when recording, with a message that names them. An op of your own
  made with ``autograd.register_op`` replays like any built-in one.
"""

from __future__ import annotations

import builtins
import math
import warnings
from collections.abc import Callable, Iterator
from numbers import Real

from autograd.backprop import backward_order, topological_order
from autograd.mode import is_grad_enabled
from autograd.ops import arguments, entry, power_slope, sign
from autograd.symbolic import Symbol, calls_recorded, function_name, source
from autograd.value import Value

__all__ = ["MAX_PROGRAM_SIZE", "Compiled", "ReplayRefused", "compile"]

_MAX_TERMS = 200  # terms per statement: keeps the compiler's expression trees shallow

_GLOBALS = {  # the helpers' functions; each program adds its ops' forward functions
    "_sign": sign.on_floats, "_slope": power_slope.on_floats, "_sum": builtins.sum,
    "inf": math.inf, "nan": math.nan,  # repr() of a folded infinite or NaN number
}


# Python's compiler needs about 3 KB of memory for each edge of a generated program
# (measured: 139,000 edges, the digits step at batch 32, peaked at +450 MB). A graph
# whose nodes and edges come to more than this is not written out; its step rebuilds.
MAX_PROGRAM_SIZE = 300_000


class ReplayRefused(UserWarning):
    """A step's graph is too large to write out as a program: it is rebuilt each call."""


def compile(fn: Callable[..., Value], *,  # shadows the builtin here, by design
            max_size: int = MAX_PROGRAM_SIZE) -> Compiled:
    """Record ``fn``'s graph on the first call and replay it on later calls (see the module).

    A graph with more than ``max_size`` nodes and edges is not written out: that
    step warns once (``ReplayRefused``) and is rebuilt on every call.
    """
    if not callable(fn):
        raise TypeError(f"compile: expected a function, got {type(fn).__name__}")
    if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
        raise ValueError(f"compile: max_size must be a positive int, got {max_size!r}")
    return Compiled(fn, max_size)


class Compiled:
    """A step function that records its graph once per argument shape, then replays it."""

    def __init__(self, fn: Callable[..., Value], max_size: int = MAX_PROGRAM_SIZE) -> None:
        self.fn = fn
        self.max_size = max_size
        self._programs: dict[tuple, _Program | None] = {}  # None: too large, rebuilt
        self.last_source = ""
        self.refusal = ""  # why the last too-large graph is rebuilt rather than replayed

    @property
    def recordings(self) -> int:
        """How many graphs have been recorded (one per argument shape seen)."""
        return sum(program is not None for program in self._programs.values())

    def __call__(self, *args) -> float:
        """Forward and backward on ``args``: returns the output value and adds the
        gradients into the parameters' ``.grad``, like ``fn(*args).backward()``."""
        numbers: list[float] = []
        values: list[Value] = []
        shape = _flatten(args, numbers, values)
        program = self._programs.get(shape, _UNSEEN)
        if program is _UNSEEN:
            return self._record(args, shape, values)
        if program is None:  # too large to replay: an ordinary step
            out = self.fn(*args)
            out.backward()
            return out.data
        return program.run(numbers, values)

    def _record(self, args: tuple, shape: tuple, arg_values: list[Value]) -> float:
        if not is_grad_enabled():
            raise RuntimeError("compile: cannot record a step inside no_grad()")
        inputs: list[Value] = []
        out = self.fn(*_wrap(args, inputs))
        if not isinstance(out, Value):
            raise TypeError(f"compile: the function must return a Value, got "
                            f"{type(out).__name__}")
        order = topological_order(out)
        size = len(order) + builtins.sum(len(node._parents) for node in order)
        if size > self.max_size:  # decided before any code is generated
            self.refusal = (
                f"compile: the step's graph has {size:,} nodes and edges, more than "
                f"{self.max_size:,}; writing it out would take about {size * 3 // 1000:,} MB, "
                "so this step is rebuilt on every call instead of replayed")
            warnings.warn(self.refusal, ReplayRefused, stacklevel=3)
            self._programs[shape] = None
        else:
            program = _Program(out, inputs, arg_values)
            self._programs[shape] = program
            self.last_source = program.source
        out.backward()  # the recording call is a real step too
        return out.data


_UNSEEN = object()


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

def _forward(node: Value, a: list[Symbol]) -> str:
    """The source for ``node``'s value: its op's forward function on the parents' Symbols.

    An arithmetic op is written out (``(v1 * v2)``); any other calls the very
    function that computed the value eagerly (``_f_exp(v1)``).
    """
    op = entry(node._op)
    return source(op(*arguments(node._op, a)))


def _locals(node: Value, v: Symbol, a: list[Symbol]) -> list[Symbol | float]:
    """d(node)/d(parent) for each parent: the op's rules, run on Symbols."""
    op = entry(node._op)
    args = arguments(node._op, a)
    try:
        return [op.derivative(i, v, args) for i, x in enumerate(args) if type(x) is Symbol]
    except TypeError as error:  # a rule that used math.* on a Symbol, say
        raise TypeError(f"compile: the rule of op {op.name!r} cannot be written as Python "
                        f"source ({error}); write its rules with arithmetic and the "
                        "functions of autograd (exp, log, sigmoid, ...)") from error


def _share(g: str, d: Symbol | float) -> str:
    """The source of ``g x d``, one share of the chain rule."""
    if type(d) is not Symbol:
        if d == 1.0:
            return g  # g * 1.0 is g, exactly
        if d == -1.0:
            return f"-{g}"
    text = source(d)
    if type(d) is Symbol and not d.finite:
        # backward() passes nothing on from a zero gradient, so 0 x inf is 0 there
        # (sqrt's slope at 0, say); so it is here.
        return f"({g} * {text} if {g} else 0.0)"
    return f"{g} * {text}"


def _sum_statements(target: str, start: str, terms: list[str]) -> Iterator[str]:
    """``target = start + t1 + t2 + ...``, left to right, in chunks of _MAX_TERMS."""
    chunks = [terms[i:i + _MAX_TERMS] for i in range(0, len(terms), _MAX_TERMS)] or [[]]
    for chunk in chunks:
        yield f"    {target} = {' + '.join([start, *chunk])}"
        start = target


class _Program:
    """One recorded graph as generated Python."""

    def __init__(self, out: Value, inputs: list[Value], arg_values: list[Value]) -> None:
        with calls_recorded() as called:  # the ops whose forward functions the program calls
            lines, params = self._write(out, inputs)
        functions = {function_name(op): op.forward for op in called}
        if len(functions) < len(called):
            raise ValueError("compile: the graph uses two different ops of the same name "
                             f"({sorted(op.name for op in called)}); give each its own name")

        self.params = params
        # Values passed as arguments: a replay reads the ones passed then, slot by slot.
        slot_of = {param: i for i, param in enumerate(params)}
        self.arg_slots = [slot_of.get(value) for value in arg_values]
        self.source = "\n".join(lines) + "\n"
        namespace = {**_GLOBALS, **functions}
        # The source is ours: variable names, op templates and repr()'d floats. No text
        # from the user (a Value's name, say) is ever part of it.
        exec(builtins.compile(self.source, "<autograd.compile>", "exec"), namespace)
        self.replay = namespace["replay"]

    @staticmethod
    def _write(out: Value, inputs: list[Value]) -> tuple[list[str], list[Value]]:
        """The program's lines, and the parameters it reads (leaves that are not inputs)."""
        order = topological_order(out)
        input_slot = {leaf: i for i, leaf in enumerate(inputs)}
        names: dict[Value, Symbol] = {}
        params: list[Value] = []
        lines = ["def replay(X, P):"]
        if inputs:
            lines.append(f"    ({', '.join(f'x{i}' for i in range(len(inputs)))},) = X")
        forward = []
        for node in order:
            if not node._parents:
                if node in input_slot:
                    names[node] = Symbol(f"x{input_slot[node]}")
                else:
                    names[node] = Symbol(f"w{len(params)}")
                    params.append(node)
                continue
            names[node] = Symbol(f"v{len(names)}")
            expression = _forward(node, [names[p] for p in node._parents])
            forward.append(f"    {names[node].text} = {expression}")
        if params:
            lines.append(f"    ({', '.join(f'p{i}' for i in range(len(params)))},) = P")
            lines += [f"    w{i} = p{i}.data" for i in range(len(params))]
        lines += forward

        # Backward, in backward()'s own order: a node's gradient is the sum of the shares
        # its consumers hand it, added in the order backward() adds them.
        shares: dict[Value, list[str]] = {out: ["1.0"]} if not out._parents else {}
        for node in backward_order(out):
            g = "g" + names[node].text[1:]
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
        lines.append(f"    return {names[out].text}")
        return lines, params

    def run(self, numbers: list[float], values: list[Value]) -> float:
        params = self.params
        if values:
            params = list(params)
            for slot, value in zip(self.arg_slots, values, strict=True):
                if slot is not None:
                    params[slot] = value
        return self.replay(numbers, params)
