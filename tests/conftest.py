"""Hypothesis profiles: CI runs derandomized with no deadline, so a test can't flake."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=60,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=60)
# make fuzz: many more examples, a new random seed each run, and the database off so
# that each run explores afresh.
settings.register_profile("fuzz", deadline=None, max_examples=2_000, database=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.filter_too_much])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
