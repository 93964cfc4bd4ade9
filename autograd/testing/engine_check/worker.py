"""The learner's side of the engine protocol: a process that runs programs on their engine.

``python -m autograd.testing.engine_check.worker SPEC`` loads the engine named by
SPEC and answers chainrule's requests, one JSON object per line on stdin and
stdout (the protocol is in the README, "Checking your own engine"). An engine
in another language speaks the same protocol itself; a Python engine gets this
worker, so the parent process (``session.py``) has one way to talk to both.

SPEC is ``module:Class``, ``path/to/file.py:Class``, ``path/to/file.py`` (the one
class in it with ``data``, ``grad`` and ``backward``), or an adapter's name
(``torch``, or one registered in the ``chainrule.engines`` entry points:
``adapters.py``). The class is read the way
micrograd's ``Value`` is written: ``Class(x)`` makes a leaf; Python's operators
and methods named like the table's ops (``relu``, ``tanh``, ``exp`` ...) make
nodes; ``.backward()`` fills ``.grad``.

The worker is where the learner's code runs, so it is fenced in:

* its memory is capped (RLIMIT_DATA, ``--memory`` MB: the heap, not the address
  space, which XLA reserves far more of than it uses) and its time by the parent,
  which kills it when a request takes too long; an engine in another language
  (``cmd:``) is started through this module (``--capped``) to get the same cap;
* what the learner's code prints goes to a counter, not to the protocol's
  stdout; past ``PRINT_LIMIT`` bytes the answer says so;
* ``sys.exit`` inside the engine is caught and reported;
* the builtins and the ``math`` module are compared before and after each
  program, so an engine that replaces ``math.exp`` is reported.
"""

from __future__ import annotations

import builtins
import importlib
import importlib.util
import inspect
import io
import json
import math
import numbers
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from autograd.ops import OPS, Op
from autograd.testing.engine_check.adapters import adapter
from autograd.testing.engine_check.programs import apply

__all__ = ["PRINT_LIMIT", "FORMS", "find_class", "forms_of", "serve"]

PRINT_LIMIT = 1_000_000  # bytes the learner's code may print during one program
# The forms a probe tries for each op: "v" a node, "c" a plain number, per argument.
# A method (x.relu()) takes a node first; an operator also a number first (2 - x).
FORMS = {1: ("v",), 2: ("vv", "vc", "cv")}
PROBE_INPUTS = (0.75, 1.25)  # inside every op's domain, away from every kink
POWER_PROBE = 2.0  # pow is probed as x ** 2: micrograd takes only number exponents


class _CountingOutput(io.TextIOBase):
    """Where the learner's prints go: counted, not kept."""

    def __init__(self) -> None:
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.written += len(text)
        return len(text)


def find_class(spec: str) -> type:
    """The engine's class from SPEC (see the module); a ValueError says what is wrong."""
    found = adapter(spec)
    if found is not None:
        return found
    where, _, name = spec.partition(":")
    if where.endswith(".py") or os.sep in where:
        path = Path(where).resolve()
        if not path.is_file():
            raise ValueError(f"check_engine: no file {where!r}")
        sys.path.insert(0, str(path.parent))  # the learner's neighbour modules
        module_spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[path.stem] = module
        module_spec.loader.exec_module(module)
    else:
        sys.path.insert(0, os.getcwd())
        module = importlib.import_module(where)
    if name:
        found = getattr(module, name, None)
        if not inspect.isclass(found):
            raise ValueError(f"check_engine: {where!r} has no class {name!r}")
        return found
    candidates = [c for _, c in inspect.getmembers(module, inspect.isclass)
                  if c.__module__ == module.__name__ and hasattr(c, "backward")]
    if len(candidates) != 1:
        names = ", ".join(c.__name__ for c in candidates) or "none"
        raise ValueError(f"check_engine: name the class in {where!r} as {where}:Class "
                         f"(classes with a backward method: {names})")
    return candidates[0]


def _probe_arguments(cls: type, op: Op, form: str) -> list[Any]:
    numbers = [POWER_PROBE if op.name == "pow" and i == 1 else x
               for i, x in enumerate(PROBE_INPUTS[:len(form)])]
    return [cls(x) if kind == "v" else x for kind, x in zip(form, numbers, strict=True)]


def forms_of(cls: type) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Which forms of which table ops the class can do, found by trying each once, and
    why each other op was left out (the error its probe raised)."""
    found: dict[str, list[str]] = {}
    missing: dict[str, str] = {}
    for op in OPS.values():
        if op.arity not in FORMS or (op.python_operator is None and not hasattr(cls, op.name)):
            continue
        for form in FORMS[op.arity]:
            if form.startswith("c") and op.python_operator is None:
                continue  # 2.relu() is no Python
            if op.name == "pow" and form != "vc":
                continue  # x ** y and 2 ** x: micrograd's and the book's engines have neither
            try:
                out = apply(op, _probe_arguments(cls, op, form))
                float(out.data)
                out.backward()
            except Exception as error:  # noqa: BLE001 - any error means "not this form"
                missing[f"{op.name}:{form}"] = f"{type(error).__name__}: {error}"[:200]
                continue
            found.setdefault(op.name, []).append(form)
    return found, missing


def _number(value: Any, what: str) -> float | None:
    """A node's number as JSON sends it; None (a grad never set) stays None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} is {value!r}, a {type(value).__name__}, not a number")
    return float(value)


def run_program(cls: type, program: dict, backward: int, order: int = 1) -> dict:
    """Build the program on the learner's class, call backward ``backward`` times, and
    give every program node's data and grad; with ``order`` 2, also each input's second
    derivative of the output (``grad2``), from the class's ``second_derivatives``."""
    nodes: list[Any] = [cls(float(x)) for x in program["inputs"]]
    for op_name, *args in program["steps"]:
        values = [a["const"] if isinstance(a, dict) else nodes[a] for a in args]
        nodes.append(apply(OPS[op_name], values))
    for _ in range(backward):
        nodes[-1].backward()
    answer = {"data": [_number(n.data, f"x{i}.data") for i, n in enumerate(nodes)],
              "grad": [_number(n.grad, f"x{i}.grad") for i, n in enumerate(nodes)]}
    if order == 2:
        inputs = nodes[:len(program["inputs"])]
        answer["grad2"] = [_number(d, f"d2/dx{i}2") for i, d in
                           enumerate(cls.second_derivatives(nodes[-1], inputs))]
    return answer


def _snapshot() -> dict[str, int]:
    """What an engine must not change: the builtins and math, by identity."""
    return {**{f"builtins.{k}": id(v) for k, v in vars(builtins).items()},
            **{f"math.{k}": id(v) for k, v in vars(math).items()}}


def _answer(cls: type, request: dict, printed: _CountingOutput) -> dict:
    before, printed.written = _snapshot(), 0
    try:
        answer = run_program(cls, request["program"], int(request.get("backward", 1)),
                             int(request.get("order", 1)))
    except SystemExit as stop:
        answer = {"error": f"SystemExit: the engine called sys.exit({stop.code!r})",
                  "effect": "exit"}
    except RecursionError as error:
        answer = {"error": f"RecursionError: {error}", "recursion": True}
    except Exception as error:  # noqa: BLE001 - the learner's error is the answer
        answer = {"error": f"{type(error).__name__}: {error}"[:500],
                  "where": _learner_line(error)}
    changed = sorted(k for k, v in _snapshot().items() if before.get(k) != v)
    if changed:
        answer["effect"] = "globals"
        answer["changed"] = changed[:5]
    if printed.written > PRINT_LIMIT:
        answer["effect"] = "printed"
        answer["printed"] = printed.written
    return answer


def _learner_line(error: BaseException) -> str | None:
    """The last line of the traceback outside chainrule: where the learner's code failed."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if "autograd" not in Path(f.filename).parts]
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else None


def cap_memory(memory_mb: int) -> None:
    """Cap this process's heap at ``memory_mb`` MB (RLIMIT_DATA; 0: no cap). The heap,
    not the address space: XLA and JavaScript engines reserve far more than they use."""
    if memory_mb:
        import resource  # POSIX only: imported where it is used
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def run_capped(memory_mb: int, command: list[str]) -> None:
    """Become ``command`` (an engine in another language) with the same heap cap: the
    limit is set here, then the program replaces this process (no preexec_fn, which is
    unsafe while the parent runs threads)."""
    cap_memory(memory_mb)
    try:
        os.execvp(command[0], command)
    except OSError as error:  # no such program: one line, which the parent reports
        print(f"cannot start {command[0]!r}: {error.strerror}", file=sys.stderr)
        sys.exit(127)


def serve(spec: str, memory_mb: int) -> None:
    """Answer requests on stdin until it closes (see the module)."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    printed = _CountingOutput()
    sys.stdout = printed  # the learner's prints never reach the protocol
    cap_memory(memory_mb)

    def say(message: dict) -> None:
        protocol.write(json.dumps(message, allow_nan=True) + "\n")

    try:
        cls = find_class(spec)
        ops, missing = forms_of(cls)
    except BaseException as error:  # noqa: BLE001 - a file that cannot load is the answer
        say({"error": f"{type(error).__name__}: {error}"[:500], "load": True})
        return
    importable = getattr(sys.modules.get(cls.__module__), cls.__qualname__, None) is cls
    say({"engine": f"{cls.__module__}.{cls.__qualname__}" if importable else spec,
         "ops": ops, "missing": missing,
         # second derivatives, where the class can take them (an adapter over PyTorch)
         "orders": [1, 2] if hasattr(cls, "second_derivatives") else [1],
         # a program is written as Python on a class its module holds (an adapter made
         # by a function is not one: its programs are written as JSON)
         "module": cls.__module__ if importable else None,
         "class": cls.__qualname__ if importable else None})
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("do") == "run":
            say(_answer(cls, request, printed))


if __name__ == "__main__":
    if sys.argv[1] == "--capped":  # --capped MB program args...: another language's engine
        run_capped(int(sys.argv[2]), sys.argv[3:])
    serve(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
