"""Value's fast paths, written from the op table.

The ops a training step runs most (``+ - * /``, ``**``, exp, log, tanh,
sigmoid, relu) get a method of their own on ``Value``: the op's arithmetic
written out, without ``apply``'s calls. Those methods are not written by hand.
An entry of the table says which forms it wants (``Op.fast``), and this module
writes each one from the entry's own forward function and rules, run on
Symbols (``autograd.symbolic``) as a replay is written. So a rule lives in one
place, the table, and a fast path cannot drift from it.

    print(autograd.fastpaths.source())      # the methods, as Python reads them

The forms (``Op.fast``, one of ``ops.FAST_FORMS``):

* ``"values"``: ``x op y`` for two Values (``__mul__`` with a Value);
* ``"left"``: ``x op k`` with a number k folded in (``x * 3``);
* ``"right"``: ``k op x`` (``3 * x``, ``__rmul__``);
* ``"method"``: ``x.name()`` for a one-argument op (``x.exp()``), or ``-x`` for a
  prefix operator.

An operator with "left" but not "values" hands a Value operand to a method of
Value's own, ``_<name>_by_value`` (``x ** y`` checks its base first).

A rule that depends only on the folded number (``d(x * k)/dx = k``) is computed
once per number, by ``Value``'s fold cache; one that reads the node's value or
output is computed for each node. A rule that is a constant (``d(x + y)/dx =
1``) is one tuple shared by every node.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable

from autograd.ops import PRIMITIVES, Op
from autograd.symbolic import Symbol, calls_recorded, function_name
from autograd.symbolic import source as source_of

__all__ = ["FILENAME", "method_names", "per_term", "run", "source", "written"]


def method_names(op: Op) -> dict[str, str]:
    """The Value method each of ``op``'s fast forms is: {"values": "__mul__", ...}."""
    if op.python_operator is None:
        return {"method": op.name}
    base = op.python_operator.__name__  # operator.mul -> "mul", operator.truediv -> "truediv"
    if op.notation == "prefix":
        return {"method": f"__{base}__"}
    return {"values": f"__{base}__", "left": f"__{base}__", "right": f"__r{base}__"}


class _Traced:
    """An op's forward and rules on Symbols, as Python source."""

    def __init__(self, op: Op, names: tuple[str, ...]) -> None:
        # (the ops whose functions the source calls land in the caller's calls_recorded)
        symbols = [Symbol(name) for name in names]
        self.forward = source_of(op(*symbols))
        out = Symbol("out")
        self.rules = [op.derivative(i, out, symbols) for i in range(len(names))]

    def rule(self, slot: int) -> str:
        return source_of(self.rules[slot])

    def constant(self, slot: int) -> bool:
        """The rule is a plain number: the same for every node."""
        return type(self.rules[slot]) is not Symbol

    def reads(self, slot: int, name: str) -> bool:
        return re.search(rf"\b{name}\b", self.rule(slot)) is not None


def _locals(traced: _Traced, slots: Iterable[int], shared: str) -> str:
    """The statement that sets ``local``: a shared constant tuple, or one per node."""
    slots = list(slots)
    if all(traced.constant(i) for i in slots):
        return f"local = {shared}"
    rules = [traced.rule(i) for i in slots]
    if len(rules) == 1:
        return f"local = {_one_tuple(ast.parse(rules[0], mode='eval').body)}"
    return f"local = ({', '.join(rules)})"


def _one_tuple(rule: ast.expr) -> str:
    """``(rule,)``, with a conditional's tuple taken into each branch: relu's
    ``((1.0,) if x > 0 else (0.0,) if x <= 0 else (nan,))`` makes no tuple per node,
    since Python keeps a tuple of constants as one constant."""
    if isinstance(rule, ast.IfExp):
        return (f"({_one_tuple(rule.body)} if {ast.unparse(rule.test)} "
                f"else {_one_tuple(rule.orelse)})")
    return f"({ast.unparse(rule)},)"


def _guarded(name: str, operands: str, body: list[str], numbers: str) -> list[str]:
    """``body`` inside the errors every fast path names: a ``.data`` that is not a number
    (named by the operand that holds it), and, where the body itself divides, a division
    by zero (named by the op). A function it calls names its own (``0.0 ** -1``'s power)."""
    divides = any(isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)
                  for node in ast.walk(ast.parse("\n".join(body))))
    zero = (["    except ZeroDivisionError:",
             f"        raise _division_by_zero({name!r}, {numbers}) from None"]
            if divides else [])
    return (["    try:"] + [f"        {line}" for line in body] +
            ["    except TypeError:",
             f"        raise _not_a_number({name!r}, {operands}) from None"] + zero)


def _returned(indent: str, parents: str, op: str, checked: bool) -> list[str]:
    """Make the node; ``checked``: first see that Python's arithmetic gave a float."""
    check = [f"{indent}if type(out) is not float:",
             f"{indent}    out = _a_number(out, {op}, {parents.strip('()').rstrip(',')})"]
    return (check if checked else []) + [f"{indent}return _node(out, {parents}, local, {op})"]


def _method(op: Op, ref: str, make: bool, method: str) -> list[str]:
    traced = _Traced(op, ("x",))
    body = _branches(traced.forward, traced.rule(0)) if not traced.constant(0) else None
    if body is None:
        body = [f"out = {traced.forward}", _locals(traced, [0], f"{ref}_constant")]
    return ([f"def {method}(self):", "    x = self.data"] +
            _guarded(op.name, "self", body, "(x,)") +
            _returned("    ", "(self,)", ref, make))


def _branches(forward: str, rule: str) -> list[str] | None:
    """A forward and a rule that branch on the same tests (relu's ``select``), written
    as one ``if`` chain, so each test runs once; None if they do not."""
    value, slope = ast.parse(forward, mode="eval").body, ast.parse(rule, mode="eval").body
    lines, keyword = [], "if"
    while isinstance(value, ast.IfExp) and isinstance(slope, ast.IfExp):
        if ast.dump(value.test) != ast.dump(slope.test):
            return None
        lines += [f"{keyword} {ast.unparse(value.test)}:",
                  f"    out = {ast.unparse(value.body)}",
                  f"    local = {_one_tuple(slope.body)}"]
        value, slope, keyword = value.orelse, slope.orelse, "elif"
    if not lines or isinstance(value, ast.IfExp) or isinstance(slope, ast.IfExp):
        return None
    return lines + ["else:", f"    out = {ast.unparse(value)}",
                    f"    local = {_one_tuple(slope)}"]


def _values(op: Op, ref: str, make: bool) -> list[str]:
    traced = _Traced(op, ("x", "y"))
    return (["    if type(other) is Value:", "        x = self.data", "        y = other.data"] +
            ["    " + line for line in _guarded(
                op.name, "self, other", [f"out = {traced.forward}",
                                         _locals(traced, [0, 1], f"{ref}_constant")],
                "(x, y)")] +
            _returned("        ", "(self, other)", ref, make))


def _folded(op: Op, ref: str, make: bool, slot: int) -> list[str]:
    """``x op k`` (slot 0: the Value on the left) or ``k op x`` (slot 1)."""
    names = ("x", "k") if slot == 0 else ("k", "x")
    traced = _Traced(op, names)
    layout = "(None, k)" if slot == 0 else "(k, None)"
    # Computed once per number (by _folded) when the rule reads neither x nor the output.
    once = not (traced.reads(slot, "x") or traced.reads(slot, "out"))
    fold = (f"    op, local = _folded({ref}, {layout}, True)" if once else
            f"    op, _ = _folded({ref}, {layout}, False)")
    body = [f"out = {traced.forward}"] + ([] if once else [_locals(traced, [slot], "")])
    return ([f"    k = other if type(other) is float else real({op.name!r}, other)",
             "    x = self.data"] +
            _guarded(op.name, "self", body, f"({', '.join(names)})") +
            [fold] + _returned("    ", "(self,)", "op", make))


def _operator(op: Op, ref: str, make: bool, methods: dict[str, str]) -> list[list[str]]:
    written = []
    if "left" in op.fast or "values" in op.fast:
        lines = [f"def {methods['left']}(self, other):"]
        if "values" in op.fast:
            lines += _values(op, ref, make)
        else:  # a Value on the right: Value's own method for it
            lines += ["    if type(other) is Value:",
                      f"        return self._{op.name}_by_value(other)"]
        lines += _folded(op, ref, make, 0)
        written.append(lines)
    if "right" in op.fast:
        written.append([f"def {methods['right']}(self, other):"] + _folded(op, ref, make, 1))
    return written


def written(ops: Iterable[Op]) -> tuple[str, dict[str, object], dict[str, Op]]:
    """The fast paths of ``ops`` (those with ``fast`` forms): their source, the names that
    source needs besides Value's own module (each op, its constants and the functions it
    calls), and the methods it defines, each with its op."""
    chunks: list[list[str]] = []
    names: dict[str, object] = {name: f for helper in PRIMITIVES
                                for name, f in helper.calls.items()}
    methods: dict[str, Op] = {}
    with calls_recorded() as called:
        for op in ops:
            if not op.fast:
                continue
            ref = f"_op_{op.name}"
            # Python's arithmetic on a .data that is not a float may give an int, a str or
            # an array: an inline op's result is checked (one type() when it is fine).
            make = op.inline
            names[ref] = op
            constants = _constants(op)
            if constants is not None:
                names[f"{ref}_constant"] = constants
            named = method_names(op)
            if "method" in op.fast:
                chunks.append(_method(op, ref, make, named["method"]))
            else:
                chunks += _operator(op, ref, make, named)
            methods.update({named[form]: op for form in op.fast})
    names.update({function_name(f): f.forward for f in called})
    text = "\n\n".join("\n".join(lines) for lines in chunks) + "\n"
    return text, names, methods


def _constants(op: Op) -> tuple | None:
    """The op's local derivatives when every rule is a constant (add: (1.0, 1.0)), from the
    rules themselves; None otherwise."""
    traced = _Traced(op, tuple(f"a{i}" for i in range(op.arity or 0)))
    if traced.rules and all(traced.constant(i) for i in range(len(traced.rules))):
        return tuple(float(rule) for rule in traced.rules)
    return None


def per_term(op: Op) -> Callable[[float, list[float]], tuple]:
    """For a variadic op whose rule for a term reads only that term and the output
    (logsumexp's softmax, e^(z_i - out)): ``f(out, terms)``, every term's local
    derivative at once, written from the rule. Any other rule is refused by name."""
    with calls_recorded() as called:
        out = Symbol("out")
        alone = source_of(op.derivative(0, out, [Symbol("v")]))
        among = source_of(op.derivative(1, out, [Symbol("a"), Symbol("v"), Symbol("b")]))
    if alone != among:
        raise ValueError(f"op {op.name!r}: its rule for a term reads other terms, so it has "
                         "no per-term fast path")
    text = f"def {op.name}_terms(out, data):\n    return tuple([{alone} for v in data])\n"
    namespace = {function_name(f): f.forward for f in called}
    exec(compile(text, f"<autograd.fastpaths: {op.name}>", "exec"), namespace)  # noqa: S102
    return namespace[f"{op.name}_terms"]


FILENAME = "autograd.fastpaths.source()"  # what a traceback through a fast path names
_source: list[str] = []


def source() -> str:
    """The fast paths' Python source, as ``Value`` runs them."""
    return _source[0] if _source else ""


class _Loader:
    """Gives ``linecache`` the source again whenever it asks, so a traceback through a
    fast path shows its lines even after a cache clear (``linecache.lazycache``)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def get_source(self, name: str) -> str:
        return self.text


def run(text: str, names: dict[str, object]) -> dict[str, object]:
    """Run the fast paths' source in ``names`` (the names it reads) and return that
    namespace, which then holds the methods; keep the source for ``source()``."""
    _source[:] = [text]
    # (``__name__`` stays the caller's: a method is pickled by its module and name)
    namespace = {**names, "__loader__": _Loader(text)}
    exec(compile(text, FILENAME, "exec"), namespace)  # noqa: S102 (the table's own source)
    return namespace
