"""Derivatives by central differences, Richardson-extrapolated, with an error estimate.

A central difference ``D(h) = (f(x + h) - f(x - h)) / 2h`` is off by
``c h^2 + O(h^4)``. Two of them, at h and h/2, cancel the h^2 term:

    R = D(h/2) + (D(h/2) - D(h)) / 3            error O(h^4)

and ``|D(h/2) - D(h)| / 3``, the size of that correction, estimates the error
left in ``D(h/2)``, so it bounds R's generously. Rounding adds about
``eps |f| / h`` (f's own rounding, divided by the step), which the estimate
includes. This is numdifftools' and scipy.differentiate's idea in its
smallest form: four evaluations of f per derivative.

The default step, h = 1e-4, balances the two: the O(h^4) truncation is about
1e-16 (times f's fifth derivative), and rounding about 1e-12 (times |f|).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

__all__ = ["Estimate", "close", "derivative", "richardson"]

EPSILON = 2.0**-52


class Estimate(NamedTuple):
    """A derivative from differences, and how far off it may be."""

    value: float
    error: float


def richardson(values: tuple[float, float, float, float], h: float) -> Estimate:
    """The extrapolated derivative from f(x + h), f(x - h), f(x + h/2), f(x - h/2)."""
    up, down, half_up, half_down = values
    coarse = (up - down) / (2 * h)
    fine = (half_up - half_down) / h
    correction = (fine - coarse) / 3
    rounding = 4 * EPSILON * max(map(abs, values)) / h
    value = fine + correction
    if not math.isfinite(value):
        return Estimate(value, math.inf)
    return Estimate(value, abs(correction) + rounding)


def derivative(f: Callable[[float], float], x: float, h: float = 1e-4) -> Estimate:
    """f'(x), Richardson-extrapolated from central differences at h and h/2."""
    if not h > 0:
        raise ValueError(f"derivative: the step h must be positive, got {h!r}")
    return richardson((f(x + h), f(x - h), f(x + h / 2), f(x - h / 2)), h)


def close(a: float, b: float, atol: float, rtol: float) -> bool:
    """|a - b| <= atol + rtol |b|, with NaN equal to NaN and inf to the same inf only."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= atol + rtol * abs(b)
