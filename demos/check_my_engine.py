"""Check a learner's own engine: chainrule grades it, names the wrong rule, and draws it.

``learner_micrograd.py`` is a micrograd written after the video, with one
mistake. ``check_engine`` runs it in a process of its own, checks every rule
alone and then random programs, and shrinks the failure to a few lines of
Python that fail on the learner's engine. Then the learner's own graph is
drawn with the boxes whose gradient is wrong dashed in red.

Writes ``out/learner_graph.png`` and ``.svg`` (the learner's graph, checked) and
``out/learner_finding.png`` (the finding's program).

Run: ``python demos/check_my_engine.py [--lang ko] [--examples 100] [--seed N]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from learner_micrograd import Value

from autograd import draw
from autograd.cli import run_quietly
from autograd.language import LANGUAGES
from autograd.testing import check_engine

HERE = Path(__file__).resolve().parent
TEXT = {
    "en": {"checking": "Checking {engine} ({examples} examples per rule) ...",
           "graph": "The learner's graph, checked by chainrule: {path}"},
    "ko": {"checking": "{engine}를 검사하는 중입니다 (규칙마다 예제 {examples}개) ...",
           "graph": "chainrule이 검사한 학습자의 그래프: {path}"},
    "ja": {"checking": "{engine} を検査しています(規則ごとに例 {examples} 個)...",
           "graph": "chainrule が検査した学習者のグラフ: {path}"},
}


def learner_graph() -> Value:
    """A neuron's worth of the learner's Values: w is used twice, so its shares must add."""
    x, w, b = Value(0.5), Value(-1.5), Value(0.25)
    x.label, w.label, b.label = "x", "w", "b"  # draw shows a node's label
    y = (w * x + b).tanh() * w
    y.backward()
    return y


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=LANGUAGES, default="en")
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="out")
    args = parser.parse_args(argv)
    words = TEXT[args.lang]
    engine = f"{HERE / 'learner_micrograd.py'}:Value"
    print(words["checking"].format(engine="learner_micrograd.py", examples=args.examples),
          flush=True)
    report = check_engine(engine, examples=args.examples, seed=args.seed, lang=args.lang)
    print(report.render(args.lang))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    diagram = draw(learner_graph(), check=True, lang=args.lang)
    for suffix in (".png", ".svg"):
        diagram.write(out / f"learner_graph{suffix}")
    print(words["graph"].format(path=out / "learner_graph.png"))
    if report.failures and report.failures[0].engine_grad:
        report.failures[0].draw(lang=args.lang).write(out / "learner_finding.png")
    return 0  # the mistake is the story: found, it is no failure of the demo


if __name__ == "__main__":
    sys.exit(run_quietly(main, "check_my_engine"))
