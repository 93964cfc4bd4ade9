"""Every planted bug in tests/planted_bugs.py is caught by its check, but one: an error of
one unit in the last place, which only the exact oracle can see (gradcheck's tolerance,
like PyTorch's, is far wider). benchmarks/planted_bugs.py measures how fast each is found."""

import pytest
from hypothesis import HealthCheck, find, settings
from hypothesis.errors import NoSuchExample
from planted_bugs import BUGS

OPTIONS = settings(max_examples=600, database=None, derandomize=True, deadline=None,
                   suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("bug", BUGS, ids=[f"{b.check}: {b.name}" for b in BUGS])
def test_the_check_catches_the_planted_bug(bug):
    with bug.plant():
        if bug.check == "gradcheck" and "last place" in bug.name:
            with pytest.raises(NoSuchExample):  # within every tolerance: invisible to it
                find(bug.strategy, bug.caught, settings=OPTIONS)
        else:
            find(bug.strategy, bug.caught, settings=OPTIONS)  # NoSuchExample fails the test


def test_without_the_bug_plants_nothing_is_caught():
    # The engine's own ops pass the same checks: the catches above are the bugs'.
    exact = next(b for b in BUGS if b.check == "exact_check")
    with pytest.raises(NoSuchExample):
        find(exact.strategy, exact.caught, settings=settings(OPTIONS, max_examples=100))
