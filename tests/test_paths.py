"""autograd.paths: a gradient is the sum, over paths, of the product of local derivatives."""

import math

import pytest
from graphs import fruit_graph
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.pathsum import Path, paths


def test_the_shop_has_one_path_from_price_to_apple_with_the_book_s_numbers():
    price, leaves = fruit_graph()
    price.backward()
    found = paths(price, leaves["apple"])
    assert len(found) == 1
    (path,) = found
    assert [n.name for n in path.nodes] == ["price", "total", "apple_price", "apple"]
    assert path.locals == (1.1, 1.0, 2.0)
    assert path.product == found.total == leaves["apple"].grad == 2.2
    assert str(found) == ("1 path from price to apple:\n"
                          "  price ←(×)─ total ←(+)─ apple_price ←(×)─ apple:  1.1 × 1 × 2 = 2.2\n"
                          "sum = 2.2 = d price / d apple")


def test_a_plus_a_has_two_paths_which_is_why_gradients_are_added():
    a = Value(3.0, "a")
    y = a + a
    found = paths(y, a)
    assert [p.locals for p in found] == [(1.0,), (1.0,)]
    assert found.total == 2.0
    y.backward()
    assert a.grad == 2.0  # with "=" instead of "+=", backward would leave 1.0


def test_the_affine_bias_feeds_n_additions_so_its_gradient_is_a_sum_over_the_batch():
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(0)
    N, D, M = 4, 3, 2
    x = np.vectorize(Value, otypes=[object])(rng.normal(size=(N, D)))
    W = np.vectorize(Value, otypes=[object])(rng.normal(size=(D, M)))
    b = np.array([Value(0.0, f"b{j}") for j in range(M)], dtype=object)
    dout = rng.normal(size=(N, M))
    out = np.dot(x, W) + b
    loss = autograd.dot(list(out.ravel()), dout.ravel().tolist())  # sum(out * dout)
    found = paths(loss, b[0])
    assert len(found) == N  # one addition per sample
    assert sorted(p.product for p in found) == sorted(dout[:, 0])
    assert found.total == pytest.approx(np.sum(dout, axis=0)[0], rel=1e-15)
    loss.backward()
    assert math.isclose(found.total, b[0].grad, rel_tol=1e-15)


def test_every_path_of_the_averaged_loss_passes_the_division_by_the_batch_size():
    N = 3
    logits = [[Value(0.1 * (i + j)) for j in range(3)] for i in range(N)]
    losses = [autograd.logsumexp(row) - row[i % 3] for i, row in enumerate(logits)]
    loss = autograd.sum(losses) / N
    found = paths(loss, logits[1][1])
    assert len(found) == 2  # through logsumexp, and as the true class's logit
    for path in found:
        assert path.locals[0] == 1 / N  # d loss / d (sum of losses)
    loss.backward()
    assert math.isclose(found.total, logits[1][1].grad, rel_tol=1e-15)


def test_unconnected_nodes_give_no_paths_and_a_sum_of_zero():
    x, other = Value(1.0, "x"), Value(2.0, "other")
    found = paths(x * 3, other)
    assert len(found) == 0 and found.total == 0.0 and list(found) == []
    assert str(found).startswith("0 paths from v1 to other:")


def test_paths_walk_only_the_nodes_that_lead_to_the_input(monkeypatch):
    # A branch with 2**12 paths that never reaches x must not be walked: it would cost
    # the number of its paths, which grows exponentially with depth.
    x, w = Value(2.0, "x"), Value(0.5, "w")
    dead_end = w
    for _ in range(12):
        dead_end = dead_end + dead_end
    y = x * 3 + dead_end
    walked = []
    real = Value.local_derivatives
    monkeypatch.setattr(Value, "local_derivatives",
                        property(lambda node: walked.append(node) or real.__get__(node, Value)))
    found = paths(y, x)
    assert found.total == 3.0 and len(found) == 1
    assert walked == [y, y.parents[0]]   # y, then x * 3; never the dead end


def test_an_output_is_one_empty_path_to_itself():
    x = Value(5.0, "x")
    found = paths(x, x)
    assert [p.nodes for p in found] == [(x,)] and found.total == 1.0
    assert Path((x,), ()).product == 1.0


def test_paths_refuses_non_values_and_too_many_paths():
    with pytest.raises(TypeError, match="paths: the output must be a Value, got float"):
        paths(1.0, Value(1.0))
    with pytest.raises(TypeError, match="paths: the input must be a Value, got int"):
        paths(Value(1.0), 1)
    x = Value(1.0, "x")
    y = x
    for _ in range(12):  # 2**12 paths
        y = y + y
    assert len(paths(y, x)) == 4096
    with pytest.raises(ValueError, match="more than max_paths=100 paths from the output to x"):
        paths(y, x, max_paths=100)


@st.composite
def random_graphs(draw):
    """A small graph whose nodes are reused at random: fan-out, fan-in, a + a."""
    leaves = [Value(draw(st.floats(-2, 2)), f"x{i}") for i in range(3)]
    nodes = list(leaves)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["+", "*", "tanh", "-"]))
        a = nodes[draw(st.integers(0, len(nodes) - 1))]
        b = nodes[draw(st.integers(0, len(nodes) - 1))]
        nodes.append(a + b if op == "+" else a * b if op == "*" else a - b if op == "-"
                     else a.tanh())
    return nodes[-1], leaves


@given(random_graphs())
def test_the_sum_over_paths_is_the_gradient_backward_computes(case):
    out, leaves = case
    out.backward()
    for leaf in leaves:
        found = paths(out, leaf)
        # backward factors the same sum, so the two agree up to rounding
        assert math.isclose(found.total, leaf.grad, rel_tol=1e-9, abs_tol=1e-12)
        for path in found:
            assert path.nodes[0] is out and path.nodes[-1] is leaf
            assert all(child.parents.count(parent) for child, parent in
                       zip(path.nodes[:-1], path.nodes[1:], strict=True))


def test_draw_highlights_every_edge_on_the_paths():
    price, leaves = fruit_graph()
    price.backward()
    source = autograd.draw(price, highlight=paths(price, leaves["orange"])).source
    orange_edges = [line for line in source.splitlines() if "->" in line and "e67e22" in line]
    # orange -> ×, × -> orange_price, orange_price -> +, + -> total, total -> ×, × -> price
    assert len(orange_edges) == 6
    assert "orange = a path from price to orange" in source
    with pytest.raises(TypeError, match="draw: highlight takes a Value, Values, or paths"):
        autograd.draw(price, highlight=[price, 3])


def test_draw_marks_a_wrong_gradient_beside_the_right_one():
    a = Value(3.0, "a")
    y = a + a
    y.backward()
    source = autograd.draw(y, grads={y: 1.0, a: 1.0}, expected={y: 1.0, a: a.grad}).source
    assert "<s>grad 1</s> (2)" in source
    assert source.count("style=\"rounded,filled,dashed\"") == 1
    assert "dashed red = wrong gradient (right one in brackets)" in source


def test_paths_name_unnamed_nodes_as_the_diagram_does_and_an_empty_path_is_1():
    x = Value(2.0)
    y = x * 3
    assert str(paths(y, x)) == ("1 path from v1 to v0:\n  v1 ←(× 3)─ v0:  3 = 3\n"
                                "sum = 3.0 = d v1 / d v0")
    assert str(paths(x, x)) == "1 path from v0 to v0:\n  v0:  1 = 1\nsum = 1.0 = d v0 / d v0"
    stranger = Value(1.0)
    assert str(paths(y, stranger)).startswith("0 paths from v1 to ?:")


def test_max_paths_is_the_most_allowed_and_unnamed_ends_are_described():
    x = Value(1.0)
    y = x
    for _ in range(3):
        y = y + y
    assert len(paths(y, x, max_paths=8)) == 8
    with pytest.raises(ValueError, match="^paths: more than max_paths=7 paths from the output "
                                         "to the input$"):
        paths(y, x, max_paths=7)
