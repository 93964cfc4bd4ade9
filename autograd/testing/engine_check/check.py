"""check_engine: chainrule as the oracle that grades another autograd engine.

    >>> from autograd.testing import check_engine
    >>> report = check_engine("micrograd.engine:Value")
    >>> report.ok, report.score["mul d/dx"]
    (True, 1.0)

The engine runs in its own process (``session.py``); chainrule sends it small
programs (``programs.py``) and compares every node's data and grad with its own
answers. In order:

1. **each rule alone**: for every op and form the engine has (``x * y``,
   ``x * 2``, ``2 * x``), hypothesis draws inputs inside the op's domain and
   away from its kinks, and checks the forward value and the gradient of each
   argument: a ``value`` or ``wrong_rule`` finding names the op and the argument;
2. **the engine as a whole**: random programs over the ops that passed alone,
   with reused nodes, chains and constants. A failure is shrunk by hypothesis
   to the fewest steps, then diagnosed on that program: the first node, walking
   backward, whose gradient is wrong tells the kind (``diagnose``);
3. **probes**: a chain deep enough for a recursive walk to fail
   (``recursion``, with the depth), a ladder whose paths double at each rung,
   which an exponential walk cannot finish (``timeout``), and the conventions:
   what a second ``backward()`` does, and the slope at a kink (relu'(0)).

Programs on which the learner's code raised, printed megabytes, called
``sys.exit`` or changed ``math`` are ``crash`` and ``side_effect`` findings.
"""

from __future__ import annotations

import inspect
import json
import math
import random
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from autograd.ops import OPS, Op
from autograd.testing.engine_check.findings import NOTES, PROPERTIES, EngineReport, Finding
from autograd.testing.engine_check.programs import (
    Answers,
    Const,
    Program,
    Step,
    answers,
    second_derivatives,
)
from autograd.testing.engine_check.session import Answer, EngineProcess

__all__ = ["DEFAULT_EXAMPLES", "DEPTHS", "check_engine", "diagnose"]

DEFAULT_EXAMPLES = 100  # per rule, and for the engine as a whole
DEFAULT_TIMEOUT = 5.0  # seconds for one program
DEFAULT_MEMORY_MB = 1024
INPUT_BOUND = 3.0  # inputs are drawn from [-3, 3], inside each op's domain
DOMAIN_GAP = 0.125  # how far inputs stay from 0 where an op's domain excludes it
SMALLEST = 1e-3  # the smallest nonzero size of a "real" input
KINK_GAP = 1e-3  # how far random programs stay from a kink (relu at 0)
POWERS = (2.0, 3.0, -1.0, 0.5, -2.0)  # the exponents x ** c draws: micrograd's kind
MAX_STEPS = 6
DEPTHS = (100, 1_000, 10_000)  # the chains the recursion probe builds, deepest last
LADDER_RUNGS = 40  # 2^40 paths: an exponential walk cannot finish


class _Found(Exception):
    """Raised inside hypothesis to make it shrink; carries the program and the answer."""

    def __init__(self, program: Program, answer: Answer, want: Answers) -> None:
        super().__init__(program)
        self.program, self.answer, self.want = program, answer, want


def check_engine(engine: str | type, *, ops: Sequence[str] | None = None,
                 examples: int = DEFAULT_EXAMPLES, seed: int | None = None, order: int = 1,
                 timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB,
                 lang: str = "en") -> EngineReport:
    """Check another autograd engine's values and gradients against chainrule's.

    engine: ``"module:Class"``, ``"path/to/engine.py[:Class]"``, a micrograd-style
        class, or ``"cmd:COMMAND"`` for an engine in any language that speaks the
        JSON-lines protocol (see the README, "Checking your own engine").
    ops: the table's op names to check (default: every op the probe finds).
    examples: hypothesis examples per rule, and for the engine as a whole.
    seed: hypothesis' seed (a fresh one, printed in the report, by default).
    order: 1, or 2 to check each rule's second derivatives too (d²/dx² of each op
        alone), for an engine that can take them: one whose class has
        ``second_derivatives(output, inputs)``, as the ``torch`` and ``jax`` adapters
        have. A rule can be right as a number and wrong as a function (a ``backward``
        that detaches what it saved); only the second order sees that.
    timeout: seconds for one program; memory_mb: the engine process's memory.
    """
    spec = _spec(engine)
    if order not in (1, 2) or isinstance(order, bool):
        raise ValueError(f"check_engine: order must be 1 or 2, got {order!r}")
    for name, number in (("examples", examples), ("memory_mb", memory_mb)):
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise ValueError(f"check_engine: {name} must be a positive whole number, "
                             f"got {number!r}")
    if not isinstance(timeout, (int, float)) or not timeout > 0:
        raise ValueError(f"check_engine: timeout must be a positive number of seconds, "
                         f"got {timeout!r}")
    seed = random.SystemRandom().randrange(2**32) if seed is None else seed
    started = time.perf_counter()
    with EngineProcess(spec, timeout=float(timeout), memory_mb=memory_mb) as process:
        if order not in process.hello.get("orders", [1]):
            raise ValueError(f"check_engine: order={order}: {spec!r} cannot take second "
                             "derivatives: its class needs a second_derivatives(output, "
                             "inputs) method, as the torch and jax adapters have")
        forms = _chosen(process.hello["ops"], ops)
        checker = _Checker(process, forms, examples, seed, process.hello)
        checker.run(order)
    report = EngineReport(engine=process.hello.get("engine", spec), ops=forms,
                          missing=process.hello.get("missing", {}),
                          findings=checker.findings, rules=checker.rules, seed=seed,
                          examples=examples, runs=process.runs, lang=lang)
    report.seconds = time.perf_counter() - started
    return report


def _spec(engine: str | type) -> str:
    """The worker's name for the engine: a class is found by its module or its file."""
    if isinstance(engine, str):
        if not engine.strip():
            raise ValueError("check_engine: engine is empty; give 'module:Class'")
        return engine
    if inspect.isclass(engine):
        module = engine.__module__
        if module == "__main__":
            return f"{Path(inspect.getfile(engine)).resolve()}:{engine.__qualname__}"
        return f"{module}:{engine.__qualname__}"
    raise TypeError(f"check_engine: engine must be 'module:Class', a class or 'cmd:...', "
                    f"got {type(engine).__name__}")


def _chosen(found: dict[str, list[str]], ops: Sequence[str] | None) -> dict[str, list[str]]:
    """The table ops (and their forms) to check: what the engine has, narrowed by ``ops``."""
    known = {name: list(forms) if isinstance(forms, list) else _all_forms(name)
             for name, forms in found.items() if name in OPS and OPS[name].arity in (1, 2)}
    if ops is None:
        return known
    if isinstance(ops, str):
        raise TypeError(f"check_engine: ops must be a list of op names, got {ops!r}")
    unknown = [name for name in ops if name not in OPS]
    if unknown:
        raise ValueError(f"check_engine: {', '.join(map(repr, unknown))} is not an op of "
                         f"the table ({', '.join(OPS)})")
    return {name: known[name] for name in ops if name in known}


def _all_forms(name: str) -> list[str]:
    return ["v"] if OPS[name].arity == 1 else ["vv", "vc", "cv"]


class _Checker:
    """One check's state: the engine, what to check, and the findings so far."""

    def __init__(self, process: EngineProcess, forms: dict[str, list[str]], examples: int,
                 seed: int, hello: dict) -> None:
        self.process, self.forms, self.examples, self.seed = process, forms, examples, seed
        self.findings: list[Finding] = []
        self.rules: list[str] = []
        self._said: set[str] = set()
        self.module, self.cls = hello.get("module"), hello.get("class")

    def run(self, order: int = 1) -> None:
        passed = {}
        for name, forms in self.forms.items():
            good = [form for form in forms if self._check_alone(OPS[name], form)]
            if good:
                passed[name] = good
        if order == 2:
            for name, forms in passed.items():
                for form in forms:
                    self._check_second_order(OPS[name], form)
        self.rules += list(PROPERTIES)
        if passed and not any(f.kind in ("timeout", "side_effect") for f in self.findings):
            self._check_programs(passed)
        self._probe_depth(passed)
        self._probe_ladder(passed)
        self._probe_conventions(passed)

    # --- 1. each rule alone -------------------------------------------------------------
    def _check_alone(self, op: Op, form: str) -> bool:
        """Check ``op`` in ``form`` alone: its value, then each argument's rule."""
        slots = [i for i, kind in enumerate(form) if kind == "v"]
        targets = ["value", *slots]
        for target in targets:
            if _rule(op, target) not in self.rules:
                self.rules.append(_rule(op, target))
        failed = {f.rule for f in self.findings}
        for target in targets:
            if _rule(op, target) in failed:
                return False  # found in another form already (x * y, then 2 * x)
            found = self._search(_alone(op, form), lambda p, a, w, t=target:
                                 _alone_wrong(p, a, w, t))
            if found is not None:
                self._add(found)
                return False
        return True

    def _check_second_order(self, op: Op, form: str) -> None:
        """Each input's second derivative of ``op`` alone, against chainrule's grad of
        grad: one finding per rule at most."""
        for slot in (i for i, kind in enumerate(form) if kind == "v"):
            rule = _rule(op, slot, order=2)
            if rule not in self.rules:
                self.rules.append(rule)
        against = {f.rule for f in self.findings}
        if any(_rule(op, slot, order=2) in against for slot, _ in enumerate(form)):
            return
        found = self._search(_alone(op, form), _second_order_wrong, order=2,
                             judge=_second_order_finding)
        if found is not None:
            self._add(found)

    # --- 2. the engine as a whole -------------------------------------------------------
    def _check_programs(self, forms: dict[str, list[str]]) -> None:
        found = self._search(_programs(forms), _program_wrong, _probes(forms))
        if found is not None:
            self._add(found)

    def _search(self, strategy: Any, wrong: Callable[[Program, Answer, Answers], bool],
                probes: Sequence[Program] = (), order: int = 1,
                judge: Callable[[Program, Answer, Answers], Finding] | None = None
                ) -> Finding | None:
        """Hypothesis tries the ``probes``, then draws programs from ``strategy`` until
        ``wrong`` says one shows a bug, and shrinks it; the finding for the smallest such
        program, or None. A program that times out is not shrunk: each try would cost
        the whole timeout."""
        from hypothesis import HealthCheck, Phase, assume, example, given, settings
        from hypothesis import seed as seeded

        timed_out: list[Finding] = []

        tried, first = [0], [0]  # programs run; how many until the first failure

        @seeded(self.seed)
        @settings(max_examples=self.examples, database=None, deadline=None,
                  derandomize=False, report_multiple_bugs=False, print_blob=False,
                  suppress_health_check=list(HealthCheck),
                  phases=(Phase.explicit, Phase.generate, Phase.shrink))
        @given(strategy)
        def search(program: Program) -> None:
            want = _answers_or_none(program)
            if want is None or timed_out:
                assume(False)
            tried[0] += 1
            answer = self.process.run(program.to_json(), order=order)
            if answer.timeout:
                timed_out.append(_failure(program, answer))
                timed_out[0].examples = tried[0]
                return
            if not answer.ok or wrong(program, answer, want):
                first[0] = first[0] or tried[0]
                raise _Found(program, answer, want)

        for probe in reversed(probes):  # hypothesis runs the last-applied example first
            search = example(probe)(search)
        try:
            search()
        except _Found as found:
            finding = (judge or diagnose)(found.program, found.answer, found.want)
            finding.examples = first[0]
            return finding
        return timed_out[0] if timed_out else None

    def _add(self, finding: Finding) -> None:
        """Keep a finding, with its source; the same crash or side effect again (in another
        op's check, on other nodes) is said once."""
        if finding.kind in ("crash", "side_effect", "timeout"):
            said = re.sub(r"x\d+", "x", finding.message("en"))
            if said in self._said:
                return
            self._said.add(said)
        if finding.program is not None and not finding.source:
            finding.source = _source(finding, self.module, self.cls)
        self.findings.append(finding)

    # --- 3. probes ----------------------------------------------------------------------
    def _probe_depth(self, forms: dict[str, list[str]]) -> None:
        """A chain x -> x + 0.5 -> ... at each of DEPTHS: the first depth at which
        backward fails with RecursionError is a ``recursion`` note, with the depth."""
        step = _chain_step(forms)
        if step is None:
            return
        passed = 0
        for depth in DEPTHS:
            answer = self.process.run(_chain(step, depth).to_json())
            if answer.recursion:
                depth = self._first_failing_depth(step, passed, depth)
                self._add(Finding("recursion", None, None, None, None, _chain(step, depth),
                                  None, "why_recursion", {"depth": depth}))
                return
            if not answer.ok:
                return  # a crash or timeout here is found by the other checks
            passed = depth

    def _first_failing_depth(self, step: str, passed: int, failed: int) -> int:
        """The shallowest chain that fails, by bisection between two depths."""
        while failed - passed > 1:
            middle = (passed + failed) // 2
            if self.process.run(_chain(step, middle).to_json()).recursion:
                failed = middle
            else:
                passed = middle
        return failed

    def _probe_ladder(self, forms: dict[str, list[str]]) -> None:
        """A ladder a, b -> a + b, a + b twice over, LADDER_RUNGS times: 2^40 paths, so a
        walk that follows every path never ends; a walk that visits each node once ends
        at once."""
        if "vv" not in forms.get("add", []):
            return
        steps = []
        for rung in range(LADDER_RUNGS):
            a, b = 2 * rung, 2 * rung + 1
            steps += [Step("add", (a, b)), Step("add", (b, a))]
        steps.append(Step("add", (2 * LADDER_RUNGS, 2 * LADDER_RUNGS + 1)))
        program = Program((0.5, 0.25), tuple(steps))
        answer = self.process.run(program.to_json())
        if answer.timeout:
            self._add(Finding("timeout", None, None, None, None, program, None,
                              "why_ladder", {"rungs": LADDER_RUNGS,
                                             "seconds": self.process.timeout}))

    def _probe_conventions(self, forms: dict[str, list[str]]) -> None:
        """What the math leaves open: reported, never failed. What a second backward does
        is asked only of an engine with nothing wrong so far: with a wrong rule or an
        overwritten gradient, its answer would describe the bug, not a convention."""
        if "vc" in forms.get("mul", []) and all(f.kind in NOTES for f in self.findings):
            self._probe_backward_twice()
        for name in ("relu", "abs"):
            if "v" in forms.get(name, []):
                program = Program((0.0,), (Step(name, (0,)),))
                answer = self.process.run(program.to_json())
                want = answers(program).grad[0]
                if answer.ok and answer.grad[0] != want:
                    self._add(Finding("convention", name, 0, want, answer.grad[0], program, 0,
                                      "why_kink"))


    def _probe_backward_twice(self) -> None:
        """x1 = x0 * 3, x2 = x1 * 2, backward() twice: one backward gives x0 6 and the
        inner node x1 2; the report says what the second one did to each (PyTorch adds
        to a leaf and keeps no inner node's gradient unless asked)."""
        program = Program((2.0,), (Step("mul", (0, Const(3.0))), Step("mul", (1, Const(2.0)))))
        answer = self.process.run(program.to_json(), backward=2)
        if not answer.ok:
            return
        leaf, inner = answer.grad[0], answer.grad[1]
        why = {(12.0, 4.0): "why_twice_accumulates", (12.0, 0.0): "why_twice_accumulates",
               (6.0, 2.0): "why_twice_resets", (18.0, 4.0): "why_twice_inner_kept"}.get(
            (leaf, inner), "why_twice_other")
        finding = Finding("convention", "mul", None, None, leaf, program, 0, why,
                          {"inner": repr(inner)})
        if self.module is not None:
            finding.source = program.source(self.module, self.cls, backward=2, checks=[
                f"print(x0.grad, x1.grad)  # {leaf!r} {inner!r}"])
        self._add(finding)


def _answers_or_none(program: Program) -> Answers | None:
    """chainrule's answers, or None for a program that is no fair test: outside an op's
    domain, not finite, or within KINK_GAP of a kink, where slopes are a convention."""
    try:
        want = answers(program)
    except (ArithmeticError, ValueError):
        return None
    if not all(math.isfinite(x) for x in want.data + want.grad):
        return None
    for step in program.steps:
        op = OPS[step.op]
        if op.kink is not None:
            args = [a.value if isinstance(a, Const) else want.data[a] for a in step.args]
            if op.kink(*args) < KINK_GAP:
                return None
    return want


# --- strategies ----------------------------------------------------------------------------
def _number(domain: str) -> Any:
    """A hypothesis strategy for a number in ``domain`` ("real", "positive", "nonzero")."""
    from hypothesis import strategies as st

    bound = INPUT_BOUND
    if domain == "positive":
        return st.floats(DOMAIN_GAP, bound)
    if domain == "nonzero":
        return st.floats(DOMAIN_GAP, bound) | st.floats(-bound, -DOMAIN_GAP)
    # 0, or at least SMALLEST in size: 1 / 1e-311 overflows in any engine that divides as
    # x * y ** -1 (micrograd), which is no bug of its rules
    return st.floats(-bound, bound, allow_subnormal=False).filter(
        lambda x: x == 0 or abs(x) >= SMALLEST)


def _constant(op: Op, slot: int) -> Any:
    from hypothesis import strategies as st

    if op.name == "pow" and slot == 1:
        return st.sampled_from(POWERS)
    return _number(op.domains[slot])


def _alone(op: Op, form: str) -> Any:
    """Programs of one step: ``op`` in ``form``, on fresh inputs."""
    from hypothesis import strategies as st

    @st.composite
    def one_step(draw: Callable) -> Program:
        inputs, args = [], []
        for slot, kind in enumerate(form):
            if kind == "v":
                domain = "positive" if op.name == "pow" else op.domains[slot]
                inputs.append(draw(_number(domain)))
                args.append(len(inputs) - 1)
            else:
                args.append(Const(draw(_constant(op, slot))))
        return Program(tuple(inputs), (Step(op.name, tuple(args)),))

    return one_step()


def _programs(forms: dict[str, list[str]]) -> Any:
    """Random programs over ``forms``: 1-3 inputs, up to MAX_STEPS steps, each argument any
    earlier node (so nodes are reused) or a constant."""
    from hypothesis import strategies as st

    choices = [(name, form) for name, fs in forms.items() for form in fs]

    @st.composite
    def program(draw: Callable) -> Program:
        inputs = draw(st.lists(_number("real"), min_size=1, max_size=3))
        steps: list[Step] = []
        for _ in range(draw(st.integers(1, MAX_STEPS))):
            name, form = draw(st.sampled_from(choices))
            size = len(inputs) + len(steps)
            args = [draw(st.integers(0, size - 1)) if kind == "v" else
                    Const(draw(_constant(OPS[name], slot))) for slot, kind in enumerate(form)]
            steps.append(Step(name, tuple(args)))
        return Program(tuple(inputs), tuple(steps))

    return program()


def _rule(op: Op, target: Any, order: int = 1) -> str:
    """The score entry for ``op``'s value or its rule for argument ``target``."""
    if target == "value":
        return f"{op.name} value"
    x = "xyz"[target]
    return f"{op.name} d/d{x}" if order == 1 else f"{op.name} d2/d{x}2"


SECOND_ORDER_TOLERANCE = 1e-8  # relative, or absolute below 1: grad of grad on floats


def _second_order_wrong(program: Program, answer: Answer, want: Answers) -> bool:
    seconds = second_derivatives(program)
    return any(not abs(got - right) <= SECOND_ORDER_TOLERANCE * max(1.0, abs(right))
               for got, right in zip(answer.grad2, seconds, strict=True))


def _second_order_finding(program: Program, answer: Answer, want: Answers) -> Finding:
    """The first input whose second derivative is wrong, as a finding of its rule."""
    if not answer.ok:
        return _failure(program, answer)
    seconds = second_derivatives(program)
    for i, (got, right) in enumerate(zip(answer.grad2, seconds, strict=True)):
        if not abs(got - right) <= SECOND_ORDER_TOLERANCE * max(1.0, abs(right)):
            step = program.steps[0]
            return Finding("wrong_rule", step.op, step.args.index(i), right, got, program,
                           i, "why_second_order", {"order": 2})
    raise ValueError("diagnose: the engine's second derivatives agree with chainrule's")


def _probes(forms: dict[str, list[str]]) -> list[Program]:
    """Programs tried before the random ones, where the engine has their ops: a node used
    twice by one step (x + x, x * x), and paths of unequal length to one node (x1 reaches
    the output directly and through x2, x3), which a walk in the wrong order gets wrong."""
    probes = [Program((1.5,), (Step(name, (0, 0)),)) for name in ("add", "mul")
              if "vv" in forms.get(name, [])]
    step = _chain_step(forms)
    joint = next((n for n in ("add", "mul", "sub") if "vv" in forms.get(n, [])), None)
    if step is not None and joint is not None:
        constant = Const(1.5 if step == "mul" else 0.5)
        probes.append(Program((1.25,), (Step(step, (0, constant)), Step(step, (1, constant)),
                                        Step(step, (2, constant)), Step(joint, (3, 1)))))
    return probes


def _chain_step(forms: dict[str, list[str]]) -> str | None:
    for name in ("add", "mul", "sub"):
        if "vc" in forms.get(name, []):
            return name
    return None


def _chain(name: str, depth: int) -> Program:
    constant = Const(1.0 if name == "mul" else 0.5)
    return Program((0.5,), tuple(Step(name, (i, constant)) for i in range(depth)))


# --- judging and diagnosis ----------------------------------------------------------------
def _alone_wrong(program: Program, answer: Answer, want: Answers, target: Any) -> bool:
    out = program.size - 1
    if target == "value":
        return want.data_wrong(out, answer.data[out])
    node = program.steps[0].args[target]
    return want.grad_wrong(node, answer.grad[node])


def _program_wrong(program: Program, answer: Answer, want: Answers) -> bool:
    reached = _reached(program)
    return any(want.data_wrong(i, answer.data[i]) for i in range(program.size)) or \
        any(want.grad_wrong(i, answer.grad[i]) for i in reached)


def _reached(program: Program) -> list[int]:
    """The nodes the output depends on, itself included."""
    reached = {program.size - 1}
    for i, step in reversed(list(enumerate(program.steps, start=len(program.inputs)))):
        if i in reached:
            reached.update(a for a in step.args if not isinstance(a, Const))
    return sorted(reached)


def diagnose(program: Program, answer: Answer, want: Answers) -> Finding:
    """The kind of bug a failing program shows (see the module's step 2).

    A crash, timeout or side effect says so. Otherwise the first node, in forward
    order, whose value is wrong is a ``value`` finding for its op. Otherwise walk
    backward to the first node w whose gradient is wrong; all its consumers' are
    right, so each hands w a known share. If w is used more than once and holds just
    one of its shares (a later share overwrote the others), or none of its consumers
    is used more than once, its shares were not added up: ``accumulation``. Else, if
    a consumer c of w is used more than once, c handed on its gradient before all of
    c's own shares had arrived: ``order``. Otherwise c's rule is wrong in this
    setting (``wrong_rule``, naming c's op and the argument).
    """
    if not answer.ok:
        return _failure(program, answer)
    finding = _numbers_wrong(program, answer, want)
    finding.engine_grad = answer.grad
    return finding


def _numbers_wrong(program: Program, answer: Answer, want: Answers) -> Finding:
    """diagnose, for an engine that answered with numbers."""
    for i in range(len(program.inputs), program.size):
        if want.data_wrong(i, answer.data[i]):
            op = program.steps[i - len(program.inputs)].op
            return Finding("value", op, None, want.data[i], answer.data[i], program, i,
                           "why_value")
    uses = program.nodes_used()
    for w in reversed(_reached(program)):
        if not want.grad_wrong(w, answer.grad[w]):
            continue
        expected, actual = want.grad[w], answer.grad[w]
        early = [c for c in _consumers(program, w) if uses[c] > 1]
        if uses[w] > 1 and (want.one_share(w, actual) or not early):
            return Finding("accumulation", None, None, expected, actual, program, w,
                           "why_accumulation", {"uses": uses[w]})
        if early:
            return Finding("order", None, None, expected, actual, program, w, "why_order",
                           {"consumer": f"x{early[0]}", "uses": uses[early[0]]})
        c = _consumers(program, w)[0]
        step = program.steps[c - len(program.inputs)]
        why = "why_rule" if len(program.steps) == 1 else "why_rule_in_program"
        return Finding("wrong_rule", step.op, step.args.index(w), expected, actual,
                       program, w, why, {"consumer": f"x{c}"})
    raise ValueError("diagnose: the engine's answer agrees with chainrule's")


def _consumers(program: Program, node: int) -> list[int]:
    """The steps that use ``node``, first made first."""
    return [i for i, step in enumerate(program.steps, start=len(program.inputs))
            if node in step.args]


def _failure(program: Program, answer: Answer) -> Finding:
    if answer.timeout:
        return Finding("timeout", None, None, None, None, program, None, "why_timeout",
                       {"seconds": answer.error})
    if answer.recursion:
        return Finding("recursion", None, None, None, None, program, None, "why_recursion",
                       {"depth": len(program.steps)})
    if answer.effect is not None:
        detail = answer.detail.get("changed") or answer.detail.get("printed") or answer.error
        return Finding("side_effect", None, None, None, None, program, None,
                       f"why_{answer.effect}", {"detail": detail})
    where = answer.detail.get("where")
    op = program.steps[0].op if len(program.steps) == 1 else None  # the op checked alone
    return Finding("crash", op, None, None, None, program, None, "why_crash",
                   {"error": answer.error, "where": f" ({where})" if where else ""})


def _source(finding: Finding, module: str | None, cls: str | None) -> str:
    """The finding's program as Python on the learner's class, ending in an assert that
    fails on their engine (engines in other languages get the program's JSON)."""
    program = finding.program
    if module is None or cls is None:
        return json.dumps(program.to_json())
    if finding.kind in ("recursion", "timeout") and len(program.steps) > 10:
        return _loop_source(finding, module, cls)
    checks = []
    if finding.kind == "crash" and "not a number" in str(finding.fields.get("error")):
        numbers = ", ".join(f"x{i}.{a}" for i in range(program.size) for a in ("data", "grad"))
        checks.append(f"assert all(isinstance(v, (int, float)) for v in ({numbers})), "
                      "'a data or grad that is not a number'")
    node = finding.node
    if node is not None and finding.expected is not None:
        attribute = "data" if finding.kind == "value" else "grad"
        checks.append(f"assert abs(x{node}.{attribute} - ({finding.expected!r})) <= "
                      f"{_slack(finding.expected)}, x{node}.{attribute}")
    return program.source(module, cls, checks)


def _slack(x: float) -> str:
    return repr(max(1e-9 * abs(x), 1e-12))


def _loop_source(finding: Finding, module: str, cls: str) -> str:
    program = finding.program
    if finding.kind == "recursion":
        step = program.steps[0]
        body = f"y = y {OPS[step.op].python} {step.args[1].value!r}"
        return (f"from {module} import {cls}\n\nx = {cls}({program.inputs[0]!r})\ny = x\n"
                f"for _ in range({len(program.steps)}):\n    {body}\n"
                "y.backward()  # RecursionError\n")
    return (f"from {module} import {cls}\n\na, b = {cls}(0.5), {cls}(0.25)\n"
            f"for _ in range({LADDER_RUNGS}):\n    a, b = a + b, b + a\n"
            "(a + b).backward()  # 2**40 paths: a walk that follows each one never ends\n")
