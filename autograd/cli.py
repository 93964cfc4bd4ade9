"""``python -m autograd.draw``: differentiate an expression and draw its graph.

    python -m autograd.draw "(apple*n + orange*m)*tax" \\
        apple=100 n=2 orange=150 m=3 tax=1.1 -o shop.svg

The expression is parsed with ``ast`` and evaluated by walking the tree.
It is never passed to ``eval``. Only numbers, the given names,
``+ - * / **``, unary minus and the functions exp, log, tanh, sigmoid and
relu are allowed. Anything else (a call to anything else, an attribute, a
subscript, an unknown name) exits with code 2 and a caret under the part
that was refused.
"""

from __future__ import annotations

import argparse
import ast
import operator
import sys
from collections.abc import Callable, Sequence

from autograd.diagram import FORMATS, GraphvizNotFound, draw
from autograd.explain import explain
from autograd.value import Value

__all__ = ["ExpressionError", "main", "parse_expression"]

FUNCTIONS = ("exp", "log", "tanh", "sigmoid", "relu")
_BINARY: dict[type, Callable] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow,
}
_ALLOWED = "numbers, names, + - * / **, unary minus and exp/log/tanh/sigmoid/relu"


class ExpressionError(ValueError):
    """A refused part of the expression, with where it is."""

    def __init__(self, message: str, node: ast.AST | None = None) -> None:
        super().__init__(message)
        self.start = getattr(node, "col_offset", None)
        self.end = getattr(node, "end_col_offset", None)

    def pointing_at(self, source: str) -> str:
        """The message with the source and a caret line under the offending part."""
        if self.start is None:
            return str(self)
        width = max(1, (self.end or self.start + 1) - self.start)
        return f"{self}\n  {source}\n  {' ' * self.start}{'^' * width}"


def parse_expression(source: str) -> ast.Expression:
    try:
        return ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        node = ast.Constant(0)
        node.col_offset = max(0, (error.offset or 1) - 1)
        node.end_col_offset = node.col_offset + 1
        raise ExpressionError(f"syntax error: {error.msg}", node) from None


def evaluate(tree: ast.Expression, values: dict[str, Value]) -> Value | float:
    """Build the graph of ``tree`` over the named ``values``, refusing anything else."""

    def visit(node: ast.AST) -> Value | float:
        match node:
            case ast.BinOp(op=op) if type(op) in _BINARY:
                return _BINARY[type(op)](visit(node.left), visit(node.right))
            case ast.UnaryOp(op=ast.USub()):
                return -visit(node.operand)
            case ast.UnaryOp(op=ast.UAdd()):
                return visit(node.operand)
            case ast.Constant(value=value) if type(value) in (int, float):
                return value
            case ast.Name(id=name) if name in values:
                return values[name]
            case ast.Name(id=name) if name in FUNCTIONS:
                raise ExpressionError(f"{name} is a function: call it, as in {name}(x)", node)
            case ast.Name(id=name):
                raise ExpressionError(
                    f"unknown name {name!r}: give it a value, e.g. {name}=1.5", node)
            case ast.Call(func=ast.Name(id=name), args=[arg], keywords=[]) if name in FUNCTIONS:
                inner = visit(arg)
                if not isinstance(inner, Value):
                    inner = Value(inner)
                return getattr(inner, name)()
            case ast.Call():
                raise ExpressionError(
                    f"only {', '.join(FUNCTIONS)} may be called, with one argument", node.func)
            case ast.Attribute():
                raise ExpressionError("attribute access is not allowed", node)
            case _:
                raise ExpressionError(
                    f"{type(node).__name__} is not allowed; use {_ALLOWED}", node)

    return visit(tree.body)


def _assignment(text: str) -> tuple[str, Value]:
    name, sep, number = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected name=number, got {text!r}")
    try:
        return name, Value(float(number), name)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}: {number!r} is not a number") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograd.draw",
        description="Differentiate an expression, print each input's gradient, draw the graph.",
        epilog='example: python -m autograd.draw "(apple*n + orange*m)*tax" '
               "apple=100 n=2 orange=150 m=3 tax=1.1 -o shop.svg",
    )
    parser.add_argument("expression", help=f"using {_ALLOWED}")
    parser.add_argument("values", nargs="*", type=_assignment, metavar="name=number")
    parser.add_argument("-o", "--output", help="diagram file: .svg, .png, .pdf, .dot or .gv")
    parser.add_argument("--show", choices=("data", "grad", "both"), default="both")
    parser.add_argument("--rankdir", choices=("LR", "TB", "RL", "BT"), default="LR")
    parser.add_argument("--explain", action="store_true", help="print the backward walk-through")
    args = parser.parse_args(argv)
    if args.output and not args.output.lower().endswith((*FORMATS, ".dot", ".gv")):
        parser.error(f"--output: use a .svg, .png, .pdf, .dot or .gv file, got {args.output!r}")

    values = dict(args.values)
    source = args.expression.strip()
    try:
        result = evaluate(parse_expression(source), values)
    except ExpressionError as error:
        print(f"{parser.prog}: error: {error.pointing_at(source)}", file=sys.stderr)
        return 2
    except (ArithmeticError, ValueError) as error:
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 2
    if not isinstance(result, Value) or not result.parents and result not in values.values():
        print(f"{parser.prog}: error: the expression uses no names, so it has no inputs "
              "to differentiate", file=sys.stderr)
        return 2

    result.backward()
    print(f"{source} = {result.data!r}")
    width = max(len(name) for name in values)
    for name, value in values.items():
        print(f"d/d{name:<{width}} = {value.grad!r}")
    if args.explain:
        print()
        print(explain(result), end="")
    if args.output:
        try:
            path = draw(result, show=args.show, rankdir=args.rankdir).write(args.output)
        except GraphvizNotFound as error:
            print(f"{parser.prog}: error: {error}", file=sys.stderr)
            return 1
        print(f"wrote {path}")
    return 0
