"""python -m autograd.draw: gradients, diagrams, and refusals with exit code 2."""

import os
import subprocess
import sys

import pytest

from autograd.cli import main

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
