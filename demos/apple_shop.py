"""The apple shop from *Deep Learning from Scratch*, chapter 5, done two ways.

First with the book's MulLayer and AddLayer, where every layer keeps its
inputs and hands back ``dout x (the other input)`` by hand. Then with
``autograd.Value``, where backward() does the same walk for us. The two must
agree to the last bit. The numbers are printed with repr, so they can be
compared with the study notes: 220.00000000000003, 2.2, 110.00000000000001 ...

Run: ``python demos/apple_shop.py`` (``make demo`` does). With ``--lang ko`` the
graph's nodes are 사과, 귤 and 소비세, as in the book's Korean edition, and with
``--lang ja`` りんご, みかん and 消費税; the numbers are the same.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograd import Value, animate_backward, draw, explain
from autograd.atomic import write_atomic
from autograd.cli import run_quietly
from autograd.explain import display_width
from autograd.language import LANGUAGES, text

# The shop's words in each language: node names, then the demo's own lines.
WORDS = {
    "en": {"apple": "apple", "apple_num": "apple_num", "orange": "orange",
           "orange_num": "orange_num", "tax": "tax", "apple_price": "apple_price",
           "orange_price": "orange_price", "total": "total", "price": "price",
           "two apples": "two apples", "apples+oranges": "apples+oranges",
           "book": "book (MulLayer/AddLayer)", "ours": "chainrule (Value)",
           "agree": "agree", "yes": "yes", "NO": "NO"},
    "ko": {"apple": "사과", "apple_num": "사과 개수", "orange": "귤", "orange_num": "귤 개수",
           "tax": "소비세", "apple_price": "사과 가격", "orange_price": "귤 가격",
           "total": "합계", "price": "지불 금액", "two apples": "사과 2개",
           "apples+oranges": "사과와 귤", "book": "책 (MulLayer/AddLayer)",
           "ours": "chainrule (Value)", "agree": "일치", "yes": "예", "NO": "아니오"},
    "ja": {"apple": "りんご", "apple_num": "りんごの個数", "orange": "みかん",
           "orange_num": "みかんの個数", "tax": "消費税", "apple_price": "りんごの価格",
           "orange_price": "みかんの価格", "total": "合計", "price": "支払金額",
           "two apples": "りんご2個", "apples+oranges": "りんごとみかん",
           "book": "本 (MulLayer/AddLayer)", "ours": "chainrule (Value)", "agree": "一致",
           "yes": "はい", "NO": "いいえ"},
}


class MulLayer:
    """The book's multiplication layer: out = x * y; dx = dout * y, dy = dout * x."""

    def __init__(self) -> None:
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x


class AddLayer:
    """The book's addition layer: out = x + y; dx = dout, dy = dout."""

    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout * 1, dout * 1


def book_apples(apple=100, apple_num=2, tax=1.1) -> dict[str, float]:
    mul_apple, mul_tax = MulLayer(), MulLayer()
    price = mul_tax.forward(mul_apple.forward(apple, apple_num), tax)
    dapple_price, dtax = mul_tax.backward(1)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    return {"price": price, "dApple": dapple, "dApple_num": dapple_num, "dTax": dtax}


def book_fruit(apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1) -> dict[str, float]:
    mul_apple, mul_orange, add_fruit, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    apple_price = mul_apple.forward(apple, apple_num)
    orange_price = mul_orange.forward(orange, orange_num)
    price = mul_tax.forward(add_fruit.forward(apple_price, orange_price), tax)
    dtotal, dtax = mul_tax.backward(1)
    dapple_price, dorange_price = add_fruit.backward(dtotal)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    dorange, dorange_num = mul_orange.backward(dorange_price)
    return {
        "price": price, "dApple": dapple, "dApple_num": dapple_num,
        "dOrange": dorange, "dOrange_num": dorange_num, "dTax": dtax,
    }


def apple_graph(apple=100, apple_num=2, tax=1.1, *,
                lang: str = "en") -> tuple[Value, dict[str, Value]]:
    """price = apple * apple_num * tax, as Values (the graph of figure 5-16).

    The dict's keys are English; the nodes' names are in ``lang``."""
    word = WORDS[lang]
    leaves = {key: Value(number, word[key]) for key, number in
              [("apple", apple), ("apple_num", apple_num), ("tax", tax)]}
    apple_price = leaves["apple"] * leaves["apple_num"]
    apple_price.name = word["apple_price"]
    price = apple_price * leaves["tax"]
    price.name = word["price"]
    return price, leaves


def fruit_graph(
    apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1, *, lang: str = "en"
) -> tuple[Value, dict[str, Value]]:
    """price = (apple * apple_num + orange * orange_num) * tax (figure 5-17)."""
    word = WORDS[lang]
    leaves = {
        name: Value(number, word[name])
        for name, number in [
            ("apple", apple), ("apple_num", apple_num), ("orange", orange),
            ("orange_num", orange_num), ("tax", tax),
        ]
    }
    apple_price = leaves["apple"] * leaves["apple_num"]
    orange_price = leaves["orange"] * leaves["orange_num"]
    total = apple_price + orange_price
    price = total * leaves["tax"]
    for node, name in [(apple_price, "apple_price"), (orange_price, "orange_price"),
                       (total, "total"), (price, "price")]:
        node.name = word[name]
    return price, leaves


def chainrule_apples(lang: str = "en") -> dict[str, float]:
    price, v = apple_graph(lang=lang)
    price.backward()
    return {"price": price.data, "dApple": v["apple"].grad,
            "dApple_num": v["apple_num"].grad, "dTax": v["tax"].grad}


def chainrule_fruit(lang: str = "en") -> dict[str, float]:
    price, v = fruit_graph(lang=lang)
    price.backward()
    return {
        "price": price.data, "dApple": v["apple"].grad, "dApple_num": v["apple_num"].grad,
        "dOrange": v["orange"].grad, "dOrange_num": v["orange_num"].grad, "dTax": v["tax"].grad,
    }


def _cell(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (사과 takes 4, not 2)."""
    return text + " " * (width - display_width(text))


def _label(key: str, word: dict[str, str]) -> str:
    """dApple -> d사과 in Korean: the gradient's name with the node's word."""
    name = key.removeprefix("d")
    snake = {"Apple": "apple", "Apple_num": "apple_num", "Orange": "orange",
             "Orange_num": "orange_num", "Tax": "tax", "price": "price"}[name]
    return key if word["apple"] == "apple" else ("d" if key != name else "") + word[snake]


def compare(title: str, book: dict[str, float], ours: dict[str, float],
            lang: str = "en") -> bool:
    """Print the two columns side by side; True when every number is equal."""
    word = WORDS[lang]
    print(f"{_cell(title, 16)}{_cell(word['book'], 28)}{word['ours']}")
    for key in book:
        # Both as floats, with repr: the book's int 200 (1 x 200) and our 200.0 read alike.
        print(f"  {_cell(_label(key, word), 14)}{float(book[key])!r:<28}{float(ours[key])!r}")
    agree = all(book[key] == ours[key] for key in book)
    print(f"  {_cell(word['agree'], 14)}{word['yes'] if agree else word['NO']}\n")
    return agree


def write_pictures(out: Path, lang: str = "en") -> list[Path]:
    """The shop with oranges as a diagram (SVG, PNG), a walk-through table and an animation."""
    price, _ = fruit_graph(lang=lang)
    price.backward()
    diagram = draw(price, lang=lang)
    animation = out / "apple_shop_backward.html"
    animate_backward(price, animation, lang=lang)
    return [
        diagram.write(out / "apple_shop.svg"),
        diagram.write(out / "apple_shop.png"),
        write_atomic(out / "apple_shop_walkthrough.txt", str(explain(price, lang=lang))),
        animation,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("out"), help="where pictures go")
    parser.add_argument("--no-pictures", action="store_true", help="print the numbers only")
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="names and table headers: en, ko (사과, 귤, 소비세) or ja")
    args = parser.parse_args(argv)
    word = WORDS[args.lang]

    agree = compare(word["two apples"], book_apples(), chainrule_apples(args.lang), args.lang)
    agree &= compare(word["apples+oranges"], book_fruit(), chainrule_fruit(args.lang),
                     args.lang)
    if not agree:
        print("apple_shop: the layers and the Values disagree", file=sys.stderr)
        return 1
    if not args.no_pictures:
        price, _ = fruit_graph(lang=args.lang)
        print(explain(price, lang=args.lang))
        for path in write_pictures(args.out, args.lang):
            print(text(args.lang, "wrote", path=path))
    return 0


if __name__ == "__main__":
    # Ctrl-C, or a reader that leaves early (| head): one line, no traceback
    sys.exit(run_quietly(main, "apple_shop"))
