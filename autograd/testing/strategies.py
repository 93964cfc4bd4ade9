"""Hypothesis strategies for random expression graphs and their inputs.

Needs hypothesis (``pip install chainrule[test]``). A property test of your own:

    from hypothesis import given
    from autograd.testing import gradcheck
    from autograd.testing.strategies import expression_cases

    @given(expression_cases())
    def test_backprop_matches_central_differences(case):
        expression, inputs = case
        assert gradcheck(expression, inputs)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from hypothesis import assume
from hypothesis import strategies as st

from autograd.testing.expressions import OPS, Expression, Step

__all__ = ["expression_cases", "expressions", "input_values"]

_ONE_TO_THREE = st.integers(1, 3)


@st.composite
def expressions(
    draw: st.DrawFn,
    n_inputs: int | st.SearchStrategy[int] = _ONE_TO_THREE,
    max_steps: int = 6,
    ops: Sequence[str] = tuple(OPS),
) -> Expression:
    """A random expression graph over every op in ``ops`` (default: all of them).

    Each step draws an op and arguments among all earlier nodes, so graphs
    share subexpressions (fan-out) as well as nest.
    """
    unknown = set(ops) - set(OPS)
    if unknown:
        raise ValueError(f"expressions: unknown ops {sorted(unknown)}; known: {sorted(OPS)}")
    n = n_inputs if isinstance(n_inputs, int) else draw(n_inputs)
    steps = []
    for j in range(draw(st.integers(1, max_steps))):
        op = OPS[draw(st.sampled_from(list(ops)))]
        n_args = draw(st.integers(op.min_args, op.max_args))
        if op.name == "dot":
            n_args += n_args % 2  # whole pairs
        nodes = st.integers(0, n + j - 1)
        # Lean towards the newest nodes so that graphs grow deep, not only wide.
        args = tuple(draw(st.one_of(nodes, st.just(n + j - 1))) for _ in range(n_args))
        const = 0.0
        if op.const_range is not None:
            low, high = op.const_range
            const = draw(st.floats(low, high, allow_nan=False, allow_infinity=False))
        steps.append(Step(op.name, args, const))
    return Expression(n, tuple(steps))


def input_values(n: int, low: float = -2.0, high: float = 2.0) -> st.SearchStrategy[list[float]]:
    """``n`` finite floats in [low, high]."""
    return st.lists(
        st.floats(low, high, allow_nan=False, allow_infinity=False), min_size=n, max_size=n
    )


@st.composite
def expression_cases(
    draw: st.DrawFn,
    n_inputs: int | st.SearchStrategy[int] = _ONE_TO_THREE,
    max_steps: int = 6,
    ops: Sequence[str] = tuple(OPS),
    max_magnitude: float = 1e3,
    kink_margin: float = 1e-3,
) -> tuple[Expression, list[float]]:
    """An expression and a point where derivative checks are sound.

    Every node's value stays within ``max_magnitude``, and every relu argument
    is at least ``kink_margin`` from 0. Points that fail are rejected with
    ``assume``.
    """
    expression = draw(expressions(n_inputs, max_steps, ops))
    inputs = draw(input_values(expression.n_inputs))
    largest, nearest_kink = expression.trace(*inputs)
    assume(math.isfinite(largest) and largest <= max_magnitude and nearest_kink >= kink_margin)
    return expression, inputs
