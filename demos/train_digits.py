"""Train the book's TwoLayerNet (64-50-10) on scikit-learn's 8x8 digits.

Each epoch shows a progress bar over its mini-batches, then a line with the
mean loss and the train and test accuracy. Every step has the same graph, so
the demo times one step rebuilt and one replayed (``autograd.compile``), keeps
the faster, and says which (``--no-replay`` always rebuilds). The curves go to
``out/train_digits.png``. The last line is ``test accuracy: 0.9xx``. With
``--mnist PATH`` it trains on real MNIST files you already have (784-50-10).
Nothing is downloaded.

Run: ``python demos/train_digits.py [--epochs 8] [--optimizer adam] [--lr 0.01]``.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import warnings
from pathlib import Path

from tqdm import tqdm

import autograd
import nn
from autograd.atomic import write_atomic
from nn.data import batches, load_digits, load_mnist

OPTIMIZERS = {"sgd": nn.SGD, "momentum": nn.Momentum, "nesterov": nn.Nesterov,
              "adagrad": nn.AdaGrad, "rmsprop": nn.RMSprop, "adam": nn.Adam}


def plot_curves(history: dict[str, list[float]], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = range(1, len(history["loss"]) + 1)
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(epochs, history["loss"], marker="o")
    left.set(title="training loss (mean cross-entropy)", xlabel="epoch", ylabel="loss")
    right.plot(epochs, history["train"], marker="o", label="train")
    right.plot(epochs, history["test"], marker="o", label="test")
    right.set(title="accuracy", xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02))
    right.legend(loc="lower right")
    for axes in (left, right):
        axes.grid(alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    return write_atomic(path, buffer.getvalue())


class Trainer:
    """One optimizer step per batch: the graph rebuilt, or replayed when that is faster.

    Step 1 runs rebuilt (a warm-up). Step 2 runs rebuilt and is timed. Step 3 records
    the graph, and step 4 replays it, timed. From then on the faster way runs, and
    the choice is printed. Replay gives the same numbers (it is exact), so the
    choice changes speed only. A batch of another size (the short last one) is
    rebuilt rather than recorded again: one recording costs dozens of steps.
    """

    # Measured on digits: a recording takes 2.8 s and a replay saves about 15 ms of a
    # 32 ms step, so it pays off after about 185 steps. Shorter runs just rebuild.
    MIN_STEPS_FOR_REPLAY = 200

    def __init__(self, network: nn.TwoLayerNet, optimizer: nn.Optimizer, replay: bool,
                 total_steps: int) -> None:
        self.network, self.optimizer = network, optimizer
        self.replay = autograd.compile(network.loss) if replay else None
        if replay and total_steps < self.MIN_STEPS_FOR_REPLAY:
            print(f"rebuilding the graph each step: {plural(total_steps, 'step')} "
                  f"{'is' if total_steps == 1 else 'are'} too few for a replay's one-time "
                  "recording to pay off")
            self.replay = None
        self.recorded_size: int | None = None
        self.timings: dict[str, float] = {}
        self.steps = 0

    def step(self, x_batch, t_batch) -> float:
        self.steps += 1
        self.optimizer.zero_grad()
        if self.replay is None or self.steps == 1:
            loss = self._rebuilt(x_batch, t_batch)
        elif self.steps == 2:
            loss = self._timed("rebuilt", self._rebuilt, x_batch, t_batch)
        elif self.recorded_size is None:
            self.recorded_size = len(x_batch)
            with warnings.catch_warnings():  # a refusal is said once, below, in one line
                warnings.simplefilter("ignore", autograd.ReplayRefused)
                loss = self._timed("recording", self._replayed, x_batch, t_batch)
            if self.replay.refusal:
                tqdm.write(f"rebuilding the graph each step: {self.replay.refusal}")
                self.replay = None
        elif len(x_batch) != self.recorded_size:
            loss = self._rebuilt(x_batch, t_batch)
        elif "replayed" not in self.timings:
            loss = self._timed("replayed", self._replayed, x_batch, t_batch)
            self._choose()
        else:
            loss = self._replayed(x_batch, t_batch)
        self.optimizer.step()
        return loss

    def _rebuilt(self, x_batch, t_batch) -> float:
        loss = self.network.loss(x_batch, t_batch)
        loss.backward()
        return loss.data

    def _replayed(self, x_batch, t_batch) -> float:
        # one-hot targets: a class index would pick a logit, a branch frozen at recording
        return self.replay(x_batch, [[1.0 if k == t else 0.0 for k in range(10)]
                                     for t in t_batch])

    def _timed(self, name: str, run, x_batch, t_batch) -> float:
        started = time.perf_counter()
        loss = run(x_batch, t_batch)
        self.timings[name] = time.perf_counter() - started
        return loss

    def _choose(self) -> None:
        rebuilt, replayed = self.timings["rebuilt"], self.timings["replayed"]
        if replayed < rebuilt:
            tqdm.write(f"graph replay (autograd.compile): {replayed * 1000:.1f} ms a step "
                       f"against {rebuilt * 1000:.1f} ms rebuilding the graph "
                       f"(recording it took {self.timings['recording']:.2f} s, once)")
        else:
            tqdm.write(f"rebuilding the graph each step: replay was no faster "
                       f"({replayed * 1000:.1f} ms against {rebuilt * 1000:.1f} ms)")
            self.replay = None


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Train the book's TwoLayerNet on digits (or on your MNIST files).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--epochs", type=int, default=8, help="passes over the training set")
    parser.add_argument("--lr", type=float, default=0.01, help="the optimizer's learning rate")
    parser.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam",
                        help="the update rule")
    parser.add_argument("--hidden", type=int, default=50, help="hidden units")
    parser.add_argument("--batch-size", type=int, default=32, help="samples per step")
    parser.add_argument("--weight-init-std", type=float, default=0.1,
                        help="the std of the initial weights (the book's weight_init_std)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seeds the weights, the split and the shuffling")
    parser.add_argument("--mnist", type=Path, metavar="PATH",
                        help="a folder with the four MNIST IDX files (raw or .gz); "
                             "default: scikit-learn's digits")
    parser.add_argument("--limit", type=int, metavar="N",
                        help="train on the first N samples only (MNIST's 60,000 are slow here)")
    parser.add_argument("--out", type=Path, default=Path("out"),
                        help="a folder for train_digits.png, or a .png file")
    parser.add_argument("--no-replay", action="store_true",
                        help="rebuild the graph every step instead of replaying it")
    args = parser.parse_args(argv)
    for name in ("epochs", "hidden", "batch_size"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if not args.lr > 0:
        parser.error("--lr must be positive")
    if args.out.suffix and args.out.suffix.lower() != ".png":
        parser.error(f"--out: give a folder or a .png file, got {str(args.out)!r}")
    return args


def plot_path(out: Path) -> Path:
    """``--out``: a .png file as given, or a folder to put train_digits.png in."""
    return out if out.suffix.lower() == ".png" else out / "train_digits.png"


def progress(batches_in_epoch, total: int, epoch: int):
    """A progress bar in a terminal; in a log, a plain line at each quarter of the epoch
    (a bar redraws itself with carriage returns, which a log file keeps every one of)."""
    if sys.stderr.isatty():
        yield from tqdm(batches_in_epoch, total=total, desc=f"epoch {epoch}", unit="batch",
                        leave=False, file=sys.stderr)
        return
    quarter = max(1, total // 4)
    for done, batch in enumerate(batches_in_epoch, start=1):
        yield batch
        if done % quarter == 0 and done < total:
            print(f"  epoch {epoch}: {done}/{total} batches", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.mnist:
        try:
            (x_train, t_train), (x_test, t_test) = load_mnist(args.mnist)
        except (FileNotFoundError, ValueError) as error:
            print(f"train_digits: {error}", file=sys.stderr)
            return 2
        name = "MNIST"
    else:
        (x_train, t_train), (x_test, t_test) = load_digits(seed=args.seed)
        name = "digits"
    if args.limit:
        x_train, t_train = x_train[: args.limit], t_train[: args.limit]
    inputs = x_train.shape[1]
    network = nn.TwoLayerNet(inputs, args.hidden, 10, weight_init_std=args.weight_init_std,
                             seed=args.seed)
    optimizer = OPTIMIZERS[args.optimizer](network.parameters(), lr=args.lr)
    print(f"{name}: {len(x_train)} training and {len(x_test)} test samples; "
          f"TwoLayerNet {inputs}-{args.hidden}-10 ({len(network.parameters())} parameters), "
          f"{args.optimizer} lr={args.lr}, batches of {args.batch_size}")

    history: dict[str, list[float]] = {"loss": [], "train": [], "test": []}
    start = time.perf_counter()
    batches_per_epoch = -(-len(x_train) // args.batch_size)
    trainer = Trainer(network, optimizer, replay=not args.no_replay,
                      total_steps=args.epochs * batches_per_epoch)
    for epoch in range(1, args.epochs + 1):
        losses = []
        steps = progress(batches(x_train, t_train, args.batch_size, seed=args.seed + epoch),
                         batches_per_epoch, epoch)
        for x_batch, t_batch in steps:
            losses.append(trainer.step(x_batch, t_batch))
        history["loss"].append(sum(losses) / len(losses))
        history["train"].append(network.accuracy(x_train, t_train))
        history["test"].append(network.accuracy(x_test, t_test))
        print(f"epoch {epoch:>2}/{args.epochs}  loss {history['loss'][-1]:.4f}  "
              f"train accuracy {history['train'][-1]:.4f}  "
              f"test accuracy {history['test'][-1]:.4f}  ({time.perf_counter() - start:.1f}s)",
              flush=True)
    print(f"wrote {plot_curves(history, plot_path(args.out))}")
    print(f"test accuracy: {history['test'][-1]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
