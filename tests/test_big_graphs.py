"""Big graphs: refused at once (animate_backward), or handled in linear time (paths, explain).

No test here times anything: the refusal is checked by memory and by what it never calls,
linearity by counting. benchmarks/big_graphs.py prints the seconds.
"""

import tracemalloc

import pytest

import autograd
from autograd import Value


def chain(steps: int, name: str = "x") -> tuple[Value, Value]:
    x = Value(0.5, name)
    y = x
    for _ in range(steps):
        y = y * 1.0001 + 0.0001
    return x, y


def test_animate_backward_refuses_a_big_graph_in_its_own_name_before_any_work(monkeypatch):
    x, y = chain(100_000)  # 200,001 nodes
    walked = []
    monkeypatch.setattr("autograd.animate.running_gradients",
                        lambda *a: walked.append(a) or iter(()))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError) as info:
            autograd.animate_backward(y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(info.value)
    assert message.startswith("animate_backward: the graph has more than 300 nodes (counting "
                              "stopped there), too many for max_nodes=300")
    assert "draw:" not in message and "raise max_nodes" in message
    assert walked == [] and peak < 1_000_000  # bytes: it counted 301 nodes and stopped
    with pytest.raises(ValueError, match=r"max_nodes must be a positive int, got 0"):
        autograd.animate_backward(y, max_nodes=0)


def test_paths_on_a_long_chain_walk_each_edge_once(monkeypatch):
    x, y = chain(150_000)  # 300,001 nodes, one path
    calls = []
    real = Value.local_derivatives
    monkeypatch.setattr(Value, "local_derivatives",
                        property(lambda node: calls.append(1) or real.__get__(node, Value)))
    found = autograd.paths(y, x)
    assert len(found) == 1 and len(found.paths[0].nodes) == 300_001
    assert len(calls) == 300_000  # once per edge of the path
    y.backward()
    assert found.total == pytest.approx(x.grad, rel=1e-12)


def test_paths_of_an_output_to_itself_is_the_empty_path():
    x = Value(2.0, "x")
    assert [p.nodes for p in autograd.paths(x, x)] == [(x,)] and autograd.paths(x, x).total == 1


def test_explain_shows_200_rows_and_says_how_to_see_the_rest():
    weights = [Value(0.1 * i, f"w{i}") for i in range(300)]
    z = autograd.sum([w * w for w in weights])
    shown = autograd.explain(z)
    assert len(shown.rows) == 200 and shown.total_rows == 900 and shown.steps == 301
    assert len(shown.gradients) == 200 and shown.leaves == 300
    lines = str(shown).splitlines()
    assert lines[203] == "… and 700 more rows: explain(output, max_rows=None) shows every one"
    assert lines[-1] == ("… and 100 more leaf gradients: explain(output, max_rows=None) shows "
                         "every one")
    assert len(lines) == 2 + 1 + 200 + 1 + 2 + 200 + 1
    assert "700 more rows" in shown._repr_html_() and "100 more leaf" in shown._repr_markdown_()
    every = autograd.explain(z, max_rows=None)
    assert len(every.rows) == 900 and len(every.gradients) == 300 and every.more() == (None,
                                                                                        None)
    assert "more row" not in str(every) and every.rows[:200] == shown.rows
    one = autograd.explain(z, max_rows=1, lang="ko")
    assert str(one).splitlines()[4] == ("… 이하 899행 생략: explain(output, max_rows=None)로 "
                                        "모두 볼 수 있습니다")


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "200"])
def test_explain_refuses_a_bad_row_limit(bad):
    with pytest.raises(ValueError, match=r"^explain: max_rows must be a positive int or None, "):
        autograd.explain(Value(1.0) * 2, max_rows=bad)


def test_explain_of_a_long_chain_keeps_only_the_rows_it_shows():
    x, y = chain(50_000)
    shown = autograd.explain(y)
    assert shown.steps == 100_000 and shown.total_rows == 100_000 and len(shown.rows) == 200
    assert shown.gradients == [("x", pytest.approx(1.0001 ** 50_000))]
