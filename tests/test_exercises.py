"""nn.exercises: the book's ch. 5 layers as exercises, and the checker that grades them."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from nn.exercises import EXERCISES, STARTERS, check_file, exercise_named
from nn.exercises.__main__ import main as exercises_main

pytest.importorskip("numpy")
ROOT = Path(__file__).resolve().parents[1]

# The book's own backward, as a learner would type it into each starter.
SOLUTIONS = {
    "MulLayer": "dx = dout * self.y\n        dy = dout * self.x\n        return dx, dy",
    "AddLayer": "dx = dout * 1\n        dy = dout * 1\n        return dx, dy",
    "Relu": "dout[self.mask] = 0\n        dx = dout\n        return dx",
    "Sigmoid": "dx = dout * (1.0 - self.out) * self.out\n        return dx",
    "Affine": ("dx = np.dot(dout, self.W.T)\n        self.dW = np.dot(self.x.T, dout)\n"
               "        self.db = np.sum(dout, axis=0)\n        return dx"),
    "SoftmaxWithLoss": ("batch_size = self.t.shape[0]\n"
                        "        dx = (self.y - self.t) / batch_size\n        return dx"),
}

# A reader's usual mistakes (tests/book_layers.py), and what the hint must say.
PLANTED = {
    "Affine": ("AffineDbWithoutSum", "db = np.sum(dout, axis=0)", "N개의 덧셈"),
    "SoftmaxWithLoss": ("SoftmaxWithLossNotAveraged", "divide by batch_size",
                        "batch_size로 나눠 주세요"),
    "Relu": ("ReluLessThan", "whose mask is (x <= 0), not (x < 0)", "x가 정확히 0인 곳"),
    "Sigmoid": ("SigmoidMissingFactor", "dout * y alone forgets the (1 - y)", "(1 - y)가 빠집니다"),
}


def solved(layer: str, folder: Path) -> Path:
    exercise = EXERCISES[layer]
    starter = (STARTERS / exercise.starter).read_text(encoding="utf-8")
    marker = f'raise NotImplementedError("{layer}.backward")'
    assert starter.count(marker) == 1
    path = folder / exercise.starter
    path.write_text(starter.replace(marker, SOLUTIONS[layer]), encoding="utf-8")
    return path


@pytest.mark.parametrize("layer", list(EXERCISES))
def test_each_starter_filled_in_with_the_book_s_backward_passes(layer, tmp_path):
    (report,) = check_file(solved(layer, tmp_path), examples=40)
    assert report.passed, report.text
    assert report.text == (f"✓ {layer}: backward agrees with chainrule's exact gradients in "
                           "40 random cases.")


def _edited(layer: str, folder: Path, forward_from: str, forward_to: str) -> Path:
    path = solved(layer, folder)
    source = path.read_text(encoding="utf-8")
    assert source.count(forward_from) == 1
    path.write_text(source.replace(forward_from, forward_to), encoding="utf-8")
    return path


def test_a_relu_mask_of_less_than_in_forward_is_caught_at_zero(tmp_path):
    # The mask in forward: out has the book's numbers, but the slope at 0 is 1, not 0.
    path = _edited("Relu", tmp_path, "self.mask = (x <= 0)", "self.mask = (x < 0)")
    (report,) = check_file(path, lang="ko", examples=100)
    assert not report.passed
    assert "x가 정확히 0인 곳" in report.text and "dx (chainrule) = array([[0.]])" in report.text


def test_a_forward_with_the_wrong_numbers_is_named_as_such(tmp_path):
    path = _edited("Relu", tmp_path, "out = x.copy()", "out = x.copy() + 1")
    (report,) = check_file(path, examples=20)
    assert report.text.splitlines()[0] == (
        "✗ Relu: your forward no longer gives the layer's numbers (the starter's forward "
        "was right; backward relies on it).")
    assert report.text.splitlines()[2:] == ["    x = array([[1.]])",  # the smallest: 1, not 0
                                            "    out (your forward) = array([[2.]])",
                                            "    out (chainrule) = array([[1.]])"]


@pytest.mark.parametrize("layer", list(EXERCISES))
def test_each_starter_as_given_is_not_written_yet(layer):
    (report,) = check_file(STARTERS / EXERCISES[layer].starter, lang="ja", examples=5)
    assert not report.passed
    assert report.text == (f"✗ {layer}.backward はまだ書かれていません (NotImplementedError)。"
                           "書いてください。")


@pytest.mark.parametrize("layer", ["MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine",
                                   "SoftmaxWithLoss"])
def test_the_book_s_own_layers_pass(layer, tmp_path):
    path = tmp_path / "my_layers.py"
    path.write_text(f"from book_layers import {layer}\n", encoding="utf-8")
    (report,) = check_file(path, layer, examples=40)
    assert report.passed, report.text


@pytest.mark.parametrize("layer", list(PLANTED))
def test_each_planted_mistake_is_caught_with_its_hint(layer, tmp_path):
    planted, english, korean = PLANTED[layer]
    path = tmp_path / EXERCISES[layer].starter
    path.write_text(f"from book_layers import {planted} as {layer}\n", encoding="utf-8")
    (report,) = check_file(path, examples=100)
    assert not report.passed
    assert report.text.startswith(f"✗ {layer}: d")
    assert english in report.text.splitlines()[-1], report.text
    (korean_report,) = check_file(path, lang="ko", examples=100)
    assert "힌트: " in korean_report.text and korean in korean_report.text, korean_report.text
    assert "찾아낸 가장 작은 사례:" in korean_report.text


def test_a_wrong_layer_names_the_element_and_both_numbers(tmp_path):
    path = tmp_path / "mul_layer.py"
    path.write_text("class MulLayer:\n    def forward(self, x, y):\n        self.x, self.y = x, y\n"
                    "        return x * y\n    def backward(self, dout):\n"
                    "        return dout * self.x, dout * self.y\n", encoding="utf-8")
    (report,) = check_file(path, examples=50)
    lines = report.text.splitlines()
    assert lines[0].startswith("✗ MulLayer: dx[0] is ") and "but chainrule gives" in lines[0]
    assert lines[-1] == ("  Hint: multiplication hands each input dout times the other input: "
                         "dx = dout * y, dy = dout * x.")


def test_a_crash_in_the_learner_s_code_is_shown_with_the_formula(tmp_path):
    path = tmp_path / "add_layer.py"
    path.write_text("class AddLayer:\n    def forward(self, x, y):\n        return x + y\n"
                    "    def backward(self, dout):\n        return dout\n", encoding="utf-8")
    (report,) = check_file(path, examples=5)
    assert not report.passed
    assert report.text.startswith("✗ AddLayer: your code raised ValueError: check_backward: "
                                  "backward returned")
    assert "dx = dout, dy = dout" in report.text


def test_a_file_without_the_expected_class_is_refused_naming_it(tmp_path, capsys):
    path = tmp_path / "affine.py"
    path.write_text("class Affline:\n    pass\n", encoding="utf-8")
    with pytest.raises(ValueError, match="affine.py does not define class Affine"):
        check_file(path)
    assert exercises_main(["check", str(path), "--lang", "ko"]) == 2
    assert "affine.py에 Affine 클래스가 정의되어 있지 않습니다" in capsys.readouterr().err
    other = tmp_path / "mine.py"
    other.write_text("x = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mine.py defines none of the exercise classes: "
                                         "MulLayer, AddLayer, Relu"):
        check_file(other)
    with pytest.raises(ValueError, match="mine.py does not define class Sigmoid"):
        check_file(other, "sigmoid")


def test_a_file_of_any_name_is_checked_for_every_class_it_defines(tmp_path):
    path = tmp_path / "chapter5.py"
    path.write_text("from book_layers import Relu, Sigmoid\n", encoding="utf-8")
    reports = check_file(path, examples=20)
    assert [(r.layer, r.passed) for r in reports] == [("Relu", True), ("Sigmoid", True)]


def test_exercise_names_are_found_in_any_spelling_and_unknown_ones_are_refused():
    assert exercise_named("affine").layer == exercise_named("Affine").layer == "Affine"
    assert exercise_named("softmax_with_loss.py").layer == "SoftmaxWithLoss"
    with pytest.raises(ValueError, match="unknown exercise 'Dropout'; the exercises are "
                                         "MulLayer, AddLayer, Relu, Sigmoid, Affine"):
        exercise_named("Dropout")


def test_start_copies_the_starter_and_never_overwrites(tmp_path, capsys):
    assert exercises_main(["start", "affine", "--to", str(tmp_path), "--lang", "ko"]) == 0
    written = tmp_path / "affine.py"
    assert written.read_text(encoding="utf-8") == (STARTERS / "affine.py").read_text(
        encoding="utf-8")
    assert "backward를 채운 뒤 실행해 주세요" in capsys.readouterr().out
    written.write_text("# my work\n", encoding="utf-8")
    assert exercises_main(["start", "affine", "--to", str(tmp_path)]) == 1
    assert written.read_text(encoding="utf-8") == "# my work\n"
    assert "exists already" in capsys.readouterr().err
    assert exercises_main(["start", "dropout", "--to", str(tmp_path)]) == 2


def test_the_command_exits_by_result_and_lists_the_exercises(tmp_path, capsys):
    assert exercises_main(["list"]) == 0
    assert capsys.readouterr().out.splitlines()[5] == (
        "  Affine           affine.py              5.6.2  Affine: x · W + b")
    assert exercises_main(["list", "--lang", "ko"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].startswith("밑바닥부터 시작하는 딥러닝 5장의 연습 문제")
    assert listing[3] == "  Relu             relu.py                5.5.1  ReLU 계층: max(0, x)"
    assert [line.split()[0] for line in listing[1:]] == list(EXERCISES)
    good = solved("Sigmoid", tmp_path)
    assert exercises_main(["check", str(good), "--examples", "10"]) == 0
    assert exercises_main(["check", str(STARTERS / "relu.py"), "--examples", "3"]) == 1
    assert exercises_main(["check", str(tmp_path / "missing.py")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert exercises_main(["check", str(good), "--examples", "0"]) == 2


def test_an_in_process_check_gives_its_caller_s_address_space_back(tmp_path):
    resource = pytest.importorskip("resource")
    before = resource.getrlimit(resource.RLIMIT_AS)
    good = solved("Sigmoid", tmp_path)
    assert exercises_main(["check", str(good), "--examples", "3", "--memory", "256"]) == 0
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_python_dash_m_runs_the_checker(tmp_path):
    good = solved("Affine", tmp_path)
    run = subprocess.run([sys.executable, "-m", "nn.exercises", "check", str(good), "--lang",
                          "ko", "--examples", "20"], capture_output=True, text=True, cwd=ROOT,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("✓ Affine: backward가 무작위 20개 사례에서")


# --- found by mutation testing: the report's every line, small errors, plain hints -------

def test_a_gradient_of_the_wrong_shape_is_reported_line_by_line(tmp_path):
    path = _edited("Affine", tmp_path, "self.db = np.sum(dout, axis=0)",
                   "self.db = np.sum(dout, axis=0, keepdims=True)")
    (report,) = check_file(path, examples=50, seed=0)
    assert (report.layer, report.passed) == ("Affine", False)
    assert report.text.splitlines() == [
        "✗ Affine: db has shape (1, 1), but b has shape (1,).",
        "  The smallest case found:",
        "    x = array([[0.]])",
        "    W = array([[0.]])",
        "    b = array([0.])",
        "    dout = array([[0.1257]])  (random, seed 0: --seed 0 repeats it)",
        "  db (from your backward) = array([[0.1257]])",
        "  db (from chainrule) = array([0.1257])",
        "  Hint: db has the right numbers in the wrong shape: sum without keepdims, "
        "db = np.sum(dout, axis=0), so that db has b's shape.",
    ]


def test_an_error_of_one_percent_is_caught_and_gets_the_layer_s_own_hint(tmp_path):
    path = _edited("Affine", tmp_path, "dx = np.dot(dout, self.W.T)",
                   "dx = np.dot(dout, self.W.T) * 1.01")
    (report,) = check_file(path, examples=50)
    lines = report.text.splitlines()
    head = re.fullmatch(r"✗ Affine: dx\[\d+, \d+\] is (\S+) from your backward, but chainrule "
                        r"gives (\S+)\.", lines[0])
    assert head and float(head[1]) == pytest.approx(1.01 * float(head[2]), rel=1e-12)
    assert lines[1] == "  The smallest case found:"
    assert any(line.startswith("  dx (from your backward) = array(") for line in lines)
    assert lines[-1] == ("  Hint: the book's formulas: dx = np.dot(dout, W.T), "
                         "dW = np.dot(x.T, dout), db = np.sum(dout, axis=0).")


@pytest.mark.parametrize(("change", "hint"), [
    ("* 1.01", "dx = (y - t) / batch_size: the loss is the mean over the batch."),
    ("/ 2", "dx = (y - t) / batch_size: the loss is the mean over the batch."),
])
def test_a_loss_gradient_off_by_a_factor_is_caught_and_the_batch_size_named_only_if_it_is_n(
        tmp_path, change, hint):
    path = _edited("SoftmaxWithLoss", tmp_path, "dx = (self.y - self.t) / batch_size",
                   f"dx = (self.y - self.t) / batch_size {change}")
    (report,) = check_file(path, examples=50)
    assert not report.passed
    assert report.text.splitlines()[-1].startswith(f"  Hint: {hint}"), report.text
    assert any(line.startswith("    t = array([[") for line in report.text.splitlines())


def test_exercises_are_found_by_class_or_starter_name_in_any_case():
    for name in ("MulLayer", "MULLAYER", "mul_layer", "mul_layer.py", "Mul_Layer.PY"):
        assert exercise_named(name).layer == "MulLayer"
    with pytest.raises(ValueError, match="unknown exercise 'mul_layer.txt'"):
        exercise_named("mul_layer.txt")


def test_two_different_mistakes_give_one_report_not_a_group_of_errors(tmp_path):
    # a < mask (wrong at 0) and a scaled forward (wrong elsewhere): two distinct failures
    path = _edited("Relu", tmp_path, "self.mask = (x <= 0)", "self.mask = (x < 0)")
    source = path.read_text(encoding="utf-8").replace("out = x.copy()", "out = x.copy() * 1.5")
    path.write_text(source, encoding="utf-8")
    (report,) = check_file(path, examples=100)
    assert not report.passed and "ExceptionGroup" not in report.text
    assert report.text.startswith("✗ Relu: ") and "  The smallest case found:" in report.text
