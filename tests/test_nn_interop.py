"""model.to_torch() and nn.from_torch(): the same outputs and gradients in PyTorch."""

import builtins
import sys

import pytest

import nn
from autograd import Value


def test_without_torch_both_directions_say_what_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_torch(name, *args, **kwargs):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("No module named 'torch'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "torch", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_torch)
    with pytest.raises(ImportError, match="PyTorch is not installed: 'pip install torch'"):
        nn.TwoLayerNet(2, 3, 2).to_torch()
    with pytest.raises(ImportError, match="PyTorch is not installed"):
        nn.from_torch(object())


def test_to_torch_refuses_what_it_cannot_export():
    with pytest.raises(TypeError, match="to_torch: expected an MLP, a TwoLayerNet or a Layer, "
                                        "got Neuron"):
        nn.to_torch(nn.Neuron(2))


torch = pytest.importorskip("torch")


def flat(rows):
    return [v for row in rows for v in row]


def _inputs():
    return [[0.5, -1.0, 2.0, 0.25], [1.5, 0.0, -0.5, -2.0], [0.1, 0.2, 0.3, 0.4]]


def test_two_layer_net_in_torch_has_equal_outputs_and_gradients():
    net = nn.TwoLayerNet(4, 5, 3, weight_init_std=0.5, seed=2)
    module = net.to_torch()
    x, labels = _inputs(), [2, 0, 1]
    ours = [[v.data for v in z] for z in net.predict(x)]
    theirs = module(torch.tensor(x, dtype=torch.float64))
    assert flat(theirs.tolist()) == pytest.approx(flat(ours), rel=1e-12, abs=1e-15)
    net.zero_grad()
    loss = net.loss(x, labels)
    loss.backward()
    torch_loss = torch.nn.functional.cross_entropy(theirs, torch.tensor(labels))
    torch_loss.backward()
    assert torch_loss.item() == pytest.approx(loss.data, rel=1e-12)
    w1 = [[w.grad for w in n.w] for n in net.affine1.neurons]
    assert flat(module.affine1.weight.grad.tolist()) == pytest.approx(flat(w1), rel=1e-9,
                                                                    abs=1e-15)
    b2 = [n.b.grad for n in net.affine2.neurons]
    assert module.affine2.bias.grad.tolist() == pytest.approx(b2, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_mlp_round_trip_is_exact_and_outputs_agree(activation):
    mlp = nn.MLP(4, [6, 5, 2], activation=activation, seed=4)
    module = mlp.to_torch()
    back = nn.from_torch(module)
    assert isinstance(back, nn.MLP) and back.state_dict() == mlp.state_dict()
    assert repr(back) == repr(mlp)
    out = module(torch.tensor(_inputs(), dtype=torch.float64)).tolist()
    assert flat(out) == pytest.approx(flat(mlp.on_floats(_inputs())), rel=1e-12, abs=1e-15)


def test_a_torch_trained_module_comes_back_into_a_given_model():
    module = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    model = nn.MLP(3, [4, 2], seed=9)
    assert nn.from_torch(module, into=model) is model
    assert model.layers[0].neurons[1].w[2].data == module[0].weight[1, 2].item()
    assert model.layers[1].neurons[0].b.data == module[2].bias[0].item()


def test_a_mismatched_architecture_names_the_layer():
    module = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    with pytest.raises(ValueError, match=r"layer layers\.0 is 3 -> 5, but the module.s 0 "
                                         r"is 3 -> 4"):
        nn.from_torch(module, into=nn.MLP(3, [5, 2]))
    with pytest.raises(ValueError, match=r"layer layers\.0 uses tanh, but the module's 0 is "
                                         r"followed by relu"):
        nn.from_torch(module, into=nn.MLP(3, [4, 2], activation="tanh"))
    with pytest.raises(ValueError, match="the module has 2 Linear layers, the model 3"):
        nn.from_torch(module, into=nn.MLP(3, [4, 4, 2]))
    odd = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Dropout(), torch.nn.Linear(4, 2))
    with pytest.raises(ValueError, match=r"layer 1 \(Dropout\) has no chainrule counterpart"):
        nn.from_torch(odd)
    no_bias = torch.nn.Sequential(torch.nn.Linear(3, 4, bias=False))
    with pytest.raises(ValueError, match="layer 0 has no bias"):
        nn.from_torch(no_bias)
    with pytest.raises(TypeError, match="from_torch: expected a torch.nn.Sequential"):
        nn.from_torch(torch.nn.Linear(3, 4))
    custom = nn.MLP(2, [3, 1], activation=lambda v: v * Value(0.5))
    with pytest.raises(ValueError, match=r"layer layers\.0's activation '<lambda>' has no "
                                         "PyTorch counterpart"):
        custom.to_torch()
