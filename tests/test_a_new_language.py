"""A fourth language is a row in each table, and nothing else: a pseudo-language added to
a temporary copy's tables (the languages with their fonts, the engine's texts, the
exercises' texts and the demos' words) is what the shop, explain and the command line
speak, with no other edit."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")

# Each table gets "xx": the English text between ⟦ ⟧, so that a text that did not come
# from the tables (an English word written into the code) shows up without brackets.
PSEUDO = {
    "autograd/language.py": (
        "\nLANGUAGES = (*LANGUAGES, 'xx')\n"
        "_LANGUAGES['xx'] = Language('xx', 'pseudo', ('DejaVu Sans',))\n"
        "for _entry in _TEXTS.values():\n"
        "    _entry['xx'] = '⟦' + _entry['en'] + '⟧'\n"),
    "nn/exercises/texts.py": (
        "\nfor _entry in TEXTS.values():\n"
        "    _entry['xx'] = '⟦' + _entry['en'] + '⟧'\n"),
}
DEMO_WORDS = {"demos/apple_shop.py": "WORDS", "demos/backward_mistakes.py": "TEXT"}


def _with_pseudo_language(copy: Path) -> dict[str, str]:
    for folder in ("autograd", "nn", "demos"):
        shutil.copytree(ROOT / folder, copy / folder,
                        ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
    for name, addition in PSEUDO.items():
        with open(copy / name, "a", encoding="utf-8") as module:
            module.write(addition)
    for name, table in DEMO_WORDS.items():
        path = copy / name
        source = path.read_text(encoding="utf-8")
        end = source.index("\n}\n", source.index(f"\n{table} = {{")) + 3
        pseudo = (f"{table}['xx'] = {{key: '⟦' + said + '⟧' if isinstance(said, str) else "
                  f"said for key, said in {table}['en'].items()}}\n")
        path.write_text(source[:end] + pseudo + source[end:], encoding="utf-8")
    return {**os.environ, "PYTHONPATH": str(copy)}


def _run(env, cwd, *argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *argv], env=env, cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)


@needs_dot
def test_a_pseudo_language_in_the_tables_alone_is_spoken_everywhere(tmp_path):
    env = _with_pseudo_language(tmp_path)
    where = _run(env, tmp_path, "-c", "import autograd, nn; print(autograd.__file__)")
    assert where.stdout.strip() == str(tmp_path / "autograd" / "__init__.py")

    shop = _run(env, tmp_path, "demos/apple_shop.py", "--lang", "xx")
    assert shop.returncode == 0, shop.stderr
    assert "⟦backward pass of ⟦price⟧" in shop.stdout  # explain, with the shop's own words
    svg = (tmp_path / "out" / "apple_shop.svg").read_text(encoding="utf-8")
    assert "⟦apple⟧" in svg and "⟦tax⟧" in svg

    cli = _run(env, tmp_path, "-m", "autograd", "x*y + x", "x=2", "y=3", "--explain",
               "-o", "xy.svg", "--lang", "xx")
    assert cli.returncode == 0, cli.stderr
    lines = [line for line in cli.stdout.splitlines() if line.strip()]
    # every line with a word in it says it in the pseudo-language
    assert len(lines) > 5 and all("⟦" in line or not re.search(r"[A-Za-z]{4,}", line)
                                  for line in lines), cli.stdout
    assert "⟦" in (tmp_path / "xy.svg").read_text(encoding="utf-8")  # the legend
    helped = _run(env, tmp_path, "-m", "autograd", "--help", "--lang", "xx")
    assert helped.returncode == 0 and "{en,ko,ja,xx}" in helped.stdout
    refused = _run(env, tmp_path, "-m", "autograd", "x*", "--lang", "xx")
    assert refused.returncode == 2 and "⟦" in refused.stderr, refused.stderr

    starter = _run(env, tmp_path, "-m", "nn.exercises", "start", "relu", "--lang", "xx")
    assert starter.returncode == 0 and starter.stdout.startswith("⟦"), starter.stderr
    check = _run(env, tmp_path, "-m", "nn.exercises", "check", "relu.py", "--lang", "xx")
    assert check.returncode == 1 and "⟦" in check.stdout, check.stdout + check.stderr
