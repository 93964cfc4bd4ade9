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
    assert lines[1].startswith("gradients: one sample's step recorded once and replayed over "
                               "each batch (autograd.compile), 2 shards ")
    assert lines[2].startswith("epoch  1/1  loss ")
    assert lines[-1].startswith("test accuracy: 0.")
    assert float(lines[-1].split(": ")[1]) > 0.8  # one epoch already learns most digits
    assert (tmp_path / "train_digits.png").read_bytes().startswith(b"\x89PNG")


def test_the_loss_plot_places_each_batch_within_its_epoch_and_each_mean_at_its_middle():
    history = {"loss": [2.0, 1.0], "batch_loss": [2.5, 2.0, 1.5, 2.0, 1.0, 1.0, 1.0, 1.0]}
    assert train_digits.loss_positions(history) == (
        [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0], [0.5, 1.5])


def test_train_digits_on_mnist_files_the_user_has(tmp_path, capsys):
    write_mnist(tmp_path / "mnist", n_train=20, n_test=10, side=28)
    assert train_digits.main(["--mnist", str(tmp_path / "mnist"), "--epochs", "1",
                              "--hidden", "4", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("MNIST: 20 training and 10 test samples; TwoLayerNet 784-4-10")


def test_train_digits_without_mnist_files_says_what_to_do(tmp_path, capsys):
    assert train_digits.main(["--mnist", str(tmp_path / "none")]) == 2
    assert "train-images-idx3-ubyte" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--epochs", "0"], ["--lr", "-1"], ["--optimizer", "lbfgs"],
                                  ["--workers", "0"]])
def test_train_digits_refuses_bad_flags(args):
    with pytest.raises(SystemExit) as info:
        train_digits.main(args)
    assert info.value.code == 2


def test_moons_reaches_full_training_accuracy(tmp_path, capsys):
    assert moons.main(["--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "train accuracy: 1.000"
    assert (tmp_path / "moons.png").read_bytes().startswith(b"\x89PNG")


def test_train_digits_gives_the_same_numbers_with_one_worker_or_two(tmp_path, capsys):
    flags = ["--epochs", "2", "--limit", "320", "--hidden", "6", "--out", str(tmp_path)]
    assert train_digits.main([*flags, "--workers", "2"]) == 0
    two = capsys.readouterr().out.splitlines()
    assert train_digits.main([*flags, "--workers", "1"]) == 0
    one = capsys.readouterr().out.splitlines()
    assert two[1].endswith("2 shards in 2 worker processes")
    assert one[1].endswith("2 shards in this process")

    def numbers(lines):
        return [line.split("  (")[0] for line in lines if line.startswith("epoch")]
    assert numbers(one) == numbers(two) and one[-1] == two[-1]
    # rebuilding the batch's graph sums in another order: the same training, to rounding
    assert train_digits.main([*flags, "--no-replay"]) == 0
    rebuilt = capsys.readouterr().out.splitlines()
    assert rebuilt[1] == "gradients: the batch's graph rebuilt and backpropagated every step"
    assert abs(float(rebuilt[-1].split(": ")[1]) - float(one[-1].split(": ")[1])) <= 0.01


def test_train_digits_out_may_name_the_png_and_every_flag_has_help(tmp_path, capsys):
    target = tmp_path / "curves.png"
    assert train_digits.main(["--epochs", "1", "--limit", "64", "--out", str(target)]) == 0
    assert target.read_bytes().startswith(b"\x89PNG") and not (target / "x").exists()
    capsys.readouterr()
    with pytest.raises(SystemExit):
        train_digits.main(["--out", str(tmp_path / "curves.jpg")])
    with pytest.raises(SystemExit):
        train_digits.main(["--help"])
    help_text = capsys.readouterr().out
    for flag in ("--epochs", "--lr", "--optimizer", "--hidden", "--batch-size",
                 "--weight-init-std", "--seed", "--mnist", "--limit", "--out", "--no-replay",
                 "--workers"):
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
