"""``Value``: one scalar node of a computational graph.

Every operation computes two things, side by side:

* its **forward value**, a Python float;
* its **local derivative**: d(output)/d(input) for each input.

``backward()`` (in ``autograd.backprop``) then applies the chain rule: a node
hands ``its gradient x local derivative`` to each of its parents.

A node stores its local derivative in one of two forms:

* a **tuple of numbers**, when it does not depend on the inputs. Linear ops
  work this way: ``x + y`` stores ``(1.0, 1.0)`` and ``x * 3`` stores ``(3.0,)``;
* a **function** ``local(out, *inputs) -> tuple``. It is written with plain
  arithmetic, so it works on floats in an ordinary backward pass. It also works
  on Values, and that is how ``grad(..., create_graph=True)`` gets
  higher-order derivatives: it differentiates the derivative itself.

Those functions are shared, module-level ones (below). A node never holds a
closure over itself, so a graph has no reference cycles. When a graph is
dropped, reference counting frees it at once, without the cyclic garbage
collector.

A plain number in an operation is folded in as a constant and gets no node of
its own: ``x * 3`` is one node with one parent.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from numbers import Real

from autograd.mode import _grad_mode

__all__ = ["Value", "custom_op", "exp", "log", "relu", "sigmoid", "tanh"]

Number = Real  # int, float, bool, Fraction and numpy scalars are all numbers.Real
LocalDerivative = tuple | Callable[..., tuple]


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
# Local derivatives. Each takes the op's output and inputs and returns
# d(output)/d(input) for each input, in input order.
# --------------------------------------------------------------------------

_ONE = (1.0,)
_MINUS_ONE = (-1.0,)
_ONE_ONE = (1.0, 1.0)
_ONE_MINUS_ONE = (1.0, -1.0)


def _d_mul(out, x, y):
    return y, x  # z = x y:  dz/dx = y,  dz/dy = x


def _d_div(out, x, y):
    return 1 / y, -out / y  # z = x / y:  dz/dx = 1/y,  dz/dy = -x/y^2 = -z/y


def _d_reciprocal(out, x):
    return (-out / x,)  # z = c / x:  dz/dx = -c/x^2 = -z/x


def _d_pow(out, x, y):
    return y * x ** (y - 1), out * log(x)  # z = x^y:  dz/dx = y x^(y-1),  dz/dy = z ln x


@lru_cache(maxsize=256)
def _d_power(k: float) -> Callable:
    """Local derivative of x**k for a constant k, cached: one function per exponent."""

    def d_power(out, x):
        return (k * x ** (k - 1),)  # z = x^k:  dz/dx = k x^(k-1)

    return d_power


@lru_cache(maxsize=256)
def _d_exponential(c: float) -> Callable:
    """Local derivative of c**x for a constant base c > 0, cached per base."""
    log_c = math.log(c)

    def d_exponential(out, x):
        return (out * log_c,)  # z = c^x:  dz/dx = c^x ln c = z ln c

    return d_exponential


def _d_exp(out, x):
    return (out,)  # z = e^x:  dz/dx = e^x = z


def _d_log(out, x):
    return (1 / x,)  # z = ln x:  dz/dx = 1/x


def _d_tanh(out, x):
    return (1 - out * out,)  # z = tanh x:  dz/dx = 1 - z^2


def _d_sigmoid(out, x):
    return (out * (1 - out),)  # z = sigmoid(x):  dz/dx = z (1 - z)


def _d_relu(out, x):
    return (1.0 if x > 0 else 0.0,)  # z = max(0, x):  dz/dx = 1 for x > 0, else 0


# --------------------------------------------------------------------------
# The node.
# --------------------------------------------------------------------------

class Value:
    """A scalar node: a forward value, a gradient, and how it was made.

    ``data`` and ``grad`` are Python floats. ``_parents`` is a tuple of the
    input nodes in argument order, so graphs are deterministic. ``_local``
    holds the local derivatives (a tuple, or a function: see the module
    docstring). ``_op`` is a label for diagrams. A leaf has no parents.

    Equality is identity (``==`` compares nodes, not numbers), because nodes
    are used as keys in sets and dicts; ``<``, ``<=``, ``>``, ``>=`` compare
    ``data``.
    """

    __slots__ = ("data", "grad", "name", "_parents", "_local", "_op")

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
        self._local: LocalDerivative = ()
        self._op = ""

    def __repr__(self) -> str:
        named = f", name={self.name!r}" if self.name is not None else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{named})"

    # -- arithmetic: forward value, then local derivative --------------------

    def __add__(self, other: Operand) -> Value:
        """x + y.   d/dx = 1, d/dy = 1."""
        if type(other) is Value:
            return _node(self.data + other.data, (self, other), _ONE_ONE, "+")
        return _node(self.data + _real("+", other), (self,), _ONE, "+")

    __radd__ = __add__

    def __sub__(self, other: Operand) -> Value:
        """x - y.   d/dx = 1, d/dy = -1."""
        if type(other) is Value:
            return _node(self.data - other.data, (self, other), _ONE_MINUS_ONE, "-")
        return _node(self.data - _real("-", other), (self,), _ONE, "-")

    def __rsub__(self, other: Number) -> Value:
        """c - x.   d/dx = -1."""
        return _node(_real("-", other) - self.data, (self,), _MINUS_ONE, "-")

    def __neg__(self) -> Value:
        """-x.   d/dx = -1."""
        return _node(-self.data, (self,), _MINUS_ONE, "neg")

    def __mul__(self, other: Operand) -> Value:
        """x * y.   d/dx = y, d/dy = x (the book's MulLayer swaps its inputs)."""
        if type(other) is Value:
            return _node(self.data * other.data, (self, other), _d_mul, "*")
        k = _real("*", other)
        return _node(self.data * k, (self,), (k,), "*")

    __rmul__ = __mul__

    def __truediv__(self, other: Operand) -> Value:
        """x / y.   d/dx = 1/y, d/dy = -x/y^2. Dividing by zero raises ZeroDivisionError."""
        if type(other) is Value:
            return _node(_divide(self.data, other.data), (self, other), _d_div, "/")
        k = _real("/", other)
        return _node(_divide(self.data, k), (self,), (1.0 / k,), "/")

    def __rtruediv__(self, other: Number) -> Value:
        """c / x.   d/dx = -c/x^2."""
        return _node(_divide(_real("/", other), self.data), (self,), _d_reciprocal, "/")

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
            return _node(_power(self.data, exponent.data), (self, exponent), _d_pow, "**")
        k = _real("**", exponent)
        return _node(_power(self.data, k), (self,), _d_power(k), f"**{k:g}")

    def __rpow__(self, base: Number) -> Value:
        """c ** x for a number c > 0.   d/dx c^x = c^x ln c."""
        c = _real("**", base)
        if c <= 0:
            raise ValueError(
                f"power: {c!r} ** Value needs a positive base, because d/dx c**x = c**x * log(c)"
            )
        return _node(_power(c, self.data), (self,), _d_exponential(c), f"{c:g}**x")

    # -- elementary functions -------------------------------------------------

    def exp(self) -> Value:
        """e^x.   d/dx = e^x. Raises OverflowError for x above about 709.78."""
        return _node(_exp(self.data), (self,), _d_exp, "exp")

    def log(self) -> Value:
        """Natural log.   d/dx = 1/x. Raises ValueError for x <= 0."""
        return _node(_log(self.data), (self,), _d_log, "log")

    def tanh(self) -> Value:
        """tanh x.   d/dx = 1 - tanh^2 x. math.tanh saturates: tanh(1000) = 1.0, slope 0."""
        return _node(math.tanh(self.data), (self,), _d_tanh, "tanh")

    def sigmoid(self) -> Value:
        """1 / (1 + e^-x).   d/dx = s (1 - s). Stable in both tails (see _sigmoid)."""
        return _node(_sigmoid(self.data), (self,), _d_sigmoid, "sigmoid")

    def relu(self) -> Value:
        """max(0, x).   d/dx = 1 for x > 0 and 0 otherwise, so relu'(0) = 0 as in the book."""
        x = self.data
        return _node(x if x > 0 else 0.0, (self,), _d_relu, "relu")

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
        """The label of the operation that made this node ("" for a leaf)."""
        return self._op

    @property
    def parents(self) -> tuple[Value, ...]:
        """The input nodes, in argument order (empty for a leaf)."""
        return self._parents


Operand = Value | Real  # what an operation accepts: a node or a plain number
_new_node = object.__new__


def _node(data: float, parents: tuple, local: LocalDerivative, op: str) -> Value:
    """Make an op's result node. Inside no_grad() it is a bare leaf instead."""
    node = _new_node(Value)
    node.data = data
    node.grad = 0.0
    node.name = None
    if _grad_mode.enabled:
        node._parents = parents
        node._local = local
        node._op = op
    else:
        node._parents = ()
        node._local = ()
        node._op = ""
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
    ``relu``: they accept floats and Values alike. Then ``backward()``
    calls it with floats, and ``grad(create_graph=True)`` calls it with
    Values, which gives your op higher-order derivatives too.
    """
    parents = tuple(parents)
    for parent in parents:
        if type(parent) is not Value:
            raise TypeError(f"{label}: parents must be Values, got {type(parent).__name__}")
    if isinstance(local_grads, tuple):
        if len(local_grads) != len(parents):
            raise ValueError(
                f"{label}: {len(local_grads)} local derivatives for {len(parents)} parents"
            )
        local_grads = tuple(_real(label, d) for d in local_grads)
    elif not callable(local_grads):
        raise TypeError(
            f"{label}: local_grads must be a tuple or a function, "
            f"got {type(local_grads).__name__}"
        )
    return _node(_real(label, data), parents, local_grads, label)


# --------------------------------------------------------------------------
# The same functions for floats and Values. Local derivatives use these, so
# one formula serves both a float backward pass and a graph-building one.
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
