"""``python -m autograd`` (or ``chainrule``): differentiate an expression and draw its graph.

    python -m autograd "(apple*n + orange*m)*tax" \\
        apple=100 n=2 orange=150 m=3 tax=1.1 -o out/shop.svg

The expression is parsed with ``ast`` and evaluated by walking the tree.
It is never passed to ``eval``. Only numbers, the given names,
``+ - * / **``, unary minus and the op table's functions (``FUNCTIONS``: exp,
log, tanh, sigmoid, relu, sqrt, abs, softplus, leaky_relu, sin, cos, maximum,
minimum) are allowed. Anything else (a call to anything else, an attribute, a
subscript, an unknown name) exits with code 2 and a caret under the part
that was refused. ``tests/test_cli.py`` checks that this list is the table's.
"""

from __future__ import annotations

import argparse
import ast
import io
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from autograd.anomaly import describe, first_not_finite
from autograd.backprop import topological_order
from autograd.explain import display_width, explain
from autograd.language import LANGUAGES, check_language, text
from autograd.naming import node_names
from autograd.ops import BUILTINS, Op
from autograd.style import RANKDIRS, SHOW, Style
from autograd.value import Value

__all__ = [
    "FUNCTIONS", "ExpressionError", "LocalizedParser", "evaluate", "language_in", "main",
    "parse_expression", "quiet_stdout", "run_quietly",
]

# The functions an expression may call: the table's ops written as functions.
FUNCTIONS: dict[str, Op] = {op.name: op for op in BUILTINS if op.notation == "function"}

# The operators an expression may use: Python's syntax (ast's node for each) against the
# table's spelling of its ops (``Op.python``), so which op ``a ** b`` is, the table says.
_SPELLINGS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_BINARY: dict[type, Op] = {node: op for node, spelling in _SPELLINGS.items()
                           for op in BUILTINS if op.notation == "infix" and op.python == spelling}


def _binary(op: Op, left: Value | float, right: Value | float) -> Value | float:
    """``left op right``: with a Value, Python's operator (the Value's fast path, the node a
    user's own code makes); on two numbers, the table's forward, which refuses a complex
    power and names an overflow."""
    # equivalent mutants: the table's op on a Value makes the same node as its operator
    if isinstance(left, Value) or isinstance(right, Value):  # pragma: no mutate
        return op.python_operator(left, right)
    return op(left, right)


def _allowed(lang: str) -> str:
    """What an expression may use, in ``lang``: numbers, names, + - * / **, ..."""
    return text(lang, "cli_allowed", functions=", ".join(FUNCTIONS))

# Bounds on the work: an expression is parsed only up to MAX_LENGTH characters and
# evaluated only up to MAX_NODES tree nodes, each one float operation or one node of
# the graph. Literals are floats, so ``9**9**9**9`` overflows at once rather than
# computing an integer with billions of digits.
MAX_LENGTH = 5_000
MAX_NODES = 2_000
MAX_DEPTH = 100
CONTEXT = 30  # characters shown on each side of a refused part, and carets at most
MAX_SHOWN_NAME = 40  # columns: a longer expression's result is named "output" (출력, 出力)


class ExpressionError(ValueError):
    """A refused part of the expression, with where it is.

    ``key`` and ``fields`` name the message in ``autograd.language``; ``str()`` is
    the English one, ``message(lang)`` any other.
    """

    def __init__(self, key: str, node: ast.AST | None = None, **fields: object) -> None:
        super().__init__(text("en", key, **fields))
        self.key, self.fields = key, fields
        # ast gives columns in UTF-8 bytes; 사과 is 6 bytes but 2 characters
        self.start = getattr(node, "col_offset", None)
        self.end = getattr(node, "end_col_offset", None)

    def message(self, lang: str = "en") -> str:
        fields = dict(self.fields)
        if "allowed_lang" in fields:  # the list of what is allowed, in the message's language
            fields["allowed"] = fields.pop("allowed_lang")(lang)
        return text(lang, self.key, **fields)

    def pointing_at(self, source: str, lang: str = "en") -> str:
        """The message with the source and a caret line under the offending part, placed
        by display width, so that it stands under Korean and Japanese names too."""
        if self.start is None:
            return self.message(lang)
        # equivalent mutants: codec names are case-blind, and ast's offsets into the stripped
        # source it parsed fall on character boundaries, so "replace" never replaces
        encoded = source.encode("utf-8")  # pragma: no mutate
        # equivalent mutants: as above
        before = encoded[: self.start].decode("utf-8", "replace")  # pragma: no mutate
        # equivalent mutants: as above, and max() makes end or 0/1 alike
        end = max(self.end or 0, self.start + 1)  # pragma: no mutate
        refused = encoded[self.start: end].decode("utf-8", "replace")  # pragma: no mutate
        # A long expression is shown as a window around the refused part, so that neither
        # line runs past a terminal's width (5,000 characters would be 60 lines each).
        first = max(0, len(before) - CONTEXT)
        last = min(len(source), len(before) + min(len(refused), CONTEXT) + CONTEXT)
        shown = ("…" if first else "") + source[first:last] + ("…" if last < len(source) else "")
        lead = ("…" if first else "") + source[first:len(before)]
        carets = "^" * max(1, display_width(refused[:CONTEXT]))
        return f"{self.message(lang)}\n  {shown}\n  {' ' * display_width(lead)}{carets}"


def _syntax_error_column(source: str, offset: int | None) -> int:
    """A SyntaxError's 1-based offset, in characters, as a 0-based column in UTF-8 bytes
    (the unit of ast's columns). Python gives offset 0 for an input that ends too soon
    (``x *``): the caret then goes just past the end."""
    column = offset - 1 if offset else len(source)
    return len(source[:column].encode("utf-8"))


def parse_expression(source: str) -> ast.Expression:
    """The expression's tree, or an ExpressionError: a syntax error, or too big to evaluate."""
    if len(source) > MAX_LENGTH:
        raise ExpressionError("expr_too_long", length=len(source), limit=MAX_LENGTH)
    stripped = source.strip()
    try:
        tree = ast.parse(stripped, mode="eval")
    except (SyntaxError, MemoryError, RecursionError) as error:  # deep nesting: the latter two
        # equivalent mutants: the placeholder node carries only the columns
        node = ast.Constant(0)  # pragma: no mutate
        node.col_offset = _syntax_error_column(stripped, getattr(error, "offset", None))
        # equivalent mutants: pointing_at takes max(end, start + 1)
        node.end_col_offset = node.col_offset + 1  # pragma: no mutate
        raise ExpressionError("expr_syntax", node,
                              detail=getattr(error, "msg", "too deeply nested")) from None
    # equivalent mutants: every depth is at least 1
    nodes, deepest = 0, 0  # pragma: no mutate
    stack = [(tree.body, 1)]
    while stack:  # no recursion: the tree may be deep
        node, depth = stack.pop()
        nodes, deepest = nodes + 1, max(deepest, depth)
        if nodes > MAX_NODES:
            raise ExpressionError("expr_too_many_parts", limit=MAX_NODES)
        if deepest > MAX_DEPTH:
            raise ExpressionError("expr_too_deep", limit=MAX_DEPTH)
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
        result = part(node)
        if type(result) is float and not math.isfinite(result):
            # numbers alone (9**9**9**9, 1e309): refused where they overflow, by a caret
            raise ExpressionError("expr_overflow", node, value=repr(result))
        return result

    def part(node: ast.AST) -> Value | float:
        match node:
            case ast.BinOp(op=op) if type(op) in _BINARY:
                return _binary(_BINARY[type(op)], visit(node.left), visit(node.right))
            case ast.UnaryOp(op=ast.USub()):
                return -visit(node.operand)
            case ast.UnaryOp(op=ast.UAdd()):
                return visit(node.operand)
            case ast.Constant(value=value) if type(value) in (int, float):
                try:
                    return float(value)
                except OverflowError:
                    raise ExpressionError("expr_big_literal", node,
                                          digits=len(str(value))) from None
            case ast.Name(id=name) if name in values:
                return values[name]
            case ast.Name(id=name) if name in FUNCTIONS:
                raise ExpressionError("expr_call_it", node, name=name)
            case ast.Name(id=name):
                raise ExpressionError("expr_unknown_name", node, name=name)
            case ast.Call(func=ast.Name(id=name), args=args, keywords=[]) if (
                    name in FUNCTIONS and len(args) == FUNCTIONS[name].arity):
                return FUNCTIONS[name](*[visit(arg) for arg in args])
            case ast.Call(func=ast.Name(id=name)) if name in FUNCTIONS:
                n = FUNCTIONS[name].arity
                raise ExpressionError("expr_arity", node, name=name, n=n, plural="s" * (n != 1))
            case ast.Call():
                raise ExpressionError("expr_only_calls", node.func, functions=", ".join(FUNCTIONS))
            case ast.Attribute():
                raise ExpressionError("expr_attribute", node)
            case _:
                raise ExpressionError("expr_not_allowed", node, kind=type(node).__name__,
                                      allowed=_allowed("en"), allowed_lang=_allowed)

    return visit(tree.body)


def _assignment(lang: str) -> Callable[[str], tuple[str, Value]]:
    def parse(argument: str) -> tuple[str, Value]:
        name, sep, number = argument.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise argparse.ArgumentTypeError(text(lang, "cli_assignment", text=argument))
        try:
            value = float(number)
        except ValueError:
            raise argparse.ArgumentTypeError(
                text(lang, "cli_not_a_number", name=name, number=number)) from None
        if not math.isfinite(value):  # nan, inf, and 1e309, which float() makes inf
            raise argparse.ArgumentTypeError(text(
                lang, "cli_not_finite_input", name=name, number=number.strip(), value=value))
        return name, Value(value, name)

    return parse


class LocalizedParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks ``lang``, argparse's own words too: "usage:", the
    section titles, -h's help and the errors it raises (a missing argument, an unknown
    option, a bad choice), each through ``autograd.language``."""

    _ERRORS = (  # argparse's English messages, as Python 3.10 to 3.13 word them
        (re.compile(r"the following arguments are required: (?P<names>.*)"),
         "argparse_required"),
        (re.compile(r"unrecognized arguments: (?P<names>.*)"), "argparse_unrecognized"),
        (re.compile(r"argument (?P<argument>.+?): invalid choice: (?P<value>.+?) "
                    r"\(choose from (?P<choices>.*)\)"), "argparse_invalid_choice"),
        (re.compile(r"argument (?P<argument>.+?): expected one argument"),
         "argparse_expected_one"),
        (re.compile(r"argument (?P<argument>.+?): (?P<message>.*)", re.S), "argparse_argument"),
    )

    def __init__(self, *args: object, lang: str = "en", **kwargs: object) -> None:
        self.lang = lang
        prefix = text(lang, "argparse_usage")
        base = kwargs.pop("formatter_class", argparse.HelpFormatter)

        class Formatter(base):  # "usage: " in the parser's language
            def add_usage(self, usage, actions, groups, prefix_=None):
                super().add_usage(usage, actions, groups, prefix_ or prefix)

        super().__init__(*args, formatter_class=Formatter, add_help=False, **kwargs)
        self._positionals.title = text(lang, "argparse_positionals")
        self._optionals.title = text(lang, "argparse_options")
        self.add_argument("-h", "--help", action="help", help=text(lang, "argparse_help"))

    def error(self, message: str) -> None:
        """Print the usage and the message in the parser's language; exit with code 2."""
        for pattern, key in self._ERRORS:
            match = pattern.fullmatch(message)
            if match:
                message = text(self.lang, key, **match.groupdict())
                break
        self.print_usage(sys.stderr)
        self.exit(2, text(self.lang, "cli_error", prog=self.prog, message=message) + "\n")


def _language(argv: Sequence[str] | None, prog: str) -> str:
    """``--lang`` read first, so that the help and every message come in that language."""
    early = argparse.ArgumentParser(prog=prog, add_help=False)
    early.add_argument("--lang", default="en")
    lang = early.parse_known_args(argv)[0].lang
    try:
        return check_language(lang, "--lang")
    except ValueError as error:
        early.error(str(error))
        raise  # not reached: error() exits with code 2


def _parser(prog: str, lang: str) -> argparse.ArgumentParser:
    def say(key: str, **fields: object) -> str:
        return text(lang, key, **fields)

    parser = LocalizedParser(
        prog=prog, lang=lang, description=say("cli_description"),
        epilog=f'{say("cli_example")}: {prog} "(apple*n + orange*m)*tax" '
               "apple=100 n=2 orange=150 m=3 tax=1.1 -o out/shop.svg\n\n"
               f'{say("cli_exit_codes")}',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("expression", metavar=say("cli_metavar_expression"),
                        help=say("cli_help_expression", allowed=_allowed(lang)))
    parser.add_argument("values", nargs="*", type=_assignment(lang),
                        metavar=say("cli_metavar_values"), help=say("cli_help_values"))
    parser.add_argument("-o", "--output", metavar=say("cli_metavar_output"),
                        help=say("cli_help_output"))
    parser.add_argument("--show", choices=SHOW, default=Style.show,
                        help=say("cli_help_show"))
    parser.add_argument("--rankdir", choices=RANKDIRS, default=Style.rankdir,
                        help=say("cli_help_rankdir"))
    parser.add_argument("--explain", action="store_true", help=say("cli_help_explain"))
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help=say("cli_help_lang", languages=", ".join(LANGUAGES)))
    return parser


def _result(parser: argparse.ArgumentParser, source: str, values: dict[str, Value],
            lang: str) -> Value | None:
    """The expression's graph, or None after printing why it is refused."""
    def fail(message: str) -> None:
        print(text(lang, "cli_error", prog=parser.prog, message=message), file=sys.stderr)

    try:
        result = evaluate(parse_expression(source), values)
    except ExpressionError as error:
        return fail(error.pointing_at(source, lang))
    except (ArithmeticError, ValueError, TypeError) as error:
        return fail(str(error))  # the engine's own messages are in English
    if not isinstance(result, Value) or not result.parents and result not in values.values():
        return fail(text(lang, "cli_no_inputs"))
    return result


# The options that take a value, and the flags, as _parser defines them (a test checks).
VALUE_OPTIONS = frozenset({"-o", "--output", "--show", "--rankdir", "--lang"})
FLAG_OPTIONS = frozenset({"-h", "--help", "--explain"})


def _is_option(arg: str) -> bool:
    """-o, -oFILE, --lang=ko, or an abbreviation argparse accepts (--exp); not --x."""
    if arg[:2] in ("-h", "-o"):
        return True
    name = arg.split("=", 1)[0]
    return len(name) > 2 and any(option.startswith(name) for option in
                                 VALUE_OPTIONS | FLAG_OPTIONS if option.startswith("--"))


def _shield_expression(argv: Sequence[str]) -> list[str]:
    """argv with a space before an expression that starts with a minus (``-x * y``):
    argparse would take it for an option. ``parse_expression`` strips the space."""
    args, i = list(argv), 0
    while i < len(args) and _is_option(args[i]):
        i += 2 if args[i] in VALUE_OPTIONS else 1  # an option, and its value if it takes one
    if i < len(args) and args[i].startswith("-") and args[i] != "--":  # -- marks it already
        args[i] = " " + args[i]
    return args


def quiet_stdout() -> None:
    """After a BrokenPipeError (``... | head``): stdout goes to devnull, so that Python's
    flush at exit prints no traceback (the recipe of Python's signal module docs)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (a test's stand-in): nothing will flush it


def language_in(argv: Sequence[str]) -> str:
    """The language ``--lang X`` (or ``--lang=X``) asks for in ``argv``, else English; for
    the words said before, or instead of, parsing (Ctrl-C), so it never refuses."""
    for i, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        if value in LANGUAGES:
            return value
    return "en"


def run_quietly(command: Callable[[], int | None], name: str,
                argv: Sequence[str] | None = None) -> int:
    """Run a command-line program's body: Ctrl-C ends it with one line (``name:
    interrupted``, in the language ``--lang`` in ``argv`` names) and exit 130, and a reader
    that leaves early (``| head``) quietly, with exit 1; neither prints a traceback. The
    demos, ``chainrule`` and ``python -m nn.exercises`` end this way."""
    try:
        return command() or 0
    except KeyboardInterrupt:
        lang = language_in(sys.argv[1:] if argv is None else argv)
        print(f"{name}: {text(lang, 'interrupted')}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        quiet_stdout()
        return 1


def main(argv: Sequence[str] | None = None, prog: str = "chainrule") -> int:
    """The command: 0 when it printed the gradients, 2 for a refused expression or
    argument, 1 when the result is not finite, the diagram could not be rendered or the
    reader left early (``| head``, quietly), 130 on Ctrl-C (one line)."""
    return run_quietly(lambda: _command(argv, prog), prog, argv)


def _command(argv: Sequence[str] | None, prog: str) -> int:
    argv = _shield_expression(sys.argv[1:] if argv is None else argv)
    lang = _language(argv, prog)
    parser = _parser(prog, lang)
    args = parser.parse_args(argv)
    if args.output:
        _check_output(parser, args.output, lang)
    names = [name for name, _ in args.values]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        parser.error(text(lang, "cli_repeated", names=", ".join(repeated)))

    values = dict(args.values)
    source = args.expression.strip()
    result = _result(parser, source, values, lang)
    if result is None:
        return 2
    if result.parents and result.name is None:  # a leaf keeps its own name
        short = display_width(source) <= MAX_SHOWN_NAME
        result.name = source if short else text(lang, "cli_output_name")
    result.backward()
    print(f"{source} = {result.data!r}")
    width = max(display_width(name) for name in values)
    for name, value in values.items():
        print(f"d/d{name}{' ' * (width - display_width(name))} = {value.grad!r}")
    if args.explain:
        print()
        print(explain(result, lang=lang, max_rows=None), end="")  # MAX_NODES bounds it
    status = 0
    if args.output:
        status = _draw(parser, result, args, lang)
    return max(status, _finite_or_said(parser, result, lang))


def _draw(parser: argparse.ArgumentParser, result: Value, args: argparse.Namespace,
          lang: str) -> int:
    """Write the diagram: 0, or 1 without dot, or 2 when the path cannot be written."""
    from autograd.diagram import GraphvizNotFound, draw  # graphviz loads only to draw

    try:
        target = Path(args.output)
        target.parent.mkdir(parents=True, exist_ok=True)  # inside the working folder only
        style = Style(show=args.show, rankdir=args.rankdir)
        path = draw(result, style=style, lang=lang).write(target)
    except GraphvizNotFound as error:
        print(text(lang, "cli_error", prog=parser.prog, message=error), file=sys.stderr)
        return 1
    except OSError as error:  # a full disk, or a folder that refuses us after the check
        reason = error.strerror or str(error)
        print(text(lang, "cli_error", prog=parser.prog, message=text(
            lang, "cli_output_failed", path=args.output, reason=reason)), file=sys.stderr)
        return 2
    print(text(lang, "wrote", path=path))
    return 0


def _finite_or_said(parser: argparse.ArgumentParser, result: Value, lang: str) -> int:
    """0 for a finite result; else 1, after naming the first node that is not finite."""
    order = topological_order(result)
    node = first_not_finite(order)
    if node is None:
        return 0
    message = text(lang, "cli_not_finite_result", node=describe(node, node_names(order)),
                   value=node.data)
    print(text(lang, "cli_error", prog=parser.prog, message=message), file=sys.stderr)
    return 1


FORMATS = (".svg", ".png", ".pdf", ".dot", ".gv")


def _check_output(parser: argparse.ArgumentParser, output: str, lang: str) -> None:
    """Refuse, before any work, a diagram path that cannot be written (exit 2).

    A missing folder is created, but only inside the working folder: ``-o out/shop.svg``
    makes ``out``, and ``-o /tmp/typo/shop.svg`` is refused rather than make ``/tmp/typo``.
    """
    def refuse(key: str, **fields: object) -> None:
        parser.error(text(lang, key, path=output, **fields))

    target = Path(output)
    if target.is_dir():
        refuse("cli_output_is_folder", example=str(target / "graph.svg"))
    if not output.lower().endswith(FORMATS):
        refuse("cli_bad_output")
    folder = target.parent
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        refuse("cli_output_parent_file", parent=str(existing))
    if existing != folder and not folder.resolve().is_relative_to(Path.cwd().resolve()):
        refuse("cli_output_no_folder", parent=str(folder))
    if not os.access(existing, os.W_OK | os.X_OK):
        refuse("cli_output_failed", reason=os.strerror(13))  # Permission denied
