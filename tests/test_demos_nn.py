"""The learning demos: gradient check, digits training and moons, run for real (shortened)."""

import subprocess
import sys
from pathlib import Path

import pytest
from test_nn_data import write_mnist

DEMOS = Path(__file__).resolve().parents[1] / "demos"
sys.path.insert(0, str(DEMOS))
import gradient_check  # noqa: E402
import moons  # noqa: E402
import train_digits  # noqa: E402


def test_gradient_check_passes_and_prints_each_parameter(capsys):
    assert gradient_check.main(["--hidden", "8"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for key, line in zip(["W1", "b1", "W2", "b2"], lines, strict=False):
        name, value = line.split(": ")
        assert name == key and float(value) < 1e-7


def test_train_digits_prints_epochs_and_a_final_accuracy(tmp_path, capsys):
    assert train_digits.main(["--epochs", "1", "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == ("rebuilding the graph each step: 45 steps are too few for a replay's "
                        "one-time recording to pay off")
    assert lines[2].startswith("epoch  1/1  loss ")
    assert lines[-1].startswith("test accuracy: 0.")
    assert float(lines[-1].split(": ")[1]) > 0.8  # one epoch already learns most digits
    assert (tmp_path / "train_digits.png").read_bytes().startswith(b"\x89PNG")


def test_train_digits_on_mnist_files_the_user_has(tmp_path, capsys):
    write_mnist(tmp_path / "mnist", n_train=20, n_test=10, side=28)
    assert train_digits.main(["--mnist", str(tmp_path / "mnist"), "--epochs", "1",
                              "--hidden", "4", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("MNIST: 20 training and 10 test samples; TwoLayerNet 784-4-10")


def test_train_digits_without_mnist_files_says_what_to_do(tmp_path, capsys):
    assert train_digits.main(["--mnist", str(tmp_path / "none")]) == 2
    assert "train-images-idx3-ubyte" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--epochs", "0"], ["--lr", "-1"], ["--optimizer", "lbfgs"]])
def test_train_digits_refuses_bad_flags(args):
    with pytest.raises(SystemExit) as info:
        train_digits.main(args)
    assert info.value.code == 2


def test_moons_reaches_full_training_accuracy(tmp_path, capsys):
    assert moons.main(["--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "train accuracy: 1.000"
    assert (tmp_path / "moons.png").read_bytes().startswith(b"\x89PNG")


def test_train_digits_replay_is_chosen_and_trains_exactly_as_rebuilding(tmp_path, capsys):
    # 6 epochs of 35 batches: 210 steps, enough for the demo to try a replay
    flags = ["--epochs", "6", "--limit", "1120", "--hidden", "6", "--out", str(tmp_path)]
    assert train_digits.main(flags) == 0
    replayed = capsys.readouterr().out.splitlines()
    assert train_digits.main([*flags, "--no-replay"]) == 0
    rebuilt = capsys.readouterr().out.splitlines()
    assert replayed[1].startswith("graph replay (autograd.compile): ")
    epochs = [line.split("  (")[0] for line in replayed if line.startswith("epoch")]
    assert epochs == [line.split("  (")[0] for line in rebuilt if line.startswith("epoch")]
    assert replayed[-1] == rebuilt[-1]  # the same test accuracy, to the digit


def test_train_digits_out_may_name_the_png_and_every_flag_has_help(tmp_path, capsys):
    target = tmp_path / "curves.png"
    assert train_digits.main(["--epochs", "1", "--limit", "64", "--out", str(target)]) == 0
    assert target.read_bytes().startswith(b"\x89PNG") and not (target / "x").exists()
    out = capsys.readouterr().out
    assert "2 steps are too few" in out
    assert train_digits.main(["--epochs", "1", "--limit", "32", "--batch-size", "32",
                              "--out", str(tmp_path)]) == 0
    assert "1 step is too few" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        train_digits.main(["--out", str(tmp_path / "curves.jpg")])
    with pytest.raises(SystemExit):
        train_digits.main(["--help"])
    help_text = capsys.readouterr().out
    for flag in ("--epochs", "--lr", "--optimizer", "--hidden", "--batch-size",
                 "--weight-init-std", "--seed", "--mnist", "--limit", "--out", "--no-replay"):
        assert flag in help_text
    assert help_text.count("(default:") >= 8


def test_train_digits_in_a_log_prints_quarter_lines_not_carriage_returns(tmp_path):
    log = tmp_path / "log.txt"
    with log.open("w") as sink:
        subprocess.run([sys.executable, str(DEMOS / "train_digits.py"), "--epochs", "1",
                        "--out", str(tmp_path)], stdout=sink, stderr=subprocess.STDOUT,
                       check=True, timeout=300)
    text = log.read_text()
    assert "\r" not in text and len(text) < 2_000
    assert "epoch 1: 11/45 batches" in text and "test accuracy: 0." in text


def test_a_replay_too_large_to_write_out_is_said_in_one_line_and_training_goes_on(
        tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(train_digits.Trainer, "MIN_STEPS_FOR_REPLAY", 1)
    real_compile = train_digits.autograd.compile
    monkeypatch.setattr(train_digits.autograd, "compile",
                        lambda fn: real_compile(fn, max_size=1000))
    assert train_digits.main(["--epochs", "1", "--limit", "160", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    refusals = [line for line in out.splitlines() if "more than 1,000" in line]
    assert len(refusals) == 1 and refusals[0].startswith("rebuilding the graph each step: ")
    assert "test accuracy: 0." in out
