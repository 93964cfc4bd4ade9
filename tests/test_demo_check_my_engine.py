"""demos/check_my_engine.py: the learner's = for += is found, named and drawn."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEMOS = Path(__file__).resolve().parents[1] / "demos"
sys.path.insert(0, str(DEMOS))
import check_my_engine as demo  # noqa: E402


def test_the_learner_s_graph_is_wrong_exactly_where_w_is_used_twice():
    from autograd.foreign import adopt, expected_gradients

    y = demo.learner_graph()
    root, views = adopt("test", y)
    right = expected_gradients(root)
    wrong = sorted(n.name for n in right if n.name and right[n] != n.grad)
    assert wrong == ["w"]  # w * x's backward sets w.grad, losing the share through tanh


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")
def test_the_demo_finds_the_mistake_in_korean_and_draws_it(tmp_path):
    run = subprocess.run([sys.executable, str(DEMOS / "check_my_engine.py"), "--lang", "ko",
                          "--examples", "20", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "[accumulation]" in run.stdout and "더해 주세요(+=)" in run.stdout
    assert "[convention]" not in run.stdout  # a second backward would describe the bug
    for name in ("learner_graph.png", "learner_graph.svg", "learner_finding.png"):
        assert (tmp_path / name).stat().st_size > 1000
    assert "stroke-dasharray" in (tmp_path / "learner_graph.svg").read_text(encoding="utf-8")
