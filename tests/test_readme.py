"""Every Python example in README.md runs as written."""

import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_readme_has_examples():
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(code, capsys, tmp_path, monkeypatch):
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
