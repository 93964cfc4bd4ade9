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
    assert rule.message() == ("the local derivative mul d/dx is wrong: the gradient of x0 "
                              "should be 3.0, but your engine gives 2.0.")
    with pytest.raises(ValueError) as agrees:
        diagnose(product, Answer(data=[2.0, 6.0], grad=[3.0, 1.0]), answers(product))
    assert str(agrees.value) == "diagnose: the engine's answer agrees with chainrule's"
    # an input's own number is the learner's to choose (an int, a float32): not judged
    with pytest.raises(ValueError):
        diagnose(product, Answer(data=[2.5, 6.0], grad=[3.0, 1.0]), answers(product))


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
    assert command_for("cmd:node my engine.js", 64)[-6:] == [
        "autograd.testing.engine_check.worker", "--capped", "64", "node", "my", "engine.js"]
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


def _reuse() -> tuple[Program, object]:
    """x1 = x0 + x0; x2 = x1 * 3; x3 = x2 + x1: d x3/d x1 = 3 + 1 = 4, d x3/d x0 = 8,
    handed to x0 as two shares of 4; x1 is used twice too."""
    program = Program((1.5,), (Step("add", (0, 0)), Step("mul", (1, Const(3.0))),
                               Step("add", (2, 1))))
    return program, answers(program)


def test_one_share_kept_is_accumulation_even_below_a_reused_node():
    program, want = _reuse()
    assert want.grad == [8.0, 4.0, 1.0, 1.0] and want.shares[0] == [4.0, 4.0]
    kept = diagnose(program, Answer(data=want.data, grad=[4.0, 4.0, 1.0, 1.0]), want)
    assert kept.to_json() == {
        "kind": "accumulation", "op": None, "argument": None, "expected": 8.0, "actual": 4.0,
        "node": 0, "rule": "reuse", "examples": 0, "source": "",
        "message": "x0 is used 2 times, so its gradient is the sum of 2 shares, 8.0; your "
                   "engine gives 4.0. A gradient must be added up (+=), not overwritten (=).",
        "program": {"inputs": [1.5], "steps": [["add", 0, 0], ["mul", 1, {"const": 3.0}],
                                               ["add", 2, 1]]}}
    assert kept.engine_grad == [4.0, 4.0, 1.0, 1.0]
    early = diagnose(program, Answer(data=want.data, grad=[2.0, 4.0, 1.0, 1.0]), want)
    assert early.to_json()["message"] == (
        "x1 is used 2 times and its own gradient ends right, but it handed its gradient on "
        "before every share had arrived: x0's gradient should be 8.0, your engine gives 2.0. "
        "Walk the nodes in topological order, each node after every node that uses it.")
    assert (early.kind, early.expected, early.actual, early.program) == ("order", 8.0, 2.0,
                                                                         program)


def test_a_wrong_value_and_a_wrong_rule_as_whole_findings():
    # x1 = x0 * 2; x2 = x1.tanh(); x3 = x2 - 1: a value wrong at x2 (a tanh), not at x3
    program = Program((0.5,), (Step("mul", (0, Const(2.0))), Step("tanh", (1,)),
                               Step("sub", (2, Const(1.0)))))
    want = answers(program)
    data = [0.5, 1.0, 0.5, -0.5]
    value = diagnose(program, Answer(data=data, grad=want.grad), want)
    assert value.to_json()["message"] == (
        f"the forward value of tanh is wrong: x2 should be {math.tanh(1.0)!r}, but your "
        "engine gives 0.5.")
    assert (value.kind, value.op, value.node, value.expected, value.actual) == (
        "value", "tanh", 2, math.tanh(1.0), 0.5)
    assert value.rule == "tanh value" and value.program is program
    # x1's gradient right, x0's wrong: mul's rule for x, in a program of three steps
    grad = list(want.grad)
    grad[0] = 1.0
    rule = diagnose(program, Answer(data=want.data, grad=grad), want)
    assert rule.message() == (
        f"the local derivative mul d/dx is wrong in this program: x1's gradient is right, "
        f"but the share it hands to x0 is not (x0's gradient should be {want.grad[0]!r}, "
        "your engine gives 1.0).")
    assert (rule.kind, rule.op, rule.argument, rule.actual, rule.program) == (
        "wrong_rule", "mul", 0, 1.0, program)


def test_failures_that_are_not_numbers():
    program = Program((1.0,), (Step("relu", (0,)),))
    crash = diagnose(program, Answer(error="TypeError: nope", detail={"where": "e.py:3"}),
                     None)
    assert crash.to_json()["message"] == "your engine raised TypeError: nope (e.py:3)."
    assert (crash.kind, crash.op, crash.rule, crash.program) == ("crash", "relu", "safety",
                                                                 program)
    two = Program((1.0,), (Step("relu", (0,)), Step("relu", (1,))))
    assert diagnose(two, Answer(error="E: x", detail={}), None).message() == \
        "your engine raised E: x."
    assert diagnose(two, Answer(error="E", detail={}), None).op is None  # not one op's
    late = diagnose(program, Answer(timeout=True, error="no answer within 2 s"), None)
    assert late.message() == "your engine did not finish this program: no answer within 2 s."
    assert (late.kind, late.rule, late.program) == ("timeout", "time", program)
    deep = diagnose(two, Answer(error="RecursionError: x", recursion=True), None)
    assert (deep.kind, deep.fields, deep.rule, deep.program) == ("recursion", {"depth": 2},
                                                                 "depth", two)
    assert deep.message().startswith("backward fails with RecursionError on a chain 2 steps")
    for effect, detail, said in (
            ("exit", {"error": "SystemExit: 3"}, "called sys.exit while running this "
                                                  "program (SystemExit: 3)."),
            ("globals", {"changed": ["math.exp"]}, "changed Python's own functions while "
                                                   "running this program: ['math.exp']."),
            ("printed", {"printed": 2000001}, "printed 2000001 characters while running "
                                              "this program.")):
        found = diagnose(program, Answer(error=detail.get("error"), effect=effect,
                                         detail=detail), None)
        assert found.message() == f"your engine {said}"
        assert (found.kind, found.rule, found.program) == ("side_effect", "safety", program)


def test_the_report_word_for_word():
    program = Program((2.0,), (Step("mul", (0, Const(3.0))),))
    wrong = Finding("wrong_rule", "mul", 0, 3.0, 2.0, program, 0, "why_rule",
                    source="x = 1\nassert x == 2\n", engine_grad=[2.0, 1.0], examples=4)
    note = Finding("convention", "relu", 0, 0.0, 1.0, Program((0.0,), (Step("relu", (0,)),)),
                   0, "why_kink")
    order = Finding("order", None, None, 2.0, 1.0, program, 0, "why_order",
                    {"consumer": "x1", "uses": 2})
    report = EngineReport("eng.V", {"mul": ["vv", "vc", "cv"], "relu": ["v"],
                                    "maximum": ["vv", "vc"]}, {"tanh:v": "AttributeError"},
                          [note, order, wrong], ["mul value", "mul d/dx", "order"], seed=7,
                          examples=9, runs=12, seconds=1.23456)
    assert report.render() == (
        "eng.V: 2 finding(s) that chainrule disagrees with.\n"
        "ops checked: mul, relu, maximum (vv/vc); 12 programs in 1.2 s (seed 7).\n\n"
        "[wrong_rule] the local derivative mul d/dx is wrong: the gradient of x0 should be "
        "3.0, but your engine gives 2.0.\n    x = 1\n    assert x == 2\n\n"
        f"[order] {order.message()}\n\n"
        "[convention] the slope of relu at its kink (0) is 1.0 in your engine and 0.0 in "
        "chainrule; both are used (PyTorch takes 0).\n\n"
        "score: 1 of 3 rules and properties pass.\n    mul d/dx, order\n")
    good = EngineReport("eng.W", {"mul": ["v"]}, {}, [note], ["mul d/dx"], seed=1, examples=1)
    assert good.render().split("\n")[:2] == [
        "eng.W: OK. Every value and gradient agrees with chainrule's.",
        "ops checked: mul; 0 programs in 0.0 s (seed 1)."]
    assert str(report) == report.render() and report._repr_html_().startswith("<pre>eng.V")
    assert json.loads(report.to_json()) == {
        "engine": "eng.V", "ok": False, "total": 1 / 3,
        "score": {"mul value": 1.0, "mul d/dx": 0.0, "order": 0.0},
        "ops": {"mul": ["vv", "vc", "cv"], "relu": ["v"], "maximum": ["vv", "vc"]},
        "seed": 7, "examples": 9, "runs": 12, "seconds": 1.235,
        "findings": [note.to_json(), order.to_json(), wrong.to_json()]}
    assert "\n  \"engine\": \"eng.V\"" in report.to_json()  # indented, for a reader
    assert "사과" in EngineReport("사과.V", {}, {}, [], [], 1, 1).to_json()  # not \\uc0ac
    assert wrong.to_json()["examples"] == 4 and wrong.to_json()["source"].startswith("x = 1")
    assert note.to_json()["program"] == {"inputs": [0.0], "steps": [["relu", 0]]}
    endless = Finding("timeout", None, None, math.inf, -math.inf, None, None, "why_ladder",
                      {"rungs": 40, "seconds": 2.0})
    assert endless.to_json()["expected"] == "inf" and endless.to_json()["actual"] == "-inf"
    assert endless.to_json()["program"] is None and endless.to_json()["node"] is None
    assert "2^40 paths" in endless.message() and "x" not in endless.message().split(":")[0]


def test_a_finding_draws_the_engine_s_gradients_beside_chainrule_s():
    # x3 = -x0 is never used: its gradient is 0, as the engine's is, so it is no mistake
    program = Program((2.0, 5.0), (Step("mul", (0, 1)), Step("neg", (0,)),
                                   Step("add", (2, Const(1.0)))))
    finding = Finding("wrong_rule", "mul", 1, 2.0, 5.0, program, 1, "why_rule",
                      engine_grad=[5.0, 5.0, 1.0, 0.0, 1.0])
    source = finding.draw(lang="ko").source
    for name in ("x0", "x1", "x2", "x4"):
        assert f"<b>{name}</b>" in source
    boxes = {line.split(" ")[0].strip(): line for line in source.split("\n") if "<b>x" in line}
    assert len(boxes) == 4  # the output's graph: x3 is not in it
    wrong = [line for line in boxes.values() if "dashed" in line]
    assert len(wrong) == 1 and "<b>x1</b>" in wrong[0]  # x1's 5 struck out, 2 beside it
    assert "<s>grad 5</s> (2)" in wrong[0]
    assert "순전파" in source  # the options reach draw: the legend in Korean
    with pytest.raises(ValueError, match="Finding.draw: a crash finding has no gradients"):
        Finding("crash", None, None, None, None, program, None, "why_crash").draw()


def test_tolerances_where_there_is_no_exact_answer_and_nodes_the_output_skips():
    # x1 = tanh(x0); x2 = x1 - x1 (gradient 0, but made of two shares of size 1);
    # x3 = x0 * 3 is never used: its gradient is 0 and its value chainrule's float
    program = Program((0.5,), (Step("tanh", (0,)), Step("sub", (1, 1)),
                               Step("mul", (0, Const(3.0))), Step("add", (2, Const(1.0)))))
    want = answers(program)
    t = math.tanh(0.5)
    assert want.exact is False and want.data == [0.5, t, 0.0, 1.5, 1.0]
    assert want.grad == [0.0, 0.0, 1.0, 0.0, 1.0]
    assert want.data_tolerance == pytest.approx([1e-9 * 0.5, 1e-9 * 0.5, 1e-9 * t,
                                                 1e-9 * 1.5, 1e-9 * 1.0], rel=1e-15)
    assert want.grad_tolerance == pytest.approx([1e-9 * 2 * (1 - t * t), 1e-9 * 2, 1e-9,
                                                 0.0, 1e-9], rel=1e-15)
    assert want.shares == [[0.0, 0.0], [1.0, -1.0], [1.0], [], []]
    # the same shape, rational: exact answers, and the unused node's tolerance by size
    rational = Program((0.1, 3.0), (Step("mul", (0, 1)), Step("add", (0, Const(0.5)))))
    exact = answers(rational)
    assert exact.exact and exact.grad == [1.0, 0.0, 0.0, 1.0]
    assert exact.data[2] == 0.1 * 3.0 and exact.data_tolerance[2] == 1e-9 * 3.0
    bounds = __import__("autograd.testing.exact", fromlist=["x"]).exact_answers
    from autograd.testing.engine_check.programs import build
    nodes = build(rational)
    truth = bounds(nodes[-1])
    assert exact.data_tolerance[3] == 2 * truth.value_bounds[nodes[-1]] + 4 * math.ulp(0.6)
    assert exact.grad_tolerance[0] == 2 * truth.gradient_bounds[nodes[0]] + 4 * math.ulp(1.0)
    assert exact.grad_tolerance[1] == 4 * math.ulp(0.0)  # unreached: no bound, only ulps
    # where chainrule's own float is off, the answer is the exact one: (1e16 + 1) - 1e16
    lost = answers(Program((1e16, 1.0), (Step("add", (0, 1)), Step("sub", (2, 0)))))
    assert lost.data[3] == 1.0  # chainrule's floats give 0.0


def test_which_programs_are_rational_and_how_numbers_are_written():
    from autograd.testing.engine_check.programs import _written, is_rational

    whole = Program((2.0,), (Step("pow", (0, Const(3.0))), Step("div", (1, 0))))
    assert is_rational(whole)
    for step in (Step("pow", (0, Const(0.5))), Step("pow", (0, 0)), Step("exp", (0,))):
        assert not is_rational(Program((2.0,), (step,))), step
    assert _written(Const(3.0)) == "3" and _written(Const(-2.5)) == "-2.5"
    assert _written(Const(1e15)) == "1000000000000000.0" and _written(Const(1e14)) == \
        "100000000000000"
    assert _written(4) == "x4"


def test_nan_and_infinity_are_right_only_where_they_are_wanted():
    from autograd.testing.engine_check.programs import _wrong

    assert not _wrong(math.nan, math.nan, 0.0) and _wrong(1.0, math.nan, 1e9)
    assert not _wrong(math.inf, math.inf, 0.0) and _wrong(-math.inf, math.inf, 1e300)
    assert _wrong(math.nan, math.inf, math.inf) and _wrong(math.nan, 1.0, math.inf)
    assert not _wrong(1.0 + 1e-10, 1.0, 1e-9) and _wrong(1.0 + 1e-8, 1.0, 1e-9)
    assert not _wrong(1.5, 1.0, 0.5)  # within means up to the tolerance itself


def test_the_nodes_the_output_depends_on():
    from autograd.testing.engine_check.check import _reached

    program = Program((1.0, 2.0, 3.0), (Step("mul", (0, 1)), Step("add", (2, Const(1.0))),
                                        Step("neg", (3,)), Step("add", (0, 4))))
    assert _reached(program) == [0, 2, 4, 6]  # x1, x3 and x5 do not reach x6


def test_second_derivatives_by_grad_of_grad():
    from autograd.testing.engine_check.programs import second_derivatives

    t = math.tanh(0.5)
    assert second_derivatives(Program((0.5,), (Step("tanh", (0,)),))) == [-2 * t * (1 - t * t)]
    # x0 * x1: no square in either input; x0 * x0: 2; an input the output never reads: 0
    assert second_derivatives(Program((0.5, 2.0), (Step("mul", (0, 1)),))) == [0.0, 0.0]
    assert second_derivatives(Program((0.5, 7.0), (Step("mul", (0, 0)),))) == [2.0, 0.0]
    cube = Program((2.0,), (Step("pow", (0, Const(3.0))),))
    assert second_derivatives(cube) == [12.0]  # 6x


def test_a_step_is_applied_as_the_learner_s_code_would_write_it():
    from autograd.testing.engine_check.programs import apply

    class Spy:
        def __init__(self, name):
            self.name = name

        def __sub__(self, other):
            return ("sub", self.name, other)

        def __rsub__(self, other):
            return ("rsub", self.name, other)

        def maximum(self, *others):
            return ("maximum", self.name, others)

    from autograd.ops import OPS

    assert apply(OPS["sub"], [Spy("a"), 2.0]) == ("sub", "a", 2.0)
    assert apply(OPS["sub"], [2.0, Spy("a")]) == ("rsub", "a", 2.0)
    assert apply(OPS["maximum"], [Spy("a"), 0.5]) == ("maximum", "a", (0.5,))
