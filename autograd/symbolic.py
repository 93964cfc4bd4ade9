"""Symbols: numbers that print as Python source, the op table's third interpreter.

``autograd.compile`` writes a replay program by running each node's forward
function and local-derivative rules (from ``autograd.ops``) on Symbols instead
of floats. ``Symbol("v3") * Symbol("v1")`` is ``Symbol("(v3 * v1)")``, and
``ops.EXP(Symbol("v3"))`` is a call, ``_f_exp(v3)``, of the very function that
computed the value when the graph was built. So a replay repeats the eager
arithmetic operation for operation, and its numbers equal a fresh build's bit
for bit.

A Symbol also knows whether it is certainly finite (a variable, a finite
literal, or a step of relu's). The replay needs that: ``backward()`` hands
nothing on from a zero gradient, and where a local derivative may be infinite
the replay must skip it as well, rather than compute 0 x inf = NaN.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

from autograd.ops import Op, Primitive

__all__ = ["Symbol", "calls_recorded", "function_name", "source"]

# While a replay program is written, the ops whose functions it calls (see calls_recorded).
_recorders: list[dict] = []


class calls_recorded:
    """``with calls_recorded() as called:``: every op a Symbol computation calls lands in
    ``called``, so that the program's namespace can hold exactly those functions."""

    def __enter__(self) -> dict:
        _recorders.append({})
        return _recorders[-1]

    def __exit__(self, *exc_info: object) -> None:
        _recorders.pop()


def source(x: Any) -> str:
    """Python source for a Symbol or a plain number (``repr`` round-trips a float)."""
    if type(x) is Symbol:
        return x.text
    if isinstance(x, Real):
        return repr(float(x))
    raise TypeError(f"a replay program can hold Symbols and numbers, got {type(x).__name__}")


def _finite(x: Any) -> bool:
    return x.finite if type(x) is Symbol else math.isfinite(x)


def function_name(op: Any) -> str:
    """The name a replay program calls an op's (or a helper's) forward function by."""
    return f"_f_{op.name}"


class Symbol:
    """An expression in the replay program: its source text, and whether it is finite."""

    __slots__ = ("text", "finite")

    def __init__(self, text: str, finite: bool = True) -> None:
        self.text = text
        self.finite = finite

    def __repr__(self) -> str:
        return f"Symbol({self.text!r})"

    def _binary(self, other: Any, symbol: str, reflected: bool = False,
                keeps_finite: bool = True) -> Symbol:
        left, right = (other, self) if reflected else (self, other)
        finite = keeps_finite and _finite(left) and _finite(right)
        return Symbol(f"({source(left)} {symbol} {source(right)})", finite)

    def __add__(self, other: Any) -> Symbol:
        return self._binary(other, "+")

    def __radd__(self, other: Any) -> Symbol:
        return self._binary(other, "+", reflected=True)

    def __sub__(self, other: Any) -> Symbol:
        return self._binary(other, "-")

    def __rsub__(self, other: Any) -> Symbol:
        return self._binary(other, "-", reflected=True)

    def __mul__(self, other: Any) -> Symbol:
        return self._binary(other, "*")

    def __rmul__(self, other: Any) -> Symbol:
        return self._binary(other, "*", reflected=True)

    # A quotient or a power can be infinite even when both sides are finite.
    def __truediv__(self, other: Any) -> Symbol:
        return self._binary(other, "/", keeps_finite=False)

    def __rtruediv__(self, other: Any) -> Symbol:
        return self._binary(other, "/", reflected=True, keeps_finite=False)

    def __pow__(self, other: Any) -> Symbol:
        return self._binary(other, "**", keeps_finite=False)

    def __rpow__(self, other: Any) -> Symbol:
        return self._binary(other, "**", reflected=True, keeps_finite=False)

    def __neg__(self) -> Symbol:
        return Symbol(f"(-{self.text})", self.finite)

    @staticmethod
    def _interpret(function: Any, args: tuple) -> Symbol:
        """An op or a helper applied to Symbols (see ``autograd.ops``).

        An op whose forward is plain arithmetic (``inline``) is written out;
        any other is a call of its forward function. A helper is its template.
        """
        if type(function) is Primitive:
            text = function.source.format(*map(source, args), all=", ".join(map(source, args)))
            keeps = function.finite_from  # which arguments' finiteness it keeps, if any
            finite = keeps is not None and all(_finite(args[i]) for i in keeps)
            return Symbol(text, finite)
        if type(function) is Op and function.inline:
            return function.forward(*args)
        if type(function) is Op:
            function.check_arity(len(args))
            if function.forward is None:
                raise TypeError(
                    f"compile: the custom op {function.name!r} cannot be replayed: "
                    "custom_op gives only its value, not a forward function. Make it "
                    "with autograd.register_op to replay it.")
            if _recorders:
                _recorders[-1][function] = None
            return Symbol(f"{function_name(function)}({', '.join(map(source, args))})",
                          finite=False)
        raise TypeError(f"compile: cannot write {function!r} as source")
