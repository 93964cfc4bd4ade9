"""The op table: every operation chainrule knows, each written once.

An op is one entry (``Op``): its name, its symbol for diagrams and ``explain``,
its forward function on floats, and **one local-derivative rule per argument**,
as in JAX's ``defjvp``. A rule takes the op's output and its arguments and
returns d(output)/d(that argument)::

    MUL = Op("mul", "×", lambda x, y: x * y,
             rules=(lambda out, x, y: y,      # d(xy)/dx = y
                    lambda out, x, y: x))     # d(xy)/dy = x

Rules are written with arithmetic and the functions of this module (``exp``,
``log``, ``sigmoid``, ... and the helpers ``select``, ``sign`` and
``power_slope``), which work on three kinds of number:

* **floats**: ``backward()`` stores each node's local derivatives as numbers,
  computed by the rules when the node is made;
* **Values**: ``grad(create_graph=True)`` runs the rules again on Values, so
  the derivatives are nodes that can be differentiated in turn;
* **Symbols** (``autograd.symbolic``): ``autograd.compile`` runs them on
  Symbols, which print Python source, to write a replay program.

So one rule serves every order and the replay. An op with no rule for an
argument, or no forward function, says so with an error that names it; nothing
falls back to a constant slope.

A plain number among an op's arguments is folded in (``x * 3``, ``2 - x``):
the node keeps only its Values as parents, its op becomes a ``Folded`` (the
entry and where the numbers go), and the rule for a number is never evaluated.

A user's op is an entry too: ``register_op`` (see its docstring).

Numbers that are not finite follow IEEE 754, as numpy and PyTorch do, in every
op alike:

* **Overflow gives an infinity**, never an error: ``exp(1000)``, ``1e200 ** 2``
  and ``1e308 * 10`` are all ``inf``. (Python's own ``**`` and ``math.exp``
  raise OverflowError; the table's forward functions catch it.)
* **NaN in gives NaN out**: a NaN argument makes the value NaN, and every local
  derivative that depends on that argument NaN, so ``relu(nan)``,
  ``maximum(nan, 1)`` and ``abs'(nan)`` are all NaN (the helpers ``select`` and
  ``sign`` return NaN for NaN). A derivative that does not read the NaN stays a
  number: d(x*y)/dx = y. IEEE 754's own exceptions stand: ``nan ** 0`` and
  ``1 ** nan`` are 1.0.
* **Outside an op's domain is an error**, NaN or not: ``log(-1)`` and
  ``sqrt(-1)`` raise ValueError, ``x / 0`` ZeroDivisionError. An infinite
  argument is not such a mistake: ``sin(inf)`` is NaN, as IEEE 754 says.

``autograd.detect_anomaly()`` names the first node that is not finite.
"""

from __future__ import annotations

import builtins
import functools
import math
import operator
import warnings
from collections.abc import Callable, Sequence
from numbers import Real
from operator import mul
from typing import Any

__all__ = [
    "BUILTINS", "FAST_FORMS", "OPS", "PRIMITIVES", "Folded", "Op", "Primitive", "arguments",
    "dot_locals", "entry", "labelled",
    "register_op",
    "power_slope", "select", "sign", "total",
]

Rule = Callable[..., Any]

# What an argument may be, for the strategies and the table's tests: any real, a
# positive number (log, sqrt, a Value base of **), or a non-zero one (a divisor).
DOMAINS = ("real", "positive", "nonzero")
# The fast paths an entry may ask Value for (``Op.fast``, see ``autograd.fastpaths``).
FAST_FORMS = ("values", "left", "right", "method")


# --------------------------------------------------------------------------
# Forward functions on floats, with errors that name the operation and value.
# --------------------------------------------------------------------------

def real(operation: str, x: object) -> float:
    """``x`` as a float, or a TypeError naming the operation and the value's type.

    Any ``numbers.Real`` is accepted: int, bool, float, Fraction, numpy scalars.
    """
    if type(x) is float:
        return x
    if type(x) is int:  # before the ABC check below, which costs a microsecond
        return float(x)
    if isinstance(x, Real):
        return float(x)
    raise TypeError(
        f"{operation}: expected a real number or a Value, got {type(x).__name__} {x!r:.60}"
    )


def _power(x: float, k: float) -> float:
    """x ** k on reals: a negative base needs an integer exponent.

    Overflow gives an infinity, as ``*`` and ``+`` do (IEEE 754, as numpy and
    PyTorch): ``1e200 ** 2`` is inf and ``(-1e200) ** 3`` is -inf. NaN in gives
    NaN out, except where IEEE 754 and numpy say otherwise: ``nan ** 0`` and
    ``1 ** nan`` are 1.0.
    """
    if x < 0 and not k.is_integer() and k == k:  # (-2) ** nan is nan, not an error
        raise ValueError(
            f"power: {x!r} ** {k!r} is not a real number "
            "(a negative base needs an integer exponent)"
        )
    try:
        return x**k
    except ZeroDivisionError:
        raise ZeroDivisionError(f"power: {x!r} ** {k!r} divides by zero") from None
    except OverflowError:  # |x ** k| is past the largest float: its sign, then inf
        odd = k.is_integer() and k % 2 == 1
        return -math.inf if x < 0 and odd else math.inf


def _exp(x: float) -> float:
    """e^x; inf above x = 709.78, where e^x is past the largest float (IEEE 754)."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _log(x: float) -> float:
    if x <= 0:
        raise ValueError(f"log({x!r}): log is only defined for x > 0")
    return math.log(x)


def _sqrt(x: float) -> float:
    if x < 0:
        raise ValueError(f"sqrt({x!r}): sqrt is only defined for x >= 0")
    return math.sqrt(x)


def _sigmoid(x: float) -> float:
    """1 / (1 + e^-x), computed so that neither tail overflows.

    For x >= 0, e^-x <= 1; for x < 0 we use the equal form e^x / (1 + e^x),
    where e^x < 1. So sigmoid(1000) is 1.0 and sigmoid(-1000) is 0.0, no error.
    """
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _softplus(x: float) -> float:
    """log(1 + e^x) = max(x, 0) + log1p(e^-|x|): e^-|x| <= 1, so softplus(800) is 800.0."""
    return (x if x > 0 else 0.0) + math.log1p(math.exp(-abs(x)))


def _leaky_relu(x: float, slope: float) -> float:
    return x if x > 0 else x * slope


def _maximum(a: float, b: float) -> float:
    """max(a, b), and NaN if either is NaN (Python's max(nan, 1) would be 1)."""
    if a >= b:
        return a
    return b if a < b else math.nan


def _minimum(a: float, b: float) -> float:
    """min(a, b), and NaN if either is NaN."""
    if a <= b:
        return a
    return b if a > b else math.nan


def _sin(x: float) -> float:
    """sin x; NaN for x = ±inf, as IEEE 754 says (math.sin would raise "math domain error")."""
    return math.sin(x) if x - x == 0 else math.nan


def _cos(x: float) -> float:
    """cos x; NaN for x = ±inf, as IEEE 754 says."""
    return math.cos(x) if x - x == 0 else math.nan


def _logsumexp(*z: float) -> float:
    """log(sum_i e^(z_i)) = m + log(sum_i e^(z_i - m)) with m = max(z).

    Every exponent is <= 0, so nothing overflows, and the largest term is
    e^0 = 1, so the log's argument is >= 1.
    """
    if not z:
        raise ValueError("logsumexp: needs at least one term")
    if any(v != v for v in z):  # NaN: max() would depend on where it stands
        return math.nan
    m = max(z)
    if math.isinf(m):  # all -inf (log 0), or a +inf term: the answer is m itself
        return m
    return m + math.log(builtins.sum([math.exp(v - m) for v in z]))


# --------------------------------------------------------------------------
# Dispatch: a function of this module on floats, Values or Symbols.
# --------------------------------------------------------------------------

def _interpreter(args: tuple) -> Callable | None:
    """The ``_interpret`` of the first argument that has one (a Value or a Symbol).

    Value and Symbol each define ``_interpret(function, args)``, so this module
    needs to import neither: floats are the default.
    """
    for a in args:
        interpret = getattr(type(a), "_interpret", None)
        if interpret is not None:
            return interpret
    return None


class Primitive:
    """A helper for writing rules: piecewise constant, so its own derivative is 0.

    ``on_floats`` computes it; on Values it is a plain number computed from their
    data (a constant: its slope is 0 almost everywhere), unless ``on_values``
    says otherwise; on Symbols it is ``source`` filled in with the arguments.

    What a replay needs to know of it is here too: ``calls``, the functions its
    source calls by the names it calls them (a replay program is given them), and
    ``finite_from``, the arguments whose finiteness its value keeps (select's two
    branches; none for sign, always finite or NaN), or None for a helper that can be
    infinite on finite arguments (a slope, a total).

    ``arithmetic``: the helper written in + - * / and whole powers alone, for number
    types that know only those (the exact oracle's, ``autograd.testing.exact``), or
    None for a helper that is not rational arithmetic (select, sign).
    """

    def __init__(self, name: str, on_floats: Callable, source: str,
                 on_values: Callable | None = None, doc: str = "", *,
                 calls: dict[str, Callable] | None = None,
                 finite_from: tuple[int, ...] | None = None,
                 arithmetic: Callable | None = None) -> None:
        self.name, self.on_floats, self.source, self.on_values = name, on_floats, source, on_values
        self.calls, self.finite_from, self.arithmetic = dict(calls or {}), finite_from, arithmetic
        self.__doc__ = doc

    def __call__(self, *args: Any) -> Any:
        interpret = _interpreter(args)
        if interpret is None:
            return self.on_floats(*[real(self.name, a) for a in args])
        return interpret(self, args)

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


def _select(c: float, a: Any, b: Any) -> Any:
    # NaN is neither > 0 nor <= 0: a NaN condition selects NaN, so relu(nan) is nan
    return a if c > 0 else b if c <= 0 else math.nan


select = Primitive(
    "select", _select, "({1} if {0} > 0 else {2} if {0} <= 0 else nan)",
    # On Values the branch is chosen by data, and the chosen side stays a Value.
    on_values=lambda c, a, b: _select(getattr(c, "data", c), a, b),
    doc="``a`` where ``c > 0``, ``b`` where ``c <= 0``, and NaN where c is NaN: relu's "
        "slope is select(x, 1.0, 0.0), so relu'(0) = 0 and relu'(nan) = nan.",
    calls={"nan": math.nan}, finite_from=(1, 2),
)

total = Primitive(
    "total", lambda *terms: float(builtins.sum(terms)), "_sum(({all},))",
    on_values=lambda *terms: SUM(*terms),
    arithmetic=lambda *terms: functools.reduce(operator.add, terms),  # left to right
    doc="t_1 + ... + t_n, added by builtins.sum: left to right (compensated on Python "
        "3.12+), so that a replay adds exactly as autograd.sum and autograd.dot do.",
    calls={"_sum": builtins.sum},
)

def _sign(x: float) -> float:
    return (x > 0) - (x < 0) + 0.0 if x == x else math.nan  # sign(nan) is nan, as np.sign


sign = Primitive("sign", _sign, "_sign({0})",
                 doc="-1.0, 0.0 or 1.0, and NaN for NaN; sign(0) = 0, so abs'(0) = 0.",
                 calls={"_sign": _sign}, finite_from=())


def _slope_of_power(x: float, k: float) -> float:
    """d/dx x^k = k x^(k-1); at x = 0 with k < 1 that is infinite (sqrt's slope at 0),
    and past the largest float it is infinite too, as the power itself is."""
    try:
        return k * x ** (k - 1)
    except ZeroDivisionError:
        return math.copysign(math.inf, k) if k else 0.0
    except OverflowError:
        return k * _power(x, k - 1)


def _general_slope(x: Any, k: Any) -> Any:
    """k x^(k-1) in arithmetic alone: on Values (a graph, for higher orders) and on exact
    numbers (the exact oracle's), where no infinity needs catching."""
    return k * x ** (k - 1)


power_slope = Primitive(
    "power_slope", _slope_of_power, "_slope({0}, {1})",
    on_values=_general_slope, arithmetic=_general_slope,
    doc="k x^(k-1), the slope of x^k; infinite (not an error) at x = 0, k < 1.",
    calls={"_slope": _slope_of_power},
)

PRIMITIVES = (select, total, sign, power_slope)  # every helper a rule may call


# --------------------------------------------------------------------------
# The entry.
# --------------------------------------------------------------------------

# Python's operators, by notation and spelling: the syntax of the language, not knowledge
# of any op (an entry says which one spells it, with ``python=``).
_PYTHON_OPERATORS: dict[tuple[str, str], Callable] = {
    ("infix", "+"): operator.add, ("infix", "-"): operator.sub,
    ("infix", "*"): operator.mul, ("infix", "/"): operator.truediv,
    ("infix", "**"): operator.pow, ("prefix", "-"): operator.neg,
}


def _python_operator(name: str, notation: str, python: str | None) -> Callable | None:
    if python is None:
        return None
    try:
        return _PYTHON_OPERATORS[notation, python]
    except KeyError:
        known = ", ".join(f"{s!r} ({n})" for n, s in _PYTHON_OPERATORS)
        raise ValueError(f"op {name!r}: python={python!r} is not a Python operator for "
                         f"notation {notation!r}; known: {known}") from None


class Op:
    """One operation: its forward function and one local-derivative rule per argument.

    name: how code and ``Value.op`` call it ("mul", "exp", "softplus").
    symbol: how diagrams and ``explain`` draw it ("×", "exp").
    forward: the value, on floats, raising a clear error outside the domain.
    rules: one function ``rule(out, *args)`` per argument. A variadic op
        (``arity=None``) has one function ``rule(out, args, i)`` for every i.
    notation: "infix" (x × y), "prefix" (−x), "function" (exp(x)) or "nary".
    domains: per argument, "real", "positive" or "nonzero" (one for all if variadic).
    kink: where the slope jumps, as a distance: ``kink(*args)`` is 0 on it.
    inline: the forward is arithmetic and helpers only, so a replay traces it on
        Symbols and writes it out, rather than calling the function.
    python: how Python writes the op as an operator ("+", "**"; "-" for the prefix
        neg), or None for an op written as a call. Code that applies the table's ops to
        Values (the command line, the test expressions) goes through ``python_operator``,
        Python's own operator, so that it takes the Value's fast path.
    labels: how other engines label the op in their graphs, besides ``name`` (micrograd's
        "*", "ReLU"); a "{}" at the end stands for a folded number ("**{}" reads "**2"
        as x ** 2).
        A learner's node is read through these (``autograd.foreign``).
    sympy, torch, jax: the same function in sympy, PyTorch or JAX, for tests and for
        check_engine's adapters: f(module, *args) (``jax`` gets the ``jax`` module).
    rational: the forward and every rule are rational arithmetic (+ - * /, whole powers,
        the helpers' ``arithmetic``), so the exact oracle (``autograd.testing.exact``) runs
        them on exact numbers, with a bound on the engine's rounding.
    fast: the forms ``Value`` writes a fast path for, from this entry's forward and
        rules (``autograd.fastpaths``): "values" (x op y), "left" (x op k), "right"
        (k op x) for an operator, "method" for x.name() or a prefix operator.

    Calling an op applies it: to floats it gives a float; to Values, a node;
    to Symbols, source. So ``autograd.exp`` is ``ops.EXP``.
    """

    def __init__(self, name: str, symbol: str, forward: Callable | None,
                 rules: Sequence[Rule] | Rule, *, arity: int | None = -1,
                 notation: str = "function", domains: Sequence[str] | str = "real",
                 kink: Callable | None = None, inline: bool = False,
                 python: str | None = None, labels: Sequence[str] = (),
                 sympy: Callable | None = None, torch: Callable | None = None,
                 jax: Callable | None = None, fast: Sequence[str] = (),
                 rational: bool = False, doc: str = "") -> None:
        if arity == -1:  # fixed arity: one rule per argument
            rules = tuple(rules)
            arity = len(rules)
        self.name, self.symbol, self.forward, self.rules = name, symbol, forward, rules
        self.arity, self.notation, self.kink, self.inline = arity, notation, kink, inline
        if isinstance(domains, str):
            domains = (domains,) * (arity if arity is not None else 1)
        self.domains = tuple(domains)
        self.sympy, self.torch, self.jax, self.__doc__ = sympy, torch, jax, doc
        self.python, self.labels, self.fast = python, (name, *labels), tuple(fast)
        unknown = [form for form in self.fast if form not in FAST_FORMS]
        if unknown:
            raise ValueError(f"op {name!r}: unknown fast forms {unknown}; known: {FAST_FORMS}")
        self.rational = rational
        self.python_operator = _python_operator(name, notation, python)

    def __repr__(self) -> str:
        return f"<op {self.name}>"

    def __call__(self, *args: Any) -> Any:
        """Apply the op: a float for numbers, a node for Values, source for Symbols."""
        interpret = _interpreter(args)
        if interpret is not None:
            return interpret(self, args)
        return self.on_floats([real(self.name, a) for a in args])

    def on_floats(self, args: Sequence[float]) -> float:
        """The forward value on floats; an error naming the op if it has no forward."""
        self.check_arity(len(args))
        if self.forward is None:
            raise TypeError(f"op {self.name!r} has no forward function: it was made by "
                            "custom_op, which gives only its value; use autograd.register_op")
        return self.forward(*args)

    def evaluate(self, args: Sequence[float]) -> float:
        """The old name of ``on_floats``: warns, then gives its number."""
        warnings.warn("Op.evaluate is Op.on_floats: use that name", DeprecationWarning,
                      stacklevel=2)
        return self.on_floats(args)

    def check_arity(self, n: int) -> None:
        if self.arity is not None and n != self.arity:
            raise TypeError(f"{self.name}: takes {self.arity} arguments, got {n}")

    def derivative(self, i: int, out: Any, args: Sequence[Any]) -> Any:
        """d(out)/d(args[i]) by this op's rule, in whatever numbers ``args`` hold."""
        if self.arity is None:
            return self.rules(out, args, i)
        if i >= len(self.rules) or self.rules[i] is None:
            raise NotImplementedError(f"op {self.name!r} has no derivative rule for "
                                      f"argument {i}")
        return self.rules[i](out, *args)


class Folded:
    """An op with some arguments fixed to plain numbers.

    ``layout`` has one slot per argument: None where a parent goes, the number
    where a constant was folded in. ``x * 3`` is Folded(MUL, (None, 3.0)) with
    the one parent x; ``2 - x`` is Folded(SUB, (2.0, None)).
    """

    __slots__ = ("op", "layout")

    def __init__(self, op: Op, layout: tuple) -> None:
        self.op, self.layout = op, layout

    def __repr__(self) -> str:
        return f"Folded({self.op.name}, {self.layout!r})"


def entry(call: Op | Folded) -> Op:
    """The table entry behind a node's op, folded or not."""
    return call.op if type(call) is Folded else call


def arguments(call: Op | Folded, parents: Sequence[Any]) -> list:
    """All the op's arguments in order: the parents, with folded numbers in place."""
    if type(call) is not Folded:
        return list(parents)
    values = iter(parents)
    return [next(values) if slot is None else slot for slot in call.layout]


# --------------------------------------------------------------------------
# The built-in ops. Each is its forward function and its rules, side by side.
# --------------------------------------------------------------------------

def _one(*_: Any) -> float:
    return 1.0


def _minus_one(*_: Any) -> float:
    return -1.0


ADD = Op("add", "+", lambda x, y: x + y, (_one, _one), notation="infix", python="+",
         labels=("+",),
         inline=True, sympy=lambda sp, x, y: x + y, torch=lambda t, x, y: x + y,
         jax=lambda j, x, y: x + y,
         fast=("values", "left", "right"),
         rational=True,
         doc="x + y.   d/dx = 1, d/dy = 1 (the book's AddLayer passes dout on).")

SUB = Op("sub", "−", lambda x, y: x - y, (_one, _minus_one), notation="infix", python="-",
         labels=("-",),
         inline=True, sympy=lambda sp, x, y: x - y, torch=lambda t, x, y: x - y,
         jax=lambda j, x, y: x - y,
         fast=("values", "left", "right"),
         rational=True,
         doc="x - y.   d/dx = 1, d/dy = -1.")

MUL = Op("mul", "×", lambda x, y: x * y,
         (lambda out, x, y: y,    # d(xy)/dx = y: the book's MulLayer swaps its inputs
          lambda out, x, y: x),   # d(xy)/dy = x
         notation="infix", python="*", labels=("*",), inline=True,
         sympy=lambda sp, x, y: x * y, torch=lambda t, x, y: x * y,
         jax=lambda j, x, y: x * y,
         fast=("values", "left", "right"), rational=True,
         doc="x * y.   d/dx = y, d/dy = x.")

DIV = Op("div", "÷", lambda x, y: x / y,
         (lambda out, x, y: 1 / y,         # d(x/y)/dx = 1/y
          lambda out, x, y: -out / y),     # d(x/y)/dy = -x/y^2 = -out/y
         notation="infix", python="/", labels=("/",), domains=("real", "nonzero"),
         inline=True,
         sympy=lambda sp, x, y: x / y, torch=lambda t, x, y: x / y,
         jax=lambda j, x, y: x / y,
         fast=("values", "left", "right"),
         rational=True,
         doc="x / y.   d/dx = 1/y, d/dy = -x/y^2. y = 0 raises ZeroDivisionError.")

NEG = Op("neg", "−", lambda x: -x, (_minus_one,), notation="prefix", python="-",
         labels=("-",), inline=True,
         sympy=lambda sp, x: -x, torch=lambda t, x: -x,
         jax=lambda j, x: -x,
         fast=("method",),
         rational=True,
         doc="-x.   d/dx = -1.")

POW = Op("pow", "^", _power,
         (lambda out, x, y: power_slope(x, y),   # d(x^y)/dx = y x^(y-1)
          lambda out, x, y: out * log(x)),       # d(x^y)/dy = x^y ln x
         notation="infix", python="**", labels=("**{}",), domains=("positive", "real"),
         sympy=lambda sp, x, y: x**y, torch=lambda t, x, y: x**y,
         jax=lambda j, x, y: x**y,
         fast=("left",),
         rational=True,
         doc="x ** y.   d/dx = y x^(y-1), infinite at x = 0 for y < 1 (sqrt's slope); "
             "d/dy = x^y ln x, so a Value exponent needs x > 0. A negative base needs a "
             "whole-number exponent (ValueError otherwise).")

EXP = Op("exp", "exp", _exp, (lambda out, x: out,),   # d(e^x)/dx = e^x
         sympy=lambda sp, x: sp.exp(x), torch=lambda t, x: t.exp(x),
         jax=lambda j, x: j.numpy.exp(x),
         fast=("method",),
         doc="e^x.   d/dx = e^x. inf above x = 709.78, where e^x passes the largest float.")

LOG = Op("log", "log", _log, (lambda out, x: 1 / x,),  # d(ln x)/dx = 1/x
         domains="positive", sympy=lambda sp, x: sp.log(x), torch=lambda t, x: t.log(x),
         jax=lambda j, x: j.numpy.log(x),
         fast=("method",),
         doc="ln x.   d/dx = 1/x. ValueError for x <= 0.")

TANH = Op("tanh", "tanh", math.tanh, (lambda out, x: 1 - out * out,),  # 1 - tanh^2
          sympy=lambda sp, x: sp.tanh(x), torch=lambda t, x: t.tanh(x),
         jax=lambda j, x: j.numpy.tanh(x),
          fast=("method",),
          doc="tanh x.   d/dx = 1 - tanh^2 x. Saturates: tanh(1000) = 1.0, slope 0.")

SIGMOID = Op("sigmoid", "σ", _sigmoid, (lambda out, x: out * (1 - out),),  # s (1 - s)
             labels=("σ",),
             sympy=lambda sp, x: 1 / (1 + sp.exp(-x)), torch=lambda t, x: t.sigmoid(x),
         jax=lambda j, x: j.nn.sigmoid(x),
             fast=("method",),
             doc="1 / (1 + e^-x).   d/dx = s (1 - s), the book's dout * y * (1 - y). "
                 "Stable in both tails: sigmoid(-1000) = 0.0.")

RELU = Op("relu", "relu", lambda x: select(x, x, 0.0), (lambda out, x: select(x, 1.0, 0.0),),
          kink=lambda x: abs(x), inline=True, labels=("ReLU",),
          sympy=lambda sp, x: sp.Piecewise((x, x > 0), (0, True)),
          torch=lambda t, x: t.relu(x),
         jax=lambda j, x: j.nn.relu(x),
          fast=("method",),
          doc="max(0, x).   d/dx = 1 for x > 0, else 0: relu'(0) = 0, like the book's "
              "x <= 0 mask.")

SQRT = Op("sqrt", "√", _sqrt, (lambda out, x: power_slope(x, 0.5),),  # 1 / (2 sqrt x)
          domains="positive", sympy=lambda sp, x: sp.sqrt(x), torch=lambda t, x: t.sqrt(x),
         jax=lambda j, x: j.numpy.sqrt(x),
          doc="√x.   d/dx = 1 / (2√x), infinite at x = 0. ValueError for x < 0.")

ABS = Op("abs", "abs", abs, (lambda out, x: sign(x),), kink=lambda x: abs(x),
         sympy=lambda sp, x: sp.Abs(x), torch=lambda t, x: t.abs(x),
         jax=lambda j, x: j.numpy.abs(x),
         doc="|x|.   d/dx = sign(x), and abs'(0) = 0 (the middle of the subgradients, "
             "as in PyTorch).")

SOFTPLUS = Op("softplus", "softplus", _softplus, (lambda out, x: sigmoid(x),),
              sympy=lambda sp, x: sp.log(1 + sp.exp(x)),
              torch=lambda t, x: t.nn.functional.softplus(x),
         jax=lambda j, x: j.nn.softplus(x),
              doc="log(1 + e^x).   d/dx = sigmoid(x). Stable: softplus(800) = 800.0.")

LEAKY_RELU = Op(
    "leaky_relu", "leaky_relu", _leaky_relu,
    (lambda out, x, slope: select(x, 1.0, slope),   # 1 for x > 0, else the slope
     lambda out, x, slope: select(x, 0.0, x)),      # d/dslope = x for x <= 0
    kink=lambda x, slope: abs(x),
    sympy=lambda sp, x, slope: sp.Piecewise((x, x > 0), (slope * x, True)),
    torch=lambda t, x, slope: t.where(x > 0, x, x * slope),
         jax=lambda j, x, slope: j.numpy.where(x > 0, x, x * slope),
    doc="x for x > 0, else slope * x.   d/dx = 1 for x > 0, else slope (so at 0 it is "
        "the slope, as relu'(0) = 0); d/dslope = x for x <= 0, else 0.")

SIN = Op("sin", "sin", _sin, (lambda out, x: cos(x),),
         sympy=lambda sp, x: sp.sin(x), torch=lambda t, x: t.sin(x),
         jax=lambda j, x: j.numpy.sin(x),
         doc="sin x.   d/dx = cos x.")

COS = Op("cos", "cos", _cos, (lambda out, x: -sin(x),),
         sympy=lambda sp, x: sp.cos(x), torch=lambda t, x: t.cos(x),
         jax=lambda j, x: j.numpy.cos(x),
         doc="cos x.   d/dx = -sin x.")

MAXIMUM = Op("maximum", "max", _maximum,
             (lambda out, a, b: 0.5 + 0.5 * sign(a - b),    # 1 if a > b, 0 if a < b
              lambda out, a, b: 0.5 + 0.5 * sign(b - a)),
             kink=lambda a, b: abs(a - b),
             sympy=lambda sp, a, b: sp.Max(a, b), torch=lambda t, a, b: t.maximum(a, b),
         jax=lambda j, a, b: j.numpy.maximum(a, b),
             doc="max(a, b).   d/da = 1 where a > b, 0 where a < b; a tie splits it, "
                 "1/2 each, as PyTorch and JAX do, so maximum(x, x) has slope 1.")

MINIMUM = Op("minimum", "min", _minimum,
             (lambda out, a, b: 0.5 + 0.5 * sign(b - a),    # 1 if a < b, 0 if a > b
              lambda out, a, b: 0.5 + 0.5 * sign(a - b)),
             kink=lambda a, b: abs(a - b),
             sympy=lambda sp, a, b: sp.Min(a, b), torch=lambda t, a, b: t.minimum(a, b),
         jax=lambda j, a, b: j.numpy.minimum(a, b),
             doc="min(a, b).   d/da = 1 where a < b, 0 where a > b; a tie gives 1/2 each.")

SUM = Op("sum", "Σ", lambda *terms: total(*terms), lambda out, args, i: 1.0,  # d/dt_i = 1
         arity=None, notation="nary", inline=True,
         sympy=lambda sp, *t: sp.Add(*t), torch=lambda t, *terms: builtins.sum(terms),
         rational=True,
         doc="t_1 + ... + t_n as one node.   d/dt_i = 1.")


def dot_locals(weights: Sequence[Any], inputs: Sequence[Any], bias: bool) -> tuple:
    """The local derivatives of w . x + b, for the weights, the inputs and (if ``bias``)
    the bias, in that order: d/dw_i = x_i and d/dx_i = w_i, the halves swapped, and
    d/db = 1. ``autograd.dot``'s fast path reads them here, a whole neuron at once."""
    return (*inputs, *weights, 1.0) if bias else (*inputs, *weights)


def _dot_rule(out: Any, args: Sequence[Any], i: int) -> Any:
    # args = (w_1..w_n, x_1..x_n, b). dot_locals on the one pair (w_j, x_j) that argument i
    # belongs to gives its slope at no cost in n (a replay of a 784-input layer asks for
    # each of its 1,569 slopes one by one).
    n = len(args) // 2
    if i == 2 * n:
        return dot_locals((), (), True)[0]  # d/db
    j = i % n
    return dot_locals((args[j],), (args[j + n],), False)[i // n]  # x_j for w_j, w_j for x_j


def _dot_reference(module: Any, *args: Any) -> Any:
    n = len(args) // 2
    return builtins.sum(w * x for w, x in zip(args[:n], args[n:2 * n], strict=True)) + args[-1]


def _dot(*args: Any) -> Any:
    """(w_1..w_n, x_1..x_n, b) -> sum_i w_i x_i + b, summed as autograd.dot sums it."""
    n = len(args) // 2
    return total(*map(mul, args[:n], args[n:2 * n])) + args[-1]


DOT = Op("dot", "dot", _dot, _dot_rule, arity=None, notation="nary", inline=True,
         sympy=_dot_reference, torch=_dot_reference,
         rational=True,
         doc="w . x + b = sum_i w_i x_i + b as one node, over the arguments "
             "(w_1..w_n, x_1..x_n, b).   d/dw_i = x_i, d/dx_i = w_i, d/db = 1.")

LOGSUMEXP = Op("logsumexp", "logΣexp", _logsumexp,
               lambda out, z, i: exp(z[i] - out),   # the softmax: e^(z_i) / sum_j e^(z_j)
               arity=None, notation="nary",
               sympy=lambda sp, *z: sp.log(sp.Add(*[sp.exp(v) for v in z])),
               torch=lambda t, *z: t.logsumexp(t.stack(z), 0),
               doc="log(e^(z_1) + ... + e^(z_n)), shifted by max(z) so that nothing "
                   "overflows.   d/dz_i = softmax(z)_i = e^(z_i - out).")

# The rules above call these names; they are the ops themselves.
exp, log, sigmoid, sin, cos = EXP, LOG, SIGMOID, SIN, COS

BUILTINS: tuple[Op, ...] = (
    ADD, SUB, MUL, DIV, NEG, POW, EXP, LOG, TANH, SIGMOID, RELU, SQRT, ABS, SOFTPLUS,
    LEAKY_RELU, SIN, COS, MAXIMUM, MINIMUM, SUM, DOT, LOGSUMEXP,
)
OPS: dict[str, Op] = {op.name: op for op in BUILTINS}  # and every op register_op adds


def labelled(label: str, parents: int) -> Op | Folded | None:
    """The table's op that another engine labels ``label`` on a node with ``parents``
    inputs ("*" with two: MUL; "-" with one: NEG; "**2" with one: x ** 2), or None.

    The labels are each entry's own (``Op.labels``); a label ending in "{}" takes the
    number written there as a folded argument. Names match in any case ("ReLU", "relu").
    """
    for op in OPS.values():
        for pattern in op.labels:
            number = _label_number(pattern, label)
            if number is _NO_MATCH:
                continue
            if number is None and parents == op.arity:
                return op
            if number is not None and parents == op.arity - 1:  # x ** 2: the 2 is folded
                return Folded(op, (None, number))
    return None


_NO_MATCH = object()


def _label_number(pattern: str, label: str) -> object:
    """None if ``label`` is ``pattern`` (in any case), the number in place of the "{}"
    that ends it, or _NO_MATCH."""
    if not pattern.endswith("{}"):
        return None if label.lower() == pattern.lower() else _NO_MATCH
    head = pattern.removesuffix("{}")
    if not label.startswith(head):
        return _NO_MATCH
    try:
        return float(label[len(head):])
    except ValueError:  # "**x", or "**" alone
        return _NO_MATCH


def register_op(name: str, forward: Callable[..., float], rules: Sequence[Rule], *,
                symbol: str | None = None, domains: Sequence[str] | str = "real",
                kink: Callable | None = None, sympy: Callable | None = None,
                torch: Callable | None = None, jax: Callable | None = None,
                doc: str = "") -> Op:
    """Add an op of your own to the table, and return it (call it to apply it).

    ``forward(*args)`` computes the value on floats. ``rules`` has one function
    per argument, ``rule(out, *args)`` for d(out)/d(arg): write it with
    arithmetic and ``autograd.exp``, ``log``, ``sigmoid``, ... (or the op itself),
    which take floats, Values and Symbols alike. Your op then works in
    ``backward``, at every order, in ``autograd.compile``, in ``explain`` and
    ``draw`` (under ``symbol``), and in the hypothesis strategies (over
    ``domains``, with ``sympy`` as its reference if you give one).

        softplus = register_op("my_softplus", lambda x: math.log1p(math.exp(x)),
                               [lambda out, x: autograd.sigmoid(x)])
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"register_op: the name must be an identifier, got {name!r}")
    if name in {op.name for op in BUILTINS}:
        raise ValueError(f"register_op: {name!r} is a built-in op; choose another name")
    if not callable(forward):
        raise TypeError(f"register_op {name!r}: forward must be a function, "
                        f"got {type(forward).__name__}")
    rules = tuple(rules) if not callable(rules) else (rules,)
    if not rules or not all(callable(rule) for rule in rules):
        raise TypeError(f"register_op {name!r}: rules must be one function per argument")
    for domain in [domains] if isinstance(domains, str) else domains:
        if domain not in DOMAINS:
            raise ValueError(f"register_op {name!r}: unknown domain {domain!r}; use {DOMAINS}")
    op = Op(name, symbol or name, forward, rules, domains=domains, kink=kink, sympy=sympy,
            torch=torch, jax=jax, doc=doc or getattr(forward, "__doc__", None) or "")
    OPS[name] = op
    return op
