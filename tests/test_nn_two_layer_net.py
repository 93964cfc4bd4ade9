"""The book's TwoLayerNet: shapes, methods and the gradient check."""

import pytest
from fuzzing import examples
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
import nn


def test_params_are_shaped_like_the_book():
    net = nn.TwoLayerNet(4, 3, 2)
    params = net.params
    assert [len(params["W1"]), len(params["W1"][0])] == [4, 3]
    assert [len(params["W2"]), len(params["W2"][0])] == [3, 2]
    assert len(params["b1"]) == 3 and len(params["b2"]) == 2
    # W1[i][j] is the weight from input i to hidden unit j
    assert params["W1"][1][2] is net.affine1.neurons[2].w[1]
    assert all(b.data == 0.0 for b in params["b1"])


def test_weight_init_std_is_the_books():
    net = nn.TwoLayerNet(100, 50, 10)
    weights = [w.data for row in net.params["W1"] for w in row]
    assert max(abs(w) for w in weights) < 0.06  # 0.01 * randn: 6 sigma


def test_predict_loss_accuracy():
    net = nn.TwoLayerNet(2, 4, 3, weight_init_std=1.0, seed=1)
    x = [[0.5, -0.5], [1.0, 2.0]]
    logits = net.predict(x)
    assert len(logits) == 2 and len(logits[0]) == 3
    assert len(net.predict(x[0])) == 3  # one sample gives one list of logits
    labels = [max(range(3), key=lambda k, z=z: z[k].data) for z in logits]
    assert net.accuracy(x, labels) == 1.0
    assert net.accuracy(x, [[1 if k == label else 0 for k in range(3)] for label in labels]) == 1.0
    wrong = [(label + 1) % 3 for label in labels]
    assert net.accuracy(x, wrong) == 0.0
    expected = (nn.cross_entropy(logits[0], labels[0]).data
                + nn.cross_entropy(logits[1], labels[1]).data) / 2
    assert net.loss(x, labels).data == pytest.approx(expected, rel=1e-14)
    with pytest.raises(ValueError, match="2 samples but 1 labels"):
        net.accuracy(x, [0])


@settings(max_examples=examples(25))
@given(input_size=st.integers(1, 4), hidden=st.integers(1, 5), output=st.integers(2, 4),
       batch=st.integers(1, 3), seed=st.integers(0, 100), data=st.data())
def test_backprop_matches_numerical_gradient(input_size, hidden, output, batch, seed, data):
    net = nn.TwoLayerNet(input_size, hidden, output, weight_init_std=0.5, seed=seed)
    x = data.draw(st.lists(st.lists(st.floats(-1, 1), min_size=input_size,
                                    max_size=input_size), min_size=batch, max_size=batch))
    t = data.draw(st.lists(st.integers(0, output - 1), min_size=batch, max_size=batch))
    # keep every hidden pre-activation off relu's kink, where relu'(0) = 0 by
    # definition but a central difference sees the average slope 0.5
    hidden_inputs = [autograd.dot(n.w, row, n.b).data for row in x for n in net.affine1.neurons]
    assume(min(abs(z) for z in hidden_inputs) > 1e-4)
    backprop = net.gradient(x, t)
    numerical = net.numerical_gradient(x, t)
    assert set(backprop) == {"W1", "b1", "W2", "b2"}
    for key in backprop:
        assert flat(backprop[key]) == pytest.approx(flat(numerical[key]), rel=1e-5, abs=1e-7)


def flat(grads: list) -> list[float]:
    return [v for row in grads for v in (row if isinstance(row, list) else [row])]


def test_numerical_gradient_restores_every_parameter_even_when_the_loss_raises(monkeypatch):
    net = nn.TwoLayerNet(3, 2, 2, weight_init_std=1.0, seed=2)
    before = [p.data for p in net.parameters()]
    calls = []

    def failing_loss(x, t):
        calls.append(1)
        if len(calls) == 2:  # the second evaluation: p.data is original - h
            raise RuntimeError("the loss failed")
        return autograd.Value(0.0)

    monkeypatch.setattr(net, "loss", failing_loss)
    with pytest.raises(RuntimeError, match="the loss failed"):
        net.numerical_gradient([[1.0, 2.0, 3.0]], [0])
    assert [p.data for p in net.parameters()] == before
