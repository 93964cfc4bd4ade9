"""Every Python example in README.md and README.ko.md runs as written."""

import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
KOREAN = (ROOT / "README.ko.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README + KOREAN, flags=re.S)


def test_readme_has_examples():
    assert len(BLOCKS) >= 3


def test_the_korean_readme_is_linked_and_uses_the_seed_notes_vocabulary():
    assert "[한국어 README](README.ko.md)" in README
    terms = ["순전파", "역전파", "국소적 미분", "연쇄법칙", "계산 그래프", "사과", "귤", "소비세"]
    for term in terms:
        assert term in KOREAN, term
    # every section of the English README's learner path has its Korean counterpart
    for command in ["make demo", "make test", "apple_shop.py --lang ko", "nn.exercises check",
                    "backward_mistakes.py", "chapter5.ipynb", "autograd.paths", "--lang ko"]:
        assert command in KOREAN, command


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(code, capsys, tmp_path, monkeypatch):
    if "to_torch" in code:
        pytest.importorskip("torch")  # "Outgrowing chainrule" needs PyTorch; CI has none
    monkeypatch.chdir(tmp_path)  # examples write to out/
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    for name, value in list(namespace.items()):
        if name.startswith("test_") and callable(value):
            value()  # the README's own property test, run for real
    # A print whose comment starts with a number shows the number it must print.
    printed = capsys.readouterr().out.split("\n")
    expected = re.findall(r"print\(.*\)\s+# (-?\d[\d.e+-]*)(?:\s|$)", code, flags=re.M)
    if expected:
        assert printed[: len(expected)] == expected
    # A print followed by a comment line shows the line it prints.
    for shown in re.findall(r"print\(.*\)\n# (.+)", code):
        assert shown in printed


def _op_table_rows() -> list[str]:
    table = README.split("<!-- ops:start -->")[1].split("<!-- ops:end -->")[0]
    return [line.split("|")[1] for line in table.strip().split("\n")[2:]]


def test_the_readme_s_op_table_has_a_row_for_every_op_of_the_table_and_no_other():
    from autograd.ops import BUILTINS

    def named(op, cell: str) -> bool:
        if op.python is not None and op.notation == "infix":
            return f"`x {op.python} y`" in cell
        if op.python is not None:
            return f"`{op.python}x`" in cell
        return f"`{op.name}(" in cell

    rows = _op_table_rows()
    for op in BUILTINS:
        assert sum(named(op, cell) for cell in rows) == 1, f"{op.name}: one row of the table"
    assert all(any(named(op, cell) for op in BUILTINS) for cell in rows)


def test_the_readme_names_the_whole_public_api_and_nothing_that_is_not_there():
    import importlib

    import autograd
    import nn

    for module in (autograd, nn):
        for name in module.__all__:
            assert re.search(rf"`[^`\n]*\b{re.escape(name)}\b[^`\n]*`", README), (
                f"{module.__name__}.{name} is public but the README never names it")
        for name in set(re.findall(rf"(?<![\w.]){module.__name__}\.(\w+)", README)):
            dotted = f"{module.__name__}.{name}"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # an old name, named
                there = hasattr(module, name)
            assert there or importlib.util.find_spec(dotted), (
                f"the README names {dotted}, which does not exist")


def test_the_readme_s_layout_lists_every_module_once():
    layout = README.split("## Layout")[1].split("```")[1]
    listed = re.findall(r"^\s+(\w+\.py|\w+/)\s", layout, flags=re.M)
    for package in ("autograd", "nn"):
        folder = ROOT / package
        modules = sorted(p.name for p in folder.glob("*.py") if not p.name.startswith("__"))
        packages = sorted(p.name + "/" for p in folder.iterdir()
                          if (p / "__init__.py").exists())
        for name in modules + packages:
            assert listed.count(name) == 1, f"{package}/{name}: one line in the layout"
