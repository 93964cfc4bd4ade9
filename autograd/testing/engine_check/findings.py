"""What check_engine found: a ``Finding`` per bug, and the ``EngineReport`` that holds them.

A finding has a ``kind`` (``KINDS``), the table op it blames (None for a bug of
the engine as a whole), the argument, the numbers expected and got, and the
``program``: the smallest computation hypothesis found that shows the bug,
which ``source`` writes as plain Python on the learner's own class, with an
``assert`` that fails on their engine.

The report's ``score`` has one entry per rule (``mul d/dx``: the local
derivative of mul with respect to its first argument), per forward value
(``mul value``) and per engine property (``reuse``, ``order``, ``depth``,
``time``, ``safety``): 1.0 when nothing was found against it, 0.0 when something
was, for grading. ``str()`` is a report a learner reads, in English, Korean or
Japanese (``lang``); ``_repr_html_`` is the same in a notebook; ``to_json`` is
for a grader's scripts.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from typing import Any

from autograd.diagram import draw
from autograd.testing.engine_check.programs import Program, build
from autograd.testing.engine_check.texts import text
from autograd.walk import Walk

__all__ = ["KINDS", "NOTES", "EngineReport", "Finding"]

# Every kind of finding, in the order a report lists them.
KINDS = ("wrong_rule", "value", "accumulation", "order", "crash", "timeout", "side_effect",
         "recursion", "convention")
# Reported, not failed: a choice the math leaves open (the slope at a kink, what a second
# backward does), and Python's recursion limit, which micrograd's own recursive
# topological sort meets at a depth of about 1,000 (its issue #90).
NOTES = frozenset({"convention", "recursion"})
ARGUMENTS = "xyz"  # how a report names an op's arguments: d/dx, d/dy


@dataclass
class Finding:
    """One bug (or convention) in the engine: see the module."""
    kind: str
    op: str | None
    argument: int | None
    expected: float | None
    actual: float | None
    program: Program | None
    node: int | None  # the program node whose number is wrong
    why: str  # the key of the explanation in texts.py
    fields: dict[str, Any] = field(default_factory=dict)
    examples: int = 0  # programs tried before this one was found
    source: str = ""  # the program as plain Python, failing on the learner's engine
    engine_grad: list[float] = field(default_factory=list)  # every node's, from the engine

    def draw(self, **options: Any) -> Any:
        """The program's graph, each box with the engine's gradient; where chainrule's
        differs, the box is red and dashed, the right number beside the wrong one
        (``autograd.draw``'s ``expected``). Options go to ``autograd.draw``."""
        if self.program is None or not self.engine_grad:
            raise ValueError(f"Finding.draw: a {self.kind} finding has no gradients to draw")
        nodes = build(self.program)
        right = Walk(nodes[-1]).run()
        for i, (node, grad) in enumerate(zip(nodes, self.engine_grad, strict=True)):
            node.name, node.grad = f"x{i}", grad
        return draw(nodes[-1], expected=right, **options)  # right has every node drawn

    @property
    def rule(self) -> str | None:
        """The score entry this finding counts against (see the module)."""
        if self.kind == "wrong_rule" and self.op is not None:
            x = ARGUMENTS[self.argument or 0]
            return f"{self.op} d2/d{x}2" if self.fields.get("order") == 2 else \
                f"{self.op} d/d{x}"
        if self.kind == "value" and self.op is not None:
            return f"{self.op} value"
        return _PROPERTY_OF.get(self.kind)

    def message(self, lang: str = "en") -> str:
        """What the finding means, in ``lang``: its text (``why``) with its numbers."""
        given = {"expected": self.expected, "actual": self.actual, "op": self.op,
                 "rule": self.rule, "node": None if self.node is None else f"x{self.node}"}
        numbers = {k: repr(v) if isinstance(v, float) else v for k, v in given.items()
                   if v is not None}  # a text names only what its kind of finding has
        return text(lang, self.why, **{**numbers, **self.fields})

    def to_json(self) -> dict:
        return {"kind": self.kind, "op": self.op, "argument": self.argument,
                "expected": _json_number(self.expected), "actual": _json_number(self.actual),
                "node": self.node, "rule": self.rule, "message": self.message("en"),
                "examples": self.examples,
                "program": self.program.to_json() if self.program else None,
                "source": self.source}


_PROPERTY_OF = {"accumulation": "reuse", "order": "order", "recursion": "depth",
                "timeout": "time", "crash": "safety", "side_effect": "safety"}
PROPERTIES = ("reuse", "order", "depth", "time", "safety")



def _json_number(x: float | None) -> float | str | None:
    return x if x is None or math.isfinite(x) else repr(x)


@dataclass
class EngineReport:
    """Everything check_engine found about one engine (see the module)."""
    engine: str
    ops: dict[str, list[str]]  # the ops found by probing, with their forms
    missing: dict[str, str]  # op:form -> why it was left out
    findings: list[Finding]
    rules: list[str]  # every score entry checked
    seed: int
    examples: int
    runs: int = 0  # programs the engine ran
    seconds: float = 0.0
    lang: str = "en"

    @property
    def ok(self) -> bool:
        """True when nothing but notes (conventions, the recursion depth) was found."""
        return all(f.kind in NOTES for f in self.findings)

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.kind not in NOTES]

    @property
    def score(self) -> dict[str, float]:
        """1.0 or 0.0 per rule, value and engine property (see the module)."""
        against = {f.rule for f in self.failures}
        return {rule: 0.0 if rule in against else 1.0 for rule in self.rules}

    @property
    def total(self) -> float:
        """The share of the score's entries with nothing against them."""
        score = self.score
        return sum(score.values()) / len(score) if score else 0.0

    def to_json(self) -> str:
        return json.dumps({"engine": self.engine, "ok": self.ok, "total": self.total,
                           "score": self.score, "ops": self.ops, "seed": self.seed,
                           "examples": self.examples, "runs": self.runs,
                           "seconds": round(self.seconds, 3),
                           "findings": [f.to_json() for f in self.findings]},
                          ensure_ascii=False, indent=2)

    def render(self, lang: str | None = None) -> str:
        """The report as a learner reads it, in ``lang`` (the report's own by default)."""
        lang = lang or self.lang
        verdict = "report_ok" if self.ok else "report_failed"
        lines = [text(lang, verdict, engine=self.engine, failures=len(self.failures)),
                 text(lang, "report_ops", ops=", ".join(_op_list(self.ops)),
                      runs=self.runs, seconds=f"{self.seconds:.1f}", seed=self.seed)]
        for finding in sorted(self.findings, key=lambda f: KINDS.index(f.kind)):
            lines.append("")
            lines.append(f"[{finding.kind}] {finding.message(lang)}")
            if finding.source:
                lines += [f"    {line}".rstrip() for line in finding.source.rstrip().split("\n")]
        lines.append("")
        score = self.score
        lines.append(text(lang, "report_score", passed=int(sum(score.values())),
                          total=len(score)))
        failed = [rule for rule, value in score.items() if value == 0.0]
        if failed:
            lines.append("    " + ", ".join(failed))
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.render()

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.render())}</pre>"


def _op_list(ops: dict[str, list[str]]) -> list[str]:
    return [name if forms == ["v"] or forms == ["vv", "vc", "cv"] else
            f"{name} ({'/'.join(forms)})" for name, forms in ops.items()]
