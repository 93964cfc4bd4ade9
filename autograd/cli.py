"""``python -m autograd`` (or ``chainrule``): differentiate an expression and draw its graph.

    python -m autograd "(apple*n + orange*m)*tax" \\
        apple=100 n=2 orange=150 m=3 tax=1.1 -o out/shop.svg

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

from autograd.explain import explain
from autograd.ops import BUILTINS, POW, Op
from autograd.value import Value

__all__ = ["FUNCTIONS", "ExpressionError", "evaluate", "main", "parse_expression"]

# The functions an expression may call: the table's ops written as functions.
FUNCTIONS: dict[str, Op] = {op.name: op for op in BUILTINS if op.notation == "function"}
def _power(base: Value | float, exponent: Value | float) -> Value | float:
    # Two numbers: the table's checked power (no complex results, a named overflow).
    if isinstance(base, Value) or isinstance(exponent, Value):
        return base**exponent
    return POW(base, exponent)


_BINARY: dict[type, Callable] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: _power,
}
_ALLOWED = f"numbers, names, + - * / **, unary minus and {', '.join(FUNCTIONS)}"

# Bounds on the work: an expression is parsed only up to MAX_LENGTH characters and
# evaluated only up to MAX_NODES tree nodes, each one float operation or one node of
# the graph. Literals are floats, so ``9**9**9**9`` overflows at once rather than
# computing an integer with billions of digits.
MAX_LENGTH = 5_000
MAX_NODES = 2_000
MAX_DEPTH = 100


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
    """The expression's tree, or an ExpressionError: a syntax error, or too big to evaluate."""
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"the expression is {len(source)} characters long; "
                              f"at most {MAX_LENGTH} are allowed")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except (SyntaxError, MemoryError, RecursionError) as error:  # deep nesting: the latter two
        node = ast.Constant(0)
        node.col_offset = max(0, (getattr(error, "offset", None) or 1) - 1)
        node.end_col_offset = node.col_offset + 1
        raise ExpressionError(f"syntax error: {getattr(error, 'msg', 'too deeply nested')}",
                              node) from None
    nodes, deepest = 0, 0
    stack = [(tree.body, 1)]
    while stack:  # no recursion: the tree may be deep
        node, depth = stack.pop()
        nodes, deepest = nodes + 1, max(deepest, depth)
        if nodes > MAX_NODES or deepest > MAX_DEPTH:
            raise ExpressionError(f"the expression is too big: at most {MAX_NODES} parts, "
                                  f"nested at most {MAX_DEPTH} deep")
        stack += [(child, depth + 1) for child in ast.iter_child_nodes(node)]
    return tree


def evaluate(tree: ast.Expression, values: dict[str, Value],
             on_step: Callable[[], None] | None = None) -> Value | float:
    """Build the graph of ``tree`` over the named ``values``, refusing anything else.

    Each tree node is one step of work (``on_step`` is called once per step),
    and ``parse_expression`` has bounded the number of nodes.
    """

    def visit(node: ast.AST) -> Value | float:
        if on_step is not None:
            on_step()
        match node:
            case ast.BinOp(op=op) if type(op) in _BINARY:
                return _BINARY[type(op)](visit(node.left), visit(node.right))
            case ast.UnaryOp(op=ast.USub()):
                return -visit(node.operand)
            case ast.UnaryOp(op=ast.UAdd()):
                return visit(node.operand)
            case ast.Constant(value=value) if type(value) in (int, float):
                try:
                    return float(value)
                except OverflowError:
                    raise ExpressionError(f"a number of {len(str(value))} digits is too large "
                                          "for a float", node) from None
            case ast.Name(id=name) if name in values:
                return values[name]
            case ast.Name(id=name) if name in FUNCTIONS:
                raise ExpressionError(f"{name} is a function: call it, as in {name}(x)", node)
            case ast.Name(id=name):
                raise ExpressionError(
                    f"unknown name {name!r}: give it a value, e.g. {name}=1.5", node)
            case ast.Call(func=ast.Name(id=name), args=args, keywords=[]) if (
                    name in FUNCTIONS and len(args) == FUNCTIONS[name].arity):
                return FUNCTIONS[name](*[visit(arg) for arg in args])
            case ast.Call(func=ast.Name(id=name)) if name in FUNCTIONS:
                n = FUNCTIONS[name].arity
                raise ExpressionError(f"{name} takes {n} argument{'s' * (n != 1)}", node)
            case ast.Call():
                raise ExpressionError(
                    f"only {', '.join(FUNCTIONS)} may be called", node.func)
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


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Differentiate an expression, print each input's gradient, draw the graph.",
        epilog=f'example: {prog} "(apple*n + orange*m)*tax" '
               "apple=100 n=2 orange=150 m=3 tax=1.1 -o out/shop.svg",
    )
    parser.add_argument("expression", help=f"using {_ALLOWED}")
    parser.add_argument("values", nargs="*", type=_assignment, metavar="name=number",
                        help="each input's value, e.g. x=1.5 (each name once)")
    parser.add_argument("-o", "--output", help="diagram file: .svg, .png, .pdf, .dot or .gv")
    parser.add_argument("--show", choices=("data", "grad", "both"), default="both",
                        help="what the boxes show (default: both)")
    parser.add_argument("--rankdir", choices=("LR", "TB", "RL", "BT"), default="LR",
                        help="the drawing's direction (default: LR, as in the book)")
    parser.add_argument("--explain", action="store_true", help="print the backward walk-through")
    return parser


def main(argv: Sequence[str] | None = None, prog: str = "chainrule") -> int:
    parser = _parser(prog)
    args = parser.parse_args(argv)
    formats = (".svg", ".png", ".pdf", ".dot", ".gv")
    if args.output and not args.output.lower().endswith(formats):
        parser.error(f"--output: use a .svg, .png, .pdf, .dot or .gv file, got {args.output!r}")
    names = [name for name, _ in args.values]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        parser.error(f"each name may be given once; repeated: {', '.join(repeated)}")

    values = dict(args.values)
    source = args.expression.strip()
    try:
        result = evaluate(parse_expression(source), values)
    except ExpressionError as error:
        print(f"{parser.prog}: error: {error.pointing_at(source)}", file=sys.stderr)
        return 2
    except (ArithmeticError, ValueError, TypeError) as error:
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
        from autograd.diagram import GraphvizNotFound, draw  # graphviz loads only to draw

        try:
            path = draw(result, show=args.show, rankdir=args.rankdir).write(args.output)
        except GraphvizNotFound as error:
            print(f"{parser.prog}: error: {error}", file=sys.stderr)
            return 1
        print(f"wrote {path}")
    return 0
