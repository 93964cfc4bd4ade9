"""Hypothesis strategies for random expression graphs and their inputs.

Needs hypothesis (``pip install 'chainrule[test]'``). A property test of your own:

    from hypothesis import given
    from autograd.testing import gradcheck
    from autograd.testing.strategies import expression_cases

    @given(expression_cases())
    def test_backprop_matches_central_differences(case):
        expression, inputs = case
        assert gradcheck(expression, inputs)

The ops come from the op table: every built-in op, or the ones you name,
including your own (``ops=["add", "mul", my_softplus]``). Each argument is a
node or a folded number, drawn inside the op's domain.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

try:
    from hypothesis import assume, target
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "autograd.testing.strategies needs hypothesis: pip install 'chainrule[test]' "
        "(or pip install hypothesis)"
    ) from error

from autograd.backprop import grad
from autograd.ops import BUILTINS, DOT, OPS, Op
from autograd.testing.expressions import Expression, Step
from autograd.testing.gradcheck import gradcheck, numerical_gradient
from autograd.value import Value

__all__ = ["checked", "expression_cases", "expressions", "input_values", "layer_inputs"]

_ONE_TO_THREE = st.integers(1, 3)
_CONSTANTS = {"real": (-3.0, 3.0), "positive": (0.5, 3.0), "nonzero": (0.5, 3.0)}
_MAX_VARIADIC = 4  # terms of a sum or logsumexp; pairs of a dot


def _names(ops: Sequence[str | Op] | None) -> list[str]:
    """Op names from names or entries; an entry not in the table yet is refused."""
    if ops is None:
        return [op.name for op in BUILTINS]
    names = []
    for op in ops:
        name = op.name if isinstance(op, Op) else op
        if OPS.get(name) is None or (isinstance(op, Op) and OPS[name] is not op):
            raise ValueError(f"expressions: unknown op {name!r}; known: {sorted(OPS)} "
                             "(register yours with autograd.register_op)")
        names.append(name)
    if not names:
        raise ValueError("expressions: ops must name at least one op")
    return names


@st.composite
def _step(draw: st.DrawFn, op: Op, n_nodes: int) -> Step:
    if op.arity is not None:
        n_args = op.arity
    elif op is DOT:
        n_args = 2 * draw(st.integers(1, _MAX_VARIADIC)) + 1
    else:
        n_args = draw(st.integers(1, _MAX_VARIADIC))
    # Lean towards the newest node so that graphs grow deep, not only wide; any
    # earlier node may be used again, which makes shared subexpressions.
    node = st.one_of(st.integers(0, n_nodes - 1), st.just(n_nodes - 1))
    args: list[int | float] = []
    for i in range(n_args):
        domain = op.domains[0] if op.arity is None else op.domains[i]
        if draw(st.booleans()) and draw(st.booleans()):  # a folded number, 1 time in 4
            low, high = _CONSTANTS[domain]
            args.append(draw(st.floats(low, high, allow_nan=False, allow_infinity=False)))
        else:
            args.append(draw(node))
    if not any(type(a) is int for a in args):
        args[draw(st.integers(0, n_args - 1))] = n_nodes - 1
    return Step(op.name, tuple(args))


@st.composite
def expressions(
    draw: st.DrawFn,
    n_inputs: int | st.SearchStrategy[int] = _ONE_TO_THREE,
    max_steps: int = 6,
    ops: Sequence[str | Op] | None = None,
) -> Expression:
    """A random expression graph over the ops in ``ops`` (default: every built-in op)."""
    names = _names(ops)
    n = n_inputs if isinstance(n_inputs, int) else draw(n_inputs)
    steps = []
    for j in range(draw(st.integers(1, max_steps))):
        op = OPS[draw(st.sampled_from(names))]
        steps.append(draw(_step(op, n + j)))
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
    ops: Sequence[str | Op] | None = None,
    max_magnitude: float = 1e3,
    kink_margin: float = 1e-3,
) -> tuple[Expression, list[float]]:
    """An expression and a point where derivative checks are sound.

    Every node's value stays within ``max_magnitude``, and every kink (relu at
    0, a tie of maximum, ...) is at least ``kink_margin`` away. Points that
    fail are rejected with ``assume``.
    """
    expression = draw(expressions(n_inputs, max_steps, ops))
    inputs = draw(input_values(expression.n_inputs))
    largest, nearest_kink = expression.trace(*inputs)
    assume(math.isfinite(largest) and largest <= max_magnitude and nearest_kink >= kink_margin)
    return expression, inputs


def _worst_relative_error(expression: Expression, inputs: list[float]) -> float:
    xs = [Value(x) for x in inputs]
    backprop = [g.data for g in grad(expression(*xs), xs)]
    numeric = numerical_gradient(expression, inputs)
    return max((abs(a - n) / (abs(n) + 1e-8) for a, n in zip(backprop, numeric, strict=True)),
               default=0.0)


def checked(case: tuple[Expression, list[float]], **gradcheck_options: object) -> bool:
    """``gradcheck`` on a drawn case, steering hypothesis towards large relative error.

    It reports backprop's worst relative error against central differences with
    ``hypothesis.target``, so that the search climbs towards the inputs where a
    rule is most wrong, then runs ``gradcheck`` (with your options) on the case.
    Call it inside a ``@given`` test.
    """
    expression, inputs = case
    worst = _worst_relative_error(expression, inputs)
    target(worst if worst == worst else 1e300, label="backprop's relative error")
    return gradcheck(expression, inputs, **gradcheck_options)


@st.composite
def layer_inputs(draw: st.DrawFn, *shapes: tuple[int | str, ...], low: float = -2.0,
                 high: float = 2.0, max_size: int = 4):
    """Arrays for a layer's inputs, shaped alike: ``("N", "D"), ("D", "H"), ("H",)``.

    A name is one size drawn for all arrays (1 to ``max_size``); an int is itself.
    Values lie in [low, high], and one draw in four puts exact zeros in, where
    relu's mask and other kinks live.
    """
    import numpy as np

    if not shapes:
        raise ValueError("layer_inputs: give at least one shape, such as ('N', 'D')")
    sizes: dict[str, int] = {}
    arrays = []
    for shape in shapes:
        dims = []
        for dim in shape:
            if isinstance(dim, str):
                if dim not in sizes:
                    sizes[dim] = draw(st.integers(1, max_size))
                dims.append(sizes[dim])
            elif isinstance(dim, int) and dim >= 1:
                dims.append(dim)
            else:
                raise ValueError(f"layer_inputs: a dimension is a name or a size >= 1, "
                                 f"got {dim!r}")
        count = int(np.prod(dims)) if dims else 1
        element = st.floats(low, high, allow_nan=False, allow_infinity=False)
        if draw(st.integers(0, 3)) == 0:
            element = st.one_of(st.just(0.0), element)
        values = draw(st.lists(element, min_size=count, max_size=count))
        arrays.append(np.array(values, dtype=np.float64).reshape(dims))
    return tuple(arrays)
