"""Each optimizer's update rule: by hand, and against PyTorch when it is installed."""

import math

import pytest

import nn
from autograd import Value

GRADS = [0.5, -0.25, 1.0, 0.75, -1.5]  # the gradient each step sees


def run(optimizer_class, grads=GRADS, start=1.0, **options):
    p = Value(start)
    optimizer = optimizer_class([p], **options)
    trace = []
    for g in grads:
        optimizer.zero_grad()
        p.grad = g
        optimizer.step()
        trace.append(p.data)
    return trace


def test_sgd_by_hand():
    assert run(nn.SGD, [0.5, -0.25], lr=0.1) == pytest.approx([0.95, 0.975])


def test_momentum_by_hand():
    # v1 = -0.1*0.5 = -0.05 -> 0.95;  v2 = 0.9*-0.05 + 0.025 = -0.02 -> 0.93
    assert run(nn.Momentum, [0.5, -0.25], lr=0.1) == pytest.approx([0.95, 0.93])


def test_nesterov_by_hand():
    # v1 = -0.05: p = 1 + 0.9*-0.05 - 0.05 = 0.905; v2 = -0.02: p = 0.905 - 0.018 + 0.025
    assert run(nn.Nesterov, [0.5, -0.25], lr=0.1) == pytest.approx([0.905, 0.912])


def test_adagrad_by_hand():
    # h1 = 0.25: p = 1 - 0.1*0.5/0.5; h2 = 0.3125: p += 0.1*0.25/sqrt(0.3125)
    expected = [0.9, 0.9 + 0.025 / math.sqrt(0.3125)]  # eps = 1e-7 is below rel=1e-6
    assert run(nn.AdaGrad, [0.5, -0.25], lr=0.1) == pytest.approx(expected, rel=1e-6)


def test_rmsprop_by_hand():
    # h1 = 0.01*0.25 = 0.0025: p = 1 - 0.1*0.5/0.05 = 0.0
    assert run(nn.RMSprop, [0.5], lr=0.1) == pytest.approx([0.0], abs=1e-5)


def test_adam_first_step_moves_by_lr():
    # bias correction makes the first step lr * g/|g|, whatever the gradient's size
    assert run(nn.Adam, [0.5], lr=0.01) == pytest.approx([0.99], rel=1e-6)
    assert run(nn.Adam, [-123.0], lr=0.01) == pytest.approx([1.01], rel=1e-6)


def test_book_defaults():
    p = [Value(1.0)]
    assert nn.SGD(p).lr == 0.01 and nn.Momentum(p).momentum == 0.9
    assert nn.AdaGrad(p).lr == 0.01 and nn.RMSprop(p).decay_rate == 0.99
    adam = nn.Adam(p)
    assert (adam.lr, adam.beta1, adam.beta2) == (0.001, 0.9, 0.999)


@pytest.mark.parametrize(("ours", "options", "torch_name", "torch_options"), [
    (nn.SGD, {"lr": 0.1}, "SGD", {"lr": 0.1}),
    (nn.Momentum, {"lr": 0.1}, "SGD", {"lr": 0.1, "momentum": 0.9}),
    (nn.Nesterov, {"lr": 0.1}, "SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    (nn.AdaGrad, {"lr": 0.1}, "Adagrad", {"lr": 0.1, "eps": 1e-7}),
    (nn.RMSprop, {"lr": 0.01}, "RMSprop", {"lr": 0.01, "alpha": 0.99, "eps": 1e-7}),
    (nn.Adam, {"lr": 0.01}, "Adam", {"lr": 0.01, "eps": 1e-7}),
])
def test_matches_pytorch_step_by_step(ours, options, torch_name, torch_options):
    torch = pytest.importorskip("torch")
    p = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    optimizer = getattr(torch.optim, torch_name)([p], **torch_options)
    theirs = []
    for g in GRADS:
        p.grad = torch.tensor([g], dtype=torch.float64)
        optimizer.step()
        theirs.append(p.item())
    assert run(ours, **options) == pytest.approx(theirs, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize(("build", "message"), [
    (lambda: nn.SGD([]), "no parameters"),
    (lambda: nn.SGD([1.0]), "must be Values"),
    (lambda: nn.SGD([Value(1.0)] * 2), "listed twice"),
    (lambda: nn.SGD([Value(1.0)], lr=0), "lr must be a positive"),
    (lambda: nn.SGD([Value(1.0)], lr=float("nan")), "lr must be a positive"),
    (lambda: nn.Momentum([Value(1.0)], momentum=1.0), r"momentum must be in \[0, 1\)"),
    (lambda: nn.RMSprop([Value(1.0)], decay_rate=-0.1), "decay_rate"),
    (lambda: nn.Adam([Value(1.0)], beta2=1.5), "beta2"),
    (lambda: nn.Adam([Value(1.0)], eps=0), "eps"),
])
def test_bad_settings_are_refused(build, message):
    with pytest.raises((ValueError, TypeError), match=message):
        build()


def test_zero_grad_and_training_reduces_a_loss():
    model = nn.MLP(2, [4, 1], seed=0)
    optimizer = nn.Adam(model.parameters(), lr=0.05)
    data = [([0.0, 1.0], 1.0), ([1.0, 0.0], -1.0), ([1.0, 1.0], 0.5)]

    def loss():
        return nn.mse([model(x)[0] for x, _ in data], [y for _, y in data])

    first = loss().data
    for _ in range(50):
        optimizer.zero_grad()
        loss().backward()
        optimizer.step()
    assert loss().data < first / 10
    optimizer.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
