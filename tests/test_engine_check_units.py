"""check_engine's pieces on hand-worked numbers, in-process and fast: the programs, the
answers and their tolerances, the diagnosis, the engine's answers read, and the report."""

from __future__ import annotations

import json
import math

import pytest

from autograd.testing.engine_check import Const, Finding, Program, Step, diagnose
from autograd.testing.engine_check.findings import EngineReport
from autograd.testing.engine_check.programs import answers, spelling
from autograd.testing.engine_check.session import Answer, _answer, command_for


def test_diagnose_tells_accumulation_from_order_on_hand_worked_answers():
    # x1 = x0 + 0.5; x2 = x1 + 0.5; x3 = x2 + 0.5; x4 = x3 + x1: d x4/d x0 = 2
    chain = Program((1.25,), (Step("add", (0, Const(0.5))), Step("add", (1, Const(0.5))),
                             Step("add", (2, Const(0.5))), Step("add", (3, 1))))
    want = answers(chain)
    assert want.grad == [2.0, 2.0, 1.0, 1.0, 1.0]
    data = [1.25, 1.75, 2.25, 2.75, 4.5]
    early = diagnose(chain, Answer(data=data, grad=[1.0, 2.0, 1.0, 1.0, 1.0]), want)
    assert (early.kind, early.node, early.fields["consumer"]) == ("order", 0, "x1")
    kept_one = diagnose(chain, Answer(data=data, grad=[1.0, 1.0, 1.0, 1.0, 1.0]), want)
    assert (kept_one.kind, kept_one.node) == ("accumulation", 1)
    wrong_value = diagnose(chain, Answer(data=[1.25, 1.75, 2.0, 2.75, 4.5],
                                         grad=want.grad), want)
    assert (wrong_value.kind, wrong_value.op, wrong_value.node) == ("value", "add", 2)
    # x1 = x0 * 3: one step, its rule for x
    product = Program((2.0,), (Step("mul", (0, Const(3.0))),))
    rule = diagnose(product, Answer(data=[2.0, 6.0], grad=[2.0, 1.0]), answers(product))
    assert (rule.kind, rule.op, rule.argument, rule.expected) == ("wrong_rule", "mul", 0, 3.0)
    with pytest.raises(ValueError, match="agrees"):
        diagnose(product, Answer(data=[2.0, 6.0], grad=[3.0, 1.0]), answers(product))


def test_a_program_as_json_as_python_and_its_uses():
    program = Program((0.5, -1.25), (Step("mul", (0, 1)), Step("add", (2, Const(2.5))),
                                     Step("pow", (3, Const(2.0))), Step("neg", (4,)),
                                     Step("tanh", (5,)), Step("sub", (Const(1.0), 6))))
    assert program.to_json() == {"inputs": [0.5, -1.25], "steps": [
        ["mul", 0, 1], ["add", 2, {"const": 2.5}], ["pow", 3, {"const": 2.0}], ["neg", 4],
        ["tanh", 5], ["sub", {"const": 1.0}, 6]]}
    assert program.size == 8 and program.nodes_used() == [1, 1, 1, 1, 1, 1, 1, 0]
    assert program.source("eng", "V", ["assert x7.grad == 1"], backward=2) == (
        "from eng import V\n\nx0 = V(0.5)\nx1 = V(-1.25)\nx2 = x0 * x1\nx3 = x2 + 2.5\n"
        "x4 = x3 ** 2\nx5 = -x4\nx6 = x5.tanh()\nx7 = 1 - x6\nx7.backward()\nx7.backward()\n"
        "assert x7.grad == 1\n")
    unused = Program((1.0, 2.0), (Step("relu", (1,)),))
    assert "x0 = " not in unused.source("eng", "V")  # an input nothing uses is left out
    assert spelling(Step("maximum", (0, Const(0.5))), ["x0", "0.5"]) == "x0.maximum(0.5)"
    assert Step("add", (Const(1.0), 0)).form == "cv"


def test_exact_answers_and_their_tolerances():
    # x2 = x0 * x1 + x0: values and gradients exact, tolerances a few units in the last place
    program = Program((0.1, 3.0), (Step("mul", (0, 1)), Step("add", (2, 0))))
    want = answers(program)
    assert want.exact
    assert want.data[2] == 0.1 * 3.0 and want.data[3] == 0.1 * 3.0 + 0.1
    assert want.grad[:2] == [4.0, 0.1]
    assert all(0 < t < 1e-15 for t in want.data_tolerance[2:])
    assert want.shares[0] == [3.0, 1.0]  # through x2 (x1 = 3) and directly
    assert not want.grad_wrong(0, 4.0 + 2e-16) and want.grad_wrong(0, 4.0 + 1e-14)
    assert want.grad_wrong(0, math.nan) and want.data_wrong(2, math.inf)
    smooth = answers(Program((0.5,), (Step("tanh", (0,)),)))
    assert not smooth.exact
    assert smooth.grad[0] == 1 - math.tanh(0.5) ** 2
    assert smooth.grad_tolerance[0] == pytest.approx(1e-9 * smooth.grad[0])
    with pytest.raises(ValueError):
        answers(Program((-1.0,), (Step("log", (0,)),)))


def test_the_engine_s_answers_are_read_strictly():
    assert _answer({"data": [1, 2.5], "grad": [None, 0]}).grad[0] != 0  # null is NaN
    assert math.isnan(_answer({"data": [1], "grad": [None]}).grad[0])
    for bad in ({"data": ["1"], "grad": [0]}, {"data": [True], "grad": [0]}, {"grad": [1]}):
        answer = _answer(bad)
        assert not answer.ok and "without numbers for data and grad" in answer.error
    exited = _answer({"error": "SystemExit: 3", "effect": "exit"})
    assert (exited.ok, exited.effect) == (False, "exit")
    deep = _answer({"error": "RecursionError: ...", "recursion": True})
    assert deep.recursion and not deep.ok
    assert command_for("cmd:node my engine.js", 64) == ["node", "my", "engine.js"]
    assert command_for("m:C", 64)[-3:] == ["autograd.testing.engine_check.worker", "m:C", "64"]


def test_a_report_scores_rules_and_lets_notes_pass():
    note = Finding("recursion", None, None, None, None, None, None, "why_recursion",
                   {"depth": 991})
    wrong = Finding("wrong_rule", "mul", 1, 2.0, 3.0, None, 1, "why_rule",
                    {"consumer": "x2"})
    report = EngineReport("eng.V", {"mul": ["vv"]}, {}, [note], ["mul d/dx", "mul d/dy",
                                                                  "depth"], seed=5, examples=9)
    assert report.ok and report.total == 1.0
    report.findings.append(wrong)
    assert not report.ok and report.failures == [wrong]
    assert report.score == {"mul d/dx": 1.0, "mul d/dy": 0.0, "depth": 1.0}
    assert report.total == pytest.approx(2 / 3)
    data = json.loads(report.to_json())
    assert data["findings"][1]["rule"] == "mul d/dy" and data["seed"] == 5
    assert "[wrong_rule]" in str(report) and "1 finding(s)" in str(report)
    assert "점수: 규칙과 성질 3개 중 2개를 통과했습니다." in report.render("ko")
    assert "mul (vv)" in report.render()
    with pytest.raises(ValueError, match="has no gradients to draw"):
        note.draw()
