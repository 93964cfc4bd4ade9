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

A batch's graph grows with the batch; one sample's does not. ``step.over(samples)``
runs a per-sample step over a whole batch with one program, a loop: it reads the
parameters once and writes their gradients once, and equals calling the step on
each sample in turn, bit for bit. That is how a 784-50-10 network trains on
MNIST batches of 100: one sample's graph has about 80,000 nodes and edges,
the batch's about 4.1 million.

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
  While a step is recorded, every read of a Value's number from your code
  (``.data``, ``bool``, ``<``, ``float``, ``int``, ``round``, formatting) warns with a
  ``ReplayWarning`` that names the line (see ``autograd.recording``).
* Only the output's graph is replayed: a value that ``fn`` computes but the
  output does not use is not computed again, so an error it would raise
  (``log`` of a negative number, say) is not raised either.
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
from collections.abc import Callable, Iterable, Iterator, Sequence
from numbers import Real

from autograd.graph import topological_order
from autograd.mode import is_grad_enabled
from autograd.ops import PRIMITIVES, arguments, entry
from autograd.recording import ReplayRefused, ReplayWarning, recording, recording_lock, warn_read
from autograd.symbolic import Symbol, calls_recorded, function_name, source
from autograd.value import Value
from autograd.walk import Walk

__all__ = ["MAX_PROGRAM_SIZE", "Compiled", "ReplayRefused", "ReplayWarning", "compile"]

_MAX_TERMS = 200  # terms per statement: keeps the compiler's expression trees shallow

# What every program may call: the helpers' functions, by the names their sources use
# (the table's, see ops.Primitive), and repr() of a folded infinite or NaN number. Each
# program adds its own ops' forward functions.
_GLOBALS = {**{name: function for helper in PRIMITIVES for name, function in helper.calls.items()},
            "inf": math.inf, "nan": math.nan}


# Python's compiler needs about 3 KB of memory for each edge of a generated program
# (measured: 139,000 edges, the digits step at batch 32, peaked at +450 MB). A graph
# whose nodes and edges come to more than this is not written out; its step rebuilds.
MAX_PROGRAM_SIZE = 300_000


_DATA_SLOT = Value.__dict__["data"]  # the member descriptor that __slots__ made


def _watched_read(node: Value) -> object:
    warn_read("reading a Value's .data")
    return _DATA_SLOT.__get__(node, Value)


_WATCHED_DATA = property(_watched_read, _DATA_SLOT.__set__, doc=_DATA_SLOT.__doc__)


class _Recording:
    """``with _Recording():`` around the user's step while it is recorded: a read of a
    Value's number from outside the engine warns (see ``autograd.recording``). ``.data``
    is a slot, so for that long the class's ``data`` is a property that checks the caller
    and reads the slot; the first recording puts it there, the last takes it away. (The
    engine's own reads pay for that check too, once per recording, not per replay.)"""

    def __enter__(self) -> None:
        with recording_lock:
            recording[0] += 1
            if recording[0] == 1:
                Value.data = _WATCHED_DATA

    def __exit__(self, *exc_info: object) -> None:
        with recording_lock:
            recording[0] -= 1
            if recording[0] == 0:
                Value.data = _DATA_SLOT


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
        replayed = program.run(numbers, values)
        return self._rebuilt([args])[0] if replayed is None else replayed

    def over(self, batch: Iterable[Sequence]) -> list[float]:
        """The step on each sample of ``batch`` in turn: ``[self(*args) for args in batch]``,
        equal to the last bit, but one program loops over the samples, reading the
        parameters once and writing their gradients once. Its size does not grow with
        the batch, so a per-sample step replays at any batch size (the batch's own graph
        may be too large to record). Each sample is a tuple of arguments, of numbers only.
        """
        samples = [tuple(args) for args in batch]
        rows, shapes = [], set()
        for args in samples:
            numbers: list[float] = []
            values: list[Value] = []
            shapes.add(_flatten(args, numbers, values))
            if values:
                raise TypeError("compile: over() takes samples of numbers only; a Value "
                                "was passed (call the step on that sample instead)")
            rows.append(numbers)
        if len(shapes) > 1:
            raise ValueError(f"compile: over() needs samples of one shape, got {len(shapes)}")
        if not samples:
            return []
        outputs = []
        shape = shapes.pop()
        if self._programs.get(shape, _UNSEEN) is _UNSEEN:
            outputs.append(self(*samples[0]))  # records the program, and is a real step
            rows = rows[1:]
        program = self._programs[shape]
        if program is None:  # too large even for one sample: ordinary steps
            return outputs + [self(*args) for args in samples[len(outputs):]]
        self.last_source = program.source
        replayed = program.run_batch(rows)
        return outputs + (self._rebuilt(samples[len(outputs):]) if replayed is None else replayed)

    def _rebuilt(self, samples: list[tuple]) -> list[float]:
        """Fresh builds of ``samples``, after a replay found a NaN among the gradients it was
        about to write (and wrote nothing). backward() hands nothing on from a gradient of
        0, where the replay may have computed 0 x inf = NaN; a NaN from NaN inputs is the
        same either way. A fresh build gives backward()'s numbers in both cases."""
        warnings.warn(
            "compile: a gradient came out NaN in the replay, where backward() may give a "
            "number (it hands nothing on from a gradient of 0, and the replay computed "
            f"0 x inf or 0 x nan); {len(samples)} sample(s) rebuilt instead, so that their "
            "numbers are backward()'s", ReplayWarning, stacklevel=3)
        outputs = []
        for args in samples:
            out = self.fn(*_wrap(args, []))
            out.backward()
            outputs.append(out.data)
        return outputs

    def _record(self, args: tuple, shape: tuple, arg_values: list[Value]) -> float:
        if not is_grad_enabled():
            raise RuntimeError("compile: cannot record a step inside no_grad()")
        inputs: list[Value] = []
        with _Recording():
            out = self.fn(*_wrap(args, inputs))
        if not isinstance(out, Value):
            raise TypeError(f"compile: the function must return a Value, got "
                            f"{type(out).__name__}")
        order = topological_order(out)
        size = len(order) + builtins.sum(len(node.parents) for node in order)
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
    op = entry(node.call)
    return source(op(*arguments(node.call, a)))


def _local_derivatives(node: Value, v: Symbol, a: list[Symbol]) -> list[Symbol | float]:
    """d(node)/d(parent) for each parent: the op's rules, run on Symbols."""
    op = entry(node.call)
    args = arguments(node.call, a)
    try:
        return [op.derivative(i, v, args) for i, x in enumerate(args) if type(x) is Symbol]
    except TypeError as error:  # a rule that used math.* on a Symbol, say
        raise TypeError(f"compile: the rule of op {op.name!r} cannot be written as Python "
                        f"source ({error}); write its rules with arithmetic and the "
                        "functions of autograd (exp, log, sigmoid, ...)") from error


class _BackwardWriter:
    """The walk's step hook that writes the backward pass as source: a node's gradient
    (the sum of its shares' terms), then the share ``g * d`` it hands each parent."""

    def __init__(self, out: Value, names: dict[Value, Symbol], body: list[str]) -> None:
        self.out, self.names, self.body = out, names, body
        self.givers: dict[Value, set[str]] = {}  # the gradients each parameter's shares come from

    def step(self, node: Value, terms: list[str]) -> tuple[list, list[str]]:
        names = self.names
        g = "g" + names[node].text[1:]
        if node is self.out:
            self.body.append(f"    {g} = 1.0")
        else:
            self.body += _sum_statements(g, "0.0", terms)
        local = _local_derivatives(node, names[node], [names[p] for p in node.parents])
        for parent in node.parents:
            self.givers.setdefault(parent, set()).add(_flows(g, names[node].text))
        return local, [_share(g, names[node].text, d) for d in local]


def _first_term(term: str) -> list[str]:
    return [term]


def _one_more_term(terms: list[str], term: str) -> list[str]:
    terms.append(term)
    return terms


def _flows(g: str, v: str) -> str:
    """The condition under which backward() lets node ``v`` hand on its shares: a gradient
    that is not 0, or a value that is NaN (``v != v``)."""
    return f"{g} or {v} != {v}"


def _share(g: str, v: str, d: Symbol | float) -> str:
    """The source of ``g x d``, one share of the chain rule from node ``v``."""
    if type(d) is not Symbol:
        if d == 1.0:
            return g  # g * 1.0 is g, exactly
        if d == -1.0:
            return f"-{g}"
    text = source(d)
    if type(d) is Symbol and not d.finite:
        # backward() passes nothing on from a zero gradient, so 0 x inf is 0 there
        # (sqrt's slope at 0, say); so it is here.
        return f"({g} * {text} if {_flows(g, v)} else 0.0)"
    return f"{g} * {text}"


def _sum_statements(target: str, start: str, terms: list[str]) -> Iterator[str]:
    """``target = start + t1 + t2 + ...``, left to right, in chunks of _MAX_TERMS."""
    chunks = [terms[i:i + _MAX_TERMS] for i in range(0, len(terms), _MAX_TERMS)] or [[]]
    for chunk in chunks:
        yield f"    {target} = {' + '.join([start, *chunk])}"
        start = target


def _gradient_lines(blocks: list, target: str) -> list[str]:
    """Each parameter's ``target += its shares``, a block under ``if g:`` when all of them
    come from the one node whose gradient is ``g`` (see ``_Program._write``)."""
    lines = []
    for guard, block in blocks:
        body = [line for i, shares in block
                for line in _sum_statements(target.format(i), target.format(i), shares)]
        if guard is None:
            lines += body
        else:
            lines += [f"    if {guard}:", *("    " + line for line in body)]
    return lines


class _Program:
    """One recorded graph as generated Python: ``replay`` for one sample, and, written on
    first use, ``replay_batch``, the same body looped over many samples."""

    def __init__(self, out: Value, inputs: list[Value], arg_values: list[Value]) -> None:
        with calls_recorded() as called:  # the ops whose forward functions the program calls
            self.parts, params = self._write(out, inputs)
        self.functions = {function_name(op): op.forward for op in called}
        if len(self.functions) < len(called):
            raise ValueError("compile: the graph uses two different ops of the same name "
                             f"({sorted(op.name for op in called)}); give each its own name")

        self.params = params
        # Values passed as arguments: a replay reads the ones passed then, slot by slot.
        slot_of = {param: i for i, param in enumerate(params)}
        self.arg_slots = [slot_of.get(value) for value in arg_values]
        self.source = self._single_source()
        # Compiled on first use: a step used only through over() never compiles this one
        # (Python's compiler peaks at about 3 KB an edge).
        self.replay: Callable | None = None
        self.batch_source = ""
        self._replay_batch: Callable | None = None

    def _define(self, text: str, name: str) -> Callable:
        namespace = {**_GLOBALS, **self.functions}
        # The source is ours: variable names, op templates and repr()'d floats. No text
        # from the user (a Value's name, say) is ever part of it.
        exec(builtins.compile(text, "<autograd.compile>", "exec"), namespace)
        return namespace[name]

    def _written(self) -> list[int]:
        """The parameters whose gradients the program writes, by slot."""
        return sorted(target for _, block in self.parts["grads"] for target, _ in block)

    def _write_back(self, grads: list[int]) -> list[str]:
        """``p<i>.grad = a<i>``, unless a gradient came out NaN: then nothing is written and
        the program returns None, so that the step is rebuilt (see ``Compiled.__call__``)."""
        check = list(_sum_statements("nan_check", "0.0", [f"a{i}" for i in grads]))
        return [*check, "    if nan_check != nan_check:", "        return None",
                *(f"    p{i}.grad = a{i}" for i in grads)]

    def _single_source(self) -> str:
        p, grads = self.parts, self._written()
        lines = ["def replay(X, P):", *p["unpack_x"], *p["unpack_p"], *p["read_w"],
                 *(f"    a{i} = p{i}.grad" for i in grads), *p["body"]]
        lines += _gradient_lines(p["grads"], "a{}")
        return "\n".join([*lines, *self._write_back(grads), f"    return {p['out']}"]) + "\n"

    def _batch_source(self) -> str:
        """The gradients are kept in locals (a<i>) across the samples and written back once,
        so the result is that of calling ``replay`` on each sample in turn, bit for bit."""
        p, grads = self.parts, self._written()
        inner = ["    " + line for line in [*p["unpack_x"], *p["body"]]]
        inner += ["    " + line for line in _gradient_lines(p["grads"], "a{}")]
        return "\n".join([
            "def replay_batch(XS, P):", *p["unpack_p"], *p["read_w"],
            *(f"    a{i} = p{i}.grad" for i in grads), "    outs = []", "    for X in XS:",
            *inner, f"        outs.append({p['out']})", *self._write_back(grads),
            "    return outs",
        ]) + "\n"

    def run_batch(self, rows: list[list[float]]) -> list[float]:
        if self._replay_batch is None:
            self.batch_source = self._batch_source()
            self._replay_batch = self._define(self.batch_source, "replay_batch")
        return self._replay_batch(rows, self.params)

    @staticmethod
    def _write(out: Value, inputs: list[Value]) -> tuple[dict, list[Value]]:
        """The program's parts, and the parameters it reads (leaves that are not inputs).

        Parts: unpacking the inputs and parameters, reading the parameters' numbers,
        the body (forward, then backward into locals), each parameter's gradient shares,
        and the output's name.
        """
        order = topological_order(out)
        input_slot = {leaf: i for i, leaf in enumerate(inputs)}
        names: dict[Value, Symbol] = {}
        params: list[Value] = []
        parts: dict = {"unpack_x": [], "unpack_p": [], "read_w": [], "body": []}
        if inputs:
            parts["unpack_x"].append(f"    ({', '.join(f'x{i}' for i in range(len(inputs)))},) = X")
        for node in order:
            if not node.parents:
                if node in input_slot:
                    names[node] = Symbol(f"x{input_slot[node]}")
                else:
                    names[node] = Symbol(f"w{len(params)}")
                    params.append(node)
                continue
            names[node] = Symbol(f"v{len(names)}")
            expression = _forward(node, [names[p] for p in node.parents])
            parts["body"].append(f"    {names[node].text} = {expression}")
        if params:
            parts["unpack_p"].append(f"    ({', '.join(f'p{i}' for i in range(len(params)))},) = P")
            parts["read_w"] = [f"    w{i} = p{i}.data" for i in range(len(params))]

        # Backward, in backward()'s own order (the walk of autograd.walk): a node's gradient
        # is the sum of the shares its consumers hand it, added in the order backward() adds
        # them. The seed: read only when the output is itself a parameter (compile(lambda: w)).
        writer = _BackwardWriter(out, names, parts["body"])
        shares = Walk(out, writer.step, seed=["1.0"], start=_first_term, add=_one_more_term).run()
        givers = writer.givers
        # A parameter fed by one node only gets nothing when that node's gradient is 0, as
        # in backward(), which skips such a node: its lines go under "if g:" (a relu that
        # is off skips its whole row of weights).
        blocks: dict[str | None, list[tuple[int, list[str]]]] = {}
        for i, param in enumerate(params):
            if param in shares:
                gave = givers.get(param, ())  # none: the output itself, whose seed is 1
                guard = next(iter(gave)) if len(gave) == 1 else None
                blocks.setdefault(guard, []).append((i, shares[param]))
        parts["grads"] = list(blocks.items())
        parts["out"] = names[out].text
        return parts, params

    def run(self, numbers: list[float], values: list[Value]) -> float:
        if self.replay is None:
            self.replay = self._define(self.source, "replay")
        params = self.params
        if values:
            params = list(params)
            for slot, value in zip(self.arg_slots, values, strict=True):
                if slot is not None:
                    params[slot] = value
        return self.replay(numbers, params)
