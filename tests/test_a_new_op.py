"""Adding an op is one entry in the table: a throwaway op added to a temporary copy's
``autograd/ops.py`` (an Op and its place in BUILTINS), with no other edit, is picked up by
backward, higher orders, replay, explain, draw, the command line and the strategies; the
exact oracle refuses it by name (its error model covers the rational ops it lists)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ENTRY = '''
CUBE = Op("cube", "cube", lambda x: x * x * x, (lambda out, x: 3.0 * x * x,),
          sympy=lambda sp, x: x ** 3, torch=lambda t, x: x ** 3, rational=True,
          fast=("method",), doc="x³.   d/dx = 3x².")

'''

CHECK = r'''
import math
import autograd
from autograd import Value, compile, draw, explain, grad
from autograd.ops import OPS
from autograd.testing.strategies import expressions
from autograd.testing.exact import exact_check
from hypothesis import find

cube = OPS["cube"]
x = Value(2.0, "x")
y = cube(x)
y.backward()
assert (y.op, y.data, x.grad) == ("cube", 8.0, 12.0), (y.op, y.data, x.grad)
(d1,) = grad(cube(x), [x], create_graph=True)
(d2,) = grad(d1, [x])
assert (d1.data, d2.data) == (12.0, 12.0)  # 3x², 6x at 2
step = compile(lambda v: cube(v) * v)
assert step(1.5) == (cube(Value(1.5)) * Value(1.5)).data  # replay, bit for bit
assert [row.op for row in explain(cube(x) + x).rows][-1] == "cube"
assert "cube" in draw(cube(x)).source
found = find(expressions(), lambda e: "cube(" in repr(e))  # the default: every op
found(1.5)  # on floats: the table's forward
assert exact_check(lambda v: cube(v) * v - v, [0.1])  # rational: the oracle reads its entry
assert x.cube().data == 8.0 and "def cube(self):" in autograd.fastpaths.source()  # fast
z = Value(0.1)
fast, through_table = z.cube(), cube(z)
assert (fast.data, fast.local_derivatives) == (through_table.data, through_table.local_derivatives)
print("ok")
'''


def test_a_throwaway_op_in_the_table_alone_is_picked_up_everywhere(tmp_path):
    for folder in ("autograd", "nn"):
        shutil.copytree(ROOT / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    ops = tmp_path / "autograd" / "ops.py"
    source = ops.read_text(encoding="utf-8")
    source = source.replace("\nBUILTINS: tuple[Op, ...] = (\n",
                            ENTRY + "BUILTINS: tuple[Op, ...] = (\n    CUBE,\n", 1)
    assert "    CUBE,\n" in source  # the one edit: the entry and its place in the table
    ops.write_text(source, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    checked = subprocess.run([sys.executable, "-c", CHECK], env=env, cwd=tmp_path,
                             capture_output=True, text=True, timeout=300)
    assert checked.stdout == "ok\n", checked.stderr
    cli = subprocess.run([sys.executable, "-m", "autograd", "cube(x) + x", "x=2"], env=env,
                         cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert cli.returncode == 0 and "d/dx = 13.0" in cli.stdout, cli.stdout + cli.stderr
    helped = subprocess.run([sys.executable, "-m", "autograd", "--help"], env=env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "cube" in helped.stdout
