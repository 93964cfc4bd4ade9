"""Every Python example in README.md and README.ko.md runs as written."""

import re
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
