"""Check any autograd engine: chainrule as the oracle that grades another engine.

* ``check.py``: ``check_engine``, the search, the probes and the diagnosis;
* ``programs.py``: the small computations sent to the engine, and chainrule's answers;
* ``session.py``: the engine in a process of its own, spoken to in JSON lines;
* ``worker.py``: that process for a Python engine (a micrograd-style class);
* ``findings.py``: ``Finding`` and ``EngineReport``; ``texts.py``: their words.
"""

from autograd.testing.engine_check.check import check_engine, diagnose
from autograd.testing.engine_check.findings import KINDS, NOTES, EngineReport, Finding
from autograd.testing.engine_check.programs import Const, Program, Step
from autograd.testing.engine_check.session import EngineLoadError

__all__ = ["KINDS", "NOTES", "Const", "EngineLoadError", "EngineReport", "Finding", "Program",
           "Step", "check_engine", "diagnose"]
