"""python -m autograd: gradients, diagrams, and refusals with exit code 2."""

import os
import subprocess
import sys

import pytest
from fuzzing import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from autograd.cli import MAX_NODES, ExpressionError, evaluate, main, parse_expression

SHOP = ["(apple*n + orange*m)*tax", "apple=100", "n=2", "orange=150", "m=3", "tax=1.1"]


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "autograd", *args], capture_output=True,
                          text=True, timeout=60, env=env)


def test_module_entry_point_prints_gradients_and_writes_the_diagram(tmp_path):
    result = run(*SHOP, "-o", str(tmp_path / "shop.svg"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:6] == [
        "(apple*n + orange*m)*tax = 715.0000000000001",
        "d/dapple  = 2.2",
        "d/dn      = 110.00000000000001",
        "d/dorange = 3.3000000000000003",
        "d/dm      = 165.0",
        "d/dtax    = 650.0",
    ]
    svg = (tmp_path / "shop.svg").read_text()
    assert "grad 650" in svg and "apple" in svg
    assert result.stderr == ""  # no runpy warning: the package does not import this module


@pytest.mark.parametrize(("suffix", "magic"), [(".png", b"\x89PNG"), (".pdf", b"%PDF"),
                                               (".dot", b"digraph")])
def test_format_comes_from_the_suffix(tmp_path, capsys, suffix, magic):
    assert main([*SHOP, "-o", str(tmp_path / f"shop{suffix}")]) == 0
    assert (tmp_path / f"shop{suffix}").read_bytes().startswith(magic)
    assert f"wrote {tmp_path / f'shop{suffix}'}" in capsys.readouterr().out


def test_functions_and_explain(capsys):
    assert main(["tanh(x) * exp(-x) + relu(x - 1) + sigmoid(x) / log(x + 2)", "x=0.5",
                 "--explain"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1].startswith("d/dx = ")
    assert "chain-rule steps" in out and "tanh" in out


@pytest.mark.parametrize(("expression", "message"), [
    ("__import__('os').system('ls')",
     "only exp, log, tanh, sigmoid, relu, sqrt, abs, softplus, leaky_relu, sin, cos, "
     "maximum, minimum may be called"),
    ("x.real + 1", "attribute access is not allowed"),
    ("x + y", "unknown name 'y'"),
    ("x[0]", "Subscript is not allowed"),
    ("(lambda: x)()", "only exp"),
    ("lambda: x", "Lambda is not allowed"),
    ("'a' + x", "Constant is not allowed"),
    ("x if x else x", "IfExp is not allowed"),
    ("x // 2", "BinOp is not allowed"),
    ("x @ x", "BinOp is not allowed"),
    ("exp(x, x)", "exp takes 1 argument"),
    ("maximum(x)", "maximum takes 2 arguments"),
    ("exp", "exp is a function"),
    ("open('/etc/passwd')", "only exp"),
    ("x +", "syntax error"),
    ("log(x - 1)", "log(0.0)"),
    ("x / (x - 1)", "division by zero"),
    ("2 * 3", "no names"),
])
def test_bad_expressions_exit_2_with_a_pointed_message(capsys, expression, message):
    assert main([expression, "x=1"]) == 2
    err = capsys.readouterr().err
    assert message in err


def test_the_caret_points_at_the_refused_part(capsys):
    assert main(["x + y.real", "x=1", "y=2"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[-2:] == ["  x + y.real", "      ^^^^^^"]


@pytest.mark.parametrize(("expression", "caret_line"), [
    ("x +* 2", "   ^"),          # Python's offset counts characters from 1
    ("사과 +* 2", "      ^"),     # 사과 is 6 bytes, 2 characters and 4 columns wide
    ("x *", "   ^"),             # an input that ends too soon: just past the end
    ("  x +* 2", "   ^"),        # leading blanks are stripped before parsing and printing
])
def test_a_syntax_errors_caret_stands_under_the_refused_character(capsys, expression,
                                                                 caret_line):
    assert main([expression, "x=1", "사과=1"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[-1] == "  " + caret_line


@pytest.mark.parametrize("args", [["x", "x=abc"], ["x", "=1"], ["x", "1x=2"],
                                  ["x", "x=1", "-o", "out.jpg"]])
def test_bad_arguments_exit_2(args):
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2


def test_without_dot_gradients_print_and_the_render_error_says_how_to_install(tmp_path):
    env = {**os.environ, "PATH": ""}
    result = run(*SHOP, "-o", str(tmp_path / "shop.svg"), env=env)
    assert result.returncode == 1
    assert "d/dtax    = 650.0" in result.stdout
    assert "Graphviz" in result.stderr and "apt-get install graphviz" in result.stderr
    assert not (tmp_path / "shop.svg").exists()


def test_huge_literals_and_towers_of_powers_are_refused_at_once(capsys):
    assert main(["x + 9**9**9**9", "x=3"]) == 2
    assert "overflow" in capsys.readouterr().err
    assert main(["x + " + "9" * 400, "x=3"]) == 2
    assert "too large for a float" in capsys.readouterr().err
    assert main(["(" * 150 + "x" + ")" * 150, "x=3"]) == 0  # parentheses make no nodes
    capsys.readouterr()
    assert main(["x + " + "exp(-" * 150 + "x" + ")" * 150, "x=3"]) == 2  # 300 deep
    assert "too big" in capsys.readouterr().err
    assert main(["+".join(["x"] * 1200), "x=3"]) == 2  # 2,399 parts in 2,399 characters
    assert "too big" in capsys.readouterr().err
    assert main(["x" + "+x" * 2600, "x=3"]) == 2
    assert "at most 5000 are allowed" in capsys.readouterr().err


def test_a_name_given_twice_is_refused(capsys):
    with pytest.raises(SystemExit) as info:
        main(["x", "x=1", "x=5"])
    assert info.value.code == 2
    assert "repeated: x" in capsys.readouterr().err


_atoms = st.sampled_from(["x", "y", "9", "99999999999", "1e308", "0.5", "2"])


@st.composite
def expression_texts(draw):
    """Random expressions: nested powers, long sums, deep parentheses, huge literals."""
    text = draw(_atoms)
    for _ in range(draw(st.integers(0, 40))):
        op = draw(st.sampled_from(["**", "+", "*", "-", "/", "()", "exp", "(**)"]))
        other = draw(_atoms)
        text = {"()": f"({text})", "exp": f"exp({text})", "(**)": f"({other})**({text})"}.get(
            op, f"{text} {op} {other}")
    return text


@settings(max_examples=examples(150))
@given(expression_texts())
def test_any_expression_finishes_or_is_refused_within_a_counted_budget(text):
    steps = [0]

    def count():
        steps[0] += 1

    values = {"x": Value(1.5, "x"), "y": Value(-0.5, "y")}
    try:
        evaluate(parse_expression(text), values, on_step=count)
    except (ExpressionError, ArithmeticError, ValueError):
        pass  # refused, with a message; a TypeError or anything else fails the test
    # Each step is one tree node, and the tree is bounded before anything is evaluated.
    assert steps[0] <= MAX_NODES
