"""The book's gradient check: backprop against numerical gradients on 3 digit samples.

A TwoLayerNet(64, 50, 10) computes its gradients twice: by backprop
(``gradient``) and by central differences (``numerical_gradient``). For each of
W1, b1, W2 and b2 it prints the mean absolute difference; each must be under
1e-7. Numerical differentiation is slow on purpose: two forward passes per
parameter, 7,520 in all. Backprop gets every gradient from one backward pass.

Run: ``python demos/gradient_check.py``.
"""

from __future__ import annotations

import argparse
import sys
import time

import nn
from autograd.cli import run_quietly
from nn.data import load_digits

TOLERANCE = 1e-7


def mean_abs_diff(a, b) -> float:
    flat_a = [v for row in a for v in (row if isinstance(row, list) else [row])]
    flat_b = [v for row in b for v in (row if isinstance(row, list) else [row])]
    return sum(abs(x - y) for x, y in zip(flat_a, flat_b, strict=True)) / len(flat_a)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Backprop vs numerical gradients.")
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--hidden", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    (x_train, t_train), _ = load_digits()
    x_batch, t_batch = x_train[: args.samples], t_train[: args.samples]
    network = nn.TwoLayerNet(input_size=64, hidden_size=args.hidden, output_size=10,
                             seed=args.seed)
    start = time.perf_counter()
    grad_backprop = network.gradient(x_batch, t_batch)
    backprop_seconds = time.perf_counter() - start
    start = time.perf_counter()
    grad_numerical = network.numerical_gradient(x_batch, t_batch)
    numerical_seconds = time.perf_counter() - start

    worst = 0.0
    for key in ("W1", "b1", "W2", "b2"):
        diff = mean_abs_diff(grad_backprop[key], grad_numerical[key])
        worst = max(worst, diff)
        print(f"{key}: {diff!r}")
    print(f"backprop {backprop_seconds:.3f}s, numerical {numerical_seconds:.1f}s "
          f"for {len(network.parameters())} parameters")
    if not worst < TOLERANCE:
        print(f"gradient check FAILED: a mean difference is {worst!r}, not under {TOLERANCE}",
              file=sys.stderr)
        return 1
    print(f"gradient check passed: every mean difference is under {TOLERANCE}")
    return 0


if __name__ == "__main__":
    # Ctrl-C, or a reader that leaves early (| head): one line, no traceback
    sys.exit(run_quietly(main, "gradient_check"))
