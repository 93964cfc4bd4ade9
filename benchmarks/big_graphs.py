"""Big graphs: how long paths, explain and animate_backward's refusal take, and what they use.

    python benchmarks/big_graphs.py [--nodes 1000000]

The chain is y = y * 1.0001 + 0.0001, two nodes a step. This is a benchmark, not a test:
it prints seconds and megabytes and checks only that the answers are right.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import autograd  # noqa: E402
from autograd import Value  # noqa: E402


def chain(nodes: int) -> tuple[Value, Value]:
    x = Value(0.5, "x")
    y = x
    for _ in range(nodes // 2):
        y = y * 1.0001 + 0.0001
    return x, y


def measured(label: str, work) -> object:
    """Seconds from one run, and the peak memory from another: tracemalloc slows a walk
    over a million nodes several times over, so it stays out of the timed run."""
    def run() -> object:
        try:
            return work()
        except ValueError as refusal:
            return refusal

    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    print(f"  {label:<44} {seconds:8.3f} s  {peak:9.1f} MB peak (tracemalloc)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    args = parser.parse_args()
    x, y = chain(args.nodes)
    print(f"a chain of {args.nodes + 1:,} nodes:")
    autograd.animate_backward(Value(1.0) * 2)  # imports graphviz and dot's wrapper first
    refusal = measured("animate_backward (refused)", lambda: autograd.animate_backward(y))
    assert isinstance(refusal, ValueError) and str(refusal).startswith("animate_backward:")
    found = measured("paths(y, x): the one path", lambda: autograd.paths(y, x))
    shown = measured("explain(y): 200 rows of the table", lambda: str(autograd.explain(y)))
    y.backward()
    assert len(found) == 1 and abs(found.total - x.grad) <= 1e-9 * abs(x.grad)
    assert shown.count("\n") == 207  # title, header, 200 rows, the rest, the leaf


if __name__ == "__main__":
    main()
