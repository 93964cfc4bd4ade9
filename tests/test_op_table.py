"""One test over the whole op table: a new op is covered with no new test code.

For every op (built-in, and one registered by a user) at points inside its
domain and away from its kinks:

* the float local derivatives against central differences of the forward;
* the Value rules against sympy, first and second derivatives;
* replay (``autograd.compile``) against eager, bit for bit;
* the fast paths (operators, methods, autograd.sum/dot/logsumexp) against the
  table's generic ``apply``, bit for bit, with and without folded numbers;
* PyTorch, where it has the op.
"""

import itertools
import json
import math
import subprocess
import sys
import textwrap

import pytest
import sympy
from graphs import replay_against_fresh

import autograd
from autograd import Value
from autograd.ops import BUILTINS, DOT, OPS, Folded, Op, register_op
from autograd.testing.expressions import AUTOGRAD
from autograd.value import apply

POINTS = {"real": (-1.3, 0.45, 2.1), "positive": (0.35, 1.7), "nonzero": (-1.6, 0.8)}
VARIADIC_ARGS = 2  # terms of sum and logsumexp; dot gets two pairs and a bias


def _user_softplus():
    # A user's op, registered once for the session: a smooth relu.
    return OPS.get("table_test_softplus") or register_op(
        "table_test_softplus", lambda x: math.log1p(math.exp(x)),
        [lambda out, x: autograd.sigmoid(x)],
        sympy=lambda sp, x: sp.log(1 + sp.exp(x)))


TABLE = [*BUILTINS, _user_softplus()]


def n_args(op: Op) -> int:
    if op.arity is not None:
        return op.arity
    return 2 * VARIADIC_ARGS + 1 if op is DOT else VARIADIC_ARGS


def domain(op: Op, i: int) -> str:
    return op.domains[0] if op.arity is None else op.domains[i]


def points(op: Op) -> list[tuple[float, ...]]:
    """Points in the op's domain, at least 0.1 from any kink; up to 6 of them."""
    n = n_args(op)
    grids = [POINTS[domain(op, i)] for i in range(n)]
    if n > 2:  # variadic: a few shifted rows rather than the whole product
        rows = [tuple(grids[i][(i + k) % len(grids[i])] + 0.1 * i for i in range(n))
                for k in range(3)]
    else:
        rows = list(itertools.product(*grids))
    return [p for p in rows if op.kink is None or op.kink(*p) > 0.1][:6]


def cases():
    return [pytest.param(op, p, id=f"{op.name}{p}") for op in TABLE for p in points(op)]


@pytest.mark.parametrize(("op", "point"), cases())
def test_float_rules_match_central_differences(op, point):
    node = apply(op, [Value(x) for x in point])
    h = 1e-6
    for i, local in enumerate(node.local_derivatives):
        up, down = list(point), list(point)
        up[i] += h
        down[i] -= h
        numeric = (op.on_floats(up) - op.on_floats(down)) / (2 * h)
        assert local == pytest.approx(numeric, rel=1e-6, abs=1e-7), (op.name, i)


@pytest.mark.parametrize(("op", "point"), cases())
def test_value_rules_match_sympy_to_the_second_order(op, point):
    symbols = sympy.symbols(f"a0:{len(point)}", real=True)
    formula = op.sympy(sympy, *symbols)
    at = dict(zip(symbols, point, strict=True))
    xs = [Value(x) for x in point]
    out = apply(op, xs)
    firsts = autograd.grad(out, xs, create_graph=True)
    for i, first in enumerate(firsts):
        d1 = sympy.diff(formula, symbols[i])
        assert first.data == pytest.approx(float(d1.evalf(subs=at)), rel=1e-10, abs=1e-12)
        for j, second in enumerate(autograd.grad(first, xs)):
            d2 = sympy.diff(d1, symbols[j])
            assert second.data == pytest.approx(float(d2.evalf(subs=at)), rel=1e-9, abs=1e-11), \
                (op.name, i, j)


def bits(x: float) -> str:
    return float.hex(float(x))


@pytest.mark.parametrize(("op", "point"), cases())
def test_replay_equals_eager_bit_for_bit(op, point):
    weights = [Value(0.9 + 0.05 * i) for i in range(len(point))]

    def step(*xs):  # weights x inputs, so that the replay has gradients to hand back
        return AUTOGRAD.apply(op, [w * x for w, x in zip(weights, xs, strict=True)])

    compiled = autograd.compile(step)
    for shift in (0.0, 0.01):  # the recording, then a replay at a moved point
        moved = [x + shift for x in point]
        replayed, fresh = replay_against_fresh(compiled, step, weights, moved)
        assert bits(replayed[0]) == bits(fresh[0])
        assert list(map(bits, replayed[1])) == list(map(bits, fresh[1]))
    assert compiled.recordings == 1


def layouts(op: Op, point: tuple) -> list[list]:
    """The point as all Values, and with each argument folded in as a number in turn
    (a dot: its whole input side, the way a first layer sees its data)."""
    variants = [[Value(x) for x in point]]
    for folded in range(len(point) if len(point) > 1 else 0):
        if op is DOT and folded != len(point) - 1:
            continue
        variants.append([x if i == folded else Value(x) for i, x in enumerate(point)])
    if op is DOT:
        n = len(point) // 2
        variants.append([Value(x) if i < n else x for i, x in enumerate(point)])
    return variants


@pytest.mark.parametrize(("op", "point"), cases())
def test_fast_paths_equal_the_table_bit_for_bit(op, point):
    for args in layouts(op, point):
        fast = AUTOGRAD.apply(op, list(args))  # the operators, methods and n-ary functions
        general = apply(op, list(args))
        assert bits(fast.data) == bits(general.data)
        assert list(map(bits, fast.local_derivatives)) == list(map(bits, general.local_derivatives))
        assert fast.parents == general.parents
        layout = fast.call.layout if type(fast.call) is Folded else None
        assert layout == (general.call.layout if type(general.call) is Folded else None)
        assert fast.op == general.op == op.name


@pytest.mark.parametrize(("op", "point"), [c for c in cases() if c.values[0].torch])
def test_pytorch_agrees(op, point):
    torch = pytest.importorskip("torch")
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    out = op.torch(torch, *ts)
    out.backward()
    xs = [Value(x) for x in point]
    ours = apply(op, xs)
    ours.backward()
    assert ours.data == pytest.approx(out.item(), rel=1e-12, abs=1e-14)
    assert [x.grad for x in xs] == pytest.approx([t.grad.item() for t in ts], rel=1e-12,
                                                 abs=1e-14)


def test_jax_agrees():
    """Each op's ``jax`` function (check_engine's jax adapter) against the table, value and
    slopes, at every case's point. In a process of its own: JAX starts threads, and a
    test process that has them must not fork (DataParallel's tests do)."""
    pytest.importorskip("jax")
    points = [(op.name, list(point)) for op, point in (c.values for c in cases()) if op.jax]
    script = textwrap.dedent("""
        import json, sys
        import jax
        jax.config.update("jax_enable_x64", True)
        from autograd.ops import OPS
        results = []
        for name, point in json.loads(sys.stdin.read()):
            f = lambda *xs: OPS[name].jax(jax, *xs)
            slopes = jax.grad(f, argnums=tuple(range(len(point))))(*point)
            results.append([float(f(*point)), [float(s) for s in slopes]])
        print(json.dumps(results))
    """)
    run = subprocess.run([sys.executable, "-c", script], input=json.dumps(points),
                         capture_output=True, text=True, timeout=300, check=True)
    for (name, point), (value, slopes) in zip(points, json.loads(run.stdout), strict=True):
        xs = [Value(x) for x in point]
        ours = apply(OPS[name], xs)
        ours.backward()
        assert ours.data == pytest.approx(value, rel=1e-12, abs=1e-14), (name, point)
        assert [x.grad for x in xs] == pytest.approx(slopes, rel=1e-12, abs=1e-14), (name, point)


def test_every_builtin_op_is_covered_at_some_point():
    covered = {param.values[0].name for param in cases()}
    assert covered == {op.name for op in TABLE}
