"""chainrule's side of the engine protocol: a process running the engine, and its answers.

An ``EngineProcess`` starts the engine in a process of its own (the Python
worker, ``worker.py``, or another language's program speaking the same
protocol), reads its hello line (the ops it can do), and sends it programs one
at a time. Each answer must come within ``timeout`` seconds; one that does not
ends the process, which starts again for the next program. A process that dies
(a segfault, ``os._exit``, the memory limit) is an answer too. So nothing the
engine does can hang chainrule.

Protocol, one JSON object per line (the README has it in full):

* the engine, when it starts: ``{"engine": NAME, "ops": {OP: [FORM, ...]}}``;
* chainrule: ``{"do": "run", "program": PROGRAM, "backward": 1, "order": 1}``;
* the engine: ``{"data": [...], "grad": [...]}``, one number per program node,
  and with ``"order": 2`` (for an engine whose hello says ``"orders": [1, 2]``)
  ``"grad2"``, each input's second derivative of the output; or ``{"error": "..."}``.
"""

from __future__ import annotations

import json
import math
import os
import queue
import shlex
import subprocess
import sys
import threading
from dataclasses import dataclass, field

__all__ = ["Answer", "EngineLoadError", "EngineProcess", "LINE_LIMIT", "command_for"]

LINE_LIMIT = 10_000_000  # characters in one answer: more is a flood, not an answer
STDERR_KEPT = 2_000  # the last characters of the engine's stderr, for a crash's message


class EngineLoadError(ValueError):
    """The engine could not be started or loaded: the command's exit 2."""


@dataclass
class Answer:
    """What the engine said about one program (or that it said nothing in time)."""
    data: list[float] = field(default_factory=list)
    grad: list[float] = field(default_factory=list)
    grad2: list[float] = field(default_factory=list)  # each input's, when asked for
    error: str | None = None
    timeout: bool = False
    recursion: bool = False
    effect: str | None = None  # "exit", "globals" or "printed": a side effect
    detail: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.timeout and self.effect is None


def command_for(engine: str, memory_mb: int) -> list[str]:
    """The command that runs ``engine``: ``cmd:...`` is a program of any language,
    anything else a Python class for the worker (module:Class, file.py[:Class])."""
    worker = [sys.executable, "-m", "autograd.testing.engine_check.worker"]
    if engine.startswith("cmd:"):  # through the worker, which caps its heap, then runs it
        return [*worker, "--capped", str(memory_mb), *shlex.split(engine[4:])]
    return [*worker, engine, str(memory_mb)]


class EngineProcess:
    """The engine in its own process (see the module). Use as a context manager."""

    def __init__(self, engine: str, *, timeout: float, memory_mb: int) -> None:
        self.engine, self.timeout, self.memory_mb = engine, timeout, memory_mb
        self.hello: dict = {}
        self.runs = 0
        self._process: subprocess.Popen | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: list[str] = []

    def __enter__(self) -> EngineProcess:
        self.hello = self._start()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _start(self) -> dict:
        try:
            self._process = subprocess.Popen(
                command_for(self.engine, self.memory_mb), stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                errors="replace", env={**os.environ, "PYTHONUNBUFFERED": "1"})
        except OSError as error:
            raise EngineLoadError(f"check_engine: cannot start {self.engine!r}: {error}") \
                from None
        self._lines, self._stderr = queue.Queue(), []
        threading.Thread(target=self._read, args=(self._process.stdout, self._lines),
                         daemon=True).start()
        threading.Thread(target=self._drain, args=(self._process.stderr,), daemon=True).start()
        hello = self._next(self.timeout * 4)  # loading a module may take a moment
        if hello is None or "ops" not in hello:
            self.close()
            reason = (hello or {}).get("error") or self._why_silent()
            raise EngineLoadError(f"check_engine: {self.engine!r} did not load: {reason}")
        return hello

    @staticmethod
    def _read(stream, lines: queue.Queue) -> None:
        while True:
            line = stream.readline(LINE_LIMIT)
            lines.put(line if line else None)
            if not line:
                return

    def _drain(self, stream) -> None:
        for line in iter(stream.readline, ""):
            self._stderr.append(line)
            del self._stderr[:-50]

    def _why_silent(self) -> str:
        tail = "".join(self._stderr)[-STDERR_KEPT:].strip()
        try:  # an engine that ended: its exit code, once it is reaped
            code = self._process.wait(timeout=1) if self._process else None
        except subprocess.TimeoutExpired:
            code = None
        said = f"; it said: {tail}" if tail else ""
        what = "sent nothing in time" if code is None else f"ended (exit {code})"
        return f"the engine {what}{said}"

    def _next(self, timeout: float) -> dict | None:
        """The next JSON line, or None when the engine is silent or gone."""
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is None:
            return None
        try:
            message = json.loads(line)
        except ValueError:
            return {"error": f"the engine sent a line that is not JSON: {line[:80]!r}"}
        return message if isinstance(message, dict) else \
            {"error": f"the engine sent {line[:80]!r}, not a JSON object"}

    def run(self, program: dict, backward: int = 1, order: int = 1) -> Answer:
        """Run one program (``Program.to_json()``) and read the engine's answer."""
        if self._process is None or self._process.poll() is not None:
            self.hello = self._start()
        self.runs += 1
        request = json.dumps({"do": "run", "program": program, "backward": backward,
                              "order": order})
        try:
            self._process.stdin.write(request + "\n")
            self._process.stdin.flush()
        except (BrokenPipeError, OSError):
            return Answer(error=f"the engine's process ended: {self._why_silent()}")
        message = self._next(self.timeout)
        if message is None:
            alive = self._process.poll() is None
            self.close()
            if alive:
                return Answer(timeout=True, error=f"no answer within {self.timeout:g} s")
            return Answer(error=f"the engine's process ended: {self._why_silent()}")
        return _answer(message)

    def close(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout, self._process.stderr):
                try:
                    stream.close()
                except OSError:
                    pass
            self._process = None


def _answer(message: dict) -> Answer:
    """An answer from the engine's JSON, its numbers checked."""
    effect, error = message.get("effect"), message.get("error")
    if error is not None or effect is not None:
        return Answer(error=str(error) if error is not None else None, effect=effect,
                      recursion=bool(message.get("recursion")), detail=message)
    try:
        data = [_number(x) for x in message["data"]]
        grad = [_number(x) for x in message["grad"]]
        grad2 = [_number(x) for x in message.get("grad2", [])]
    except (KeyError, TypeError, ValueError):
        return Answer(error=f"the engine answered without numbers for data and grad: "
                            f"{json.dumps(message)[:120]}")
    return Answer(data=data, grad=grad, grad2=grad2)


def _number(x: object) -> float:
    """A number of the answer; JSON has no NaN, so null stands for it (JavaScript's
    JSON.stringify writes NaN as null). A bool or a string is not a number."""
    if x is None:
        return math.nan
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"{x!r} is not a number")
    return float(x)
