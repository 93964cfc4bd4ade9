"""python -m autograd: gradients, diagrams, and refusals with exit code 2."""

import io
import os
import subprocess
import sys

import pytest
from fuzzing import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value
from autograd.cli import FUNCTIONS, MAX_NODES, ExpressionError, evaluate, main, parse_expression

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


# --- found by mutation testing: bounds at their limits, carets, powers, assignments -----

def _refusal(capsys, *args):
    assert main(list(args)) == 2
    return capsys.readouterr().err.splitlines()


def test_the_length_bound_allows_exactly_max_length_characters(capsys):
    long_name = "a" * 5000  # one part, 5,000 characters (blanks around it are stripped)
    assert main([f" {long_name} ", f"{long_name}=1"]) == 0
    capsys.readouterr()
    assert _refusal(capsys, long_name + "b", f"{long_name}b=1")[0] == (
        "chainrule: error: the expression is 5001 characters long; at most 5000 are allowed")


def _balanced_sum(leaves: list[str]) -> str:
    if len(leaves) == 1:
        return leaves[0]
    half = len(leaves) // 2
    return f"({_balanced_sum(leaves[:half])} + {_balanced_sum(leaves[half:])})"


@pytest.mark.parametrize(("leaves", "minuses", "accepted"), [
    (["x"] * 500, 1, True),               # 2,000 parts: 499 +, 499 Add, 500 x, 500 Load, -, USub
    (["x"] * 499 + ["1"], 2, False),      # 2,001 parts
])
def test_the_size_bound_allows_exactly_max_nodes_parts(capsys, leaves, minuses, accepted):
    import ast

    source = "-" * minuses + _balanced_sum(leaves)
    assert sum(1 for _ in ast.walk(ast.parse(source, mode="eval").body)) == 2000 + (not accepted)
    code = main([source, "x=1"])
    err = capsys.readouterr().err
    assert code == (0 if accepted else 2), err
    if not accepted:
        assert err.splitlines()[0] == ("chainrule: error: the expression is too big: it has more "
                                       "than 2000 parts (numbers, names and operations)")


def test_the_depth_bound_allows_exactly_max_depth_levels(capsys):
    # -(-(...(x))): 98 unary minuses, the name and its Load context make 100 levels
    assert main(["-" * 98 + "x", "x=1"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "d/dx = 1.0"
    assert "too big" in _refusal(capsys, "-" * 99 + "x", "x=1")[0]


def test_an_expression_nested_past_pythons_parser_is_too_deeply_nested(capsys):
    lines = _refusal(capsys, "-" * 4990 + "x", "x=1")
    assert lines[0] == "chainrule: error: syntax error: too deeply nested"


def test_an_expression_may_start_with_a_minus_before_or_after_the_options(capsys):
    assert main(["-x*y", "x=2", "y=3"]) == 0
    assert capsys.readouterr().out.splitlines() == ["-x*y = -6.0", "d/dx = -3.0", "d/dy = -2.0"]
    assert main(["--lang", "ko", "--explain", "-사과 - 1", "사과=2"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "-사과 - 1 = -3.0"
    assert main(["+x", "x=4"]) == 0  # unary plus too
    assert capsys.readouterr().out.splitlines() == ["+x = 4.0", "d/dx = 1.0"]


def test_the_options_the_shield_skips_are_the_parser_s():
    from autograd.cli import FLAG_OPTIONS, VALUE_OPTIONS, _parser

    actions = [a for a in _parser("chainrule", "en")._actions if a.option_strings]
    assert {s for a in actions if a.nargs != 0 for s in a.option_strings} == VALUE_OPTIONS
    assert {s for a in actions if a.nargs == 0 for s in a.option_strings} == FLAG_OPTIONS


@pytest.mark.parametrize(("argv", "expression"), [
    (["--x", "x=1"], " --x"),                                  # a double negation, not --x
    (["--exp", "-x", "x=1"], " -x"),                           # --exp abbreviates --explain
    (["-o", "g.svg", "--lang=ko", "-x", "x=1"], " -x"),
    (["-og.svg", "-x", "x=1"], " -x"),
    (["x", "x=1"], "x"),
])
def test_the_shield_puts_a_space_before_the_expression_only(argv, expression):
    from autograd.cli import _shield_expression

    shielded = _shield_expression(argv)
    assert expression in shielded and len(shielded) == len(argv)
    assert [a for a in shielded if a != expression] == [a for a in argv if a.strip() !=
                                                          expression.strip()]


@pytest.mark.parametrize(("expression", "message", "carets"), [
    ("x + exp", "exp is a function: call it, as in exp(x)", "      ^^^"),
    ("x + exp(x, x)", "exp takes 1 argument", "      ^^^^^^^^^"),
    ("x + maximum(x)", "maximum takes 2 arguments", "      ^^^^^^^^^^"),
    ("x + open(x)", "only exp, log", "      ^^^^"),
    ("x + x[0]", "Subscript is not allowed; use numbers, names, + - * / **", "      ^^^^"),
])
def test_each_refusal_points_at_its_own_part(capsys, expression, message, carets):
    lines = _refusal(capsys, expression, "x=1")
    assert lines[0].startswith(f"chainrule: error: {message}")
    assert lines[1:] == [f"  {expression}", carets]


def test_powers_of_values_and_of_numbers(capsys):
    assert main(["x ** 3 + x ** y + 2 ** 3", "x=2", "y=3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "x ** 3 + x ** y + 2 ** 3 = 24.0"
    assert out[1] == "d/dx = 24.0"                     # 3 x² + y x^(y-1) = 12 + 12
    assert float(out[2].split("= ")[1]) == pytest.approx(8 * 0.6931471805599453)  # x^y ln x


def test_assignments_split_at_the_first_equals_sign_and_name_their_values(capsys):
    with pytest.raises(SystemExit):
        main(["x", "x=1=2"])
    assert capsys.readouterr().err.splitlines()[-1] == (
        "chainrule: error: argument name=number: x: '1=2' is not a number")
    with pytest.raises(SystemExit):
        main(["x", "x y=2", "--lang", "ko"])
    assert "'x y=2'" in capsys.readouterr().err
    assert main(["x * 2", "x=1.5", "--explain"]) == 0
    assert "  x = 2.0" in capsys.readouterr().out.splitlines()  # the leaf is named x


def test_expression_errors_speak_english_unless_told_otherwise():
    error = ExpressionError("expr_attribute", None)
    assert str(error) == error.message() == "attribute access is not allowed"
    assert error.pointing_at("x.real") == "attribute access is not allowed"
    assert error.message("ko") == "속성 접근은 쓸 수 없습니다"


def test_the_shield_knows_help_long_options_and_the_separator():
    from autograd.cli import _is_option, _shield_expression

    assert _shield_expression(["-h"]) == ["-h"]
    assert _shield_expression(["-o", "g.svg", "-x", "x=1"]) == ["-o", "g.svg", " -x", "x=1"]
    assert _shield_expression(["--", "-x", "x=1"]) == ["--", "-x", "x=1"]
    assert all(map(_is_option, ["--e", "--lang=a=b", "--output=g.svg", "-ofile.svg"]))
    assert not any(map(_is_option, ["--", "-x", "--x", "x", "--langs"]))


def test_the_separator_and_sys_argv_work_as_argparse_has_them(capsys, monkeypatch):
    assert main(["--", "-x", "x=1"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "-x = -1.0"
    monkeypatch.setattr(sys, "argv", ["chainrule", "-x * 2", "x=1"])
    assert main() == 0
    assert capsys.readouterr().out.splitlines()[0] == "-x * 2 = -2.0"


def test_the_drawing_options_reach_the_diagram(tmp_path, capsys):
    target = tmp_path / "g.dot"
    assert main(["x * y", "x=2", "y=3", "-o", str(target), "--show", "grad", "--rankdir", "TB",
                 "--lang", "ko"]) == 0
    source = target.read_text(encoding="utf-8")
    assert "rankdir=TB" in source and "순전파" not in source and "grad 3" in source
    assert "grad = d x * y / d 노드 (역전파)" in source
    assert capsys.readouterr().out.splitlines()[-1] == f"{target} 파일을 저장했습니다"
    for suffix in (".gv", ".svg"):
        assert main(["x * 2", "x=1", "-o", str(tmp_path / f"g{suffix}")]) == 0
        assert (tmp_path / f"g{suffix}").stat().st_size > 0


def test_bad_outputs_repeats_and_assignments_get_exact_messages(capsys):
    for argv, message in [
        (["x", "x=1", "-o", "a.jpg"],
         "--output: use a .svg, .png, .pdf, .dot or .gv file, got 'a.jpg'"),
        (["x + y", "x=1", "y=1", "x=2", "y=3"], "each name may be given once; repeated: x, y"),
        (["x", "x y=2", "--lang", "ko"],
         "인수 이름=숫자: 이름=숫자 형식으로 주세요. 받은 값: 'x y=2'"),
        (["x", "x=1", "--lang", "fr"], "--lang: unknown language 'fr'; the languages are "
                                       "'en', 'ko', 'ja'"),
    ]:
        with pytest.raises(SystemExit):
            main(argv)
        err = capsys.readouterr().err.splitlines()
        assert err[0].startswith(("usage: chainrule ", "사용법: chainrule "))
        assert err[-1].endswith(f": {message}"), err


def test_a_syntax_error_says_pythons_reason_and_explain_ends_with_one_newline(capsys):
    assert _refusal(capsys, "x +* 2", "x=1")[0] == "chainrule: error: syntax error: invalid syntax"
    assert main(["x * 2", "x=1", "--explain"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("  x = 2.0\n") and not out.endswith("\n\n")


def test_a_reader_that_leaves_early_ends_the_command_quietly(monkeypatch, capsys):
    class GoneReader(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", GoneReader())
    assert main(["x * 2", "x=1", "--explain"]) == 1
    assert capsys.readouterr().err == ""


def test_piping_into_head_prints_no_traceback():
    command = [sys.executable, "-m", "autograd", _balanced_sum([f"x{i}" for i in range(400)]),
               *(f"x{i}=1" for i in range(400)), "--explain"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        child.stdout.readline()
        child.stdout.close()  # as head does after its lines
        err = child.stderr.read().decode()
        assert child.wait(timeout=60) in (0, 1)
    assert "Traceback" not in err and "BrokenPipeError" not in err


def test_a_long_expression_is_shown_as_a_window_around_the_refused_part(capsys):
    # 30 characters each side and 30 carets at most, whatever the expression's length
    lines = _refusal(capsys, "x + " + "9" * 400, "x=1")
    assert lines == ["chainrule: error: a number of 400 digits is too large for a float",
                     "  x + " + "9" * 60 + "…", "      " + "^" * 30]
    lines = _refusal(capsys, "x +" + " " * 100 + "y", "x=1")
    assert lines[0] == "chainrule: error: unknown name 'y': give it a value, e.g. y=1.5"
    assert lines[1:] == ["  …" + " " * 30 + "y", "   " + " " * 30 + "^"]


def test_each_size_limit_names_itself(capsys):
    assert main(["x" + "+x" * 2600, "x=3"]) == 2
    assert capsys.readouterr().err.strip() == (
        "chainrule: error: the expression is 5201 characters long; at most 5000 are allowed")
    assert main([_balanced_sum(["x"] * 600).replace(" ", ""), "x=3"]) == 2  # 2,399 parts
    assert capsys.readouterr().err.strip() == (
        "chainrule: error: the expression is too big: it has more than 2000 parts (numbers, "
        "names and operations)")
    assert main(["x + " + "exp(-" * 150 + "x" + ")" * 150, "x=3"]) == 2
    assert capsys.readouterr().err.strip() == (
        "chainrule: error: the expression is too big: it is nested more than 100 deep")


@pytest.mark.parametrize("number", ["nan", "inf", "-inf", "1e309", " NaN"])
def test_a_value_that_is_not_finite_is_refused(capsys, number):
    with pytest.raises(SystemExit) as info:
        main(["x*0", f"x={number}"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].endswith(
        f"x={number.strip()}: {float(number)} is not a finite number; give a finite value, "
        "e.g. x=1.5")


def test_a_result_that_is_not_finite_names_the_first_such_node(capsys):
    assert main(["exp(x) * 0 + y", "x=1000", "y=2"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "exp(x) * 0 + y = nan"
    assert err.strip() == ("chainrule: error: the result is not a finite number: the first "
                           "value in the graph that is not finite is v2 = exp(x = 1000) = inf")
    assert main(["x * y", "x=1e200", "y=1e200", "--lang", "ko"]) == 1
    assert capsys.readouterr().err.strip() == (
        "chainrule: 오류: 결과가 유한한 수가 아닙니다. 그래프에서 처음으로 유한하지 않은 값: "
        "x * y = mul(x = 1e+200, y = 1e+200) = inf")


@pytest.mark.parametrize(("constant", "carets"), [
    ("9**9**9**9", "         ^^^^^^^"), ("1e309", "      ^^^^^"), ("exp(1000)", "      ^^^^^^^^^"),
])
def test_numbers_alone_that_overflow_are_refused_where_they_overflow(capsys, constant, carets):
    lines = _refusal(capsys, f"x + {constant}", "x=1")
    assert lines == ["chainrule: error: this part overflows: its value is inf, not a finite "
                     "number", f"  x + {constant}", carets]


def test_the_output_node_is_named_by_its_expression_or_output_and_leaves_keep_theirs(capsys):
    assert main(["사과 * 2", "사과=100", "--explain", "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    assert "   1  사과 * 2  × 2" in out and "v1" not in out
    long = " + ".join(["x"] * 15)  # 57 columns: too long for a name
    assert main([long, "x=1", "--explain", "--lang", "ja"]) == 0
    assert "の逆伝播" in capsys.readouterr().out.split("\n")[3]
    assert main(["x", "x=1"]) == 0 and capsys.readouterr().out.startswith("x = 1.0\n")


def _write_refusal(capsys, output: str) -> str:
    with pytest.raises(SystemExit) as info:
        main(["x*y", "x=2", "y=3", "-o", output])
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""  # refused before any work
    return err.splitlines()[-1]


def test_a_bad_output_path_is_one_line_that_names_it_and_why(tmp_path, capsys, monkeypatch):
    afile = tmp_path / "afile"
    afile.write_text("kept")
    assert _write_refusal(capsys, f"{afile}/g.svg") == (
        f"chainrule: error: --output {afile}/g.svg: {afile} is a file, not a folder")
    assert _write_refusal(capsys, f"{afile}/deeper/g.svg").endswith(
        f"{afile} is a file, not a folder")
    assert _write_refusal(capsys, str(tmp_path)) == (
        f"chainrule: error: --output {tmp_path}: that is a folder; give a file in it, "
        f"e.g. {tmp_path}/graph.svg")
    monkeypatch.chdir(tmp_path / "..")  # a missing folder outside the working one: refused
    # a name of this run's own: a folder left by another run must not make it exist
    outside = tmp_path.parent.parent / f"chainrule-no-such-folder-{tmp_path.parent.name}" / "g.svg"
    assert not outside.parent.exists()
    assert _write_refusal(capsys, str(outside)) == (
        f"chainrule: error: --output {outside}: the folder {outside.parent} does not exist; "
        "create it first (chainrule creates a missing folder only inside the working folder)")
    assert not outside.parent.exists() and afile.read_text() == "kept"


def test_a_missing_folder_inside_the_working_folder_is_made(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["x*y", "x=2", "y=3", "-o", "out/deeper/g.dot"]) == 0
    assert (tmp_path / "out" / "deeper" / "g.dot").read_text().startswith("digraph")


def test_a_write_that_fails_is_one_line_and_leaves_no_file(capsys):
    # /proc takes no new files, even from root, for whom os.access says yes to everything
    assert main(["x*y", "x=2", "y=3", "-o", "/proc/chainrule-test.dot"]) == 2
    out, err = capsys.readouterr()
    assert "d/dx = 3.0" in out
    assert err.strip().startswith("chainrule: error: --output /proc/chainrule-test.dot: cannot "
                                  "write it: ") and "\n" not in err.strip()
    assert not os.path.exists("/proc/chainrule-test.dot")


def test_help_says_the_exit_codes_and_the_folder_rule(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "exit status: 0 when the gradients are printed, 1 when the result is not a finite" in (
        " ".join(out.split()))
    assert "a missing folder is created only inside the working folder" in " ".join(out.split())


@pytest.mark.parametrize(("argv", "lang"), [
    (["--lang", "ko", "x"], "ko"), (["x", "--lang=ja"], "ja"), (["--lang"], "en"),
    (["--lang", "fr"], "en"), (["ko"], "en"), ([], "en"),
    (["--lang=x=ko"], "en"),  # argparse's value would be "x=ko", no language
])
def test_the_language_is_read_from_argv_without_refusing(argv, lang):
    from autograd.cli import language_in

    assert language_in(argv) == lang


def test_ctrl_c_and_a_closed_pipe_end_quietly_in_the_chosen_language(capsys):
    from autograd.cli import run_quietly

    def interrupted():
        raise KeyboardInterrupt

    assert run_quietly(interrupted, "chainrule", ["--lang", "ko"]) == 130
    assert capsys.readouterr().err == "chainrule: 중단했습니다\n"
    assert run_quietly(interrupted, "moons", ["--lang=ja"]) == 130
    assert capsys.readouterr().err == "moons: 中断しました\n"

    def closed():
        raise BrokenPipeError

    assert run_quietly(closed, "chainrule", []) == 1 and capsys.readouterr().err == ""
    assert run_quietly(lambda: None, "x", []) == 0 and run_quietly(lambda: 2, "x", []) == 2


def test_without_dot_the_diagram_s_error_is_one_line_and_exit_1(monkeypatch, capsys, tmp_path):
    from autograd.diagram import Diagram, GraphvizNotFound

    def no_dot(self, path):
        raise GraphvizNotFound()

    monkeypatch.setattr(Diagram, "write", no_dot)
    assert main(["x*y", "x=2", "y=3", "-o", str(tmp_path / "g.svg"), "--lang", "ko"]) == 1
    out, err = capsys.readouterr()
    assert "d/dx = 3.0" in out
    assert err.startswith("chainrule: 오류: ") and str(GraphvizNotFound()) in err
    assert err.count("\n") == str(GraphvizNotFound()).count("\n") + 1


def test_a_folder_that_refuses_writes_is_named_before_any_work(monkeypatch, capsys, tmp_path):
    asked = []

    def refuses(path, mode):
        asked.append((path, mode))
        return False

    monkeypatch.setattr("autograd.cli.os.access", refuses)  # as root, everything is allowed
    with pytest.raises(SystemExit) as stop:
        main(["x*y", "x=2", "y=3", "-o", str(tmp_path / "g.svg")])
    assert stop.value.code == 2 and asked == [(tmp_path, os.W_OK | os.X_OK)]
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"chainrule: error: --output {tmp_path / 'g.svg'}: cannot write it: Permission denied")


def test_help_shows_every_option_s_own_words(capsys):
    from autograd.language import text

    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    for key in ("cli_help_values", "cli_help_output", "cli_help_show", "cli_help_rankdir",
                "cli_help_explain", "argparse_help"):
        assert " ".join(text("en", key).split()) in out, key
    assert " ".join(text("en", "cli_help_lang", languages="en, ko, ja").split()) in out
    assert "usage: chainrule [-h] [-o FILE]" in out and "expression [name=number ...]" in out


@pytest.mark.parametrize("rankdir", ["LR", "TB", "RL", "BT"])
def test_every_rankdir_reaches_the_diagram(rankdir, tmp_path, capsys):
    assert main(["x*y", "x=2", "y=3", "--rankdir", rankdir, "-o", str(tmp_path / "g.dot")]) == 0
    assert f"rankdir={rankdir}" in (tmp_path / "g.dot").read_text()


def test_a_refusal_lists_what_is_allowed_in_the_message_s_language(capsys):
    lines = _refusal(capsys, "x[0]", "x=1", "--lang", "ko")
    assert lines[0].startswith("chainrule: 오류: Subscript는 쓸 수 없습니다. 쓸 수 있는 것: 숫자, "
                               "이름, + - * / **, 음수 부호(-)와 함수 exp, log")


def test_a_localized_parser_s_defaults_are_english_and_argparse_s(capsys):
    from autograd.cli import LocalizedParser

    parser = LocalizedParser("mine", usage="mine [options]")
    assert parser.prog == "mine" and parser.format_usage() == "usage: mine [options]\n"
    parser.add_argument("--n", type=int)
    with pytest.raises(SystemExit) as stop:
        parser.parse_args(["--n"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == ("mine: error: argument --n: expected "
                                                        "one argument")
    korean = LocalizedParser("mine", lang="ko")
    assert korean.format_usage().startswith("사용법: mine [-h]")


def test_main_ends_on_ctrl_c_in_its_language(monkeypatch, capsys):
    import autograd.cli as cli

    def interrupted(argv, prog):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_command", interrupted)
    assert main(["x", "x=1", "--lang", "ja"], prog="chainrule") == 130
    assert capsys.readouterr().err == "chainrule: 中断しました\n"


def test_the_module_docstring_names_every_function_an_expression_may_call():
    import re

    import autograd.cli

    doc = autograd.cli.__doc__
    listed = re.search(r"``FUNCTIONS``: ([^)]*)\)", doc).group(1)
    assert [name.strip() for name in listed.replace("\n", " ").split(",")] == list(FUNCTIONS)


def test_a_refused_part_says_in_english_what_is_allowed_in_its_plain_message():
    with pytest.raises(ExpressionError) as info:
        evaluate(parse_expression("[x]"), {"x": Value(1.0)})
    assert str(info.value) == ("List is not allowed; use numbers, names, + - * / **, "
                               "unary minus and " + ", ".join(FUNCTIONS))


@pytest.mark.parametrize("error, reason", [
    (OSError(28, "No space left on device"), "No space left on device"),
    (OSError("the disk said no"), "the disk said no"),
])
def test_a_write_that_fails_late_names_the_system_s_reason(error, reason, tmp_path, capsys,
                                                           monkeypatch):
    pytest.importorskip("graphviz")
    import autograd.diagram

    def refuse(self, path):
        raise error

    monkeypatch.setattr(autograd.diagram.Diagram, "write", refuse)
    monkeypatch.chdir(tmp_path)
    assert main(["x*y", "x=2", "y=3", "-o", "g.svg"]) == 2
    assert capsys.readouterr().err == (
        f"chainrule: error: --output g.svg: cannot write it: {reason}\n")


def test_quiet_stdout_sends_the_rest_of_stdout_to_devnull(tmp_path, monkeypatch):
    from autograd.cli import quiet_stdout

    with open(tmp_path / "out.txt", "w") as stand_in:
        monkeypatch.setattr(sys, "stdout", stand_in)
        quiet_stdout()
        os.write(stand_in.fileno(), b"after the pipe closed")
    assert (tmp_path / "out.txt").read_text() == ""


def test_the_operators_an_expression_may_use_are_the_table_s_infix_ops():
    from autograd.cli import _BINARY
    from autograd.ops import BUILTINS

    assert sorted(op.name for op in _BINARY.values()) == sorted(
        op.name for op in BUILTINS if op.notation == "infix" and op.python)
    x = Value(3.0, "x")
    for expression, op in [("x + 2", "add"), ("x - 2", "sub"), ("x * 2", "mul"),
                           ("x / 2", "div"), ("x ** 2", "pow"), ("2 ** x", "pow")]:
        assert evaluate(parse_expression(expression), {"x": x}).op == op
    assert evaluate(parse_expression("2 ** 3"), {}) == 8.0  # two numbers: the table's forward
    with pytest.raises(ValueError, match="power"):
        evaluate(parse_expression("(-8) ** 0.5"), {})
