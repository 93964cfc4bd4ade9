"""The book's MNIST experiment at full size: one epoch of TwoLayerNet 784-50-10.

    python benchmarks/mnist_epoch.py [FOLDER] [--workers 2] [--samples 500]

FOLDER holds MNIST-format IDX files (60,000 + 10,000 images, 28x28); when it
lacks them, ``make_mnist.py`` writes them there from scikit-learn's digits
(nothing is downloaded). Default: out/mnist.

1. The epoch: ``demos/train_digits.py --mnist FOLDER --epochs 1 --batch-size 100
   --optimizer sgd --lr 0.1`` (the book's settings), as a user runs it: 600 steps
   and the train and test accuracy. Memory is sampled every 0.2 s as the sum of
   the proportional set size (PSS) of the demo and its workers, so pages they
   share are counted once; the peak is reported.
2. Per-sample training time, one core, in this process, on the same weights and
   samples: chainrule's per-sample replay (``Compiled.over``), chainrule rebuilding
   the batch's graph, a hand-written pure-Python float floor, and the book's numpy
   TwoLayerNet (written below), which is what a user would pick instead. The
   floor's and numpy's gradients are checked against chainrule's first.

A benchmark, not a test: it checks agreement, never speed.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import threading
import time
from itertools import repeat
from operator import add, mul
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import autograd  # noqa: E402
import nn  # noqa: E402
from nn.data import load_mnist  # noqa: E402
from nn.two_layer_net import loss_of_sample, sample_numbers  # noqa: E402

# -- the epoch, as a user runs it -------------------------------------------------------


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    match = re.search(r"^Pss:\s+(\d+) kB", text, flags=re.M)
    return int(match.group(1)) if match else 0


def _tree(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            children = []
        stack += [int(c) for c in children]
    return found


def run_epoch(folder: Path, workers: int | None) -> dict:
    command = [sys.executable, str(ROOT / "demos" / "train_digits.py"), "--mnist", str(folder),
               "--epochs", "1", "--batch-size", "100", "--optimizer", "sgd", "--lr", "0.1",
               "--weight-init-std", "0.01", "--out", str(ROOT / "out" / "mnist_epoch.png")]
    if workers:
        command += ["--workers", str(workers)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], sum(map(_pss_kb, _tree(process.pid))))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    lines = []
    for line in process.stdout:
        print("   ", line.rstrip(), flush=True)
        lines.append(line)
    process.wait()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"the epoch failed (exit {process.returncode})")
    text = "".join(lines)
    epoch = re.search(r"train accuracy (\S+)\s+test accuracy (\S+)\s+\((\S+)s\)", text)
    return {"seconds": time.perf_counter() - started, "epoch_seconds": float(epoch.group(3)),
            "train_accuracy": float(epoch.group(1)), "test_accuracy": float(epoch.group(2)),
            "peak_pss_mb": peak[0] / 1024}


# -- per-sample references ----------------------------------------------------------------


def float_floor(W1, b1, W2, b2, x, label, scale, gW1, gb1, gW2, gb2) -> float:
    """One sample forward and backward on plain floats, written by hand as one would
    (each dot is sum(map(mul)), each row update a map; a batched, transposed version
    measured no faster). W1[j] is hidden unit j's weights; gradients are added into g*."""
    pre = [sum(map(mul, w, x)) + b for w, b in zip(W1, b1, strict=True)]
    h = [z if z > 0.0 else 0.0 for z in pre]
    z = [sum(map(mul, w, h)) + b for w, b in zip(W2, b2, strict=True)]
    top = max(z)
    e = [math.exp(v - top) for v in z]
    total = sum(e)
    loss = (math.log(total) + top - z[label]) * scale
    dz = [(ek / total - (k == label)) * scale for k, ek in enumerate(e)]
    for k, d in enumerate(dz):
        gW2[k] = list(map(add, gW2[k], map(mul, repeat(d), h)))
        gb2[k] += d
    for j in range(len(h)):
        if pre[j] > 0.0:
            d = sum(dz[k] * W2[k][j] for k in range(len(dz)))
            gW1[j] = list(map(add, gW1[j], map(mul, repeat(d), x)))
            gb1[j] += d
    return loss


class BookTwoLayerNet:
    """The book's numpy TwoLayerNet (ch. 5): Affine, Relu, Affine, SoftmaxWithLoss."""

    def __init__(self, W1, b1, W2, b2):
        self.W1, self.b1, self.W2, self.b2 = W1, b1, W2, b2

    def gradient(self, x, t):
        a1 = x @ self.W1 + self.b1
        mask = a1 <= 0
        h = np.where(mask, 0.0, a1)
        a2 = h @ self.W2 + self.b2
        shifted = np.exp(a2 - a2.max(axis=1, keepdims=True))
        y = shifted / shifted.sum(axis=1, keepdims=True)
        n = x.shape[0]
        dout = y.copy()
        dout[np.arange(n), t] -= 1
        dout /= n
        dW2, db2 = h.T @ dout, dout.sum(axis=0)
        dh = dout @ self.W2.T
        dh[mask] = 0
        return x.T @ dh, dh.sum(axis=0), dW2, db2


def _median_time(run, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def per_sample(x: np.ndarray, t: np.ndarray, count: int) -> dict[str, float]:
    """Seconds per training sample, one core, each way, on the same weights and samples."""
    network = nn.TwoLayerNet(784, 50, 10, weight_init_std=0.01, seed=0)
    params = network.params
    W1 = np.array([[w.data for w in row] for row in params["W1"]])
    b1 = np.array([b.data for b in params["b1"]])
    W2 = np.array([[w.data for w in row] for row in params["W2"]])
    b2 = np.array([b.data for b in params["b2"]])
    x, t = x[:count], t[:count]
    batches = [(x[i:i + 100], t[i:i + 100]) for i in range(0, count, 100)]

    step = autograd.compile(lambda *n: loss_of_sample(network, *n))
    samples = [[sample_numbers(r, int(k), 10, 1 / len(xb)) for r, k in zip(xb.tolist(), tb,
                                                                        strict=True)]
               for xb, tb in batches]
    network.zero_grad()
    step.over(samples[0])  # records the program (not timed)
    ours = [p.grad for p in network.parameters()]

    floor_W1, floor_W2 = W1.T.tolist(), W2.T.tolist()

    def floor_batch(xb, tb):
        gW1 = [[0.0] * 784 for _ in range(50)]
        gb1, gW2, gb2 = [0.0] * 50, [[0.0] * 50 for _ in range(10)], [0.0] * 10
        for row, label in zip(xb.tolist(), tb.tolist(), strict=True):
            float_floor(floor_W1, b1.tolist(), floor_W2, b2.tolist(), row, label,
                        1 / len(xb), gW1, gb1, gW2, gb2)
        return gW1, gb1, gW2, gb2

    book = BookTwoLayerNet(W1, b1, W2, b2)
    # Agreement first: the first batch's gradient of W1, every way.
    theirs = book.gradient(*batches[0])
    by_floor = floor_batch(*batches[0])
    mine = np.array([[p.grad for p in n.w] for n in network.affine1.neurons]).T
    assert np.allclose(mine, theirs[0], rtol=1e-9, atol=1e-15), "numpy disagrees"
    assert np.allclose(np.array(by_floor[0]).T, theirs[0], rtol=1e-9, atol=1e-15)
    assert ours  # chainrule's gradients were made

    def replayed():
        for batch in samples:
            network.zero_grad()
            step.over(batch)

    def rebuilt():
        for xb, tb in batches:
            network.zero_grad()
            network.loss(xb, tb).backward()

    return {
        "chainrule replay (Compiled.over)": _median_time(replayed) / count,
        "chainrule rebuilt graph": _median_time(rebuilt, 1) / count,
        "pure-Python float floor": _median_time(
            lambda: [floor_batch(xb, tb) for xb, tb in batches]) / count,
        "book's numpy TwoLayerNet": _median_time(
            lambda: [book.gradient(xb, tb) for xb, tb in batches], 5) / count,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "out" / "mnist")
    parser.add_argument("--workers", type=int, default=None,
                        help="the demo's --workers (default: its own: the cores, at most 2)")
    parser.add_argument("--samples", type=int, default=500,
                        help="samples timed per reference (a multiple of 100)")
    parser.add_argument("--skip-epoch", action="store_true", help="the references only")
    args = parser.parse_args(argv)
    if args.samples < 100 or args.samples % 100:
        parser.error("--samples must be a positive multiple of 100")
    if not (args.folder / "train-images-idx3-ubyte").exists():
        print(f"writing MNIST-format files to {args.folder} (make_mnist.py) ...", flush=True)
        subprocess.run([sys.executable, str(HERE / "make_mnist.py"), str(args.folder)],
                       check=True)
    (x_train, t_train), _ = load_mnist(args.folder)
    print(f"per-sample training time, one core, {args.samples} samples in batches of 100:",
          flush=True)
    times = per_sample(x_train, t_train, args.samples)
    floor_time = times["pure-Python float floor"]
    for name, seconds in times.items():
        print(f"  {name:<34} {seconds * 1e3:9.4f} ms  {seconds / floor_time:7.3g}x the floor")
    if args.skip_epoch:
        return 0
    print(f"one epoch (600 steps of 100, then train and test accuracy), {os.cpu_count()} "
          "cores:", flush=True)
    epoch = run_epoch(args.folder, args.workers)
    print(f"  epoch {epoch['epoch_seconds']:.1f} s (process {epoch['seconds']:.1f} s), "
          f"peak memory {epoch['peak_pss_mb']:.0f} MB (PSS, demo and workers), "
          f"train accuracy {epoch['train_accuracy']:.4f}, "
          f"test accuracy {epoch['test_accuracy']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
