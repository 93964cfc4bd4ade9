"""What watching costs: the moons demo's training with and without the live view, in one
process, interleaved, and the ratio.

    python benchmarks/live_cost.py [--steps 100] [--runs 3]
    python benchmarks/live_cost.py --memory 10000

Each run trains micrograd's MLP(2, [16, 16, 1]) on 100 moons points for ``--steps``
full-batch steps from the same weights, once bare and once calling
``LiveView.update`` after every step (no page connected: the snapshots are made and
published all the same), alternating, and reports the medians. The goal is at most
1.10. A benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "demos")]

from moons import step_loss  # noqa: E402

import nn  # noqa: E402
from nn.data import make_moons  # noqa: E402
from nn.live import LiveView  # noqa: E402


def train(steps: int, watched: bool) -> float:
    x, t = make_moons(100, noise=0.1, seed=1337)
    rows, y = x.tolist(), [1 if v == 1 else -1 for v in t]
    model = nn.MLP(2, [16, 16, 1], init="uniform", seed=1337)
    optimizer = nn.SGD(model.parameters(), lr=1.0)
    view = LiveView(model, points=rows, labels=y) if watched else None
    start = time.perf_counter()
    for k in range(steps):
        loss, _ = step_loss(model, rows, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if view is not None:
            view.update(k, loss)
    seconds = time.perf_counter() - start
    if view is not None:
        print(f"    {len(view.snapshots)} snapshots", flush=True)
        view.close()
    return seconds


def memory(updates: int) -> None:
    """The view's memory after 2,000 updates (its rings of 1,000 full) and after
    ``updates``: the two agree (tracemalloc, a tiny model, a snapshot every update)."""
    import tracemalloc

    model = nn.MLP(2, [3, 1], seed=0)
    rows, labels = [[0.0, 0.5], [1.0, -0.5]], [1, -1]
    tracemalloc.start()
    with LiveView(model, points=rows, labels=labels, interval=0.0) as view:
        for k in range(updates):
            view.update(k, 1.0 / (k + 1))
            if k + 1 in (2_000, updates):
                print(f"after {k + 1:>6} updates: {tracemalloc.get_traced_memory()[0] / 1e6:.1f} "
                      f"MB traced, {len(view.snapshots)} snapshots kept", flush=True)
    tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory", type=int, metavar="UPDATES",
                        help="instead, the memory after 2,000 and after UPDATES updates")
    args = parser.parse_args()
    if args.memory:
        memory(args.memory)
        return
    bare, watched = [], []
    for run in range(args.runs):
        bare.append(train(args.steps, False))
        watched.append(train(args.steps, True))
        print(f"run {run + 1}: bare {bare[-1]:.2f} s, watched {watched[-1]:.2f} s", flush=True)
    ratio = statistics.median(watched) / statistics.median(bare)
    print(f"moons, {args.steps} steps: bare {statistics.median(bare):.2f} s, with the live view "
          f"{statistics.median(watched):.2f} s: {ratio:.3f}x (goal <= 1.10)")


if __name__ == "__main__":
    main()
