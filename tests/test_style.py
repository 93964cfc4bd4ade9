"""autograd.Style: one look for draw, animate_backward and the command line, every colour
and size a field, each field read where the diagram uses it, and bad fields refused."""

import dataclasses
import shutil

import pytest
from graphs import fruit_graph

import autograd
from autograd import Style, Value
from autograd.cli import main as cli_main

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")


def _marked(style: Style) -> Style:
    """The style with every str field set to a value no default has: each one must then
    show up in the DOT source of a diagram that uses every part (a cluster, a collapsed
    box, a leaf, a highlight, a wrong gradient, the legend, an unnamed node)."""
    marks = {f.name: f"#0{i:05d}" for i, f in enumerate(dataclasses.fields(Style))
             if f.name not in ("rankdir", "show", "legend")}
    return dataclasses.replace(style, **marks)


def _everything() -> tuple[Value, str]:
    import nn

    model = nn.MLP(2, [2, 1], seed=0)
    x = Value(1.0, "x")
    loss = model([x, Value(-1.0)])[0] * 2.0
    loss.backward()
    wrong = {loss: 0.0}  # the output's gradient is 1: drawn as wrong
    return loss, autograd.draw(loss, style=_marked(Style()), collapse=["layers.1*"],
                               highlight=x, expected=wrong).source


def test_every_field_of_the_style_is_read_by_draw():
    _, source = _everything()
    style = _marked(Style())
    for field in dataclasses.fields(Style):
        value = getattr(style, field.name)
        if field.name in ("legend", "show", "rankdir"):
            continue
        assert f'"{value}"' in source or f"={value}" in source or f'"{value}' in source, (
            field.name, value)


def test_draw_s_keywords_are_the_style_s_fields_and_win_over_it():
    price, _ = fruit_graph()
    tb = Style(rankdir="TB", show="data", legend=False, fontname="Serif")
    assert "rankdir=TB" in autograd.draw(price, style=tb).source
    source = autograd.draw(price, style=tb, rankdir="BT", show="both", legend=True,
                           fontname="Mono").source
    assert "rankdir=BT" in source and "fontname=Mono" in source and "grad " in source
    assert "cluster_legend" in source
    assert autograd.draw(price).source == autograd.draw(price, style=Style()).source
    quiet = autograd.draw(price, style=Style(show="data")).source
    assert "grad " not in quiet and "cluster_legend" not in quiet


@pytest.mark.parametrize(("fields", "error", "message"), [
    ({"show": "values"}, ValueError, r"^Style: show must be one of \('data', 'grad', 'both'\)"
                                     r", got 'values'$"),
    ({"rankdir": "up"}, ValueError, r"^Style: rankdir must be LR, RL, TB or BT, got 'up'$"),
    ({"legend": "yes"}, TypeError, r"^Style: legend must be True or False, got 'yes'$"),
    ({"grad_color": 0xFF0000}, TypeError, r"^Style: grad_color must be a str, got 16711680$"),
    ({"fontname": 3}, TypeError, r"^Style: fontname must be a str or None, got 3$"),
])
def test_a_bad_field_is_refused_by_name(fields, error, message):
    with pytest.raises(error, match=message):
        Style(**fields)


def test_draw_refuses_what_is_not_a_style_in_its_own_name():
    price, _ = fruit_graph()
    with pytest.raises(TypeError, match=r"^draw: style must be an autograd.Style, got dict$"):
        autograd.draw(price, style={"show": "data"})
    with pytest.raises(ValueError, match=r"^draw: show must be one of"):
        autograd.draw(price, style=Style(), show="value")
    with pytest.raises(ValueError, match=r"^draw: rankdir must be LR, RL, TB or BT, got 'up'$"):
        autograd.draw(price, rankdir="up")
    with pytest.raises(TypeError, match=r"^animate_backward: style must be an autograd.Style"):
        autograd.animate_backward(price, style="TB")


@needs_dot
def test_animate_backward_draws_its_frames_in_the_style(tmp_path):
    price, _ = fruit_graph()
    page = autograd.animate_backward(price, style=Style(grad_color="#123456", fontname="Serif"))
    assert "#123456" in page and "Serif" in page
    assert "#c0392b" not in page.split("<svg", 1)[1]  # the default red is gone from frames


@needs_dot
def test_the_command_line_draws_with_the_same_style(tmp_path):
    target = tmp_path / "xy.dot"
    assert cli_main(["x*y", "x=2", "y=3", "--show", "data", "--rankdir", "TB",
                     "-o", str(target)]) == 0
    x, y = Value(2.0, "x"), Value(3.0, "y")
    drawn = autograd.draw(x * y, style=Style(show="data", rankdir="TB")).source
    written = target.read_text(encoding="utf-8")
    assert "rankdir=TB" in written and "grad " not in written
    assert written.count("->") == drawn.count("->")


def test_boxes_are_dashed_only_where_a_gradient_is_wrong():
    price, _ = fruit_graph()
    assert "dashed" not in autograd.draw(price, show="data").source
    assert "dashed" not in autograd.draw(price).source
    assert autograd.draw(price, expected={price: 2.0}).source.count(",dashed") == 1  # + legend


def test_a_graph_of_exactly_max_nodes_shapes_is_drawn():
    assert "data 1" in autograd.draw(Value(1.0, "one"), max_nodes=1).source
    with pytest.raises(ValueError, match="max_nodes=2"):
        autograd.draw(Value(1.0) * Value(2.0), max_nodes=2)


def test_a_collapsed_cluster_sends_one_edge_per_op_and_a_pattern_may_be_one_string():
    import nn

    model = nn.MLP(2, [2, 1], seed=0)
    out = model([Value(1.0, "x"), Value(-1.0, "y")])[0]
    source = autograd.draw(out, collapse=["layers.0*"]).source
    # the output neuron's dot has both hidden units as parents, both inside the box
    assert [line for line in source.splitlines() if line.startswith('\t"c_layers.0" ->')] == [
        '\t"c_layers.0" -> v15op']
    assert autograd.draw(out, collapse="layers.0*").source == source  # not 9 one-letter globs


def test_the_legend_names_an_unnamed_input_as_the_boxes_do():
    x = Value(2.0)
    y = x * Value(3.0, "k")
    source = autograd.draw(y, highlight=autograd.paths(y, x)).source
    assert "orange = a path from v2 to v0" in source and "v0</font>" in source
