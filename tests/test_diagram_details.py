"""draw's smaller pieces, each pinned: scopes and clusters, the natural order, the limits
at their edges, highlights, the legend's target, and the rendering wrappers."""

from __future__ import annotations

import re

import pytest

import autograd
import nn
from autograd import Value
from autograd.diagram import _clusters_of, _common_scope, _natural, _scope_of_name, scopes


def test_a_name_s_scope_drops_its_indices_then_its_field():
    assert _scope_of_name("layers.0.neurons.3.w.2") == "layers.0.neurons.3"
    assert _scope_of_name("affine1.b.0") == "affine1"
    assert (_scope_of_name("x"), _scope_of_name(""), _scope_of_name(None)) == ("", "", "")
    assert _common_scope(["layers.0.neurons.1", "layers.0.neurons.2"]) == "layers.0.neurons"
    assert _common_scope(["layers.0.w", "layers.1.w"]) == "layers"
    assert _common_scope(["a.b", "a.b"]) == "a.b" and _common_scope([]) == ""


def test_clusters_are_every_prefix_that_ends_in_an_index_and_the_scope():
    assert _clusters_of("layers.0.neurons.3") == ["layers.0", "layers.0.neurons.3"]
    assert _clusters_of("affine1") == ["affine1"]
    assert _clusters_of("encoder.layers.2.attn") == ["encoder.layers.2",
                                                     "encoder.layers.2.attn"]
    assert _clusters_of("") == []


def test_the_natural_order_puts_2_before_10_and_numbers_before_names():
    names = ["layers.10", "layers.2", "layers.x", "layers.1"]
    assert sorted(names, key=_natural) == ["layers.1", "layers.2", "layers.10", "layers.x"]
    mlp = nn.MLP(2, [11, 1])
    source = autograd.draw(mlp([0.5, -1.0])[0], max_nodes=10_000).source
    clusters = re.findall(r'subgraph "cluster_(layers\.0\.neurons\.\d+)"', source)
    assert clusters == [f"layers.0.neurons.{i}" for i in range(11)]


def test_an_unnamed_leaf_has_no_scope_and_an_op_takes_its_named_leaves_scope():
    w = Value(2.0, "layer.w.0")
    free = Value(3.0)
    y = w * free
    order = autograd.topological_order(y)
    assert scopes(order) == {w: "layer", free: "", y: "layer"}
    assert re.search(r'subgraph "?cluster_layer"? \{', autograd.draw(y).source)


def _chain(n_ops: int) -> Value:
    y = Value(1.0, "x")
    for _ in range(n_ops):
        y = y * 1.5
    return y


def test_the_shape_limit_is_exact_at_its_edge():
    y = _chain(2)  # a box for x, and a box and a circle for each op: 5 shapes
    assert autograd.draw(y, max_nodes=5).source
    with pytest.raises(ValueError, match=r"^draw: the graph needs 5 shapes, more than "
                                         r"max_nodes=4; raise max_nodes, or name the "):
        autograd.draw(y, max_nodes=4)
    with pytest.raises(ValueError, match=r"^draw: the graph has more than 2 nodes, too many "
                                         r"for max_nodes=2 \(counting stopped there\)"):
        autograd.draw(y, max_nodes=2)  # 3 nodes: refused while counting, before shapes


def test_the_default_limit_is_1000_shapes():
    assert autograd.draw(_chain(333)).source  # 1 + 2 * 333 = 667 shapes
    with pytest.raises(ValueError, match=r"needs 1001 shapes, more than max_nodes=1000"):
        autograd.draw(_chain(500))  # 501 nodes, 1,001 shapes
    assert autograd.draw(_chain(499)).source  # 999 shapes


def test_advice_names_at_most_four_modules_to_collapse():
    leaves = [Value(1.0, f"m{i}.w.0") for i in range(6)]
    y = autograd.sum([leaf * 2 for leaf in leaves])
    with pytest.raises(ValueError) as info:
        autograd.draw(y, max_nodes=15)  # 13 nodes, but 20 shapes
    assert "collapse=['m0.*', 'm1.*', 'm2.*', 'm3.*'])" in str(info.value)


def test_a_collapse_pattern_may_be_one_string_or_a_list():
    loss = nn.MLP(2, [3, 1])([0.5, -1.0])[0]
    assert autograd.draw(loss, collapse="layers.*").source == \
        autograd.draw(loss, collapse=["layers.*"]).source
    assert '"c_layers.0" [' in autograd.draw(loss, collapse="layers.*").source


def test_highlight_takes_a_value_or_values_and_names_what_it_cannot_take():
    x = Value(2.0, "x")
    y = x * 3
    one, many = autograd.draw(y, highlight=y).source, autograd.draw(y, highlight=[y]).source
    assert one == many and "penwidth=3" in one
    with pytest.raises(TypeError, match=r"^draw: highlight takes a Value, Values, or "
                                        r"paths\(output, input\); got int$"):
        autograd.draw(y, highlight=[x, 3])
    with pytest.raises(TypeError, match=r"^draw: expected a Value, got str$"):
        autograd.draw("y")
    with pytest.raises(ValueError, match=r"^draw: "):
        autograd.draw(y, lang="fr")


def test_an_expected_gradient_equal_to_the_real_one_is_drawn_as_right():
    x, w = Value(2.0, "x"), Value(3.0, "w")
    y = x * w
    y.backward()
    source = autograd.draw(y, expected={w: 2.0}).source
    assert '<font color="#c0392b">grad 2</font>' in source and "<s>" not in source
    assert "rounded,filled,dashed" not in source


def test_the_legend_names_the_input_of_paths_that_do_not_reach_it():
    x, z = Value(2.0, "x"), Value(5.0, "zed")
    y = x * 3
    source = autograd.draw(y, highlight=autograd.paths(y, z)).source
    assert "orange = a path from v1 to zed</font>" in source  # zed is not in y's graph
    unnamed = Value(1.0)
    source = autograd.draw(y, highlight=autograd.paths(y, unnamed)).source
    assert "orange = a path from v1 to ?</font>" in source


def test_pipe_and_render_pass_their_positional_arguments_on(tmp_path):
    pytest.importorskip("graphviz")
    y = Value(2.0, "x") * 3
    diagram = autograd.draw(y)
    assert diagram.pipe("svg").startswith(b"<?xml")
    out = diagram.render(str(tmp_path / "g"), format="svg")
    assert out.endswith("g.svg") and (tmp_path / "g.svg").read_bytes().startswith(b"<?xml")
