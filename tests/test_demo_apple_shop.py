"""The apple-shop demo prints the study notes' numbers exactly."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "demos"))
import apple_shop  # noqa: E402


def test_two_apples_match_the_seed_numbers_exactly():
    ours = apple_shop.chainrule_apples()
    assert ours == {"price": 220.00000000000003, "dApple": 2.2,
                    "dApple_num": 110.00000000000001, "dTax": 200.0}
    assert ours == apple_shop.book_apples()


def test_apples_and_oranges_match_the_seed_numbers_exactly():
    ours = apple_shop.chainrule_fruit()
    assert ours == {"price": 715.0000000000001, "dApple": 2.2, "dApple_num": 110.00000000000001,
                    "dOrange": 3.3000000000000003, "dOrange_num": 165.0, "dTax": 650.0}
    assert ours == apple_shop.book_fruit()


@pytest.mark.parametrize("number", ["220.00000000000003", "2.2", "110.00000000000001", "200.0",
                                    "715.0000000000001", "3.3000000000000003", "165.0", "650.0"])
def test_demo_prints_the_numbers_with_repr(number, demo_output):
    assert number in demo_output.split()


@pytest.fixture(scope="module")
def demo_output(tmp_path_factory):
    # Run from a temporary folder: the suite writes nothing into the repository.
    where = tmp_path_factory.mktemp("apple_shop")
    run = subprocess.run([sys.executable, str(ROOT / "demos" / "apple_shop.py")],
                         capture_output=True, text=True, timeout=60, check=True, cwd=where)
    assert (where / "out" / "apple_shop.svg").exists()
    assert run.stdout.count("agree         yes") == 2
    return run.stdout


def test_the_book_layers_and_values_disagree_when_they_should():
    # compare() is the demo's check: prove it can fail
    assert apple_shop.compare("t", {"price": 1.0}, {"price": 1.0000000000000002}) is False


def test_demo_writes_diagram_walkthrough_and_animation(tmp_path, capsys):
    assert apple_shop.main(["--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    names = ["apple_shop.svg", "apple_shop.png", "apple_shop_walkthrough.txt",
             "apple_shop_backward.html"]
    for name in names:
        assert f"wrote {tmp_path / name}" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
    assert (tmp_path / "apple_shop.png").read_bytes().startswith(b"\x89PNG")
    assert "grad 650" in (tmp_path / "apple_shop.svg").read_text()
    assert "tax = 650.0" in (tmp_path / "apple_shop_walkthrough.txt").read_text()


def test_both_columns_print_each_number_the_same_way(demo_output):
    rows = [line.split() for line in demo_output.splitlines()
            if line.startswith(("  price", "  d"))]
    assert len(rows) == 10
    assert all(len(row) == 3 and row[1] == row[2] for row in rows), rows
