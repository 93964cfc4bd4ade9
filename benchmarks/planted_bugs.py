"""How fast chainrule's checks catch planted bugs: examples and seconds, as a table.

    python benchmarks/planted_bugs.py [--max-examples 2000] [--seed 0]

The bugs are in tests/planted_bugs.py: wrong rules, a wrong sign, a missing
factor, an error only at a kink or only in the second derivative, engine
bugs down to one unit in the last place, and wrong book-style layer
backwards. For each, hypothesis searches (``hypothesis.find``) for a case
that the named check fails on; the table gives how many cases it tried and
how long it took, or that the bug was not caught. Not a test: a measurement.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from hypothesis import HealthCheck, find, settings  # noqa: E402
from hypothesis.errors import NoSuchExample  # noqa: E402
from planted_bugs import BUGS  # noqa: E402


def measure(bug, max_examples: int, seed: int) -> tuple[int | None, int, float]:
    tried, first_hit = [0], []

    def caught(case) -> bool:
        tried[0] += 1
        hit = bug.caught(case)
        if hit and not first_hit:
            first_hit.append((tried[0], time.perf_counter() - start))
        return hit

    options = settings(max_examples=max_examples, database=None, derandomize=False,
                       suppress_health_check=list(HealthCheck), deadline=None)
    start = time.perf_counter()
    with bug.plant():
        try:  # find() goes on to shrink the case; the count and time are at the first hit
            find(bug.strategy, caught, settings=options, random=random.Random(seed))
        except NoSuchExample:
            return None, tried[0], time.perf_counter() - start
    return first_hit[0][0], tried[0], first_hit[0][1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print("| planted bug | check | caught after | seconds |")
    print("|---|---|---|---|")
    for bug in BUGS:
        first, tried, seconds = measure(bug, args.max_examples, args.seed)
        if first:
            found = f"{first} example{'s' * (first != 1)}"
        else:
            found = f"**not caught** in {tried} examples"
        print(f"| {bug.name} | {bug.check} | {found} | {seconds:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
