"""Weight initialisation, seeded through ``random.Random`` so runs repeat exactly.

* a number s: the book's ``weight_init_std``: N(0, s^2), e.g. 0.01;
* ``"he"``: N(0, 2 / fan_in), for ReLU layers (He et al. 2015);
* ``"xavier"``: N(0, 1 / fan_in), the book's form of Xavier/Glorot, for sigmoid and tanh;
* ``"uniform"``: U(-1, 1), micrograd's, for side-by-side runs.

Biases start at 0, as in the book and micrograd.
"""

from __future__ import annotations

import math
import random
from numbers import Real

__all__ = ["INITS", "Init", "make_rng", "weights"]

INITS = ("he", "xavier", "uniform")
Init = str | float


def make_rng(seed: int | random.Random | None) -> random.Random:
    """A ``random.Random`` from a seed, or the generator itself when given one."""
    if isinstance(seed, random.Random):
        return seed
    if seed is None or (isinstance(seed, int) and not isinstance(seed, bool)):
        return random.Random(seed)
    raise TypeError(f"seed must be an int, a random.Random or None, got {type(seed).__name__}")


def check_init(init: Init) -> None:
    if isinstance(init, str):
        if init not in INITS:
            raise ValueError(f"init must be a std (like 0.01) or one of {INITS}, got {init!r}")
    elif isinstance(init, bool) or not isinstance(init, Real) or not init > 0:
        raise ValueError(f"init: a weight std must be a positive number, got {init!r}")


def weights(fan_in: int, init: Init, rng: random.Random) -> list[float]:
    """``fan_in`` initial weights for one neuron."""
    check_init(init)
    if init == "uniform":
        return [rng.uniform(-1.0, 1.0) for _ in range(fan_in)]
    std = {"he": math.sqrt(2.0 / fan_in), "xavier": math.sqrt(1.0 / fan_in)}.get(init, init)
    return [rng.gauss(0.0, float(std)) for _ in range(fan_in)]
