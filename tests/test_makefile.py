"""The Makefile's recipes are valid shell: a broken quote would fail only when a user runs it."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("target", ["demo", "test", "bench", "fuzz", "mutate", "mutate-all",
                                    "graphviz", "fonts", "chromium", "lint", "clean"])
def test_every_recipe_line_parses_as_shell(target):
    # make -n prints the commands without running them (nor any prerequisite's)
    dry = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=60)
    lines: list[str] = []
    pending = ""
    for line in dry.stdout.splitlines():  # a recipe continued with backslashes is one command
        pending += line + "\n"
        if not line.endswith("\\"):
            if pending.strip():
                lines.append(pending)
            pending = ""
    assert lines, f"make -n {target} printed no commands"
    for line in lines:
        check = subprocess.run(["sh", "-n", "-c", line], capture_output=True, text=True)
        assert check.returncode == 0, f"{target}: {line!r}: {check.stderr}"
