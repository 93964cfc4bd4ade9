"""chainrule against micrograd 0.1.0 and the plain-float floor, in one process.

    python benchmarks/run.py [--runs 5] [--json benchmarks/results.json] [--update-readme]

Workloads:
  1. moons step: MLP(2, [16, 16, 1]) over 100 points, hinge + L2, SGD (micrograd's demo);
  2. digits step: MLP 64 -> 50 -> 10, softmax cross-entropy over a batch of 32,
     forward and backward;
  3. chain: y = y*1.0000001 + 1e-7, 1,000,000 steps, build and backward;
  4. bytes per node, measured with tracemalloc on a 100,000-step chain.

Every implementation starts from the same weights. Before timing, each
step's loss and gradients are checked against the others. Timed runs are
interleaved (A, B, C, A, B, C, ...) with the garbage collector on, as in a
user's script. Each implementation is timed in its own steady state: the heap
is collected, one untimed step leaves that implementation's usual garbage, and
the next step is timed. Each time is the median of ``--runs`` runs after a
warm-up. This is a benchmark, not a test: it asserts agreement, never speed.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import platform
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import floor  # noqa: E402
from micrograd_ext import mg_cross_entropy  # noqa: E402

import autograd  # noqa: E402
import nn  # noqa: E402
from autograd.atomic import write_atomic  # noqa: E402

try:
    from micrograd import nn as mg_nn
    from micrograd.engine import Value as MValue
except ImportError:  # pragma: no cover - the Makefile installs it
    sys.exit("benchmarks need micrograd 0.1.0: pip install -r benchmarks/requirements.txt")

ALPHA = 1e-4


# -- shared starting points ------------------------------------------------------

def initial_layers(sizes: list[int], seed: int) -> list[tuple[list[list[float]], list[float]]]:
    rng = random.Random(seed)
    return [([[rng.uniform(-1, 1) for _ in range(nin)] for _ in range(nout)],
             [rng.uniform(-0.1, 0.1) for _ in range(nout)])
            for nin, nout in zip(sizes, sizes[1:], strict=False)]


def flat(layers) -> list[float]:
    return [v for weights, biases in layers
            for row, b in zip(weights, biases, strict=True) for v in (*row, b)]


def load_into(parameters, layers) -> None:
    """Copy weights into a model whose parameters go per neuron: weights then bias."""
    for p, v in zip(parameters, flat(layers), strict=True):
        p.data = v


def copy_layers(layers):
    return [([row[:] for row in weights], biases[:]) for weights, biases in layers]


# -- workload 1: the moons step --------------------------------------------------

def moons_data():
    from nn.data import make_moons

    x, t = make_moons(100, noise=0.1, seed=1337)
    return x.tolist(), [1 if label else -1 for label in t]


def moons_implementations(layers, xs, ys, lr=0.5):
    ours = nn.MLP(2, [16, 16, 1])
    load_into(ours.parameters(), layers)
    theirs = mg_nn.MLP(2, [16, 16, 1])
    load_into(theirs.parameters(), layers)
    floor_layers = copy_layers(layers)

    params = ours.parameters()  # a training loop holds these once, in its optimizer
    optimizer = nn.SGD(params, lr=lr)

    def chainrule_step():
        scores = [ours(x)[0] for x in xs]
        loss = nn.hinge(scores, ys) + ALPHA * autograd.dot(params, params)
        optimizer.zero_grad()
        loss.backward()
        grads = [p.grad for p in params]
        optimizer.step()
        return loss.data, grads

    def micrograd_step():
        inputs = [list(map(MValue, x)) for x in xs]
        scores = list(map(theirs, inputs))
        losses = [(1 + -y * s).relu() for y, s in zip(ys, scores, strict=True)]
        loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in theirs.parameters())
        theirs.zero_grad()
        loss.backward()
        grads = [p.grad for p in theirs.parameters()]
        for p in theirs.parameters():
            p.data -= lr * p.grad
        return loss.data, grads

    def floor_step():
        loss, grads = floor.moons_step(floor_layers, xs, ys, lr)
        return loss, flat(grads)

    replayed = nn.MLP(2, [16, 16, 1])
    load_into(replayed.parameters(), layers)
    replayed_params = replayed.parameters()
    replay_optimizer = nn.SGD(replayed_params, lr=lr)
    replay = autograd.compile(lambda x, y: nn.hinge([replayed(row)[0] for row in x], y)
                              + ALPHA * autograd.dot(replayed_params, replayed_params))
    replay(xs, ys)  # record the graph once, outside the timings
    replay_optimizer.zero_grad()

    def replay_step():
        replay_optimizer.zero_grad()
        loss = replay(xs, ys)
        grads = [p.grad for p in replayed_params]
        replay_optimizer.step()
        return loss, grads

    return {"chainrule": chainrule_step, "replay": replay_step, "micrograd": micrograd_step,
            "floor": floor_step}


# -- workload 2: the digits step -------------------------------------------------

def digits_data():
    from nn.data import load_digits

    (x, t), _ = load_digits()
    return x[:32].tolist(), t[:32].tolist()


def digits_implementations(layers, xs, ts):
    ours = nn.MLP(64, [50, 10])
    load_into(ours.parameters(), layers)
    theirs = mg_nn.MLP(64, [50, 10])
    load_into(theirs.parameters(), layers)

    params = ours.parameters()

    def chainrule_step():
        loss = nn.cross_entropy([ours(x) for x in xs], ts)
        for p in params:
            p.grad = 0.0
        loss.backward()
        return loss.data, [p.grad for p in params]

    def micrograd_step():
        loss = mg_cross_entropy([theirs(list(map(MValue, x))) for x in xs], ts)
        theirs.zero_grad()
        loss.backward()
        return loss.data, [p.grad for p in theirs.parameters()]

    def floor_step():
        loss, grads = floor.digits_step(layers, xs, ts)
        return loss, flat(grads)

    replayed = nn.MLP(64, [50, 10])
    load_into(replayed.parameters(), layers)
    replayed_params = replayed.parameters()
    one_hot = [[1.0 if k == t else 0.0 for k in range(10)] for t in ts]  # data, not branches
    replay = autograd.compile(lambda x, t: nn.cross_entropy([replayed(row) for row in x], t))
    replay(xs, one_hot)

    def replay_step():
        for p in replayed_params:
            p.grad = 0.0
        return replay(xs, one_hot), [p.grad for p in replayed_params]

    return {"chainrule": chainrule_step, "replay": replay_step, "micrograd": micrograd_step,
            "floor": floor_step}


# -- workload 3: the million-step chain -------------------------------------------

CHAIN_STEPS = 1_000_000


def chain_implementations(steps: int = CHAIN_STEPS):
    def chainrule_chain():
        y = x = autograd.Value(1.0)
        for _ in range(steps):
            y = y * 1.0000001 + 1e-7
        y.backward()
        return y.data, [x.grad]

    def floor_chain():
        y, grad = floor.chain(steps)
        return y, [grad]

    # micrograd's recursive topological sort cannot walk a chain this deep, and a replay
    # of a two-million-node straight line would only measure Python's compiler.
    return {"chainrule": chainrule_chain, "floor": floor_chain}


# -- workload 4: bytes per node ---------------------------------------------------

def bytes_per_node(steps: int = 100_000) -> dict[str, dict[str, float]]:
    results = {}
    # chainrule folds the constants: 2 nodes a step. micrograd wraps each in a Value: 4.
    for name, make, nodes_per_step in [("chainrule", autograd.Value, 2), ("micrograd", MValue, 4)]:
        gc.collect()
        tracemalloc.start()
        y = x = make(1.0)
        for _ in range(steps):
            y = y * 1.0000001 + 1e-7
        used, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del x, y
        gc.collect()
        results[name] = {"bytes_per_node": used / (steps * nodes_per_step),
                         "bytes_per_step": used / steps}
    return results


# -- the harness -----------------------------------------------------------------

def check_agreement(name: str, implementations: dict[str, Callable], rel: float = 1e-9) -> None:
    """Run each once from the same state; losses and gradients must agree."""
    results = {impl: step() for impl, step in implementations.items()}
    (ref_name, (ref_loss, ref_grads)), *others = results.items()
    for other, (loss, grads) in others:
        if not math.isclose(loss, ref_loss, rel_tol=rel, abs_tol=1e-12):
            raise SystemExit(f"{name}: {other} loss {loss!r} != {ref_name} {ref_loss!r}")
        # relative to the gradient's scale: entries near 0 differ in their last bits
        scale = max(max(map(abs, ref_grads)), 1e-12)
        worst = max(abs(a - b) for a, b in zip(grads, ref_grads, strict=True)) / scale
        if worst > rel:
            raise SystemExit(f"{name}: {other} gradients differ from {ref_name} by {worst:.2g}")


def time_interleaved(implementations: dict[str, Callable], runs: int) -> dict[str, float]:
    for step in implementations.values():  # warm-up
        step()
    times: dict[str, list[float]] = {name: [] for name in implementations}
    for _ in range(runs):
        for name, step in implementations.items():
            # Each implementation is timed in its own steady state, as in a training loop:
            # collect what the others left (so nobody pays for another's garbage), run
            # one step untimed to leave this one's usual garbage, then time the next.
            gc.collect()
            step()
            start = time.perf_counter()
            step()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def machine() -> str:
    import os

    return (f"CPython {platform.python_version()} on {platform.machine()}, "
            f"{os.cpu_count()} cores, {platform.system()}")


def table(results: dict) -> str:
    lines = ["| workload | chainrule | replay | micrograd 0.1.0 | floor (plain floats) | "
             "chainrule vs micrograd | chainrule vs floor | replay vs floor |",
             "|---|---|---|---|---|---|---|---|"]
    for name, times in results["times"].items():
        ours, replay = times.get("chainrule"), times.get("replay")
        theirs, base = times.get("micrograd"), times.get("floor")
        cells = [f"{t * 1000:.1f} ms" if t is not None else "-"
                 for t in (ours, replay, theirs, base)]
        speedup = f"**{theirs / ours:.0f}x faster**" if theirs else "(recursion limit)"
        slowdown = f"{ours / base:.2f}x" if base else "-"
        replay_ratio = f"{replay / base:.2f}x" if replay and base else "-"
        lines.append(f"| {name} | {' | '.join(cells)} | {speedup} | {slowdown} | "
                     f"{replay_ratio} |")
    memory = results["memory"]
    ratio = memory["micrograd"]["bytes_per_step"] / memory["chainrule"]["bytes_per_step"]
    lines.append(f"| bytes per node | {memory['chainrule']['bytes_per_node']:.0f} | - | "
                 f"{memory['micrograd']['bytes_per_node']:.0f} | - | "
                 f"{ratio:.1f}x less memory per chain step | - | - |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per implementation")
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    parser.add_argument("--update-readme", action="store_true",
                        help="replace the table between the bench markers in README.md")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    # The chain runs first: its cost depends on the heap (the collector's full passes
    # walk every live object), so it gets the heap a script that builds a chain has,
    # before the other workloads import numpy and scikit-learn.
    workloads = {
        "1e6 chain": chain_implementations,
        "moons step": lambda: moons_implementations(initial_layers([2, 16, 16, 1], 7),
                                                    *moons_data()),
        "digits step": lambda: digits_implementations(initial_layers([64, 50, 10], 8),
                                                      *digits_data()),
    }
    results: dict = {"machine": machine(), "gc_enabled": gc.isenabled(), "runs": args.runs,
                     "times": {}}
    for name, build in workloads.items():
        check_agreement(name, build())
        print(f"{name}: implementations agree; timing {args.runs} interleaved runs ...",
              flush=True)
        results["times"][name] = time_interleaved(build(), args.runs)
        for impl, seconds in results["times"][name].items():
            print(f"  {impl:<10} {seconds * 1000:10.2f} ms", flush=True)
    results["memory"] = bytes_per_node()
    print(f"\n{results['machine']}, gc on, median of {args.runs} runs\n")
    print(table(results))
    write_atomic(args.json, json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {args.json}")
    if args.update_readme:
        readme = HERE.parent / "README.md"
        text = readme.read_text()
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        if start not in text or end not in text:
            raise SystemExit("README.md has no bench markers")
        block = f"{start}\n{results['machine']}, gc on, median of {args.runs} runs:\n\n" \
                f"{table(results)}\n{end}"
        write_atomic(readme, text[: text.index(start)] + block + text[text.index(end) + len(end):])
        print("updated README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
