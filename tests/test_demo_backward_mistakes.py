"""demos/backward_mistakes.py: each mistake gives the wrong number, beside the right one."""

import shutil
import sys
from pathlib import Path

import pytest

from autograd import Value
from autograd.backprop import topological_order

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "demos"))
import backward_mistakes as demo  # noqa: E402


def test_the_recursive_sort_agrees_on_a_shallow_graph_and_fails_on_a_deep_one():
    y, x = demo.chain(50)
    assert demo.recursive_order(y) == topological_order(y)
    deep, _ = demo.chain(5_000)
    with pytest.raises(RecursionError):
        demo.recursive_order(deep)
    deep.backward()  # chainrule's own sort has no such limit


def test_hand_backward_with_plus_equals_is_backward_and_with_equals_is_not():
    a, b = Value(3.0, "a"), Value(-2.0, "b")
    y = a * b + a + (a * a).tanh()
    order = topological_order(y)
    right = demo.hand_backward(y, order, accumulate=True)
    wrong = demo.hand_backward(y, order, accumulate=False)
    y.backward()
    assert right[a] == a.grad and right[b] == b.grad
    assert wrong[a] != a.grad and wrong[b] == b.grad  # only a, used three times, is wrong


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")
def test_the_demo_prints_each_mistake_beside_the_right_answer(tmp_path, capsys):
    assert demo.main(["--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "  wrong: RecursionError (maximum recursion depth exceeded" in out
    slope = 1.0
    for _ in range(5_000):
        slope *= 1.0001  # the chain rule's product, in backward's order
    assert f"  right: d y / d x = {slope!r} = 1.0001 ** 5000\n" in out
    assert "  wrong: d y / d a = 1.0\n  right: d y / d a = 2.0\n" in out
    assert "a reaches y along 2 paths" in out
    assert "  wrong: d price / d apple = 4.4\n  right: d price / d apple = 2.2\n" in out
    for stem in ["mistake_1_recursion", "mistake_2_overwrite", "mistake_3_twice"]:
        assert (tmp_path / f"{stem}.png").read_bytes().startswith(b"\x89PNG")
    overwrite = (tmp_path / "mistake_2_overwrite.svg").read_text(encoding="utf-8")
    assert "grad 1</text>" in overwrite and "(2)" in overwrite
    twice = (tmp_path / "mistake_3_twice.svg").read_text(encoding="utf-8")
    assert "(2.2)" in twice and "stroke-dasharray" in twice


def test_the_demo_speaks_japanese(tmp_path, capsys):
    if shutil.which("dot") is None:
        pytest.skip("needs Graphviz's dot")
    assert demo.main(["--out", str(tmp_path), "--lang", "ja"]) == 0
    out = capsys.readouterr().out
    assert "間違い 2: y = a + a で grad += share の代わりに grad = share" in out
    assert "  誤り: d y / d a = 1.0" in out
