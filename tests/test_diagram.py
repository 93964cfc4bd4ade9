"""autograd.draw: golden DOT, determinism, real rendering, clusters, limits, no dot."""

import os
import re
from pathlib import Path

import graphviz
import pytest
from graphs import apple_graph, fruit_graph, named_mlp_loss

import autograd
import autograd.backprop
import autograd.diagram
import nn
from autograd import Value

GOLDEN = Path(__file__).parent / "golden" / "apple_shop.dot"


def drawn_shop(**options):
    price, leaves = fruit_graph()
    price.backward()
    return autograd.draw(price, **options)


def test_apple_shop_matches_the_golden_dot_text():
    assert drawn_shop().source == GOLDEN.read_text()


def test_same_graph_same_dot_text_and_ids_from_topological_position():
    first, second = drawn_shop().source, drawn_shop().source
    assert first == second
    ids = re.findall(r"^\t(v\d+)(?:op)? \[", first, flags=re.M)
    assert sorted(set(ids), key=lambda s: int(s[1:])) == [f"v{i}" for i in range(9)]


def test_rendered_svg_carries_names_values_and_gradients():
    svg = drawn_shop().pipe(format="svg").decode()
    for text in ["apple", "orange_num", "tax", "price", "data 715", "data 150", "grad 2.2",
                 "grad 110", "grad 3.3", "grad 165", "grad 650", "×", "+"]:
        assert text in svg, text


@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG"), ("pdf", b"%PDF"),
                                            ("svg", b"<?xml")])
def test_pipe_gives_every_format_through_real_dot(fmt, magic):
    assert drawn_shop().pipe(format=fmt).startswith(magic)


@pytest.mark.parametrize(("suffix", "magic"), [(".svg", b"<?xml"), (".png", b"\x89PNG"),
                                               (".pdf", b"%PDF"), (".dot", b"digraph")])
def test_write_picks_the_format_from_the_suffix(tmp_path, suffix, magic):
    path = drawn_shop().write(tmp_path / f"shop{suffix}")
    assert path.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [f"shop{suffix}"]  # no temporary left


def test_write_refuses_an_unknown_format(tmp_path):
    with pytest.raises(ValueError, match=r"\.jpg"):
        drawn_shop().write(tmp_path / "shop.jpg")


def test_jupyter_display_is_the_graphviz_repr():
    bundle = drawn_shop()._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]
    assert isinstance(drawn_shop(), graphviz.Digraph)


def test_show_data_or_grad_only():
    data_only, grad_only = drawn_shop(show="data").source, drawn_shop(show="grad").source
    assert "data 715" in data_only and "grad " not in data_only
    assert "grad 650" in grad_only and "data " not in grad_only


def test_bad_options_are_refused():
    price, _ = apple_graph()
    with pytest.raises(ValueError, match="show"):
        autograd.draw(price, show="values")
    with pytest.raises(ValueError, match="rankdir"):
        autograd.draw(price, rankdir="XY")
    with pytest.raises(TypeError, match="Value"):
        autograd.draw(3.0)


def test_rankdir_and_legend():
    price, _ = apple_graph()
    assert "rankdir=TB" in autograd.draw(price, rankdir="TB").source
    assert "legend" not in autograd.draw(price, legend=False).source


@pytest.mark.parametrize(("build", "label"), [
    (lambda x: x * 3, "× 3"), (lambda x: x + 1, "+ 1"), (lambda x: x - 2, "− 2"),
    (lambda x: 5 - x, "5 −"), (lambda x: x / 4, "÷ 4"), (lambda x: 5 / x, "5 ÷"),
    (lambda x: x**2, "^ 2"), (lambda x: 2**x, "2 ^"), (lambda x: x**x, "^"),
    (lambda x: -x, "−"), (lambda x: x.exp(), "exp"), (lambda x: x.tanh(), "tanh"),
    (lambda x: autograd.sum([x, x]), "Σ"), (lambda x: autograd.dot([x], [x]), "dot"),
    (lambda x: x.leaky_relu(0.1), "leaky_relu(·, 0.1)"), (lambda x: x.sqrt(), "√"),
    (lambda x: autograd.maximum(x, 1.5), "max(·, 1.5)"),
])
def test_op_circles_show_the_op_and_its_folded_constant(build, label):
    source = autograd.draw(build(Value(2.0, "x"))).source
    assert re.search(rf'v\dop \[label="?{re.escape(label)}"? ', source), source


def test_unnamed_nodes_show_their_id_so_explain_rows_can_be_found():
    x = Value(2.0, "x")
    y = (x * x).tanh()
    assert "v1</font>" in autograd.draw(y).source and "v1" in str(autograd.explain(y))


def test_mlp_is_drawn_in_nested_clusters():
    loss = named_mlp_loss()
    loss.backward()
    source = autograd.draw(loss).source
    layer = source.index('subgraph "cluster_layers.0" {')
    neuron = source.index('subgraph "cluster_layers.0.neurons.2" {')
    assert layer < neuron < source.index('subgraph "cluster_layers.1" {')
    assert ">w.0</b>" in source and ">b</b>" in source  # short names inside a cluster


def test_collapse_draws_each_matching_cluster_as_one_box():
    loss = named_mlp_loss()
    full = autograd.draw(loss).source
    neurons = autograd.draw(loss, collapse=["layers.0.neurons.*"]).source
    layers = autograd.draw(loss, collapse="layers.*").source
    for i in range(3):
        assert f'"c_layers.0.neurons.{i}" [' in neurons
    assert "layers.0.neurons.0.w.0" not in neurons and '"c_layers.1" [' not in neurons
    assert '"c_layers.0" [' in layers and '"c_layers.1" [' in layers
    assert len(layers) < len(neurons) < len(full)
    # one edge from a collapsed box to each op it feeds, none inside a box
    assert len(re.findall(r'"c_layers\.0" -> "c_layers\.1"', layers)) == 1
    assert not re.search(r'"c_layers\.0" -> "c_layers\.0"', layers)


def test_max_nodes_refuses_with_glob_advice_and_collapse_makes_it_fit():
    loss = named_mlp_loss(sizes=(2, 8, 8, 2))
    with pytest.raises(ValueError, match=r"max_nodes=40.*collapse=\['layers\.\*'\]"):
        autograd.draw(loss, max_nodes=40)
    assert "c_layers.0" in autograd.draw(loss, max_nodes=40, collapse="layers.*").source
    net = nn.TwoLayerNet(4, 6, 3)
    with pytest.raises(ValueError, match=r"collapse=\['affine1\.\*', 'affine2\.\*'\]"):
        autograd.draw(net.loss([[1.0, 2.0, 3.0, 4.0]], [1]), max_nodes=20)


def test_a_huge_graph_is_refused_after_counting_past_max_nodes_only(monkeypatch):
    y = Value(1.0)
    for _ in range(20_000):
        y = y * 1.0000001
    walked = []
    monkeypatch.setattr(autograd.diagram, "topological_order",
                        lambda root: walked.append(root) or [])
    with pytest.raises(ValueError) as refusal:
        autograd.draw(y, max_nodes=1000)
    message = str(refusal.value)
    assert "more than 1000 nodes" in message and "counting stopped there" in message
    assert not message.endswith("or raise max_nodes") and "raise max_nodes" in message
    assert walked == []  # the full walk never started
    assert len(autograd.backprop.nodes_up_to(y, 1000)) == 1001


def test_without_dot_the_source_still_works_and_rendering_says_how_to_install(
        tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    diagram = drawn_shop()
    assert diagram.source == GOLDEN.read_text()
    with pytest.raises(autograd.GraphvizNotFound, match=r"Graphviz.*apt-get install graphviz"):
        diagram.pipe(format="svg")
    with pytest.raises(graphviz.ExecutableNotFound):  # still catchable as graphviz's own error
        diagram.render(tmp_path / "shop", format="png")
    with pytest.raises(autograd.GraphvizNotFound):
        diagram.write(tmp_path / "shop.svg")
    assert not (tmp_path / "shop.svg").exists()
    assert diagram.write(tmp_path / "shop.gv").read_text() == diagram.source


def test_a_real_nn_mlp_clusters_by_its_parameter_names():
    import nn

    model = nn.MLP(3, [4, 2])
    loss = nn.cross_entropy(model([0.1, -0.2, 0.3]), 1)
    loss.backward()
    source = autograd.draw(loss).source
    assert 'subgraph "cluster_layers.0.neurons.3" {' in source
    collapsed = autograd.draw(loss, collapse="layers.*").source
    assert '"c_layers.0" [' in collapsed and '"c_layers.1" [' in collapsed
    assert collapsed.count("\n") < source.count("\n") / 2


def test_the_diagram_s_refusals_word_for_word(tmp_path):
    from autograd.diagram import GraphvizNotFound, font_list

    assert str(GraphvizNotFound()) == (
        "Graphviz's 'dot' program was not found on PATH, so the diagram cannot be rendered. "
        "Install Graphviz: 'sudo apt-get install graphviz' on Debian/Ubuntu, 'brew install "
        "graphviz' on macOS (or run 'make demo', which installs it as root). The DOT text is "
        "still available as diagram.source.")
    diagram = autograd.draw(Value(1.0) * 2)
    for path, suffix in ((tmp_path / "a.txt", "'.txt'"), (tmp_path / "noext", "'(none)'")):
        with pytest.raises(ValueError) as refused:
            diagram.write(path)
        assert str(refused.value) == (f"Diagram.write: unknown format {suffix} in {str(path)!r}; "
                                      "use .svg, .png, .pdf, .dot or .gv")
    with pytest.raises(ValueError, match=r"^font_list: unknown language 'fr'; the languages "):
        font_list("fr")
    model = nn.MLP(3, [8, 8, 1])
    with pytest.raises(ValueError) as refused:
        autograd.draw(model([1.0, 2.0, 3.0])[0], max_nodes=20)
    assert str(refused.value) == (
        "draw: the graph has more than 20 nodes, too many for max_nodes=20 (counting stopped "
        "there); collapse modules, e.g. draw(root, collapse=['layers.*']), or raise max_nodes")
    x = Value(1.0)
    y = x
    for _ in range(1200):
        y = y * 1.5
    with pytest.raises(ValueError) as refused:
        autograd.draw(y, max_nodes=10)
    assert str(refused.value) == (
        "draw: the graph has more than 10 nodes, too many for max_nodes=10 (counting stopped "
        "there); raise max_nodes, or name the parameters by module (nn's modules do) so that "
        "draw(root, collapse=[...]) can fold them")
    with pytest.raises(ValueError) as refused:
        autograd.draw(y, max_nodes=10, collapse="zz*")
    assert str(refused.value) == (
        "draw: the graph has more than 1000 nodes, too many for max_nodes=10 with collapse "
        "(counting stopped there); collapsing does not fold enough of it; raise max_nodes")


def test_a_highlighted_step_and_a_wrong_gradient_are_drawn_exactly():
    x, w = Value(2.0, "x"), Value(3.0, "w")
    y = x * w
    y.name = "y"
    z = y.tanh()
    z.name = "z"
    z.backward()
    lines = [line.strip() for line in autograd.draw(z, highlight=y, expected={w: 99.0})
             .source.splitlines()]
    assert ('v1 [label=<<b>w</b><br/>data 3<br/><font color="#c0392b"><s>grad 4.91531e-05</s> '
            '(99)</font>> color="#c0392b" fillcolor="#eaf2fb" penwidth=3 shape=box '
            'style="rounded,filled,dashed"]') in lines
    assert ('v2 [label=<<b>y</b><br/>data 6<br/><font color="#c0392b">grad 2.45765e-05</font>> '
            'color="#e67e22" penwidth=3 shape=box style=rounded]') in lines
    assert ('v2op [label="×" color="#e67e22" fixedsize=false fontsize=10 margin=0.02 '
            'penwidth=2 shape=circle width=0.3]') in lines
    assert ('v3 [label=<<b>z</b><br/>data 0.999988<br/><font color="#c0392b">grad 1</font>> '
            'penwidth=2 shape=box style=rounded]') in lines  # the output, not highlighted
    assert [line for line in lines if "->" in line and "e67e22" in line] == [
        'v2op -> v2 [color="#e67e22" penwidth=2.5]', 'v0 -> v2op [color="#e67e22" penwidth=2.5]',
        'v1 -> v2op [color="#e67e22" penwidth=2.5]']
    assert any("dashed red = wrong gradient (right one in brackets)" in line for line in lines)


def _golden_cases():
    loss = named_mlp_loss()
    loss.backward()
    yield "mlp_clusters", lambda: autograd.draw(loss)
    yield "mlp_collapsed", lambda: autograd.draw(loss, collapse=["layers.0.neurons.*"],
                                                 rankdir="TB")
    a, n, t = Value(100.0, "사과"), Value(2.0, "개수"), Value(1.1, "소비세")
    price = a * n * t
    price.name = "가격"
    price.backward()
    yield "paths_ko", lambda: autograd.draw(price, highlight=autograd.paths(price, a),
                                            lang="ko", expected={n: 1.0}, show="grad")


@pytest.mark.parametrize("name", [name for name, _ in _golden_cases()])
def test_clusters_collapsed_boxes_and_highlighted_paths_match_their_golden_dot(name):
    """Every attribute of a cluster, a collapsed box, a path and the legend, word for word.
    The golden files were rendered and looked at (PNG) before they were kept; after a
    deliberate change of style, look again and write them anew with
    CHAINRULE_WRITE_GOLDEN=1."""
    draw = dict(_golden_cases())[name]
    golden = GOLDEN.parent / f"{name}.dot"
    if os.environ.get("CHAINRULE_WRITE_GOLDEN"):
        golden.write_text(draw().source, encoding="utf-8")
    assert draw().source == golden.read_text(encoding="utf-8")
