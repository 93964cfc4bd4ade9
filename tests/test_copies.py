"""Copying and pickling: deep graphs copy without recursion; models pickle."""

import copy
import pickle
import sys

import pytest

import autograd
import nn
from autograd import Value


def chain(steps: int) -> tuple[Value, Value]:
    y = x = Value(1.0, "x")
    for _ in range(steps):
        y = y * 1.0000001 + 1e-7
    return x, y


def test_deepcopy_of_a_100000_step_chain_works_without_recursion():
    x, y = chain(100_000)
    assert sys.getrecursionlimit() < 200_000
    twin = copy.deepcopy(y)
    twin.backward()
    y.backward()
    order = autograd.topological_order(twin)
    assert twin is not y and twin.data == y.data
    assert order[0] is not x and order[0].name == "x" and order[0].grad == x.grad
    assert len(order) == 200_001


def test_deepcopy_keeps_shared_nodes_shared():
    a = Value(2.0)
    b = a * a
    c = b + b
    twin = copy.deepcopy(c)
    assert twin.parents[0] is twin.parents[1]  # b once, used twice
    assert twin.parents[0].parents == (twin.parents[0].parents[0],) * 2
    (g,) = autograd.grad(twin, [twin.parents[0].parents[0]])
    assert g.data == 8.0  # d(2 a^2)/da at 2


def test_pickling_a_graph_is_refused_with_what_to_do_instead():
    _, y = chain(100_000)
    with pytest.raises(TypeError, match=r"result of add.*v\.detach\(\).*state_dict"):
        pickle.dumps(y)
    leaf = pickle.loads(pickle.dumps(y.detach()))
    assert leaf.data == y.data and leaf.parents == ()


def test_a_trained_model_pickles_and_deep_copies():
    model = nn.MLP(2, [4, 1])
    optimizer = nn.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        optimizer.zero_grad()
        nn.mse([model([0.5, -1.0])[0]], [1.0]).backward()
        optimizer.step()
    for twin in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        assert twin([0.3, 0.7])[0].data == model([0.3, 0.7])[0].data
        assert [p.grad for p in twin.parameters()] == [p.grad for p in model.parameters()]
        assert all(a is not b for a, b in zip(twin.parameters(), model.parameters(),
                                              strict=True))
    net = nn.TwoLayerNet(4, 3, 2, seed=1)
    again = pickle.loads(pickle.dumps(net))
    assert again.predict([1.0, 2.0, 3.0, 4.0])[0].data == net.predict([1.0, 2.0, 3.0, 4.0])[0].data


def test_a_pickled_no_grad_result_still_refuses_backward():
    with autograd.no_grad():
        y = Value(2.0) * 3
    again = pickle.loads(pickle.dumps(y))
    with pytest.raises(RuntimeError, match="no_grad"):
        again.backward()
