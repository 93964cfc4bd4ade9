"""The pytest plugin: ``pytest --chainrule-engine=module:Class`` grades an engine.

Registered through the ``pytest11`` entry point, so installing chainrule is
enough. Without ``--chainrule-engine`` it does nothing. With it, pytest runs
``check_engine`` once while collecting, and collects one test per rule (``mul
d/dx``, ``relu value``) and per engine property (``reuse``, ``order``, ``depth``,
``time``, ``safety``):

* a failing test's report is the finding, with its shrunk program as Python;
* the header gives the engine and the seed (``--chainrule-seed`` repeats a run);
* each test's ``user_properties`` carry its rule and score, so ``--junitxml``
  has them for a grader;
* the terminal summary has a ``chainrule`` section with the total score.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from autograd.testing.engine_check.check import DEFAULT_EXAMPLES, check_engine
from autograd.testing.engine_check.findings import EngineReport, Finding

__all__ = ["EngineRule", "pytest_addoption"]

_REPORT = pytest.StashKey[EngineReport]()
_SEED = pytest.StashKey[int]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("chainrule", "chainrule: check an autograd engine")
    group.addoption("--chainrule-engine", metavar="ENGINE", default=None,
                    help="check this engine (module:Class, path/engine.py[:Class] or "
                         "cmd:COMMAND): one test per rule and per engine property")
    group.addoption("--chainrule-examples", type=int, default=DEFAULT_EXAMPLES,
                    help="hypothesis examples per rule (default %(default)s)")
    group.addoption("--chainrule-seed", type=int, default=None,
                    help="hypothesis' seed, to repeat a run")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("chainrule_engine"):
        seed = config.getoption("chainrule_seed")
        config.stash[_SEED] = random.SystemRandom().randrange(2**32) if seed is None else seed


def pytest_report_header(config: pytest.Config) -> str | None:
    engine = config.getoption("chainrule_engine")
    if not engine:
        return None
    seed = config.stash[_SEED]
    return f"chainrule: checking {engine} (seed {seed}: --chainrule-seed={seed} repeats it)"


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    engine = config.getoption("chainrule_engine")
    if not engine:
        return
    report = check_engine(engine, examples=config.getoption("chainrule_examples"),
                          seed=config.stash[_SEED])
    config.stash[_REPORT] = report
    for rule in report.rules:
        against = [f for f in report.failures if f.rule == rule]
        items.append(EngineRule.from_parent(session, name=f"chainrule[{rule}]", rule=rule,
                                            nodeid=f"chainrule[{rule}]",
                                            findings=against))


class EngineRule(pytest.Item):
    """One rule or property of the engine: it fails with the findings against it."""

    def __init__(self, *, rule: str, findings: list[Finding], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rule, self.findings = rule, findings
        self.user_properties += [("rule", rule), ("score", 0.0 if findings else 1.0)]

    def runtest(self) -> None:
        if self.findings:
            raise EngineFindingError(self.findings)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
                     ) -> str:
        if isinstance(excinfo.value, EngineFindingError):
            return "\n\n".join(f"[{f.kind}] {f.message()}\n\n{f.source}"
                               for f in excinfo.value.findings)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[str, int, str]:
        return "chainrule", 0, self.name


class EngineFindingError(AssertionError):
    """What fails an EngineRule: the findings against its rule."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(findings[0].message())
        self.findings = findings


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    report = config.stash.get(_REPORT, None)
    if report is None:
        return
    terminalreporter.section("chainrule")
    score = report.score
    terminalreporter.write_line(
        f"{report.engine}: {int(sum(score.values()))} of {len(score)} rules and properties "
        f"pass; {report.runs} programs in {report.seconds:.1f} s (seed {report.seed})")
    for finding in report.findings:
        if finding.kind in ("convention", "recursion"):
            terminalreporter.write_line(f"  note [{finding.kind}] {finding.message()}")
