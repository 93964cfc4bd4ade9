"""``Value``: one scalar node of a computational graph.

Every operation computes two things, side by side:

* its **forward value**, a Python float;
* its **local derivatives**: d(output)/d(input) for each input, as numbers.

``x * y`` stores the value ``x*y`` and the local derivatives ``(y, x)``, as
the book's MulLayer does. ``backward()`` (in ``autograd.backprop``) then
applies the chain rule: a node hands ``its gradient x local derivative`` to
each of its parents.

Higher-order gradients (``grad(..., create_graph=True)``) need the local
derivatives as Values, so that they can be differentiated in turn. For the
ops whose derivative depends on the inputs (``*``, ``/``, ``**``, exp, log,
tanh, sigmoid, dot, logsumexp), ``autograd.higher_order`` writes the same
formulas over Values. The other ops have constant slopes (``+``, ``-``,
``3 * x``, relu on each side of 0), so their numbers serve at every order.

A node holds no closure over itself, so a graph has no reference cycles.
When a graph is dropped, reference counting frees it at once, without the
cyclic garbage collector.

A plain number in an operation is folded in as a constant and gets no node of
its own: ``x * 3`` is one node with one parent, and its op records the 3.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from numbers import Real

from autograd.mode import _grad_mode, _open_blocks

__all__ = ["Value", "custom_op", "exp", "log", "relu", "sigmoid", "tanh"]

Number = Real  # int, float, bool, Fraction and numpy scalars are all numbers.Real


# --------------------------------------------------------------------------
# Forward kernels on floats, with errors that name the operation and value.
# --------------------------------------------------------------------------

def _real(operation: str, x: object) -> float:
    """``x`` as a float, or a TypeError naming the operation and the value's type.

    Any ``numbers.Real`` is accepted: int, bool, float, Fraction, numpy scalars.
    """
    if type(x) is float:
        return x
    if isinstance(x, Real):
        return float(x)
    raise TypeError(
        f"{operation}: expected a real number or a Value, got {type(x).__name__} {x!r:.60}"
    )


def _divide(x: float, y: float) -> float:
    try:
        return x / y
    except ZeroDivisionError:
        raise ZeroDivisionError(f"division by zero: {x!r} / {y!r}") from None


def _power(x: float, k: float) -> float:
    """x ** k on reals: a negative base needs an integer exponent."""
    if x < 0 and not k.is_integer():
        raise ValueError(
            f"power: {x!r} ** {k!r} is not a real number "
            "(a negative base needs an integer exponent)"
        )
    try:
        return x**k
    except ZeroDivisionError:
        raise ZeroDivisionError(f"power: {x!r} ** {k!r} divides by zero") from None
    except OverflowError:
        raise OverflowError(f"power: {x!r} ** {k!r} overflows a float") from None


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(
            f"exp({x!r}) overflows a float (exp(x) is finite only for x < 709.78)"
        ) from None


def _log(x: float) -> float:
    if x <= 0:
        raise ValueError(f"log({x!r}): log is only defined for x > 0")
    return math.log(x)


def _sigmoid(x: float) -> float:
    """1 / (1 + e^-x), computed so that neither tail overflows.

    For x >= 0, e^-x <= 1; for x < 0 we use the equal form e^x / (1 + e^x),
    where e^x < 1. So sigmoid(1000) is 1.0 and sigmoid(-1000) is 0.0, no error.
    """
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# --------------------------------------------------------------------------
# Constant local derivatives, shared by every node that uses them.
# --------------------------------------------------------------------------

_ONE = (1.0,)
_ZERO = (0.0,)
_MINUS_ONE = (-1.0,)
_ONE_ONE = (1.0, 1.0)
_ONE_MINUS_ONE = (1.0, -1.0)


_SLOPE_OF_FOLDED = {  # the constant local derivative of x + k, x - k, k - x, x * k, x / k
    "+": lambda k: _ONE, "-": lambda k: _ONE, "r-": lambda k: _MINUS_ONE,
    "*": lambda k: (k,), "/": lambda k: (1.0 / k,),
}
# label -> {k: (op, local derivatives)}
_shared_folds: dict[str, dict[float, tuple]] = {label: {} for label in _SLOPE_OF_FOLDED}


def _folded(label: str, k: float) -> tuple[tuple, tuple]:
    """(op, local derivatives) for a constant-slope op with the number k folded in.

    Nodes that fold the same number share one pair. A training loop folds the
    same few numbers every step (the 1 of a hinge, an L2 strength), and sharing
    saves memory and objects for the garbage collector to track. 0.0 and NaN
    are not shared, since -0.0 == 0.0 and NaN != NaN would confuse the lookup.
    """
    shared = _shared_folds[label]
    pair = shared.get(k)
    if pair is None:
        pair = ((label, k), _SLOPE_OF_FOLDED[label](k))
        if k and k == k and len(shared) < 1024:
            shared[k] = pair
    return pair


def _slope_of_power(x: float, k: float) -> float:
    """d/dx x^k = k x^(k-1); at x = 0 with k < 1 that is infinite (sqrt's slope at 0)."""
    try:
        return k * x ** (k - 1)
    except ZeroDivisionError:
        return math.copysign(math.inf, k) if k else 0.0


# --------------------------------------------------------------------------
# The node.
# --------------------------------------------------------------------------

class Value:
    """A scalar node: a forward value, a gradient, and how it was made.

    ``data`` and ``grad`` are Python floats. ``_parents`` is a tuple of the
    input nodes in argument order, so graphs are deterministic. ``_local``
    is a tuple with one local derivative per parent. ``_op`` labels the
    operation: a string such as "*", or a pair when the op carries something:
    a folded number, as in ("*", 3.0) or ("r-", 3.0) for ``3 - x`` (the "r"
    puts the number on the left), or a custom op's derivative function.
    A leaf has no parents. ``_index`` numbers nodes in the order they are made:
    a node's parents always exist before it, so they have smaller numbers,
    and sorting by number is a topological sort (see ``autograd.backprop``).

    Equality is identity (``==`` compares nodes, not numbers), because nodes
    are used as keys in sets and dicts; ``<``, ``<=``, ``>``, ``>=`` compare
    ``data``.
    """

    __slots__ = ("data", "grad", "name", "_parents", "_local", "_op", "_index")

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
        self.data = _real("Value()", data)
        self.grad = 0.0
        self.name = name
        self._parents: tuple[Value, ...] = ()
        self._local: tuple = ()
        self._op = ""
        self._index = _next_index()

    def __repr__(self) -> str:
        named = f", name={self.name!r}" if self.name is not None else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{named})"

    # -- arithmetic: forward value, then local derivative --------------------

    def __add__(self, other: Operand) -> Value:
        """x + y.   d/dx = 1, d/dy = 1."""
        if type(other) is Value:
            return _node(self.data + other.data, (self, other), _ONE_ONE, "+")
        k = other if type(other) is float else _real("+", other)
        op, local = _folded("+", k)
        return _node(self.data + k, (self,), local, op)

    __radd__ = __add__

    def __sub__(self, other: Operand) -> Value:
        """x - y.   d/dx = 1, d/dy = -1."""
        if type(other) is Value:
            return _node(self.data - other.data, (self, other), _ONE_MINUS_ONE, "-")
        k = other if type(other) is float else _real("-", other)
        op, local = _folded("-", k)
        return _node(self.data - k, (self,), local, op)

    def __rsub__(self, other: Number) -> Value:
        """c - x.   d/dx = -1."""
        k = other if type(other) is float else _real("-", other)
        op, local = _folded("r-", k)
        return _node(k - self.data, (self,), local, op)

    def __neg__(self) -> Value:
        """-x.   d/dx = -1."""
        return _node(-self.data, (self,), _MINUS_ONE, "neg")

    def __mul__(self, other: Operand) -> Value:
        """x * y.   d/dx = y, d/dy = x (the book's MulLayer swaps its inputs)."""
        if type(other) is Value:
            x, y = self.data, other.data
            return _node(x * y, (self, other), (y, x), "*")
        k = other if type(other) is float else _real("*", other)
        op, local = _folded("*", k)
        return _node(self.data * k, (self,), local, op)

    __rmul__ = __mul__

    def __truediv__(self, other: Operand) -> Value:
        """x / y.   d/dx = 1/y, d/dy = -x/y^2. Dividing by zero raises ZeroDivisionError."""
        if type(other) is Value:
            y = other.data
            z = _divide(self.data, y)
            return _node(z, (self, other), (1 / y, -z / y), "/")
        k = other if type(other) is float else _real("/", other)
        data = _divide(self.data, k)  # raises for k = 0 before 1/k is needed
        op, local = _folded("/", k)
        return _node(data, (self,), local, op)

    def __rtruediv__(self, other: Number) -> Value:
        """c / x.   d/dx = -c/x^2."""
        k, x = _real("/", other), self.data
        z = _divide(k, x)
        return _node(z, (self,), (-z / x,), ("r/", k))

    def __pow__(self, exponent: Operand) -> Value:
        """x ** k (a number) or x ** y (a Value).

        d/dx x^k = k x^(k-1). With a Value exponent, also d/dy x^y = x^y ln x,
        so the base must be positive. A negative base with a non-integer
        exponent raises ValueError (the result would be complex).
        """
        if type(exponent) is Value:
            if self.data <= 0:
                raise ValueError(
                    f"power: {self.data!r} ** Value needs a positive base, "
                    "because d/dy x**y = x**y * log(x)"
                )
            x, y = self.data, exponent.data
            z = _power(x, y)
            return _node(z, (self, exponent), (_slope_of_power(x, y), z * math.log(x)), "**")
        k = exponent if type(exponent) is float else _real("**", exponent)
        x = self.data
        return _node(_power(x, k), (self,), (_slope_of_power(x, k),), ("**", k))

    def __rpow__(self, base: Number) -> Value:
        """c ** x for a number c > 0.   d/dx c^x = c^x ln c."""
        c = _real("**", base)
        if c <= 0:
            raise ValueError(
                f"power: {c!r} ** Value needs a positive base, because d/dx c**x = c**x * log(c)"
            )
        z = _power(c, self.data)
        return _node(z, (self,), (z * math.log(c),), ("r**", c))

    # -- elementary functions -------------------------------------------------

    def exp(self) -> Value:
        """e^x.   d/dx = e^x. Raises OverflowError for x above about 709.78."""
        z = _exp(self.data)
        return _node(z, (self,), (z,), "exp")

    def log(self) -> Value:
        """Natural log.   d/dx = 1/x. Raises ValueError for x <= 0."""
        x = self.data
        return _node(_log(x), (self,), (1 / x,), "log")

    def tanh(self) -> Value:
        """tanh x.   d/dx = 1 - tanh^2 x. math.tanh saturates: tanh(1000) = 1.0, slope 0."""
        t = math.tanh(self.data)
        return _node(t, (self,), (1 - t * t,), "tanh")

    def sigmoid(self) -> Value:
        """1 / (1 + e^-x).   d/dx = s (1 - s). Stable in both tails (see _sigmoid)."""
        s = _sigmoid(self.data)
        return _node(s, (self,), (s * (1 - s),), "sigmoid")

    def relu(self) -> Value:
        """max(0, x).   d/dx = 1 for x > 0 and 0 otherwise, so relu'(0) = 0 as in the book.

        The slope is a constant on each side of 0, so the same numbers serve
        higher orders too: the slope of a step is 0.
        """
        x = self.data
        return _node(x, (self,), _ONE, "relu") if x > 0 else _node(0.0, (self,), _ZERO, "relu")

    # -- comparisons on data (equality stays identity: see the class docstring)

    def __lt__(self, other: Operand) -> bool:
        return self.data < _compared("<", other)

    def __le__(self, other: Operand) -> bool:
        return self.data <= _compared("<=", other)

    def __gt__(self, other: Operand) -> bool:
        return self.data > _compared(">", other)

    def __ge__(self, other: Operand) -> bool:
        return self.data >= _compared(">=", other)

    # -- the graph ------------------------------------------------------------

    def backward(self) -> None:
        """Set ``.grad`` of every node this one depends on to d(self)/d(node).

        Leaves (nodes with no parents, such as parameters) accumulate across
        calls, as in PyTorch; intermediate nodes are recomputed from zero each
        call. See ``autograd.backprop.backward``.
        """
        from autograd.backprop import backward

        backward(self)

    def detach(self) -> Value:
        """A new leaf with the same value (and name), cut from the graph."""
        return Value(self.data, self.name)

    @property
    def op(self) -> str:
        """The operation that made this node: "+", "*", "exp", "dot", ... ("" for a leaf)."""
        op = self._op
        label = op if type(op) is str else op[0].removeprefix("r")
        return "dot" if label in ("dotb", "dotv") else label

    @property
    def constant(self) -> float | None:
        """The plain number folded into this op (3 in ``x * 3``, 2 in ``2 - x``), else None."""
        op = self._op
        if type(op) is str or type(op[1]) is not float:
            return None
        return op[1]

    @property
    def parents(self) -> tuple[Value, ...]:
        """The input nodes, in argument order (empty for a leaf)."""
        return self._parents


Operand = Value | Real  # what an operation accepts: a node or a plain number
_new_node = object.__new__
_next_index = itertools.count().__next__  # one C call: safe across threads under the GIL


def _node(data: float, parents: tuple, local: tuple, op: str | tuple) -> Value:
    """Make an op's result node. Inside no_grad() it is a bare leaf instead."""
    node = _new_node(Value)
    node.data = data
    node.grad = 0.0
    node.name = None
    if not _open_blocks[0] or _grad_mode.enabled:
        node._parents = parents
        node._local = local
        node._op = op
    else:
        node._parents = ()
        node._local = ()
        node._op = ""
    node._index = _next_index()
    return node


def _compared(operation: str, other: object) -> float:
    return other.data if type(other) is Value else _real(operation, other)


def custom_op(
    data: Number,
    parents: Sequence[Value],
    local_grads: tuple | Callable[..., tuple],
    label: str = "op",
) -> Value:
    """A node for an operation of your own: its value, parents and local derivative.

    ``local_grads`` is either a tuple with one number per parent (when the
    derivative is constant), or a function ``local(out, *inputs)`` that
    returns one derivative per parent. Write the function with arithmetic
    and the functions ``autograd.exp``, ``log``, ``tanh``, ``sigmoid`` and
    ``relu``: they accept floats and Values alike. It is called once with
    floats, now, for ``backward()``. ``grad(create_graph=True)`` calls it
    again with Values, which gives your op higher-order derivatives too.
    """
    parents = tuple(parents)
    for parent in parents:
        if type(parent) is not Value:
            raise TypeError(f"{label}: parents must be Values, got {type(parent).__name__}")
    data = _real(label, data)
    op: str | tuple = label
    if callable(local_grads):
        op = (label, local_grads)
        local_grads = local_grads(data, *(p.data for p in parents))
    if not isinstance(local_grads, tuple):
        raise TypeError(
            f"{label}: local_grads must be a tuple or a function returning one, "
            f"got {type(local_grads).__name__}"
        )
    if len(local_grads) != len(parents):
        raise ValueError(
            f"{label}: {len(local_grads)} local derivatives for {len(parents)} parents"
        )
    return _node(data, parents, tuple(_real(label, d) for d in local_grads), op)


# --------------------------------------------------------------------------
# The same functions for floats and Values, so that one formula (a custom
# op's derivative, say) serves floats and Values alike.
# --------------------------------------------------------------------------

def exp(x: Operand) -> Value | float:
    """e^x for a Value (a new node) or a number (a float)."""
    return x.exp() if type(x) is Value else _exp(_real("exp", x))


def log(x: Operand) -> Value | float:
    """Natural log for a Value (a new node) or a number (a float)."""
    return x.log() if type(x) is Value else _log(_real("log", x))


def tanh(x: Operand) -> Value | float:
    """tanh for a Value (a new node) or a number (a float)."""
    return x.tanh() if type(x) is Value else math.tanh(_real("tanh", x))


def sigmoid(x: Operand) -> Value | float:
    """The logistic sigmoid for a Value (a new node) or a number (a float)."""
    return x.sigmoid() if type(x) is Value else _sigmoid(_real("sigmoid", x))


def relu(x: Operand) -> Value | float:
    """max(0, x) for a Value (a new node) or a number (a float)."""
    if type(x) is Value:
        return x.relu()
    x = _real("relu", x)
    return x if x > 0 else 0.0
