"""Three mistakes people make writing backward, each beside the right answer.

1. A recursive topological sort: fine on the shop's graph, but a chain deeper
   than Python's recursion limit (1,000 frames) raises RecursionError.
   chainrule sorts with a loop and an explicit stack.
2. ``grad = share`` instead of ``grad += share``: on ``y = a + a``, ``a`` is
   reached along two paths, and the second share overwrites the first.
3. ``backward()`` twice without zeroing: gradients accumulate (by design, so
   that shares add up), so the second call doubles them.

Each writes a diagram (``out/mistake_*.png`` and ``.svg``) whose wrong
gradients are drawn dashed red, struck out, with the right one beside them.

Run: ``python demos/backward_mistakes.py [--lang ko] [--out out]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from apple_shop import apple_graph

from autograd import Value, draw, paths
from autograd.backprop import local_derivatives, topological_order
from autograd.cli import run_quietly
from autograd.language import LANGUAGES, text

TEXT = {
    "en": {
        "title": "Mistake {n}: {what}",
        1: "a recursive topological sort on a chain {depth} deep",
        2: "grad = share instead of grad += share, on y = a + a",
        3: "backward() twice without zero_grad",
        "wrong": "  wrong: {result}", "right": "  right: {result}",
        "recursion": "RecursionError ({error})",
        "why1": "  why: each node is one more Python frame; chainrule's sort uses a loop.",
        "why2": "  why: a reaches y along {count} paths, and d y / d a is the sum over them.",
        "why3": "  why: backward adds to .grad, so that shares add up; zero it between steps.",
    },
    "ko": {
        "title": "실수 {n}: {what}",
        1: "깊이 {depth}인 사슬에 재귀 위상 정렬",
        2: "y = a + a에서 grad += share 대신 grad = share",
        3: "zero_grad 없이 backward()를 두 번",
        "wrong": "  틀림: {result}", "right": "  올바름: {result}",
        "recursion": "RecursionError ({error})",
        "why1": "  이유: 노드 하나가 파이썬 프레임 하나입니다. chainrule의 정렬은 "
                "반복문을 씁니다.",
        "why2": "  이유: a에서 y까지의 경로가 {count}개이고, d y / d a는 그 합입니다.",
        "why3": "  이유: backward는 몫을 합하려고 .grad에 더합니다. 단계 사이에 0으로 "
                "되돌려 주세요.",
    },
    "ja": {
        "title": "間違い {n}: {what}",
        1: "深さ {depth} の鎖に再帰的なトポロジカルソート",
        2: "y = a + a で grad += share の代わりに grad = share",
        3: "zero_grad なしで backward() を2回",
        "wrong": "  誤り: {result}", "right": "  正解: {result}",
        "recursion": "RecursionError ({error})",
        "why1": "  理由: ノード1つが Python のフレーム1つです。chainrule のソートは"
                "ループを使います。",
        "why2": "  理由: a から y への経路が {count} 本あり、d y / d a はその和です。",
        "why3": "  理由: backward は分け前を合計するため .grad に足します。ステップの間で "
                "0 に戻してください。",
    },
}


def recursive_order(root: Value) -> list[Value]:
    """The topological sort many first engines write: one Python frame per node."""
    order: list[Value] = []
    seen: set[Value] = set()

    def visit(node: Value) -> None:
        if node not in seen:
            seen.add(node)
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(root)
    return order


def hand_backward(root: Value, order: list[Value], *, accumulate: bool) -> dict[Value, float]:
    """The chain rule by hand over ``order``: each parent gets upstream × local, added
    to what it has (``accumulate``) or, the mistake, put in place of it."""
    grads = {root: 1.0}
    for node in reversed(order):
        for parent, local in zip(node.parents, local_derivatives(node), strict=True):
            share = grads.get(node, 0.0) * local
            grads[parent] = grads.get(parent, 0.0) + share if accumulate else share
    return grads


def chain(depth: int) -> tuple[Value, Value]:
    x = Value(1.0, "x")
    y = x
    for _ in range(depth):
        y = y * 1.0001
    y.name = "y"
    return y, x


def _write(diagram, out: Path, stem: str) -> list[Path]:
    return [diagram.write(out / f"{stem}.svg"), diagram.write(out / f"{stem}.png")]


def recursion(say: dict, out: Path, lang: str, depth: int = 5_000) -> list[Path]:
    print(say["title"].format(n=1, what=say[1].format(depth=depth)))
    y, x = chain(depth)
    try:
        recursive_order(y)
        wrong = "no error"
    except RecursionError as error:
        wrong = say["recursion"].format(error=error)
    print(say["wrong"].format(result=wrong))
    y.backward()
    print(say["right"].format(result=f"d y / d x = {x.grad!r} = 1.0001 ** {depth}"))
    print(say["why1"])
    # Drawn on a short chain: the crashed sort computed no gradient but the seed.
    short, _ = chain(5)
    short.backward()
    right = {node: node.grad for node in topological_order(short)}
    return _write(draw(short, grads={short: 1.0}, expected=right, lang=lang), out,
                  "mistake_1_recursion")


def overwrite(say: dict, out: Path, lang: str) -> list[Path]:
    print(say["title"].format(n=2, what=say[2]))
    a = Value(3.0, "a")
    y = a + a
    y.name = "y"
    order = topological_order(y)
    wrong = hand_backward(y, order, accumulate=False)
    right = hand_backward(y, order, accumulate=True)
    print(say["wrong"].format(result=f"d y / d a = {wrong[a]!r}"))
    print(say["right"].format(result=f"d y / d a = {right[a]!r}"))
    print(say["why2"].format(count=len(paths(y, a))))
    return _write(draw(y, grads=wrong, expected=right, highlight=paths(y, a), lang=lang), out,
                  "mistake_2_overwrite")


def twice(say: dict, out: Path, lang: str) -> list[Path]:
    print(say["title"].format(n=3, what=say[3]))
    price, leaves = apple_graph(lang=lang)  # the book's two apples, named in ``lang``
    apple = leaves["apple"]
    price.backward()
    right = {node: node.grad for node in topological_order(price)}
    price.backward()  # again, without zeroing
    slope = f"d {price.name} / d {apple.name}"
    print(say["wrong"].format(result=f"{slope} = {apple.grad!r}"))
    print(say["right"].format(result=f"{slope} = {right[apple]!r}"))
    print(say["why3"])
    return _write(draw(price, expected=right, lang=lang), out, "mistake_3_twice")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("out"), help="where diagrams go")
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language (default: en)")
    args = parser.parse_args(argv)
    say = TEXT[args.lang]
    for scene in (recursion, overwrite, twice):
        for path in scene(say, args.out, args.lang):
            print("  " + text(args.lang, "wrote", path=path))
        print()
    return 0


if __name__ == "__main__":
    # Ctrl-C, or a reader that leaves early (| head): one line, no traceback
    sys.exit(run_quietly(main, "backward_mistakes"))
