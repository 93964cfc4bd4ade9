"""Training that scales: a per-sample step looped over a batch (Compiled.over), float
evaluation without nodes, and data-parallel gradients that do not depend on the workers."""

import math
import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value
from nn.parallel import DataParallel, shard_bounds
from nn.two_layer_net import loss_of_sample, sample_numbers


def small_net(seed=0):
    return nn.TwoLayerNet(4, 5, 3, weight_init_std=0.5, seed=seed)


def samples_of(rows, labels, classes=3):
    return [sample_numbers(r, t, classes, 1.0 / len(rows)) for r, t in zip(rows, labels,
                                                                          strict=True)]


rows_strategy = st.lists(st.lists(st.floats(-2, 2), min_size=4, max_size=4), min_size=1,
                         max_size=7)


@given(rows_strategy, st.data())
def test_over_is_calling_the_step_on_each_sample_to_the_last_bit(rows, data):
    labels = data.draw(st.lists(st.integers(0, 2), min_size=len(rows), max_size=len(rows)))
    samples = samples_of(rows, labels)
    net = small_net()
    step = autograd.compile(lambda *n: loss_of_sample(net, *n))
    net.zero_grad()
    one_by_one = [step(*s) for s in samples]
    expected = [p.grad for p in net.parameters()]
    for p in net.parameters():
        p.grad = 0.25  # over() adds to what is there, as the calls do
    again = [p.grad for p in net.parameters()]
    net.zero_grad()
    assert step.over(samples) == one_by_one
    assert [p.grad for p in net.parameters()] == expected
    for p, g in zip(net.parameters(), again, strict=True):
        p.grad = g
    step.over(samples)
    calls = small_net()
    for p, q in zip(calls.parameters(), net.parameters(), strict=True):
        p.data, p.grad = q.data, 0.25
    call_step = autograd.compile(lambda *n: loss_of_sample(calls, *n))
    for s in samples:
        call_step(*s)
    assert [p.grad for p in net.parameters()] == [p.grad for p in calls.parameters()]


def test_the_per_sample_program_does_not_grow_with_the_batch():
    net = small_net()
    step = autograd.compile(lambda *n: loss_of_sample(net, *n))
    step.over(samples_of([[0.1, 0.2, 0.3, 0.4]] * 3, [0, 1, 2]))
    program = next(iter(step._programs.values()))
    first = program.batch_source
    step.over(samples_of([[0.5, -0.2, 0.3, 0.1]] * 200, [1] * 200))
    assert program.batch_source == first and "for X in XS:" in first
    assert step.recordings == 1


def test_over_records_on_its_first_sample_and_refuses_what_it_cannot_loop():
    x = Value(2.0, "x")
    step = autograd.compile(lambda a, b: (x * a + b).tanh())
    assert step.over([]) == []
    outs = step.over([(0.1, 0.2), (0.3, -0.4)])
    assert outs == [math.tanh(2.0 * 0.1 + 0.2), math.tanh(2.0 * 0.3 + -0.4)]
    assert step.recordings == 1
    with pytest.raises(TypeError, match="over\\(\\) takes samples of numbers only"):
        step.over([(Value(1.0), 0.2)])
    with pytest.raises(ValueError, match="over\\(\\) needs samples of one shape, got 2"):
        step.over([(0.1, 0.2), ((0.1, 0.2), 0.3)])


def test_over_a_step_too_large_to_record_runs_ordinary_steps():
    w = [Value(0.1 * i) for i in range(30)]
    step = autograd.compile(lambda *xs: autograd.dot(w, list(xs)).tanh(), max_size=10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", autograd.ReplayRefused)
        outs = step.over([tuple(float(k) for k in range(30))] * 2)
    assert step.recordings == 0 and len(outs) == 2 and outs[0] == outs[1]
    assert w[3].grad == pytest.approx(2 * 3.0 * (1 - outs[0] ** 2))


# --- evaluation on floats -------------------------------------------------------------

@given(rows_strategy)
def test_predict_and_evaluate_equal_the_graph_s_numbers_bit_for_bit(rows):
    net = small_net(seed=3)
    floats = net.predict(rows)
    built = [net.forward(row) for row in rows]
    assert [[v.data for v in z] for z in floats] == [[v.data for v in z] for z in built]
    assert all(not v.parents for z in floats for v in z)  # constants: no graph
    mlp = nn.MLP(4, [6, 5, 2], activation="tanh", seed=1)
    assert mlp.on_floats(rows) == [[v.data for v in mlp(row)] for row in rows]


def test_no_grad_layers_compute_on_floats_and_hand_back_graph_free_values():
    mlp = nn.MLP(3, [4, 2], activation="sigmoid", seed=2)
    x = [0.5, -1.0, 2.0]
    built = [v.data for v in mlp(x)]
    with autograd.no_grad():
        outs = mlp(x)
        layer_outs = mlp.layers[0](x)
    assert [v.data for v in outs] == built
    assert all(isinstance(v, Value) and not v.parents for v in outs + layer_outs)


def test_a_custom_activation_runs_on_a_graph_free_value_when_evaluating():
    layer = nn.Layer(2, 2, activation=lambda v: v * v + 1, seed=0)
    with autograd.no_grad():
        got = [v.data for v in layer([0.3, -0.7])]
    assert got == [v.data for v in layer([0.3, -0.7])]


def test_accuracy_builds_no_nodes_and_counts_right(monkeypatch):
    net = small_net()
    rows = [[0.1, 0.2, 0.3, 0.4], [1.0, -1.0, 0.5, 0.0]]
    labels = [max(range(3), key=lambda k, z=z: z[k].data) for z in
              (net.forward(row) for row in rows)]
    monkeypatch.setattr(autograd, "dots", lambda *a, **k: pytest.fail("built a node"))
    assert net.accuracy(rows, labels) == 1.0


# --- data parallel ---------------------------------------------------------------------

def test_shard_bounds_cover_the_batch_in_order():
    assert shard_bounds(10, 2) == [(0, 5), (5, 10)]
    assert shard_bounds(7, 3) == [(0, 2), (2, 4), (4, 7)]
    assert shard_bounds(1, 2) == [(0, 1)]
    assert shard_bounds(0, 2) == []


def _train(workers, steps=3):
    net = small_net(seed=5)
    rows = [[math.sin(i + k) for k in range(4)] for i in range(9)]
    labels = [i % 3 for i in range(9)]
    losses = []
    with DataParallel(net, loss_of_sample, workers=workers, shards=2) as parallel:
        for _ in range(steps):
            net.zero_grad()
            losses.append(parallel.backward(samples_of(rows, labels)))
            for p in net.parameters():
                p.data -= 0.5 * p.grad
        accuracy = parallel.accuracy(rows, labels)
    return [p.data for p in net.parameters()], losses, accuracy


def test_two_workers_give_one_worker_s_numbers_to_the_last_bit():
    one, two = _train(1), _train(2)
    assert one == two


def test_data_parallel_gradients_are_the_batch_loss_gradients_to_rounding():
    net = small_net(seed=5)
    rows = [[0.3 * i - k for k in range(4)] for i in range(6)]
    labels = [0, 1, 2, 2, 1, 0]
    net.zero_grad()
    net.loss(rows, labels).backward()
    expected = [p.grad for p in net.parameters()]
    loss = net.loss(rows, labels).data
    net.zero_grad()
    with DataParallel(net, loss_of_sample, workers=1, shards=3) as parallel:
        losses = parallel.backward(samples_of(rows, labels))
    assert sum(losses) == pytest.approx(loss, rel=1e-12)
    assert [p.grad for p in net.parameters()] == pytest.approx(expected, rel=1e-9, abs=1e-15)


def test_data_parallel_refuses_bad_settings():
    net = small_net()
    with pytest.raises(ValueError, match="DataParallel: shards must be a positive int, got 0"):
        DataParallel(net, loss_of_sample, shards=0)
    with pytest.raises(ValueError, match="DataParallel: workers must be a positive int"):
        DataParallel(net, loss_of_sample, workers=-1)
    with pytest.raises(TypeError, match="loss_of_sample must be a function, got int"):
        DataParallel(net, 3)
    with pytest.raises(ValueError, match="loss_of_sample: expected 4 inputs, 3 target "
                                         "numbers and a scale, got 5 numbers"):
        loss_of_sample(net, 1.0, 2.0, 3.0, 4.0, 5.0)


@pytest.mark.parametrize("workers", [1, 2])
def test_data_parallel_refuses_an_empty_batch_and_use_after_close(workers):
    net = small_net()
    rows, labels = [[0.5, -1.0, 2.0, 0.25]], [1]
    with DataParallel(net, loss_of_sample, workers=workers) as parallel:
        with pytest.raises(ValueError, match="^DataParallel.backward: the batch has no "
                                             "samples$"):
            parallel.backward([])
        assert len(parallel.backward(samples_of(rows, labels))) == 1
    with pytest.raises(RuntimeError, match="DataParallel.backward: closed; its worker"):
        parallel.backward(samples_of(rows, labels))
    with pytest.raises(RuntimeError, match=r"^DataParallel.accuracy: closed; its worker "
                                           r"processes have ended \(make a new DataParallel\)$"):
        parallel.accuracy(rows, labels)


def test_the_batch_program_is_written_on_the_first_over_only():
    net = small_net()
    step = autograd.compile(lambda *n: loss_of_sample(net, *n))
    (sample,) = samples_of([[0.1, 0.2, 0.3, 0.4]], [0])
    step(*sample)
    program = next(iter(step._programs.values()))
    assert program.batch_source == "" and program._replay_batch is None
    step.over([sample])
    assert program.batch_source.startswith("def replay_batch(XS, P):")


def test_over_never_compiles_the_one_sample_program_and_shows_its_source():
    net = small_net()
    step = autograd.compile(lambda *n: loss_of_sample(net, *n))
    batch = samples_of([[0.1, 0.2, 0.3, 0.4]] * 2, [0, 1])
    step.over(batch)
    step.over(batch)
    program = next(iter(step._programs.values()))
    assert program.replay is None  # only the loop was compiled
    assert step.last_source == program.source and program.batch_source.startswith(
        "def replay_batch(XS, P):")
    with pytest.raises(TypeError, match=r"^compile: over\(\) takes samples of numbers only; "
                                        r"a Value was passed \(call the step on that sample "
                                        r"instead\)$"):
        step.over([(Value(1.0),) * len(batch[0])])


def test_a_node_with_gradient_zero_hands_nothing_on_in_a_replay_as_in_backward():
    # relu(w * x) at x = inf, w = -1: the relu is off, so w gets nothing, not 0 * inf = nan
    # (a parameter that several nodes feed on still adds their shares, zeros included)
    w, v = Value(-1.0, "w"), Value(0.5, "v")
    step = autograd.compile(lambda x: (w * x).relu() + v)
    step(1.0)  # records
    w.grad = 0.0
    step(math.inf)
    replayed = w.grad
    w.grad = 0.0
    ((w * Value(math.inf)).relu() + v).backward()
    assert replayed == w.grad == 0.0
    assert step.over([(math.inf,), (math.inf,)]) == [0.5, 0.5] and w.grad == 0.0


def test_a_parameter_fed_by_two_nodes_is_summed_beside_ones_fed_by_one():
    a, b, c = Value(0.5, "a"), Value(-1.5, "b"), Value(2.0, "c")
    step = autograd.compile(lambda x: (a * x).tanh() + b * x * b + c * c)
    step.over([(0.3,), (-0.7,)])
    replayed = [a.grad, b.grad, c.grad]
    for p in (a, b, c):
        p.grad = 0.0
    for x in (0.3, -0.7):
        ((a * x).tanh() + b * x * b + c * c).backward()
    assert replayed == [a.grad, b.grad, c.grad]


@pytest.mark.parametrize(("setting", "value"), [
    ("shards", 0), ("shards", 2.0), ("shards", True), ("workers", 0), ("workers", 1.5),
    ("workers", False),
])
def test_data_parallel_names_each_bad_setting_exactly(setting, value):
    with pytest.raises(ValueError) as refused:
        DataParallel(small_net(), loss_of_sample, **{setting: value})
    assert str(refused.value) == (f"DataParallel: {setting} must be a positive int, got "
                                  f"{value!r}")
    with pytest.raises(TypeError) as refused:
        DataParallel(small_net(), "loss")
    assert str(refused.value) == "DataParallel: loss_of_sample must be a function, got str"


def test_data_parallel_s_defaults_one_process_or_a_pool(monkeypatch):
    net = small_net()
    with DataParallel(net, loss_of_sample, workers=1) as one:
        assert (one.shards, one.workers, one._pool is None, one._in_process is not None) == (
            2, 1, True, True)
    monkeypatch.setattr("nn.parallel.os.cpu_count", lambda: None)  # unknown: one process
    with DataParallel(net, loss_of_sample) as unknown:
        assert unknown.workers == 1 and unknown._pool is None
    monkeypatch.setattr("nn.parallel.os.cpu_count", lambda: 8)  # no more than the shards
    with DataParallel(net, loss_of_sample, shards=3) as many:
        assert many.workers == 3 and many._pool is not None and many._in_process is None
    with DataParallel(net, loss_of_sample, workers=2, shards=4) as two:
        assert two.workers == 2 and two._pool is not None


def test_a_worker_ignores_ctrl_c_and_works_at_the_weights_it_is_sent(monkeypatch):
    # what a worker process runs, run here, where it can be watched: workers are forked,
    # and nothing they execute is seen by coverage or by mutation testing
    import signal
    from array import array

    import nn.parallel as parallel

    handlers = []
    monkeypatch.setattr(parallel.signal, "signal", lambda *args: handlers.append(args))
    monkeypatch.setattr(parallel, "_worker", None)
    net, other = small_net(seed=5), small_net(seed=6)
    parallel._start(net, loss_of_sample)
    assert handlers == [(signal.SIGINT, signal.SIG_IGN)]
    rows = [[math.sin(i + k) for k in range(4)] for i in range(7)]
    labels = [i % 3 for i in range(7)]
    weights = array("d", [p.data for p in other.parameters()])
    hits = parallel._accuracy((weights, rows, labels))
    assert type(hits) is int and hits == round(other.accuracy(rows, labels) * len(rows))
    assert [p.data for p in net.parameters()] == list(weights)
    samples = samples_of(rows, labels)
    losses, grads, said = parallel._gradients((weights, samples))
    other.zero_grad()
    expected = [loss_of_sample(other, *sample) for sample in samples]
    for loss in expected:
        loss.backward()
    assert losses == [loss.data for loss in expected] and said == []
    assert list(grads) == pytest.approx([p.grad for p in other.parameters()], rel=1e-12)


def test_close_lets_the_workers_finish_unless_told_now(monkeypatch):
    calls = []
    with DataParallel(small_net(), loss_of_sample, workers=2) as parallel:
        pool = parallel._pool
        monkeypatch.setattr(pool, "terminate", lambda: calls.append("terminate"))
        original_close = pool.close
        monkeypatch.setattr(pool, "close", lambda: (calls.append("close"), original_close()))
        parallel.close()
    assert calls == ["close"]
