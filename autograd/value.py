"""``Value``: one scalar node of a computational graph.

A node records its op (an entry of the op table, ``autograd.ops``), its
parents, and its **local derivatives**: d(output)/d(input) for each input,
as numbers computed by the op's rules when the node is made. ``x * y``
stores the value ``x*y`` and the local derivatives ``(y, x)``, as the book's
MulLayer does. ``backward()`` (in ``autograd.backprop``) then applies the chain
rule: a node hands ``its gradient x local derivative`` to each of its parents.

Any op goes through ``apply(op, args)``: forward on the arguments' numbers,
then each rule. The ops a training step runs most (``+ - * /``, ``**``, exp,
log, tanh, sigmoid, relu) have a fast path instead: a method with the same
arithmetic written out, without the calls. Those methods are not written here:
``autograd.fastpaths`` writes them from each entry's forward and rules, and
they are attached to ``Value`` at the end of this module (``print(
autograd.fastpaths.source())`` shows them). ``tests/test_op_table.py`` checks
every fast path against ``apply`` bit for bit, value and local derivatives.

A node holds no closure over itself, so a graph has no reference cycles.
When a graph is dropped, reference counting frees it at once, without the
cyclic garbage collector.

A plain number in an operation is folded in as a constant and gets no node of
its own: ``x * 3`` is one node with one parent, and its op records the 3.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Sequence
from numbers import Real

from autograd import fastpaths, ops
from autograd.anomaly import check_gradients, check_values
from autograd.graph import backward_order, topological_order
from autograd.mode import anomaly_mode, grad_mode, open_blocks, rules_on_values
from autograd.node import MADE_WITHOUT_GRAPH, refuse_without_graph
from autograd.ops import POW, Folded, Op, real
from autograd.recording import recording, warn_read

__all__ = [
    "MADE_WITHOUT_GRAPH", "Value", "abs", "apply", "backward", "cos", "custom_op", "exp",
    "leaky_relu", "log", "maximum", "minimum", "relu", "sigmoid", "sin", "softplus", "sqrt", "tanh",
]

Number = Real  # int, float, bool, Fraction and numpy scalars are all numbers.Real


# --------------------------------------------------------------------------
# Folded constants: the op and its local derivative, shared by every node
# that folds the same number the same way.
# --------------------------------------------------------------------------

_shared_folds: dict[tuple, tuple[Folded, tuple | None]] = {}


def _folded(op: Op, layout: tuple, linear: bool = True) -> tuple[Folded, tuple | None]:
    """(Folded op, local derivative) for ``x + k``, ``k - x``, ``x * k``, ``x ** k``, ...

    Nodes that fold the same number the same way share the pair: a training
    loop folds the same few numbers every step (the 1 of a hinge, an L2
    strength, the 2 of a square), and sharing saves memory and objects for the
    garbage collector to track. For an op linear in its one Value (+, -, x * k,
    x / k) the rule's answer depends on the number alone, so it is computed
    once, from the table; otherwise (``x ** k``) the local derivative is None
    and the caller computes it. 0.0 and NaN are not shared, since -0.0 == 0.0
    and NaN != NaN would confuse the lookup.
    """
    key = (op, *layout)
    pair = _shared_folds.get(key)
    if pair is None:
        slot = layout.index(None)
        local = None
        if linear:
            args = [math.nan if k is None else k for k in layout]
            local = (float(op.derivative(slot, math.nan, args)),)
        pair = (Folded(op, layout), local)
        k = layout[1 - slot]
        if k and k == k and len(_shared_folds) < 4096:
            _shared_folds[key] = pair
    return pair


# --------------------------------------------------------------------------
# The node.
# --------------------------------------------------------------------------

class Value:
    """A scalar node: a forward value, a gradient, and how it was made.

    ``data`` and ``grad`` are Python floats, and ``name`` a label or None; you
    may set all three. The rest is the **node record** (the protocol of
    ``autograd.node``), which graph algorithms read and nobody assigns:

    * ``parents``: a tuple of the input nodes in argument order, so graphs are
      deterministic;
    * ``local_derivatives``: a tuple with one local derivative per parent;
    * ``call``: the op table's entry (``autograd.ops.Op``), or a ``Folded`` one
      when numbers were folded in; None for a leaf, and ``MADE_WITHOUT_GRAPH``
      for a result made inside no_grad(); ``op`` is its name;
    * ``index``: nodes are numbered in the order they are made, and a node's
      parents always exist before it, so they have smaller numbers and
      sorting by number is a topological sort (see ``autograd.graph``).

    The record's fields are plain slots, not properties: the orders read
    ``parents`` and ``index`` once per node, and a property there cost 19% more
    instructions per training step (``benchmarks/compare_engines.py``). Only the
    ops write them, once, when they make the node.

    Equality is identity (``==`` compares nodes, not numbers), because nodes
    are used as keys in sets and dicts; ``<``, ``<=``, ``>``, ``>=`` compare
    ``data``.
    """

    __slots__ = ("data", "grad", "name", "parents", "local_derivatives", "call", "index")

    # numpy: decline ufuncs so that np.float64(2) * Value(3) falls through
    # to Value.__rmul__ and gives a Value, not an object array.
    __array_ufunc__ = None

    def __init__(self, data: Number, name: str | None = None) -> None:
        if isinstance(data, Value):
            raise TypeError(
                "Value(): data must be a real number, got a Value; "
                "use v.data for its number or v.detach() for a new leaf"
            )
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Value(): name must be a str or None, got {type(name).__name__}")
        self.data = real("Value()", data)
        self.grad = 0.0
        self.name = name
        self.parents: tuple[Value, ...] = ()
        self.local_derivatives: tuple = ()
        self.call: Op | Folded | None = None
        self.index = _next_index()

    def __repr__(self) -> str:
        named = f", name={self.name!r}" if self.name is not None else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{named})"

    def __format__(self, spec: str) -> str:
        """Formats ``data``: ``f"{loss:.4f}"`` is ``f"{loss.data:.4f}"``."""
        if recording[0]:
            warn_read("formatting a Value's number")
        return format(self.data, spec)

    def __bool__(self) -> bool:
        """A Value is true, as any object is: ``if v:`` does not look at its number (write
        ``if v.data != 0``). While ``autograd.compile`` records, it warns: such a branch
        is frozen into the replay (see ``autograd.recording``)."""
        if recording[0]:
            warn_read("bool() of a Value")
        return True

    def _plain(self, how: str) -> float:
        """``v.data`` for ``float(v)``, ``int(v)`` and ``round(v)``: a plain number, cut from
        the graph. A rule is evaluated on Values for higher orders, and a ``math.exp(x)``
        in it would silently turn its derivative into a constant: there, this refuses.
        While ``autograd.compile`` records, reading the number warns (a frozen branch)."""
        if rules_on_values[0]:
            raise TypeError(
                f"a derivative rule turned {self!r} into a plain number with {how} "
                "(math.exp(x), say), which would cut the graph; write rules with "
                "autograd.exp, log, sigmoid, ...")
        if recording[0]:
            warn_read(f"{how} of a Value", depth=3)
        return self.data

    def __float__(self) -> float:
        """``float(v)`` is ``v.data``: a plain number, cut from the graph (see _plain)."""
        return self._plain("float()")

    def __int__(self) -> int:
        """``int(v)`` is ``int(v.data)``, truncated toward 0: a plain number, cut from the
        graph, like ``float(v)`` (and refused inside a rule for the same reason)."""
        return int(self._plain("int()"))

    def __round__(self, ndigits: int | None = None) -> float | int:
        """``round(v)`` is ``round(v.data)`` (an int), ``round(v, 2)`` a float: plain
        numbers, cut from the graph, like ``float(v)``. No gradient flows through them."""
        return round(self._plain("round()"), ndigits)

    # -- the fast paths ---------------------------------------------------------
    # + - * / **, -x, exp, log, tanh, sigmoid and relu are methods written from the op
    # table at import (autograd.fastpaths, attached below the class): each is its op's
    # forward and rules, spelled out. print(autograd.fastpaths.source()) shows them.

    def _pow_by_value(self, exponent: Value) -> Value:
        """x ** y for a Value exponent (``x ** k`` is a fast path): d/dy x^y = x^y ln x,
        so the base must be positive."""
        if self.data <= 0:
            raise ValueError(
                f"power: {self.data!r} ** Value needs a positive base, "
                "because d/dy x**y = x**y * log(x)"
            )
        return apply(POW, (self, exponent))

    def __rpow__(self, base: Number) -> Value:
        """c ** x for a number c > 0.   d/dx c^x = c^x ln c."""
        c = real("pow", base)
        if c <= 0:
            raise ValueError(
                f"power: {c!r} ** Value needs a positive base, because d/dx c**x = c**x * log(c)"
            )
        return apply(POW, (c, self))

    # -- functions through the table (see autograd.ops for the math) ----------

    def sqrt(self) -> Value:
        """√x.   d/dx = 1 / (2√x), infinite at 0. ValueError for x < 0."""
        return apply(ops.SQRT, (self,))

    def abs(self) -> Value:
        """|x|.   d/dx = sign(x); abs'(0) = 0."""
        return apply(ops.ABS, (self,))

    __abs__ = abs

    def softplus(self) -> Value:
        """log(1 + e^x).   d/dx = sigmoid(x). softplus(800) = 800.0."""
        return apply(ops.SOFTPLUS, (self,))

    def leaky_relu(self, slope: Operand = 0.01) -> Value:
        """x for x > 0, else slope * x.   d/dx = 1 for x > 0, else slope (also at 0)."""
        return apply(ops.LEAKY_RELU, (self, slope))

    def sin(self) -> Value:
        """sin x.   d/dx = cos x."""
        return apply(ops.SIN, (self,))

    def cos(self) -> Value:
        """cos x.   d/dx = -sin x."""
        return apply(ops.COS, (self,))

    # -- comparisons on data (equality stays identity: see the class docstring)

    def __lt__(self, other: Operand) -> bool:
        if recording[0]:
            warn_read("comparing a Value (<)")
        return self.data < _compared("<", other)

    def __le__(self, other: Operand) -> bool:
        if recording[0]:
            warn_read("comparing a Value (<=)")
        return self.data <= _compared("<=", other)

    def __gt__(self, other: Operand) -> bool:
        if recording[0]:
            warn_read("comparing a Value (>)")
        return self.data > _compared(">", other)

    def __ge__(self, other: Operand) -> bool:
        if recording[0]:
            warn_read("comparing a Value (>=)")
        return self.data >= _compared(">=", other)

    # -- the graph ------------------------------------------------------------

    def backward(self) -> None:
        """Set ``.grad`` of every node this one depends on to d(self)/d(node).

        Leaves (nodes with no parents, such as parameters) accumulate across
        calls, as in PyTorch; intermediate nodes are recomputed from zero each
        call. See ``backward`` below.
        """
        backward(self)

    # -- copies -----------------------------------------------------------------

    def __deepcopy__(self, memo: dict) -> Value:
        """A copy of this node and of the graph behind it, made without recursion.

        Nodes are copied parents first (so a million-step chain is fine), and a
        node shared by several consumers is copied once. The ops are shared.
        """
        for node in topological_order(self):
            if id(node) not in memo:
                twin = _new_node(Value)
                twin.data, twin.grad, twin.name = node.data, node.grad, node.name
                twin.parents = tuple([memo[id(p)] for p in node.parents])
                twin.local_derivatives, twin.call = node.local_derivatives, node.call
                twin.index = _next_index()
                memo[id(node)] = twin
        return memo[id(self)]

    def __reduce__(self) -> tuple:
        """Pickle a leaf (a parameter, an input): its data, grad and name.

        A node with a graph behind it is refused: pickling it would walk the whole
        graph recursively. Pickle its number, ``detach()`` it, or pickle the model
        (its parameters are leaves) or ``model.state_dict()``.
        """
        if self.parents:
            raise TypeError(
                f"pickle: this Value is the result of {self.op}, with a graph of nodes behind "
                "it, which is not pickled; pickle v.data or v.detach() (a leaf), or a model "
                "or its state_dict(); copy.deepcopy(v) copies a graph")
        return _leaf, (self.data, self.grad, self.name, self.call)

    def detach(self) -> Value:
        """A new leaf with the same value (and name), cut from the graph."""
        return Value(self.data, self.name)

    @property
    def op(self) -> str:
        """The name of the op that made this node: "mul", "exp", "dot", ... ("" for a leaf)."""
        op = self.call
        return "" if op is None or op is MADE_WITHOUT_GRAPH else ops.entry(op).name

    @staticmethod
    def _interpret(function: Op | ops.Primitive, args: tuple) -> object:
        """An op of the table applied to Values is a node; a helper is a number.

        ``autograd.ops`` calls this when a function of the table meets a Value.
        """
        if type(function) is ops.Primitive:
            if function.on_values is not None:
                return function.on_values(*args)
            return function.on_floats(*[a.data if type(a) is Value else a for a in args])
        return apply(function, args)


Operand = Value | Real  # what an operation accepts: a node or a plain number
_new_node = object.__new__
_next_index = itertools.count().__next__  # one C call: safe across threads under the GIL

def _node(data: float, parents: tuple, local: tuple, op: Op | Folded) -> Value:
    """Make an op's result node. Inside no_grad() it is a bare leaf instead."""
    node = _new_node(Value)
    node.data = data
    node.grad = 0.0
    node.name = None
    if not open_blocks[0] or grad_mode.enabled:
        node.parents = parents
        node.local_derivatives = local
        node.call = op
    else:
        node.parents = ()
        node.local_derivatives = ()
        node.call = MADE_WITHOUT_GRAPH
    node.index = _next_index()
    return node


def backward(root: Value) -> None:
    """Fill ``.grad`` with d(root)/d(node) for every node ``root`` depends on.

    ``root.grad`` is seeded with 1.0. Leaves (nodes without parents, such as
    parameters) *accumulate*, as in PyTorch: a second call adds the gradient
    again, and ``zero_grad()`` clears them. Intermediate nodes start from zero
    on every call, so their gradients never compound.

    This is the walk of ``autograd.walk`` written out as one tight loop, for
    speed: in backward order, each node hands ``upstream x local`` to each
    parent. A node whose gradient is exactly 0 hands nothing on, unless its
    value is NaN (see ``autograd.walk.number_step``, which says why);
    ``tests/test_walk.py`` checks that both give the same numbers, bit for bit.
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward: expected a Value, got {type(root).__name__}")
    refuse_without_graph("backward", root)
    if not root.parents:
        root.grad += 1.0  # d(root)/d(root), accumulated like any leaf
        return
    order = backward_order(root)
    if anomaly_mode.depth:  # inside detect_anomaly(): check the values first
        check_values(topological_order(root))
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    try:
        for node in order:
            upstream = node.grad
            # A gradient of exactly 0 hands nothing on (see the docstring), unless the
            # node's value is NaN: then NaN reaches its parents, as 0 x nan says.
            if upstream or node.data != node.data:
                # Not strict: every way of making a node pairs its parents with its local
                # derivatives one to one, and this is the hottest loop of all.
                for parent, local in zip(node.parents, node.local_derivatives):  # noqa: B905
                    parent.grad += upstream * local
    except TypeError:
        _name_the_bad_gradient(order)
        raise
    if anomaly_mode.depth:  # and then the gradients
        check_gradients(root)


def _name_the_bad_gradient(order: list[Value]) -> None:
    """After a TypeError in backward(): a leaf whose ``.grad`` was set to a non-number."""
    for node in order:
        for parent in node.parents:
            if not isinstance(parent.grad, Real):
                raise TypeError(
                    f"backward: {parent!r} has .grad = {parent.grad!r:.60}, a "
                    f"{type(parent.grad).__name__}; a gradient must be a number "
                    "(set it to 0.0, or call zero_grad())") from None


def _arithmetic(data: object, parents: tuple, local: tuple, op: Op | Folded) -> Value:
    """``_node`` for the result of Python arithmetic, which may not be a number at all."""
    if type(data) is not float:
        data = _a_number(data, op, *parents)
    return _node(data, parents, local, op)


def _a_number(data: object, op: Op | Folded, *operands: Value) -> float:
    """The result of Python arithmetic on ``.data`` as a float, or a TypeError naming the
    operand whose ``.data`` is not a number, else the op.

    ``x.data = "a"`` and then ``x + x`` is "aa", and a numpy array's arithmetic
    gives arrays: refused here. An int, a Fraction or a numpy scalar is a number all
    the same. (Ops whose forward is a math function need no such check: math.* and
    float() raise on anything but a number.)
    """
    if not isinstance(data, Real):
        culprit = _not_a_number(ops.entry(op).name, *operands)
        if culprit is not None:
            raise culprit
        raise TypeError(
            f"{ops.entry(op).name}: the result {data!r:.60} is a {type(data).__name__}, "
            "not a number: a Value's .data was set to something that is not a real number")
    return float(data)


def apply(op: Op, args: Sequence[Operand]) -> Value:
    """Apply a table op to Values and numbers: one node, its numbers folded in.

    The value is ``op.forward`` on the arguments' numbers; each Value's local
    derivative is its rule, evaluated on floats.
    """
    op.check_arity(len(args))
    numbers = [a.data if type(a) is Value else real(op.name, a) for a in args]
    try:
        out = op.on_floats(numbers)
    except ZeroDivisionError:
        raise _division_by_zero(op.name, numbers) from None
    except (TypeError, AttributeError) as error:
        culprit = _not_a_number(op.name, *[a for a in args if type(a) is Value])
        raise (error if culprit is None else culprit) from None
    slots = [i for i, a in enumerate(args) if type(a) is Value]
    parents = tuple(args[i] for i in slots)
    local = tuple([real(op.name, op.derivative(i, out, numbers)) for i in slots])
    if len(slots) == len(args):
        return _arithmetic(out, parents, local, op)
    layout = tuple(None if type(a) is Value else n for a, n in zip(args, numbers, strict=True))
    return _arithmetic(out, parents, local, Folded(op, layout))


def _not_a_number(operation: str, *operands: Value) -> TypeError | None:
    """The error for the first operand whose ``.data`` is not a real number (None if every
    one is a number: then the TypeError had another cause, and stands as it is)."""
    for value in operands:
        if not isinstance(value.data, Real):
            return TypeError(
                f"{operation}: a Value (name={value.name!r}) has .data = {value.data!r:.60}, a "
                f"{type(value.data).__name__}, not a number; .data must be a real number "
                "(set it to a float)")
    return None


def _division_by_zero(operation: str, numbers: Sequence[float]) -> ZeroDivisionError:
    """The error for an op that divided by zero, naming the op and its numbers."""
    return ZeroDivisionError(f"{operation}{tuple(numbers)}: division by zero")


def _leaf(data: float, grad: float, name: str | None, op: None | str) -> Value:
    """A pickled leaf, restored (see Value.__reduce__)."""
    leaf = Value(data, name)
    leaf.grad = grad
    if op == MADE_WITHOUT_GRAPH:  # an equal string after unpickling: the marker again
        leaf.call = MADE_WITHOUT_GRAPH
    return leaf


def _compared(operation: str, other: object) -> float:
    return other.data if type(other) is Value else real(operation, other)


def custom_op(
    data: Number,
    parents: Sequence[Value],
    local_derivatives: tuple | Callable[..., tuple] | None = None,
    name: str = "op",
    **old_names: object,
) -> Value:
    """A node for an operation of your own: its value, parents and local derivatives.

    ``local_derivatives`` is either a tuple with one number per parent (when the
    derivative is constant), or a function ``local(out, *inputs)`` that
    returns one derivative per parent. Write the function with arithmetic
    and ``autograd.exp``, ``log``, ``tanh``, ``sigmoid``, ``relu``, ...: they
    accept floats and Values alike. It is called once with floats, now, for
    ``backward()``; ``grad(create_graph=True)`` calls it again with Values,
    which gives your op higher-order derivatives too. ``name`` is the op's name.

    The node's op is a table entry with no forward function, so it cannot be
    replayed by ``autograd.compile``: ``autograd.register_op`` makes an op
    that can. The old keywords ``local_grads=`` and ``label=`` still work, with a
    DeprecationWarning.
    """
    local_derivatives, name = _renamed(old_names, local_derivatives, name)
    if isinstance(parents, Value) or not isinstance(parents, (list, tuple)):
        raise TypeError(f"custom_op {name!r}: parents must be a list or tuple of Values, "
                        f"got {type(parents).__name__}; for one parent write [x]")
    parents = tuple(parents)
    for parent in parents:
        if type(parent) is not Value:
            raise TypeError(f"{name}: parents must be Values, got {type(parent).__name__}")
    data = real(name, data)
    if callable(local_derivatives):
        joint = local_derivatives
        numbers = joint(data, *(p.data for p in parents))
    else:
        numbers = local_derivatives

        def joint(out, *inputs):
            return numbers
    if not isinstance(numbers, tuple):
        raise TypeError(
            f"{name}: local_derivatives must be a tuple or a function returning one, "
            f"got {type(numbers).__name__}"
        )
    if len(numbers) != len(parents):
        raise ValueError(f"{name}: {len(numbers)} local derivatives for {len(parents)} parents")
    rules = [lambda out, *inputs, i=i: joint(out, *inputs)[i] for i in range(len(parents))]
    op = Op(name, name, None, rules)
    return _node(data, parents, tuple(real(name, d) for d in numbers), op)


def _renamed(old_names: dict, local_derivatives: object, name: str) -> tuple:
    """custom_op's keywords under their old names (local_grads, label), with a warning."""
    for old, new in (("local_grads", "local_derivatives"), ("label", "name")):
        if old in old_names:
            warnings.warn(f"custom_op: {old}= is now {new}=", DeprecationWarning, stacklevel=3)
            if old == "local_grads":
                local_derivatives = old_names.pop(old)
            else:
                name = old_names.pop(old)
    if old_names:
        raise TypeError(f"custom_op: unexpected keyword {next(iter(old_names))!r}")
    if local_derivatives is None:
        raise TypeError("custom_op: local_derivatives is missing: a tuple with one number "
                        "per parent, or a function local(out, *inputs) returning one")
    return local_derivatives, name


# --------------------------------------------------------------------------
# Free functions: the table's ops, which take floats and Values alike, so
# that one formula (a rule, a custom op's derivative) serves both.
# --------------------------------------------------------------------------

exp = ops.EXP
log = ops.LOG
tanh = ops.TANH
sigmoid = ops.SIGMOID
relu = ops.RELU
sqrt = ops.SQRT
abs = ops.ABS  # noqa: A001 (autograd.abs, like numpy.abs)
softplus = ops.SOFTPLUS
sin = ops.SIN
cos = ops.COS
maximum = ops.MAXIMUM
minimum = ops.MINIMUM


def leaky_relu(x: Operand, slope: Operand = 0.01) -> Value | float:
    """x for x > 0, else slope * x, for a Value (a new node) or a number (a float)."""
    return ops.LEAKY_RELU(x, slope)


# --------------------------------------------------------------------------
# The fast paths, written from the table (autograd.fastpaths) and attached to Value.
# --------------------------------------------------------------------------

def _attach_fast_paths() -> None:
    text, names, methods = fastpaths.written(ops.BUILTINS)
    namespace = fastpaths.run(text, {**globals(), **names})
    for method, op in methods.items():
        function = namespace[method]
        function.__qualname__ = f"Value.{method}"
        function.__doc__ = (f"{op.__doc__}\n\n(A fast path written from the op table: "
                            "autograd.fastpaths.)")
        setattr(Value, method, function)


_attach_fast_paths()
