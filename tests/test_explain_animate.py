"""explain(): the chain rule step by step; animate_backward(): one frame per step."""

import re

import pytest
from graphs import apple_graph, fruit_graph

import autograd
from autograd import Value


def rows(table: str) -> list[list[str]]:
    body = table.split("\n\n")[1].splitlines()[1:]  # skip the title and the header
    return [line.split() for line in body]


def test_apple_shop_walkthrough_reads_like_the_book():
    price, _ = fruit_graph()
    table = str(autograd.explain(price))
    assert table.startswith("backward pass of price = 715: 4 chain-rule steps")
    assert rows(table) == [
        ["1", "price", "×", "1", "total", "1.1", "1.1"],
        ["tax", "650", "650"],
        ["2", "total", "+", "1.1", "apple_price", "1", "1.1"],
        ["orange_price", "1", "1.1"],
        ["3", "orange_price", "×", "1.1", "orange", "3", "3.3"],
        ["orange_num", "150", "165"],
        ["4", "apple_price", "×", "1.1", "apple", "2", "2.2"],
        ["apple_num", "100", "110"],
    ]
    assert table.rstrip().endswith(
        "apple = 2.2\n  apple_num = 110.00000000000001\n  orange = 3.3000000000000003\n"
        "  orange_num = 165.0\n  tax = 650.0")


def test_explain_rows_follow_the_hand_worked_chain_rule_with_fan_out():
    # f = (x*y) * x: x is used twice, so it gets two shares: y*x (via x*y) and x*y.
    x, y = Value(3.0, "x"), Value(2.0, "y")
    xy = x * y
    xy.name = "xy"
    f = xy * x
    f.name = "f"
    table = str(autograd.explain(f))
    assert rows(table) == [
        ["1", "f", "×", "1", "xy", "3", "3"],
        ["x", "6", "6"],
        ["2", "xy", "×", "3", "x", "2", "6"],
        ["y", "3", "9"],
    ]
    assert "  x = 12.0\n  y = 9.0" in table  # d f/dx = 2xy = 12 (6 + 6), df/dy = x^2 = 9
    assert (x.grad, y.grad) == (0.0, 0.0)  # explain never touches .grad


def test_explain_matches_backward_steps_and_backward():
    x = Value(0.5, "x")
    f = (x.tanh() * x.exp() + 2 ** x) / (1 + x * x)
    steps = list(autograd.backward_steps(f))
    assert len(rows(str(autograd.explain(f)))) == sum(len(s.node.parents) for s in steps)
    f.backward()
    totals = [grads for _, grads in autograd.running_gradients(f, steps)]
    assert totals[-1][x] == x.grad
    # Each step keeps its own numbers: the first step's view is not the final one.
    assert x not in totals[0] and len(totals[0]) < len(totals[-1])
    assert steps[0].node is f and steps[0].upstream == 1.0
    for step in steps:
        assert step.shares == tuple(step.upstream * d for d in step.local)


def test_explain_refuses_non_values():
    with pytest.raises(TypeError, match="explain"):
        autograd.explain(1.0)


def test_animation_has_one_frame_per_step_and_loads_nothing(tmp_path):
    price, _ = fruit_graph()
    page = autograd.animate_backward(price, tmp_path / "backward.html")
    assert (tmp_path / "backward.html").read_text() == page
    assert page.count('<div class="frame"') == 5  # the seed, then 4 chain-rule steps
    assert 'max="4"' in page and 'type="range"' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<script src" not in page and "<link" not in page
    captions = re.findall(r'data-caption="([^"]*)"', page)
    assert "seed" in captions[0]
    assert "1 × 650 = 650 to tax" in captions[1]
    assert "1.1 × 150 = 165 to orange_num" in captions[3]


def test_animation_frames_fill_in_gradients_step_by_step():
    price, _ = apple_graph()
    frames = autograd.animate_backward(price).split('<div class="frame"')[1:]
    assert [f.count("grad ?") for f in frames] == [4, 2, 0]  # 4 unknown, then fewer
    assert "grad 200" not in frames[0] and "grad 200" in frames[1]


def test_animation_refuses_non_values():
    with pytest.raises(TypeError, match="animate_backward"):
        autograd.animate_backward("price")


def test_one_step_is_a_step_not_steps():
    x = Value(2.0, "x")
    assert "1 chain-rule step;" in str(autograd.explain(x * 3))
    assert "2 chain-rule steps;" in str(autograd.explain((x * 3).exp()))
