"""check_engine: real micrograd comes out OK, and every planted bug is found with its kind
and op, in a program that really fails on the engine that has it."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import autograd
from autograd.testing import check_engine
from autograd.testing.engine_check import EngineLoadError

ENGINES = Path(__file__).parent / "engines"
PLANTED = ENGINES / "planted.py"
SEED = 20261204
FAST = {"examples": 25, "seed": SEED, "timeout": 3.0}


def _limit_memory() -> None:
    """What the engine's own process gets: the BlowsMemory engine stops at 512 MB."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))


def _check(name: str, ops: list[str] | None = None, **options):
    return check_engine(f"{PLANTED}:{name}", ops=ops, **{**FAST, **options})


def test_real_micrograd_is_ok_with_its_conventions_and_its_recursion_depth():
    pytest.importorskip("micrograd")
    report = check_engine("micrograd.engine:Value", seed=SEED)
    assert report.ok, report.render()
    assert set(report.ops) == {"add", "sub", "mul", "div", "neg", "pow", "relu"}
    assert report.ops["pow"] == ["vc"]  # only number exponents: x ** 2
    assert all(value == 1.0 for value in report.score.values())
    kinds = {f.kind: f for f in report.findings}
    # a second backward: its inner node kept 2.0 and hands on 4.0, so x0 gets 6 + 12
    assert (kinds["convention"].actual, kinds["convention"].why) == (18.0,
                                                                    "why_twice_inner_kept")
    assert "print(x0.grad, x1.grad)  # 18.0 4.0" in kinds["convention"].source
    assert 900 < kinds["recursion"].fields["depth"] < 1000  # its recursive build_topo
    assert "micrograd.engine" in report.render() and "OK" in report.render()


def test_a_right_engine_is_ok():
    report = _check("Value")
    assert report.ok, report.render()
    assert report.failures == []
    assert {"tanh d/dx", "mul d/dy", "reuse", "order", "depth", "time"} <= set(report.score)


PLANTED_BUGS = [  # class, ops checked, kind, op, argument
    ("WrongTanhRule", ["tanh", "add"], "wrong_rule", "tanh", 0),
    ("WrongMulRule", ["mul"], "wrong_rule", "mul", 1),
    ("WrongExpValue", ["exp"], "value", "exp", None),
    ("Overwrites", ["add", "mul"], "accumulation", None, None),
    ("BreadthFirst", ["add", "mul"], "order", None, None),
    ("CrashesOnNegative", ["relu"], "crash", "relu", None),
    ("EveryPath", ["add"], "timeout", None, None),
    ("Hangs", ["tanh"], "timeout", None, None),
    ("PrintsFlood", ["tanh"], "side_effect", None, None),
    ("Exits", ["tanh"], "side_effect", None, None),
    ("ReplacesMathExp", ["tanh"], "side_effect", None, None),
    ("BlowsMemory", ["tanh"], "crash", "tanh", None),
    ("GradIsText", ["add"], "crash", "add", None),
]


@pytest.mark.parametrize(("name", "ops", "kind", "op", "argument"), PLANTED_BUGS,
                         ids=[row[0] for row in PLANTED_BUGS])
def test_each_planted_bug_is_found_with_its_kind_and_op(name, ops, kind, op, argument,
                                                          tmp_path):
    report = _check(name, ops, memory_mb=256)
    assert not report.ok
    found = [f for f in report.failures if f.kind == kind]
    assert found, report.render()
    finding = found[0]
    assert (finding.op, finding.argument) == (op, argument)
    assert report.score[finding.rule] == 0.0
    if finding.kind == "timeout":
        return  # its program never ends, by design
    assert len(finding.program.steps) <= 4, finding.source
    shutil.copy(PLANTED, tmp_path / "planted.py")
    (tmp_path / "finding.py").write_text(finding.source, encoding="utf-8")
    run = subprocess.run([sys.executable, "finding.py"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=60, preexec_fn=_limit_memory)
    if finding.kind == "side_effect":
        return  # the program runs; what it does on the way is the finding
    assert run.returncode != 0, finding.source  # it really fails on this engine
    if finding.kind in ("wrong_rule", "value", "accumulation", "order"):
        assert "AssertionError" in run.stderr


def test_the_recursion_depth_and_the_kink_are_notes_not_failures():
    recursive = _check("Recursive", ["add"])
    assert recursive.ok
    (note,) = [f for f in recursive.findings if f.kind == "recursion"]
    assert 900 < note.fields["depth"] < 1000
    assert "for _ in range(" in note.source
    kink = _check("ReluSlopeOneAtZero", ["relu"])
    assert kink.ok
    (convention,) = [f for f in kink.findings if f.op == "relu"]
    assert (convention.expected, convention.actual) == (0.0, 1.0)


def test_a_finding_names_the_rule_in_three_languages():
    report = _check("WrongTanhRule", ["tanh"])
    (finding,) = report.failures
    assert "tanh d/dx" in finding.message("en")
    assert "국소 미분 tanh d/dx가 틀렸습니다" in finding.message("ko")
    assert "局所微分 tanh d/dx が違います" in finding.message("ja")
    assert "점수" in report.render("ko") and "得点" in report.render("ja")
    data = json.loads(report.to_json())
    assert data["ok"] is False and data["score"]["tanh d/dx"] == 0.0
    assert data["findings"][0]["program"]["steps"] == [["tanh", 0]]
    assert "<pre>" in report._repr_html_()


def test_an_engine_in_javascript_and_its_buggy_variant():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    right = check_engine(f"cmd:{node} {ENGINES / 'engine.js'}", **FAST)
    assert right.ok, right.render()
    buggy = check_engine(f"cmd:{node} {ENGINES / 'engine.js'} --bug mul", **FAST)
    assert [(f.kind, f.op, f.argument) for f in buggy.failures] == [("wrong_rule", "mul", 1)]
    assert json.loads(buggy.failures[0].source)["steps"][0][0] == "mul"  # its program, as JSON
    # its heap is capped as the Python worker's is: an endless allocation is a crash
    hoard = check_engine(f"cmd:{node} {ENGINES / 'engine.js'} --bug hoard", ops=["tanh"],
                         memory_mb=256, **FAST)
    assert [(f.kind, f.op) for f in hoard.failures] == [("crash", "tanh")], hoard.render()


def test_the_learner_s_micrograd_graph_is_drawn_explained_and_checked():
    sys.path.insert(0, str(ENGINES))
    try:
        from planted import BreadthFirst, Value
    finally:
        sys.path.remove(str(ENGINES))
    for cls, wrong in ((Value, False), (BreadthFirst, True)):
        x0 = cls(1.25)
        x0.label = "사과"
        x1 = x0 + 0.5
        x4 = ((x1 + 0.5) + 0.5) + x1
        x4.backward()
        source = autograd.draw(x4, check=True, lang="ko").source
        assert "사과" in source
        assert ("dashed" in source) is wrong  # x0's gradient 1 is wrong: chainrule says 2
        assert math.isclose(autograd.paths(x4, x0).total, 2.0)
        assert "사과 = 2.0" in str(autograd.explain(x4))


def test_a_finding_is_drawn_in_one_call():
    report = _check("BreadthFirst", ["add", "mul"])
    (finding,) = report.failures
    source = finding.draw().source
    assert "dashed" in source and "x0" in source


def test_bad_arguments_are_refused_by_name():
    with pytest.raises(TypeError, match="check_engine: engine must be"):
        check_engine(42)
    with pytest.raises(ValueError, match="'nope' is not an op of the table"):
        check_engine("micrograd.engine:Value", ops=["nope"])
    with pytest.raises(ValueError, match="order=2: 'micrograd.engine:Value' cannot take "
                                         "second derivatives"):
        check_engine("micrograd.engine:Value", order=2)
    with pytest.raises(ValueError, match="order must be 1 or 2, got 3"):
        check_engine("micrograd.engine:Value", order=3)
    with pytest.raises(ValueError, match="examples must be a positive whole number"):
        check_engine("micrograd.engine:Value", examples=0)
    with pytest.raises(EngineLoadError, match="no file"):
        check_engine("no/such/engine.py:Value")
    with pytest.raises(EngineLoadError, match="has no class 'Nope'"):
        check_engine(f"{PLANTED}:Nope")


def _command(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograd.testing.engine_check", *args],
                          capture_output=True, text=True, timeout=300, cwd=cwd)


def test_the_command_grades_a_class_one_row_per_submission(tmp_path):
    for name in ("alice", "bob"):
        (tmp_path / name).mkdir()
    shutil.copy(PLANTED, tmp_path / "alice" / "engine.py")
    (tmp_path / "bob" / "engine.py").write_text(
        (ENGINES / "planted.py").read_text(encoding="utf-8").replace(
            "self.grad += (1 - t * t) * out.grad", "self.grad += (1 - t) * out.grad", 1),
        encoding="utf-8")
    (tmp_path / "carol").mkdir()
    (tmp_path / "carol" / "engine.py").write_text("def engine(:\n", encoding="utf-8")
    engines = [f"{tmp_path / name / 'engine.py'}:Value" for name in ("alice", "bob", "carol")]
    run = _command(*engines, "--examples", "15", "--seed", "1")
    rows = run.stdout.strip().split("\n")
    assert len(rows) == 3
    assert rows[0].endswith("OK") and "wrong_rule(tanh)" in rows[1]
    assert "not loaded" in rows[2] and "SyntaxError" in rows[2]
    assert run.returncode == 2  # one could not be loaded
    assert "checked 3 of 3" in run.stderr
    one = _command(engines[1], "--examples", "15", "--seed", "1", "--json")
    assert one.returncode == 1
    assert json.loads(one.stdout)["score"]["tanh d/dx"] == 0.0
    korean = _command(engines[0], "--examples", "15", "--lang", "ko")
    assert korean.returncode == 0 and "통과입니다" in korean.stdout


def test_the_pytest_plugin_collects_a_test_per_rule(tmp_path):
    shutil.copy(PLANTED, tmp_path / "planted.py")
    junit = tmp_path / "report.xml"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--chainrule-engine",
         "planted.py:WrongTanhRule", "--chainrule-examples", "15", "--chainrule-seed", "7",
         f"--junitxml={junit}"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stdout
    assert "FAILED chainrule[tanh d/dx]" in run.stdout
    assert "x1 = x0.tanh()" in run.stdout  # the shrunk program, in the failure's report
    assert "chainrule: checking planted.py:WrongTanhRule (seed 7" in run.stdout
    assert "== chainrule ==" in run.stdout.replace("=" * 10, "==")
    xml = junit.read_text(encoding="utf-8")
    assert '<property name="rule" value="tanh d/dx"' in xml
    assert '<property name="score" value="0.0"' in xml


def test_pytorch_through_its_adapter_and_a_learner_s_own_autograd_function(monkeypatch):
    pytest.importorskip("torch")
    torch_report = check_engine("torch", **FAST)
    assert torch_report.ok, torch_report.render()
    assert {"log", "sigmoid", "maximum", "softplus"} <= set(torch_report.ops)
    monkeypatch.setenv("PYTHONPATH", str(ENGINES))
    right = check_engine("torch:torch_functions:MyTanh=tanh", ops=["tanh", "mul"], **FAST)
    assert right.ok, right.render()
    wrong = check_engine("torch:torch_functions:BadTanh=tanh", ops=["tanh", "mul"], **FAST)
    assert [(f.kind, f.op, f.argument) for f in wrong.failures] == [("wrong_rule", "tanh", 0)]
    assert json.loads(wrong.failures[0].source)["steps"] == [["tanh", 0]]
    # right as a number, wrong as a function: only the second order sees it
    detached = "torch:torch_functions:DetachedTanh=tanh"
    assert check_engine(detached, ops=["tanh"], **FAST).ok
    second = check_engine(detached, ops=["tanh"], order=2, **FAST)
    (finding,) = second.failures
    assert (finding.rule, finding.actual) == ("tanh d2/dx2", 0.0)
    x = finding.program.inputs[0]
    assert math.isclose(finding.expected, -2 * math.tanh(x) * (1 - math.tanh(x) ** 2))
    assert check_engine("torch", order=2, **FAST).ok


def test_an_adapter_registered_by_another_package_s_entry_point(tmp_path, monkeypatch):
    info = tmp_path / "my_adapter-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: my-adapter\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[chainrule.engines]\nmy-engine = planted:WrongMulRule\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}{os.pathsep}{ENGINES}")
    report = check_engine("my-engine", ops=["mul"], **FAST)
    assert [(f.kind, f.op, f.argument) for f in report.failures] == [("wrong_rule", "mul", 1)]


def test_jax_through_its_adapter_and_a_learner_s_own_custom_jvp(monkeypatch):
    pytest.importorskip("jax")
    few = {**FAST, "examples": 10, "timeout": 60.0}  # JAX traces each program anew: slow
    assert check_engine("jax", ops=["tanh", "mul", "sigmoid"], order=2, **few).ok
    monkeypatch.setenv("PYTHONPATH", str(ENGINES))
    right = check_engine("jax:jax_functions:my_tanh=tanh", ops=["tanh"], order=2, **few)
    assert right.ok, right.render()
    wrong = check_engine("jax:jax_functions:bad_tanh=tanh", ops=["tanh"], **few)
    assert [(f.kind, f.rule) for f in wrong.failures] == [("wrong_rule", "tanh d/dx")]
    stopped = check_engine("jax:jax_functions:stopped_tanh=tanh", ops=["tanh"], order=2, **few)
    assert [(f.kind, f.rule) for f in stopped.failures] == [("wrong_rule", "tanh d2/dx2")]
