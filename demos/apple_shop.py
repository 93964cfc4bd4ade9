"""The apple shop from *Deep Learning from Scratch*, chapter 5, done two ways.

First with the book's MulLayer and AddLayer, where every layer keeps its
inputs and hands back ``dout x (the other input)`` by hand. Then with
``autograd.Value``, where backward() does the same walk for us. The two must
agree to the last bit. The numbers are printed with repr, so they can be
compared with the study notes: 220.00000000000003, 2.2, 110.00000000000001 ...

Run: ``python demos/apple_shop.py`` (``make demo`` does).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograd import Value, animate_backward, draw, explain
from autograd.atomic import write_atomic


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


def apple_graph(apple=100, apple_num=2, tax=1.1) -> tuple[Value, dict[str, Value]]:
    """price = apple * apple_num * tax, as Values (the graph of figure 5-16)."""
    leaves = {
        "apple": Value(apple, "apple"), "apple_num": Value(apple_num, "apple_num"),
        "tax": Value(tax, "tax"),
    }
    apple_price = leaves["apple"] * leaves["apple_num"]
    apple_price.name = "apple_price"
    price = apple_price * leaves["tax"]
    price.name = "price"
    return price, leaves


def fruit_graph(
    apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1
) -> tuple[Value, dict[str, Value]]:
    """price = (apple * apple_num + orange * orange_num) * tax (figure 5-17)."""
    leaves = {
        name: Value(number, name)
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
        node.name = name
    return price, leaves


def chainrule_apples() -> dict[str, float]:
    price, v = apple_graph()
    price.backward()
    return {"price": price.data, "dApple": v["apple"].grad,
            "dApple_num": v["apple_num"].grad, "dTax": v["tax"].grad}


def chainrule_fruit() -> dict[str, float]:
    price, v = fruit_graph()
    price.backward()
    return {
        "price": price.data, "dApple": v["apple"].grad, "dApple_num": v["apple_num"].grad,
        "dOrange": v["orange"].grad, "dOrange_num": v["orange_num"].grad, "dTax": v["tax"].grad,
    }


def compare(title: str, book: dict[str, float], ours: dict[str, float]) -> bool:
    """Print the two columns side by side; True when every number is equal."""
    print(f"{title:<16}{'book (MulLayer/AddLayer)':<28}chainrule (Value)")
    for key in book:
        # Both as floats, with repr: the book's int 200 (1 x 200) and our 200.0 read alike.
        print(f"  {key:<14}{float(book[key])!r:<28}{float(ours[key])!r}")
    agree = all(book[key] == ours[key] for key in book)
    print(f"  {'agree':<14}{'yes' if agree else 'NO'}\n")
    return agree


def write_pictures(out: Path) -> list[Path]:
    """The shop with oranges as a diagram (SVG, PNG), a walk-through table and an animation."""
    price, _ = fruit_graph()
    price.backward()
    diagram = draw(price)
    animation = out / "apple_shop_backward.html"
    animate_backward(price, animation)
    return [
        diagram.write(out / "apple_shop.svg"),
        diagram.write(out / "apple_shop.png"),
        write_atomic(out / "apple_shop_walkthrough.txt", str(explain(price))),
        animation,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("out"), help="where pictures go")
    parser.add_argument("--no-pictures", action="store_true", help="print the numbers only")
    args = parser.parse_args(argv)

    agree = compare("two apples", book_apples(), chainrule_apples())
    agree &= compare("apples+oranges", book_fruit(), chainrule_fruit())
    if not agree:
        print("apple_shop: the layers and the Values disagree", file=sys.stderr)
        return 1
    if not args.no_pictures:
        price, _ = fruit_graph()
        print(explain(price))
        for path in write_pictures(args.out):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
