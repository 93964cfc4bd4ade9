"""Train the book's TwoLayerNet (64-50-10) on scikit-learn's 8x8 digits.

Each epoch shows a progress bar over its mini-batches, then a line with the
mean loss and the train and test accuracy. Every sample has the same graph, so
one sample's step is recorded once (``autograd.compile``) and replayed over
each batch, in two worker processes that each take half of it
(``nn.DataParallel``; ``--workers 1`` stays in this process, with the same
numbers; ``--no-replay`` rebuilds the batch's graph every step). The accuracy
is computed on floats, without nodes. The curves go to ``out/train_digits.png``.
The last line is ``test accuracy: 0.9xx``. With ``--mnist PATH`` it trains on
MNIST files you already have (784-50-10). Nothing is downloaded.

Run: ``python demos/train_digits.py [--epochs 8] [--optimizer adam] [--lr 0.01]``.
"""

from __future__ import annotations

import argparse
import io
import sys
import threading
import time
from pathlib import Path

from tqdm import tqdm

import nn
from autograd.atomic import write_atomic
from autograd.cli import run_quietly
from nn.data import batches, load_digits, load_mnist
from nn.parallel import DataParallel
from nn.two_layer_net import loss_of_sample, sample_numbers

OPTIMIZERS = {"sgd": nn.SGD, "momentum": nn.Momentum, "nesterov": nn.Nesterov,
              "adagrad": nn.AdaGrad, "rmsprop": nn.RMSprop, "adam": nn.Adam}


def loss_positions(history: dict[str, list[float]]) -> tuple[list[float], list[float]]:
    """Where the losses stand on the epoch axis: batch i of n ends at (i + 1) / n of its
    epoch, and an epoch's mean stands at the middle of the batches it averages."""
    per_epoch = len(history["batch_loss"]) / len(history["loss"])
    return ([(i + 1) / per_epoch for i in range(len(history["batch_loss"]))],
            [epoch - 0.5 for epoch in range(1, len(history["loss"]) + 1)])


def plot_curves(history: dict[str, list[float]], path: Path) -> Path:
    """Left: every batch's loss (as the book's figure 4-11 plots it), with each epoch's
    mean; right: the train and test accuracy after each epoch, the last values in the
    legend, so that a run of one epoch still reads at a glance."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = range(1, len(history["loss"]) + 1)
    batch_x, mean_x = loss_positions(history)
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(batch_x, history["batch_loss"], linewidth=0.8, alpha=0.6, label="each batch")
    left.plot(mean_x, history["loss"], marker="o", label="epoch mean")
    left.set(title="training loss (mean cross-entropy)", xlabel="epoch", ylabel="loss",
             xlim=(0, len(history["loss"]) + 0.05))
    left.legend(loc="upper right")
    for key in ("train", "test"):
        right.plot(epochs, history[key], marker="o", label=f"{key} (last {history[key][-1]:.3f})")
    right.set(title="accuracy after each epoch", xlabel="epoch", ylabel="accuracy",
              ylim=(0, 1.02), xlim=(0.5, len(history["loss"]) + 0.5), xticks=list(epochs))
    right.legend(loc="lower right")
    for axes in (left, right):
        axes.grid(alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    return write_atomic(path, buffer.getvalue())


class Trainer:
    """One optimizer step per batch, its gradients computed one of two ways.

    By default, replayed: the loss of one sample is recorded once
    (``autograd.compile``) and its program is looped over the batch
    (``Compiled.over``), so the program does not grow with the batch. The batch
    is cut into ``shards`` halves, each run by one of ``workers`` processes
    (``nn.DataParallel``), and their gradients are added in shard order: any
    number of workers gives the same numbers. With ``replay=False`` the batch's
    graph is built and backpropagated in this process, every step.
    """

    def __init__(self, network: nn.TwoLayerNet, optimizer: nn.Optimizer, replay: bool,
                 workers: int | None = None, shards: int = 2) -> None:
        self.network, self.optimizer = network, optimizer
        self.parallel = (DataParallel(network, loss_of_sample, workers=workers, shards=shards)
                         if replay else None)
        if self.parallel is None:
            print("gradients: the batch's graph rebuilt and backpropagated every step")
        else:
            where = ("in this process" if self.parallel.workers == 1 else
                     f"in {self.parallel.workers} worker processes")
            print(f"gradients: one sample's step recorded once and replayed over each batch "
                  f"(autograd.compile), {shards} shards {where}")

    def step(self, x_batch, t_batch) -> float:
        """One optimizer step; returns the batch's mean loss."""
        self.optimizer.zero_grad()
        if self.parallel is None:
            loss = self.network.loss(x_batch, t_batch)
            loss.backward()
            value = loss.data
        else:
            scale = 1.0 / len(x_batch)
            samples = [sample_numbers(x, t, 10, scale)
                       for x, t in zip(x_batch.tolist(), t_batch.tolist(), strict=True)]
            value = sum(self.parallel.backward(samples))
        self.optimizer.step()
        return value

    def accuracy(self, x, t) -> float:
        """On floats, no graph; split among the workers when there are some."""
        if self.parallel is None:
            return self.network.accuracy(x, t)
        return self.parallel.accuracy(x, t)

    def close(self) -> None:
        if self.parallel is not None:
            self.parallel.close()


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
                        help="rebuild the batch's graph every step, in this process, instead "
                             "of replaying a per-sample step in workers")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes for the gradients and the accuracy "
                             "(default: the cores, at most 2); 1 runs in this process")
    parser.add_argument("--live", action="store_true",
                        help="watch it learn: serve a live view on 127.0.0.1 while training")
    parser.add_argument("--port", type=int, default=8000,
                        help="the live view's port (0: any free one; in use: the next)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="the live view's address (another one warns)")
    parser.add_argument("--keep-open", action="store_true",
                        help="keep serving the live view after training, until Ctrl-C")
    args = parser.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
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


def live_view(network: nn.TwoLayerNet, x_test, t_test, args: argparse.Namespace):
    """The live view of this training (``nn.live``): the network, and its predictions on
    the first test samples, a snapshot a second; its address printed."""
    from nn.live import LiveView  # only for --live: a server thread

    view = LiveView(network, points=x_test.tolist(), labels=t_test.tolist(), host=args.host,
                    port=args.port, interval=1.0)
    print(f"live view: {view.url}", flush=True)
    return view


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

    history: dict[str, list[float]] = {"loss": [], "batch_loss": [], "train": [], "test": []}
    start = time.perf_counter()
    batches_per_epoch = -(-len(x_train) // args.batch_size)
    trainer = Trainer(network, optimizer, replay=not args.no_replay, workers=args.workers)
    view = live_view(network, x_test, t_test, args) if args.live else None
    step = 0
    try:
        for epoch in range(1, args.epochs + 1):
            losses = []
            steps = progress(batches(x_train, t_train, args.batch_size, seed=args.seed + epoch),
                             batches_per_epoch, epoch)
            for x_batch, t_batch in steps:
                losses.append(trainer.step(x_batch, t_batch))
                if view is not None:
                    view.update(step, losses[-1])
                step += 1
            history["batch_loss"] += losses
            history["loss"].append(sum(losses) / len(losses))
            history["train"].append(trainer.accuracy(x_train, t_train))
            history["test"].append(trainer.accuracy(x_test, t_test))
            print(f"epoch {epoch:>2}/{args.epochs}  loss {history['loss'][-1]:.4f}  "
                  f"train accuracy {history['train'][-1]:.4f}  "
                  f"test accuracy {history['test'][-1]:.4f}  "
                  f"({time.perf_counter() - start:.1f}s)", flush=True)
        if view is not None:
            view.publish(step - 1, losses[-1], final=True)  # the last step, drawn whole
            if args.keep_open:
                print("training ended; the live view stays open until Ctrl-C", flush=True)
                threading.Event().wait()
    finally:
        trainer.close()
        if view is not None:
            view.close()
    print(f"wrote {plot_curves(history, plot_path(args.out))}")
    print(f"test accuracy: {history['test'][-1]:.3f}")
    return 0


if __name__ == "__main__":
    # Ctrl-C, or a reader that leaves early (| head): one line, no traceback
    sys.exit(run_quietly(main, "train_digits"))
