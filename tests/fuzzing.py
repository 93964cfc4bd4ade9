"""How many hypothesis examples a test with its own ``max_examples`` runs.

CI's profile and the default are what each test asks for. ``make fuzz`` sets
HYPOTHESIS_PROFILE=fuzz, and then every such test runs 30 times as many.
"""

import os

FUZZ_FACTOR = 30 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 1


def examples(n: int) -> int:
    return n * FUZZ_FACTOR
