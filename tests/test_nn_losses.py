"""softmax, log_softmax, cross_entropy, mse and hinge, including extreme logits."""

import math

import pytest

import autograd
import nn
from autograd import Value


def values(*xs):
    return [Value(x) for x in xs]


def test_softmax_by_hand():
    p = nn.softmax(values(1.0, 2.0, 3.0))
    total = math.e + math.e**2 + math.e**3
    assert [v.data for v in p] == pytest.approx([math.e / total, math.e**2 / total,
                                                math.e**3 / total], rel=1e-14)
    assert sum(v.data for v in p) == pytest.approx(1.0, rel=1e-15)


def test_log_softmax_is_log_of_softmax():
    z = values(0.5, -1.0, 2.0)
    assert [v.data for v in nn.log_softmax(z)] == pytest.approx(
        [math.log(v.data) for v in nn.softmax(z)], rel=1e-13)


def test_cross_entropy_gradient_is_softmax_minus_one_hot():
    z = values(1.0, 2.0, 0.5)
    loss = nn.cross_entropy(z, 1)
    p = [v.data for v in nn.softmax(z)]
    assert loss.data == pytest.approx(-math.log(p[1]), rel=1e-14)
    loss.backward()
    assert [v.grad for v in z] == pytest.approx([p[0], p[1] - 1, p[2]], rel=1e-13)


def test_one_hot_and_index_targets_agree():
    z = values(0.3, -0.7, 1.1, 0.0)
    assert nn.cross_entropy(z, [0, 0, 1, 0]).data == pytest.approx(
        nn.cross_entropy(z, 2).data, rel=1e-14)


def test_batch_cross_entropy_is_the_mean():
    batch = [values(1.0, 2.0), values(0.0, -1.0)]
    expected = (nn.cross_entropy(batch[0], 0).data + nn.cross_entropy(batch[1], 1).data) / 2
    assert nn.cross_entropy(batch, [0, 1]).data == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(("logits", "target", "loss"), [
    ((1000.0, -1000.0, 0.0), 0, 0.0),
    ((1000.0, -1000.0, 0.0), 1, 2000.0),
    ((-1000.0, -1000.0), 0, math.log(2)),
    ((1000.0, 1000.0, 1000.0), 2, math.log(3)),
])
def test_extreme_logits_give_finite_losses_and_gradients(logits, target, loss):
    z = values(*logits)
    out = nn.cross_entropy(z, target)
    assert out.data == pytest.approx(loss, rel=1e-12, abs=1e-12)
    out.backward()
    assert all(math.isfinite(v.grad) for v in z)
    assert sum(v.grad for v in z) == pytest.approx(0.0, abs=1e-12)  # softmax - onehot sums to 0


def test_softmax_and_log_softmax_at_extremes():
    assert [v.data for v in nn.softmax(values(1000.0, -1000.0))] == [1.0, 0.0]
    log_p = nn.log_softmax(values(1000.0, -1000.0))
    assert [v.data for v in log_p] == [0.0, -2000.0]


@pytest.mark.parametrize(("target", "error", "message"), [
    (3, IndexError, "out of range"), (-1, IndexError, "out of range"),
    ([1, 0], ValueError, "2 entries for 3 classes"), ("a", ValueError, "class index or a one-hot"),
    ([1, "x", 0], ValueError, "numbers"),
])
def test_bad_targets(target, error, message):
    with pytest.raises(error, match=message):
        nn.cross_entropy(values(1.0, 2.0, 3.0), target)


def test_bad_logits():
    with pytest.raises(ValueError, match="non-empty"):
        nn.cross_entropy([], 0)
    with pytest.raises(ValueError, match="targets"):
        nn.cross_entropy([values(1.0, 2.0)], [0, 1])


def test_mse_and_hinge_by_hand():
    p = values(1.0, 2.0)
    loss = nn.mse(p, [0.0, 4.0])  # ((1)^2 + (-2)^2) / 2
    loss.backward()
    assert loss.data == 2.5 and [v.grad for v in p] == [1.0, -2.0]
    s = values(0.5, -2.0, 3.0)
    h = nn.hinge(s, [1, -1, -1])  # max(0, .5) + max(0, -1) + max(0, 4) over 3
    h.backward()
    assert h.data == pytest.approx(4.5 / 3) and [v.grad for v in s] == pytest.approx(
        [-1 / 3, 0.0, 1 / 3])
    assert nn.mse(Value(3.0), 1.0).data == 4.0


def test_mse_and_hinge_refuse_bad_input():
    with pytest.raises(ValueError, match="2 predictions but 1 targets"):
        nn.mse(values(1.0, 2.0), [1.0])
    with pytest.raises(ValueError, match="-1 or \\+1"):
        nn.hinge(values(1.0), [0])
    with pytest.raises(ValueError, match="1 scores but 2 labels"):
        nn.hinge(values(1.0), [1, -1])


def test_cross_entropy_matches_pytorch():
    torch = pytest.importorskip("torch")
    logits = [0.2, -1.3, 2.5, 0.0]
    z = values(*logits)
    ours = nn.cross_entropy(z, 2)
    ours.backward()
    t = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    theirs = torch.nn.functional.cross_entropy(t.unsqueeze(0), torch.tensor([2]))
    theirs.backward()
    assert ours.data == pytest.approx(theirs.item(), rel=1e-14)
    assert [v.grad for v in z] == pytest.approx(t.grad.tolist(), rel=1e-13)


def test_l2_penalty_through_dot_with_itself():
    params = values(1.0, -2.0)
    penalty = autograd.dot(params, params)
    penalty.backward()
    assert penalty.data == 5.0 and [p.grad for p in params] == [2.0, -4.0]
