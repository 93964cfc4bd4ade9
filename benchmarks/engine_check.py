"""How check_engine does on engines with one planted bug each, and on real micrograd.

    python benchmarks/engine_check.py [--examples 100] [--seed 0]

The engines are in tests/engines/planted.py (a right micrograd-style engine and
copies of it with one bug each) and tests/engines/engine.js (the same in
JavaScript, with --bug mul). For each, the table gives the findings' kind and
op, the programs hypothesis tried before the first failure, the seconds of the
whole check, and the length of the program shown (its steps, and the lines of Python
or JSON it is written in: a loop for the deep chains). The mul convention (a second
backward) is on nearly every row, so it is left out of the table. Real micrograd
0.1.0 comes last, with its per-rule score. Not a test: a measurement, of time
too, which tests never assert.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograd.testing import check_engine  # noqa: E402

ENGINES = ROOT / "tests" / "engines"
PLANTED = ["Value", "WrongTanhRule", "WrongMulRule", "WrongExpValue", "Overwrites",
           "BreadthFirst", "CrashesOnNegative", "EveryPath", "Recursive", "Hangs",
           "PrintsFlood", "Exits", "ReplacesMathExp", "BlowsMemory", "GradIsText",
           "ReluSlopeOneAtZero"]


def row(name: str, engine: str, examples: int, seed: int) -> tuple[str, object]:
    report = check_engine(engine, examples=examples, seed=seed, timeout=2.0, memory_mb=512)
    shown = [f for f in report.findings if f.kind != "convention" or f.op != "mul"]
    found = "; ".join(_named(f) for f in shown) or "-"
    tried = ", ".join(str(f.examples) for f in shown) or "-"
    steps = ", ".join(f"{len(f.program.steps)} ({len(f.source.splitlines())} lines)"
                      if f.program else "-" for f in shown) or "-"
    return (f"| {name} | {'OK' if report.ok else 'not OK'} | {found} | {tried} | "
            f"{report.seconds:.1f} | {steps} |"), report


def _named(finding) -> str:
    """kind, with the rule it counts against, or the op it happened in."""
    if finding.kind in ("wrong_rule", "value"):
        return f"{finding.kind} `{finding.rule}`"
    return f"{finding.kind} ({finding.op})" if finding.op else finding.kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print("| engine | verdict | found | programs tried | seconds | program: steps (lines) |")
    print("|---|---|---|---|---|---|")
    for name in PLANTED:
        print(row(name, f"{ENGINES / 'planted.py'}:{name}", args.examples, args.seed)[0],
              flush=True)
    node = shutil.which("node")
    if node:
        for bug in ("", " --bug mul"):
            print(row(f"engine.js{bug}", f"cmd:{node} {ENGINES / 'engine.js'}{bug}",
                      args.examples, args.seed)[0], flush=True)
    line, report = row("micrograd 0.1.0", "micrograd.engine:Value", args.examples, args.seed)
    print(line)
    print()
    print(report.render())


if __name__ == "__main__":
    main()
