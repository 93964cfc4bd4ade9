"""autograd.compile: a replayed step equals a fresh build exactly, step after step."""

import math

import pytest
from fuzzing import examples
from graphs import replay_against_fresh
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value
from autograd.testing.strategies import expression_cases
from nn.data import load_digits, make_moons


def twins(build):
    """Two models with the same weights: one rebuilt every step, one replayed."""
    a, b = build(), build()
    b.load_state_dict(a.state_dict())
    return a, b


def test_moons_steps_replay_exactly_across_updates():
    x, t = make_moons(40, noise=0.1, seed=3)
    rows, labels = x.tolist(), [1 if v else -1 for v in t]
    fresh, replayed = twins(lambda: nn.MLP(2, [8, 8, 1], init="uniform", seed=1))
    pa, pb = fresh.parameters(), replayed.parameters()

    def loss_of(model, params):
        return lambda xs, ys: (nn.hinge([model(r)[0] for r in xs], ys)
                               + 1e-4 * autograd.dot(params, params))

    step = autograd.compile(loss_of(replayed, pb))
    opt_a, opt_b = nn.Momentum(pa, lr=0.5), nn.Momentum(pb, lr=0.5)
    for _ in range(6):
        opt_a.zero_grad()
        expected = loss_of(fresh, pa)(rows, labels)
        expected.backward()
        opt_b.zero_grad()
        assert step(rows, labels) == expected.data
        assert [p.grad for p in pb] == [p.grad for p in pa]  # bit for bit
        opt_a.step()
        opt_b.step()
    assert step.recordings == 1


def test_digits_steps_replay_exactly_with_new_batches():
    (x, t), _ = load_digits()
    fresh, replayed = twins(lambda: nn.MLP(64, [12, 10], seed=2))
    pa, pb = fresh.parameters(), replayed.parameters()
    step = autograd.compile(lambda xs, ts: nn.cross_entropy([replayed(r) for r in xs], ts))
    for start in (0, 8, 16):  # new data every call, same shape
        xs = x[start:start + 8]
        one_hot = [[1.0 if k == label else 0.0 for k in range(10)] for label in t[start:start + 8]]
        fresh.zero_grad()
        replayed.zero_grad()
        expected = nn.cross_entropy([fresh(r) for r in xs], one_hot)
        expected.backward()
        assert step(xs, one_hot) == expected.data
        assert [p.grad for p in pb] == [p.grad for p in pa]
    assert step.recordings == 1


def test_relu_slopes_follow_the_new_data_on_replay():
    w = Value(1.0)
    step = autograd.compile(lambda x: (w * x).relu())
    assert step(2.0) == 2.0 and w.grad == 2.0
    w.grad = 0.0
    assert step(-3.0) == 0.0 and w.grad == 0.0  # the recorded slope was 1; the replay's is 0
    w.grad = 0.0
    assert step(0.5) == 0.5 and w.grad == 0.5


def test_logsumexp_shift_is_recomputed_not_frozen():
    z = [Value(0.0), Value(0.0)]
    step = autograd.compile(lambda shift: autograd.logsumexp([z[0] + shift, z[1]]))
    assert step(0.0) == pytest.approx(math.log(2))
    assert step(1000.0) == pytest.approx(1000.0)  # a frozen shift of 0 would overflow


def test_a_new_shape_records_a_new_graph_and_the_old_one_is_kept():
    w = Value(2.0)
    step = autograd.compile(lambda xs: autograd.sum([w * x for x in xs]))
    assert step([1.0, 2.0]) == 6.0
    assert step([1.0, 2.0, 3.0]) == 12.0
    assert step([3.0, 3.0]) == 12.0
    assert step.recordings == 2


def test_values_passed_as_arguments_are_read_at_each_call():
    step = autograd.compile(lambda a, x: a * x)
    a1, a2 = Value(2.0), Value(5.0)
    assert step(a1, 3.0) == 6.0 and a1.grad == 3.0
    assert step(a2, 4.0) == 20.0 and a2.grad == 4.0 and a1.grad == 3.0


@settings(max_examples=examples(40))
@given(expression_cases(ops=[op for op in autograd.testing.expressions.OPS if op != "mixed_dot"]),
       st.floats(-1.5, 1.5))
def test_random_graphs_replay_exactly(case, shift):
    expression, inputs = case
    weights = [Value(0.5 + 0.1 * i) for i in range(expression.n_inputs)]

    def f(*xs):
        return expression(*[w * x for w, x in zip(weights, xs, strict=True)])

    step = autograd.compile(f)
    step(*inputs)
    moved = [x + shift for x in inputs]
    largest, kink = expression.trace(*[w.data * x for w, x in zip(weights, moved, strict=True)])
    assume(math.isfinite(largest) and largest < 1e3)  # stay in the safe domain
    replayed, fresh = replay_against_fresh(step, f, weights, moved)
    assert replayed == fresh


@pytest.mark.filterwarnings("ignore::autograd.recording.ReplayWarning")  # x.data, on purpose
def test_refusals():
    with pytest.raises(TypeError, match="expected a function"):
        autograd.compile(3)
    with pytest.raises(TypeError, match="must return a Value"):
        autograd.compile(lambda x: 3.0)(1.0)
    with pytest.raises(TypeError, match="arguments must be numbers"):
        autograd.compile(lambda x: x)("text")
    for local in [(1.0,), lambda out, x: (1.0,)]:
        custom = autograd.compile(
            lambda x, local=local: autograd.custom_op(x.data, (x,), local, "mine"))
        with pytest.raises(TypeError, match="custom op 'mine' cannot be replayed.*register_op"):
            custom(1.0)
    with autograd.no_grad(), pytest.raises(RuntimeError, match="no_grad"):
        autograd.compile(lambda x: x * 2)(1.0)


def test_a_function_that_returns_a_leaf_still_gets_its_seed_gradient():
    w = Value(3.0)
    step = autograd.compile(lambda x: w)
    assert step(1.0) == 3.0 and w.grad == 1.0  # as w.backward() would
    assert step(2.0) == 3.0 and w.grad == 2.0


def test_folded_infinities_replay_too():
    w = Value(2.0)
    step = autograd.compile(lambda x: (w * x + math.inf) * 0.5 + w)
    # d/dw = 0.5 x + 1: 1.5 at x = 1, then 2.5 more at x = 3 (leaf gradients accumulate)
    assert step(1.0) == math.inf and w.grad == 1.5
    assert step(3.0) == math.inf and w.grad == 4.0


def test_generated_source_is_readable_python():
    w = Value(3.0)
    step = autograd.compile(lambda x: (w * x).tanh())
    step(0.5)
    source = step.last_source
    assert source.startswith("def replay(X, P):")
    assert "_f_tanh(" in source and "(1.0 - (v" in source and "a0 = a0 +" in source


def test_a_dot_that_mixes_values_and_numbers_on_one_side_replays_exactly():
    w = Value(0.5)
    step = autograd.compile(lambda x, y: autograd.dot([x, 2.0, w], [y, y, x], 0.25))
    for x, y in [(1.0, 2.0), (-0.5, 3.0)]:
        w.grad = 0.0
        replayed = step(x, y)
        fresh_w = Value(0.5)
        fresh = autograd.dot([Value(x), 2.0, fresh_w], [Value(y), Value(y), Value(x)], 0.25)
        fresh.backward()
        assert (replayed, w.grad) == (fresh.data, fresh_w.grad)


def test_a_gradient_of_more_than_200_shares_replays_in_chunks_exactly():
    # w feeds 450 products: its gradient is a sum of 450 shares, written in chunks of 200.
    w = Value(0.5)
    step = autograd.compile(lambda xs: autograd.sum([w * x for x in xs]))
    xs = [0.1 * i - 7.3 for i in range(450)]
    assert step(xs) == autograd.sum([w * x for x in xs]).data
    w.grad = 0.0
    moved = [x * 1.5 for x in xs]
    replayed = step(moved)
    fresh_w = Value(0.5)
    fresh = autograd.sum([fresh_w * x for x in moved])
    fresh.backward()
    assert (replayed, w.grad) == (fresh.data, fresh_w.grad)
    assert step.last_source.count("a0 = a0 +") == 3  # 200 + 200 + 50


@pytest.mark.parametrize("x", [0.0, -0.0, 1e-300, -1e-300])
def test_relu_replays_exactly_at_and_around_zero(x):
    w = Value(1.0)
    step = autograd.compile(lambda t: (w * t).relu() * 3.0)
    step(1.0)  # recorded where relu is on
    w.grad = 0.0
    assert step(x) == (w.data * x if w.data * x > 0 else 0.0) * 3.0
    assert w.grad == (3.0 * x if x > 0 else 0.0)  # relu'(0) = 0, replayed too


def test_a_graph_too_large_to_write_out_is_refused_up_front_and_rebuilt():
    w = Value(0.5)

    def step_fn(xs):
        return autograd.sum([w * x for x in xs])

    step = autograd.compile(step_fn, max_size=50)
    xs = [float(i) for i in range(30)]  # 30 inputs, w, 30 products, 1 sum; 90 edges
    with pytest.warns(autograd.ReplayRefused,
                      match=r"152 nodes and edges, more than 50"):
        assert step(xs) == sum(0.5 * x for x in xs)
    assert w.grad == sum(xs) and step.recordings == 0 and step.last_source == ""
    assert "rebuilt on every call" in step.refusal
    assert step(xs) == sum(0.5 * x for x in xs)  # rebuilt: the same numbers, no new warning
    assert w.grad == 2 * sum(xs)
    small = autograd.compile(step_fn, max_size=200)
    small(xs)
    assert small.recordings == 1
    with pytest.raises(ValueError, match="max_size"):
        autograd.compile(step_fn, max_size=0)


def test_a_step_without_parameters_replays_its_forward_and_reads_no_weights():
    step = autograd.compile(lambda x: x * 2 + 1)
    assert [step(3.0), step(4.0), step(-0.5)] == [7.0, 9.0, 0.0]
    assert step.recordings == 1
    assert "P" not in step.last_source.split("\n", 1)[1] and ".data" not in step.last_source
    assert step.over([(3.0,), (4.0,)]) == [7.0, 9.0]
