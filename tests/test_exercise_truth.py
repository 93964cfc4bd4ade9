"""The exercise checker tells the truth: a hint fits the mistake, and nothing the learner's
code does (never sets a gradient, a syntax error, a crash, a hang, Ctrl-C) confuses it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from test_exercises import ROOT, _edited

import autograd
from autograd.testing import gradcheck
from autograd.testing.layers import check_backward, random_dout
from nn.exercises import ExerciseFileError, check_file
from nn.exercises.__main__ import main as exercises_main


def folder(parent: Path, name: str) -> Path:
    """A second folder in a test's tmp_path, for a second starter of the same layer."""
    (parent / name).mkdir()
    return parent / name


RELU_HINT = "dx is dout where x > 0 and 0 elsewhere"
ZERO_HINT = "it is wrong only where x is exactly 0"
SUM_HINT = "the bias is added to every one of the N rows"
BOOK_HINT = "the book's formulas: dx = np.dot(dout, W.T)"


def test_the_zero_hint_is_shown_only_when_the_backward_is_right_away_from_zero(tmp_path):
    # return dout is wrong at x = -1 too: the smallest case may be x = 0, but the hint
    # checks its claim on inputs without a zero before making it
    path = _edited("Relu", tmp_path, "dout[self.mask] = 0\n        dx = dout", "dx = dout")
    (report,) = check_file(path, examples=100, seed=1)
    assert ZERO_HINT not in report.text and RELU_HINT in report.text
    masked = _edited("Relu", folder(tmp_path, "masked"), "self.mask = (x <= 0)",
                     "self.mask = (x < 0)")
    (report,) = check_file(masked, examples=100, seed=1)
    assert ZERO_HINT in report.text


@pytest.mark.parametrize(("db", "hint"), [
    ("-np.sum(dout, axis=0)", BOOK_HINT),  # a sign: not a missing sum
    ("2 * np.sum(dout, axis=0)", BOOK_HINT),
    ("dout", SUM_HINT),  # no sum at all
    ("np.mean(dout, axis=0)", SUM_HINT),  # a mean, where a sum belongs
    ("dout[0]", SUM_HINT),  # one row
    ("np.sum(dout, axis=0, keepdims=True)", "db has the right numbers in the wrong shape"),
])
def test_the_bias_hint_only_for_a_missing_sum(tmp_path, db, hint):
    path = _edited("Affine", tmp_path, "self.db = np.sum(dout, axis=0)", f"self.db = {db}")
    (report,) = check_file(path, examples=100, seed=2)
    assert not report.passed and hint in report.text, report.text
    assert report.text.count("Hint:") == 1


def test_a_gradient_never_set_is_named_as_such(tmp_path):
    path = _edited("Affine", tmp_path, "        self.dW = np.dot(self.x.T, dout)\n", "")
    (report,) = check_file(path, examples=20)
    assert report.text == ("✗ Affine: self.dW is still None: your backward never sets it. "
                           "Set it in backward, e.g. self.dW = ...")
    assert "()" not in report.text and "nan" not in report.text
    returned = _edited("Sigmoid", folder(tmp_path, "returned"),
                       "        return dx\n", "        return None\n")
    (report,) = check_file(returned, examples=20, lang="ko")
    assert report.text == ("✗ Sigmoid: 작성한 backward가 dx 대신 None을 반환합니다. backward "
                           "끝에서 반환해 주세요.")


def test_a_syntax_error_is_one_line_with_the_file_and_line(tmp_path, capsys):
    path = _edited("Relu", tmp_path, "dx = dout\n", "dx = dout +\n")
    with pytest.raises(ExerciseFileError, match=r"^relu.py, line 2\d: syntax error: "):
        check_file(path)
    assert exercises_main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("nn.exercises: relu.py, line 2")
    assert "Traceback" not in err
    broken = tmp_path / "sigmoid.py"
    broken.write_text("import numpy as np\n\nx = undefined_name\n")
    assert exercises_main(["check", str(broken), "--lang", "ja"]) == 2
    assert capsys.readouterr().err == (
        "nn.exercises: sigmoid.py、3 行目: ファイルの実行中に例外が出ました: NameError: name "
        "'undefined_name' is not defined\n")


def test_no_such_file_is_said_once(tmp_path, capsys):
    assert exercises_main(["check", str(tmp_path / "nothing.py")]) == 2
    assert capsys.readouterr().err == f"nn.exercises: no such file: {tmp_path}/nothing.py\n"


def test_a_crash_shows_the_case_and_the_learner_s_own_line(tmp_path):
    path = _edited("Sigmoid", tmp_path, "dx = dout * (1.0 - self.out) * self.out",
                   "dx = dout * (1.0 - self.out) * self.outt")
    (report,) = check_file(path, examples=20)
    lines = report.text.splitlines()
    assert lines[0] == ("✗ Sigmoid: your code raised AttributeError: 'Sigmoid' object has no "
                        "attribute 'outt'")
    assert lines[1].startswith("  your line: sigmoid.py, line ") and lines[1].endswith(
        ": dx = dout * (1.0 - self.out) * self.outt")
    assert lines[2] == "  The smallest case found:" and lines[3] == "    x = array([[0.]])"


def test_a_backward_that_never_returns_ends_the_check_with_a_clear_message(tmp_path):
    path = _edited("Relu", tmp_path, "dx = dout\n", "while True:\n            pass\n")
    start = time.monotonic()
    (report,) = check_file(path, examples=20, case_timeout=0.5)
    assert time.monotonic() - start < 60  # one case's limit, not a shrink of many
    assert report.text.splitlines()[:2] == [
        "✗ Relu: your code did not return within 0.5 s on this case, so the check stopped it "
        "(an endless loop?).", "  The case:"]


def _as_at_a_terminal() -> None:
    """Give the child the default Ctrl-C: a shell starts a background job (``make test &``)
    with SIGINT ignored, the child inherits that, and then Ctrl-C would do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _command(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "nn.exercises", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_as_at_a_terminal, **kwargs)


def test_a_backward_that_eats_memory_is_a_crash_not_the_machine_s(tmp_path):
    path = _edited("Relu", tmp_path, "dx = dout\n", "hog = [0.0] * 10**10\n        dx = dout\n")
    run = _command("check", str(path), "--examples", "5", "--memory", "512")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 1, err
    assert out.startswith("✗ Relu: your code raised MemoryError") and "Traceback" not in err


def _wait_for(condition, seconds: float = 120.0) -> None:
    """Poll until ``condition()``: a signal is sent only once the program is running its
    own code, never at a guessed moment (under load, imports alone can take seconds)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the program never got going"
        time.sleep(0.05)


def test_ctrl_c_is_one_line_and_exit_130(tmp_path):
    started = tmp_path / "started"
    path = _edited("Relu", tmp_path, "dx = dout\n",
                   f"open({str(started)!r}, 'w').close()\n        while True:\n"
                   "            pass\n")
    with _command("check", str(path), "--timeout", "100") as run:
        _wait_for(started.exists)
        run.send_signal(signal.SIGINT)
        try:
            out, err = run.communicate(timeout=60)
        finally:
            run.kill()
    assert (run.returncode, err) == (130, "nn.exercises: interrupted\n")


@pytest.mark.parametrize("demo", ["apple_shop.py", "moons.py"])
def test_the_demos_end_on_ctrl_c_and_on_a_closed_pipe_with_no_traceback(demo, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    run = subprocess.Popen([sys.executable, f"demos/{demo}", "--out", str(tmp_path)], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                           preexec_fn=_as_at_a_terminal)
    first = run.stdout.readline()  # its main() is running: it has printed
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=60)
    assert first
    if run.returncode == 130:  # interrupted (apple_shop may finish first)
        assert err.endswith(f"{demo.removesuffix('.py')}: interrupted\n") and "Traceback" not in err
    else:
        assert run.returncode == 0, err
    piped = subprocess.run(f"{sys.executable} demos/{demo} --out {tmp_path} | head -1",
                           shell=True, cwd=ROOT, capture_output=True, text=True, env=env,
                           timeout=300)
    assert piped.stdout.count("\n") == 1 and "Traceback" not in piped.stderr


def test_the_default_dout_is_random_per_check_and_never_an_input():
    seen = set()
    for _ in range(3):
        try:
            check_backward(lambda x: x * 2, lambda dout: dout * 3, np.array([1.0, 2.0]))
        except AssertionError as failure:
            seen.add(failure.mismatch.seed)
    assert len(seen) == 3 and None not in seen
    x = np.random.default_rng(7).normal(size=(2, 3))
    dout = random_dout((2, 3), [x], 7)  # the learner's own default_rng(7) inputs
    assert dout.shape == (2, 3) and not np.array_equal(dout, x)
    assert np.array_equal(random_dout((2, 3), [np.zeros((2, 3))], 7), x)
    assert random_dout((), [x], 7) == 1.0


def test_gradcheck_at_a_kink_says_it_is_a_kink():
    with pytest.raises(AssertionError) as info:
        gradcheck(lambda x: x.relu(), [0.0])
    assert "the point is at a kink: v1 = relu(0) is within 0.0004 of where its slope jumps" in (
        str(info.value))
    wrong = lambda x: autograd.custom_op(x.data ** 2, [x], (3 * x.data,), "square")  # noqa: E731
    with pytest.raises(AssertionError) as info:
        gradcheck(wrong, [1.5])
    assert "kink" not in str(info.value)  # a wrong rule away from any kink: no such note


@pytest.mark.parametrize(("layer", "line", "names"), [
    ("MulLayer", "dx = dout * self.y", ["x", "y"]),
    ("SoftmaxWithLoss", "batch_size = self.t.shape[0]", ["x", "t"]),
])
def test_a_crash_shows_every_input_by_its_name(tmp_path, layer, line, names):
    path = _edited(layer, tmp_path, line, line + " + undefined")
    (report,) = check_file(path, examples=10)
    shown = [row.split(" = ")[0].strip() for row in report.text.splitlines()
             if row.startswith("    ") and " = " in row]
    assert shown == names and "NameError: name 'undefined' is not defined" in report.text


def test_a_probe_that_hangs_is_stopped_like_any_case(tmp_path, monkeypatch):
    # the hint's probe runs the learner's code too: on the probe's dout (first entry exactly
    # 1.0, which random cases never draw) this backward never returns
    import nn.exercises as exercises

    monkeypatch.setattr(exercises, "CASE_TIMEOUT", 0.5)
    path = _edited("Affine", tmp_path, "self.db = np.sum(dout, axis=0)",
                   "self.db = dout[0]\n        while dout.shape == (3, 2) and dout[0, 0] == 1.0:"
                   "\n            pass")
    start = time.monotonic()
    (report,) = check_file(path, examples=50, seed=3)
    assert not report.passed and time.monotonic() - start < 60
    assert BOOK_HINT in report.text  # the probe was stopped, so no claim about the sum
