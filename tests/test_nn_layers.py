"""nn.Module, Neuron, Layer, MLP, init and activations."""

import math
import random

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import autograd
import nn
from autograd import Value


def test_parameter_order_and_names_follow_micrograd():
    model = nn.MLP(2, [3, 1])
    names = [name for name, _ in model.named_parameters()]
    assert names[:4] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                         "layers.0.neurons.0.b", "layers.0.neurons.1.w.0"]
    assert names[-3:] == ["layers.1.neurons.0.w.1", "layers.1.neurons.0.w.2",
                          "layers.1.neurons.0.b"]
    assert len(names) == 3 * 3 + 4 == len(model.parameters())
    assert [p.name for p in model.parameters()] == names  # Value.name is the path


def test_matches_micrograd_side_by_side():
    engine = pytest.importorskip("micrograd.engine")
    mg_nn = pytest.importorskip("micrograd.nn")
    random.seed(3)
    theirs = mg_nn.MLP(3, [4, 4, 1])
    ours = nn.MLP(3, [4, 4, 1])
    for mine, their in zip(ours.parameters(), theirs.parameters(), strict=True):
        mine.data = their.data  # same order: per layer, per neuron, weights then bias
    x = [0.5, -1.5, 2.0]
    out_ours, out_theirs = ours(x)[0], theirs([engine.Value(v) for v in x])
    assert out_ours.data == pytest.approx(out_theirs.data, rel=1e-12)
    out_ours.backward()
    out_theirs.backward()
    assert [p.grad for p in ours.parameters()] == pytest.approx(
        [p.grad for p in theirs.parameters()], rel=1e-12, abs=1e-15)


def test_a_neuron_pre_activation_is_one_dot_node():
    neuron = nn.Neuron(3, "tanh")
    out = neuron([1.0, 2.0, 3.0])
    assert out.op == "tanh" and out.parents[0].op == "dot"
    assert out.parents[0].parents == (*neuron.w, neuron.b)


def test_hidden_layers_use_the_activation_and_the_output_is_linear():
    model = nn.MLP(2, [3, 3, 2], activation="sigmoid")
    outputs = model([0.3, -0.2])
    assert [o.op for o in outputs] == ["dot", "dot"]
    for o in outputs:
        assert all(p.op == "sigmoid" for p in o.parents[3:6])


@pytest.mark.parametrize("sizes", [[1], [16, 1, 1], [4, 1], [1, 1, 1]])
def test_width_one_layers_still_return_lists(sizes):
    outputs = nn.MLP(2, sizes)([1.0, -1.0])
    assert isinstance(outputs, list) and len(outputs) == sizes[-1]
    assert all(isinstance(o, Value) for o in outputs)
    assert isinstance(nn.Layer(2, 1)([1.0, 2.0]), list)


@pytest.mark.parametrize(("module", "bad", "expected"), [
    (nn.Neuron(3), [1.0, 2.0], 3), (nn.Layer(3, 2), [1.0] * 4, 3), (nn.MLP(2, [2]), [1.0], 2),
])
def test_wrong_input_length_is_a_value_error(module, bad, expected):
    with pytest.raises(ValueError, match=rf"expected {expected} inputs, got {len(bad)}"):
        module(bad)


def test_wrong_input_type_is_refused():
    with pytest.raises(TypeError, match="list"):
        nn.Layer(2, 2)("ab")
    with pytest.raises(ValueError, match="single Value"):
        nn.Neuron(1)(Value(1.0))


def test_numpy_rows_are_accepted():
    np = pytest.importorskip("numpy")
    model = nn.MLP(3, [2])
    assert [o.data for o in model(np.array([0.1, 0.2, 0.3]))] == \
        [o.data for o in model([0.1, 0.2, 0.3])]


@pytest.mark.parametrize(("args", "message"), [
    ((0, [2]), "nin"), ((2, []), "nouts"), ((2, [0]), "each layer size"),
    ((2, [2], "swish"), "unknown activation"), ((2, [2], "relu", "glorot"), "init"),
    ((2, [2], "relu", -0.1), "positive"), ((2, [2], "relu", "he", "seed"), "seed"),
])
def test_bad_constructor_arguments(args, message):
    with pytest.raises((ValueError, TypeError), match=message):
        nn.MLP(*args)


def test_init_schemes_have_the_right_spread_and_repeat_with_the_seed():
    def weights(init, nin=4000):
        return [w.data for w in nn.Neuron(nin, init=init, seed=5).w]

    def std(ws):
        mean = sum(ws) / len(ws)
        return math.sqrt(sum((w - mean) ** 2 for w in ws) / len(ws))

    assert std(weights("he")) == pytest.approx(math.sqrt(2 / 4000), rel=0.05)
    assert std(weights("xavier")) == pytest.approx(math.sqrt(1 / 4000), rel=0.05)
    assert std(weights(0.01)) == pytest.approx(0.01, rel=0.05)
    uniform = weights("uniform")
    assert -1 <= min(uniform) < -0.99 and 0.99 < max(uniform) <= 1
    assert weights("he") == weights("he") and weights("he") != [w.data for w in
                                                                nn.Neuron(4000, seed=6).w]
    assert nn.Neuron(3).b.data == 0.0


@pytest.mark.parametrize(("name", "x", "value"), [
    ("relu", -2.0, 0.0), ("relu", 3.0, 3.0), ("sigmoid", 0.0, 0.5), ("tanh", 0.0, 0.0),
    ("identity", -1.5, -1.5),
])
def test_activations_as_functions_and_modules(name, x, value):
    function = getattr(nn, name)
    module = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh,
              "identity": nn.Identity}[name]()
    assert function(Value(x)).data == value
    assert module(Value(x)).data == value
    assert [v.data for v in module([Value(x), Value(x)])] == [value, value]
    assert module.parameters() == []


def test_custom_activation_function():
    neuron = nn.Neuron(1, activation=lambda z: z * z, init=1.0, seed=0)
    w = neuron.w[0].data
    assert neuron([2.0]).data == pytest.approx((2 * w) ** 2)


def test_zero_grad_clears_every_parameter():
    model = nn.MLP(2, [3, 1])
    model([1.0, 2.0])[0].backward()
    assert any(p.grad for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def central_differences(model, loss_of):
    slopes = []
    with autograd.no_grad():
        for p in model.parameters():
            original = p.data
            p.data = original + 1e-6
            up = loss_of().data
            p.data = original - 1e-6
            down = loss_of().data
            p.data = original
            slopes.append((up - down) / 2e-6)
    return slopes


def pre_activations(model, x):
    """Every neuron's w . x + b, to keep points away from relu's kink."""
    values, h = [], x
    with autograd.no_grad():
        for layer in model.layers:
            outputs = []
            for n in layer.neurons:
                z = autograd.dot(n.w, h, n.b)
                values.append(z.data)
                outputs.append(n.activation(z))
            h = outputs
    return values


@given(
    nin=st.integers(1, 3),
    nouts=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    activation=st.sampled_from(["relu", "tanh", "sigmoid"]),
    seed=st.integers(0, 1000),
    data=st.data(),
)
def test_mlp_gradients_match_numerical_gradients(nin, nouts, activation, seed, data):
    model = nn.MLP(nin, nouts, activation=activation, seed=seed)
    x = data.draw(st.lists(st.floats(-2, 2), min_size=nin, max_size=nin))
    assume(min(abs(z) for z in pre_activations(model, x)) > 1e-4)

    def loss():
        return autograd.sum(o * o for o in model(x))

    model.zero_grad()
    loss().backward()
    assert [p.grad for p in model.parameters()] == pytest.approx(
        central_differences(model, loss), rel=1e-5, abs=1e-6)


def test_old_names_of_a_layer_and_of_identity_warn_and_give_the_one_name():
    for old in ("Linear", "Affine"):
        with pytest.warns(DeprecationWarning, match=rf"^nn.{old} is nn.Layer: use that name$"):
            assert getattr(nn, old) is nn.Layer
        assert old not in nn.__all__
    with pytest.warns(DeprecationWarning, match=r"^activation 'linear' is 'identity'"):
        layer = nn.Layer(2, 1, "linear")
    assert layer.neurons[0].activation is nn.activations.identity
    with pytest.raises(AttributeError, match="module 'nn' has no attribute 'Dense'"):
        nn.Dense  # noqa: B018


def test_the_forward_on_floats_is_on_floats_everywhere_and_evaluate_warns():
    from autograd.ops import OPS

    model = nn.MLP(2, [3, 1], seed=1)
    rows = [[0.5, -1.0], [2.0, 0.25]]
    expected = [[y.data for y in model(row)] for row in rows]
    assert model.on_floats(rows) == nn.layers_on_floats(model.layers, rows) == expected
    with pytest.warns(DeprecationWarning, match=r"^MLP.evaluate is MLP.on_floats: use that"):
        assert model.evaluate(rows) == expected
    with pytest.warns(DeprecationWarning, match=r"^nn.evaluate is nn.layers_on_floats: use"):
        assert nn.evaluate is nn.layers_on_floats
    assert "evaluate" not in nn.__all__
    with pytest.warns(DeprecationWarning, match=r"^Op.evaluate is Op.on_floats: use that"):
        assert OPS["mul"].evaluate([2.0, 3.5]) == OPS["mul"].on_floats([2.0, 3.5]) == 7.0
