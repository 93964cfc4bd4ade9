"""This engine against another checkout of chainrule (an older commit), side by side.

    git archive OLD_COMMIT | tar -x -C /tmp/old_engine
    python benchmarks/compare_engines.py /tmp/old_engine [--rounds 5] [--runs 5]

Both trees define the packages ``autograd`` and ``nn``, so each is timed in a
process of its own. The rounds alternate (this, other, this, other, ...), and
each process times the moons and digits steps, rebuilt and replayed, exactly
as ``benchmarks/run.py`` does (its own copy of run.py, on its own engine).
The table gives the median over rounds of each process's median, and the
ratio this / other: under 1.00 is faster. A benchmark, not a test.

This VM's speed drifts by tens of percent between identical runs, more than
the differences worth measuring here. ``--instructions`` counts instructions
instead, with valgrind's callgrind (Debian's valgrind): each step's count is
(a run with N steps - a run with none) / N, with PYTHONHASHSEED=0. Counts
repeat from run to run; they take about a minute per process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKLOADS = ("moons step", "digits step")
IMPLEMENTATIONS = ("chainrule", "replay")

_CHILD = """
import json, sys
sys.path[:0] = [{root!r} + "/benchmarks", {root!r}]
import run
layers = {{"moons step": run.initial_layers([2, 16, 16, 1], 7),
          "digits step": run.initial_layers([64, 50, 10], 8)}}
builds = {{"moons step": lambda: run.moons_implementations(layers["moons step"],
                                                           *run.moons_data()),
          "digits step": lambda: run.digits_implementations(layers["digits step"],
                                                            *run.digits_data())}}
times = {{}}
for name, build in builds.items():
    steps = {{k: v for k, v in build().items() if k in {implementations!r}}}
    times[name] = run.time_interleaved(steps, {runs})
print(json.dumps(times))
"""


def time_engine(root: Path, runs: int) -> dict:
    code = _CHILD.format(root=str(root), implementations=IMPLEMENTATIONS, runs=runs)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False, cwd=root)
    if result.returncode != 0:
        raise SystemExit(f"timing {root} failed:\n{result.stderr}")
    return json.loads(result.stdout.splitlines()[-1])


_COUNTING_CHILD = """
import sys
sys.path[:0] = [{root!r} + "/benchmarks", {root!r}]
import run
layers = {{"moons step": run.initial_layers([2, 16, 16, 1], 7),
          "digits step": run.initial_layers([64, 50, 10], 8)}}
if {workload!r} == "moons step":
    steps = run.moons_implementations(layers["moons step"], *run.moons_data())
else:
    steps = run.digits_implementations(layers["digits step"], *run.digits_data())
step = steps[{implementation!r}]
step(); step()  # warm-up, in the baseline too
for _ in range({n}):
    step()
"""


def instructions(root: Path, workload: str, implementation: str, n: int) -> int:
    code = _COUNTING_CHILD.format(root=str(root), workload=workload,
                                  implementation=implementation, n=n)
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         "-c", code], capture_output=True, text=True, check=False, cwd=root,
        env={**os.environ, "PYTHONHASHSEED": "0"})
    for line in result.stderr.splitlines():
        if "Collected :" in line:
            return int(line.split(":")[-1].replace(",", ""))
    raise SystemExit(f"callgrind on {root} failed:\n{result.stderr[-2000:]}")


def count_engines(engines: dict[str, Path], n: int) -> None:
    """Instructions per step, this and other: the same inputs give the same counts."""
    print("| workload | implementation | this (instructions/step) | other | this / other |")
    print("|---|---|---|---|---|")
    for workload in WORKLOADS:
        for impl in IMPLEMENTATIONS:
            per_step = {}
            for name, root in engines.items():
                jobs = [(root, workload, impl, 0), (root, workload, impl, n)]
                with ThreadPoolExecutor(2) as pool:  # two processes: the machine's two cores
                    base, total = pool.map(lambda job: instructions(*job), jobs)
                per_step[name] = (total - base) / n
            ours, theirs = per_step["this"], per_step["other"]
            print(f"| {workload} | {impl} | {ours:,.0f} | {theirs:,.0f} | {ours / theirs:.3f} |",
                  flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", type=Path, help="the other checkout's root folder")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per process")
    parser.add_argument("--instructions", type=int, metavar="N", default=0,
                        help="count instructions over N steps with callgrind instead of timing")
    args = parser.parse_args(argv)
    if not (args.other / "autograd").is_dir():
        parser.error(f"{args.other} has no autograd/ folder: give a chainrule checkout")
    engines = {"this": HERE.parent, "other": args.other.resolve()}
    if args.instructions:
        if shutil.which("valgrind") is None:
            parser.error("--instructions needs valgrind: sudo apt-get install valgrind")
        count_engines(engines, args.instructions)
        return 0
    samples: dict[str, list[dict]] = {name: [] for name in engines}
    for round_number in range(1, args.rounds + 1):
        for name, root in engines.items():
            samples[name].append(time_engine(root, args.runs))
        print(f"round {round_number}/{args.rounds} done", file=sys.stderr, flush=True)
    print("| workload | implementation | this | other | this / other |")
    print("|---|---|---|---|---|")
    for workload in WORKLOADS:
        for impl in IMPLEMENTATIONS:
            ours, theirs = (statistics.median(s[workload][impl] for s in samples[name])
                            for name in engines)
            print(f"| {workload} | {impl} | {ours * 1000:.2f} ms | {theirs * 1000:.2f} ms | "
                  f"{ours / theirs:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
