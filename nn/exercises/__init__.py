"""The book's chapter 5 layers as exercises that check themselves.

Each layer of *Deep Learning from Scratch* ch. 5 (MulLayer, AddLayer, Relu,
Sigmoid, Affine, SoftmaxWithLoss) has a starter file in ``starters/``: numpy,
in the book's style, with ``forward`` written and ``backward`` left to the
learner. The checker runs hypothesis property tests of the learner's
``backward`` against chainrule's exact gradients (``check_backward``: the
same ``forward`` runs on arrays of Values, and backprop gives the gradient),
and prints the smallest wrong case it finds with a hint, in English, Korean
or Japanese::

    python -m nn.exercises start affine --lang ko     # writes ./affine.py
    python -m nn.exercises check affine.py --lang ko  # checks Affine.backward

The hints know the readers' usual mistakes: ``db`` without the sum over the
batch, a loss gradient not divided by the batch size, a relu mask of ``<``
where the book has ``<=``, and Sigmoid's ``dx = dout * y``.
"""

from __future__ import annotations

import importlib.util
import secrets
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nn.exercises.running import (
    Run,
    affine_run,
    elementwise_relu,
    layer_cases,
    new_layer_run,
    softmax_cases,
    softmax_run,
)
from nn.exercises.texts import text

__all__ = ["CASE_TIMEOUT", "EXERCISES", "CaseTimeout", "Exercise", "ExerciseFileError",
           "Report", "STARTERS", "check_file", "check_layer", "exercise_named", "load_file"]

STARTERS = Path(__file__).parent / "starters"


@dataclass(frozen=True)
class Exercise:
    """One layer, as data: its class name, starter file, input shapes (``layer_inputs``)
    and their names, its formula's hint and its title (the book's section and the
    formula; keys of nn.exercises.texts), how to run it (``run``, ``cases``: see
    nn.exercises.running), the reference forward that decides its slopes (None: the
    learner's), the gradients it keeps as attributes (self.dW) rather than returns, and
    the hints for its known mistakes, each asked in turn."""
    layer: str
    starter: str
    shapes: tuple[tuple[str, ...], ...]
    hint: str
    title: str
    inputs: tuple[str, ...] = ("x",)  # the names a case's arrays are shown under
    run: Callable[[Exercise, type, tuple], Run] = new_layer_run
    cases: Callable[[Exercise], Any] = layer_cases
    reference: Callable | None = None
    attributes: tuple[str, ...] = ()
    hints: tuple[Callable[..., str | None], ...] = ()

    def functions(self, cls: type, arrays: tuple) -> Run:
        """forward(*inputs), backward(dout) -> gradients, the inputs, the rtol, and the
        reference for check_backward."""
        return self.run(self, cls, arrays)


def exercise_named(name: str, lang: str = "en") -> Exercise:
    """The exercise by class name or starter name, any case: Affine, affine, affine.py,
    mul_layer, MulLayer (a starter's name is its class's, in snake case)."""
    key = name.lower().removesuffix(".py").replace("_", "")
    for exercise in EXERCISES.values():
        if key == exercise.starter.removesuffix(".py").replace("_", ""):
            return exercise
    raise ValueError(text(lang, "ex_unknown", layer=name, layers=", ".join(EXERCISES)))


@dataclass(frozen=True)
class Report:
    """One layer's result: ``passed``, and the text to print (in the chosen language)."""
    layer: str
    passed: bool
    text: str


CASE_TIMEOUT = 5.0  # seconds a case may take: a backward that never returns is stopped


class CaseTimeout(BaseException):
    """A case ran past its time limit. A BaseException, so that hypothesis stops at once
    rather than shrink a case that takes the whole limit each time it runs."""


@contextmanager
def _time_limit(seconds: float | None):
    """Raise CaseTimeout in this thread after ``seconds`` (a SIGALRM timer: the main thread
    of a Unix process; elsewhere, and with None, no limit)."""
    usable = (seconds is not None and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expired(signum, frame):
        raise CaseTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_layer(cls: type, exercise: Exercise, *, lang: str = "en", examples: int = 200,
                seed: int | None = None, case_timeout: float | None = CASE_TIMEOUT) -> Report:
    """Property-test ``cls.backward`` against chainrule in ``examples`` random cases.

    ``dout`` is random, from ``seed`` (a new one per check when None, printed with a
    failure so that it can be repeated). Each case may take ``case_timeout`` seconds.
    """
    from hypothesis import HealthCheck, given, settings

    from autograd.testing.layers import BackwardMismatch, ForwardMismatch, check_backward

    seed = secrets.randbelow(1_000_000) if seed is None else seed
    failures: list[tuple[Exception, tuple]] = []
    running: list[tuple] = []  # the case under way, for a timeout's report

    @settings(max_examples=examples, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck), print_blob=False,
              report_multiple_bugs=False)  # one failure, not a group of them
    @given(exercise.cases(exercise))
    def run(arrays):
        running[:] = [arrays]
        forward, backward, inputs, rtol, reference = exercise.functions(cls, arrays)
        try:
            with _time_limit(case_timeout):
                check_backward(forward, backward, *inputs, rtol=rtol, reference=reference,
                               seed=seed)
        except NotImplementedError:
            raise
        except Exception as error:  # a mismatch, or the learner's code failed: keep the case
            failures.append((error, arrays))
            raise

    try:
        run()
    except NotImplementedError:
        return Report(exercise.layer, False, "✗ " + text(lang, "ex_not_written",
                                                          layer=exercise.layer))
    except CaseTimeout:
        return Report(exercise.layer, False, _timed_out(exercise, running[0], case_timeout,
                                                        lang))
    except Exception:
        # The smallest case seen (the latest of equal size, the most shrunk): with two
        # distinct mistakes, the one hypothesis reports need not be the smaller.
        error, arrays = min(reversed(failures), key=lambda f: sum(a.size for a in f[1]))
        if isinstance(error, (BackwardMismatch, ForwardMismatch)):
            return Report(exercise.layer, False,
                          _explain_failure(exercise, cls, error, arrays, seed, lang))
        return Report(exercise.layer, False, _crashed(exercise, cls, error, arrays, lang))
    return Report(exercise.layer, True, "✓ " + text(lang, "ex_passed", layer=exercise.layer,
                                                     cases=examples))


def _case_lines(exercise: Exercise, arrays: tuple) -> list[str]:
    import numpy as np

    with np.printoptions(precision=4, suppress=True, threshold=40):
        return [f"    {name} = {a!r}" for name, a in zip(exercise.inputs, arrays, strict=True)]


def _learner_line(cls: type, error: BaseException) -> str | None:
    """``file, line N: code`` of the last frame of the traceback in the learner's file."""
    # The learner's module was run from its path, not imported, so inspect.getfile cannot
    # find it; the class's own functions know the file they were compiled from.
    files = {f.__code__.co_filename for f in vars(cls).values() if hasattr(f, "__code__")}
    if len(files) != 1:
        return None
    (where,) = files
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == where]
    if not frames:
        return None
    last = frames[-1]
    return f"{Path(where).name}, line {last.lineno}: {(last.line or '').strip()}"


def _crashed(exercise: Exercise, cls: type, error: BaseException, arrays: tuple,
             lang: str) -> str:
    lines = ["✗ " + text(lang, "ex_crashed", layer=exercise.layer,
                         error=f"{type(error).__name__}: {error}")]
    line = _learner_line(cls, error)
    if line is not None:
        lines.append("  " + text(lang, "ex_your_line", line=line))
    lines += ["  " + text(lang, "ex_case"), *_case_lines(exercise, arrays)]
    return "\n".join([*lines, "  " + text(lang, "ex_hint", hint=text(lang, exercise.hint))])


def _timed_out(exercise: Exercise, arrays: tuple, seconds: float, lang: str) -> str:
    return "\n".join(["✗ " + text(lang, "ex_timeout", layer=exercise.layer, seconds=seconds),
                      "  " + text(lang, "ex_this_case"), *_case_lines(exercise, arrays)])


# The hints' probes: inputs on which a hint checks its claim before making it. Any numbers
# do that have the properties named: they are data, not tuning.
# Three rows whose sum, mean and each row all differ (db's mistakes differ on them).
_BIAS_PROBE_X = [[0.5, -1.0], [1.5, 2.0], [-0.5, 0.25]]
_BIAS_PROBE_DOUT = [[1.0, -2.0], [0.5, 3.0], [-1.5, 0.75]]
# No zero, both signs twice, and a dout of both signs: right here is right away from 0.
_RELU_PROBE_X = [[-1.5, -0.25, 0.5, 2.0]]
_RELU_PROBE_DOUT = [[0.75, -1.25, 1.5, -0.5]]


def _special_hint(exercise: Exercise, cls: type, mismatch, lang: str) -> str | None:
    """A hint for a known mistake, only when the wrong numbers show that very mistake:
    the first of the exercise's own hints that has something to say."""
    for hint in exercise.hints:
        said = hint(exercise, cls, mismatch, lang)
        if said is not None:
            return said
    return None


def _hint_for_db(exercise: Exercise, cls: type, mismatch, lang: str) -> str | None:
    """Affine's db: not summed over the batch, or summed into the wrong shape."""
    if mismatch.name != "b":
        return None
    key = _bias_hint(exercise, cls)
    return None if key is None else text(lang, key)


def _hint_for_relu_at_zero(exercise: Exercise, cls: type, mismatch, lang: str) -> str | None:
    """Relu wrong only where x is exactly 0 (a mask of x < 0), checked on the probe."""
    import numpy as np

    if mismatch.index is None:  # the shapes differ: no element to blame
        return None
    wrong = ~np.isclose(mismatch.got, mismatch.expected)  # rtol 1e-5, atol 1e-8: the check's
    if np.all(mismatch.inputs["x"][wrong] == 0) and _right_away_from_zero(exercise, cls):
        return text(lang, "hint_relu_zero")
    return None


def _hint_for_batch(exercise: Exercise, cls: type, mismatch, lang: str) -> str | None:
    """A loss gradient not divided by the batch size: every element N times too big."""
    import numpy as np

    got = mismatch.got
    if mismatch.index is None or not np.allclose(got, mismatch.expected * len(got)):
        return None
    return text(lang, "hint_batch", factor=len(got))


def _bias_hint(exercise: Exercise, cls: type) -> str | None:
    """The bias hints, each only for its mistake, told apart on a probe of 3 rows (the
    smallest failing case often has one row, where dout, a row of it, its mean and a
    keepdims sum are all alike): db not summed over the batch (dout itself, one row of
    it, or the mean), or summed into the wrong shape (keepdims)."""
    import numpy as np

    x, W, b = np.array(_BIAS_PROBE_X), np.eye(2), np.zeros(2)
    dout = np.array(_BIAS_PROBE_DOUT)
    forward, backward, *_ = exercise.functions(cls, (x, W, b))
    try:
        with _time_limit(CASE_TIMEOUT):  # the learner's code, here as in every case
            forward(x, W, b)
            got = np.asarray(backward(dout.copy())[2], dtype=np.float64)
    except (Exception, CaseTimeout):
        return None
    right = dout.sum(axis=0)
    if got.shape != right.shape and got.size == right.size and np.allclose(got.ravel(), right):
        return "hint_bias_shape"  # the right numbers, kept in a (1, M) array
    not_summed = got.shape == dout.shape and np.allclose(got, dout)
    one_row = got.shape == right.shape and any(np.allclose(got, row) for row in dout)
    mean = got.shape == right.shape and np.allclose(got * len(dout), right)
    return "hint_bias_sum" if not_summed or one_row or mean else None


def _right_away_from_zero(exercise: Exercise, cls: type) -> bool:
    """Whether the learner's Relu backward is right on inputs with no zero: only then is
    its mistake the one at x = 0 (a backward that returns dout is wrong at x = -1 too)."""
    import numpy as np

    from autograd.testing.layers import check_backward

    x = np.array(_RELU_PROBE_X)
    forward, backward, inputs, rtol, reference = exercise.functions(cls, (x,))
    try:
        with _time_limit(CASE_TIMEOUT):  # the learner's code, here as in every case
            return check_backward(forward, backward, *inputs, rtol=rtol, reference=reference,
                                  dout=np.array(_RELU_PROBE_DOUT))
    except (Exception, CaseTimeout):
        return False


EXERCISES: dict[str, Exercise] = {e.layer: e for e in [
    Exercise("MulLayer", "mul_layer.py", (("N",), ("N",)), "hint_mul", "title_mul",
             inputs=("x", "y")),
    Exercise("AddLayer", "add_layer.py", (("N",), ("N",)), "hint_add", "title_add",
             inputs=("x", "y")),
    Exercise("Relu", "relu.py", (("N", "D"),), "hint_relu", "title_relu",
             reference=elementwise_relu, hints=(_hint_for_relu_at_zero,)),
    Exercise("Sigmoid", "sigmoid.py", (("N", "D"),), "hint_sigmoid", "title_sigmoid"),
    Exercise("Affine", "affine.py", (("N", "D"), ("D", "M"), ("M",)), "hint_affine",
             "title_affine", inputs=("x", "W", "b"), run=affine_run, attributes=("W", "b"),
             hints=(_hint_for_db,)),
    Exercise("SoftmaxWithLoss", "softmax_with_loss.py", (("N", "C"),), "hint_softmax",
             "title_softmax", inputs=("x", "t"), run=softmax_run, cases=softmax_cases,
             hints=(_hint_for_batch,)),
]}


def _explain_failure(exercise: Exercise, cls: type, error, arrays: tuple, seed: int,
                     lang: str) -> str:
    import numpy as np

    # -0.0 (a negative dout times a slope of 0) is shown as 0: a learner reads a sign
    m = replace(error.mismatch, expected=error.mismatch.expected + 0.0)
    if m.got is None:  # never set: there are no numbers to compare
        key = "ex_not_set_attribute" if m.name in exercise.attributes else "ex_not_set_returned"
        return "✗ " + text(lang, key, layer=exercise.layer, name=m.name)
    with np.printoptions(precision=4, suppress=True, threshold=40):
        case = [f"    {name} = {value!r}" for name, value in m.inputs.items()]
        if m.name == "out":  # the learner changed forward, and its numbers are wrong
            return "\n".join([
                f"✗ {text(lang, 'ex_wrong_forward', layer=exercise.layer)}",
                "  " + text(lang, "ex_case"), *case,
                f"    out ({text(lang, 'ex_yours_forward')}) = {m.got!r}",
                f"    out (chainrule) = {m.expected!r}"])
        case += [f"    {name} = {array!r}"  # an input held fixed, such as the labels t
                 for name, array in zip(exercise.inputs, arrays, strict=True)
                 if name not in m.inputs]
        case.append(f"    dout = {m.dout!r}" + (f"  ({text(lang, 'ex_seed', seed=seed)})"
                                                    if m.dout.ndim else ""))
        mine, theirs = text(lang, "ex_yours"), text(lang, "ex_chainrule")
        hint = _special_hint(exercise, cls, m, lang) or text(lang, exercise.hint)
        return "\n".join([
            f"✗ {_failure_head(exercise, m, lang)}", "  " + text(lang, "ex_case"), *case,
            f"  d{m.name} ({mine}) = {m.got!r}", f"  d{m.name} ({theirs}) = {m.expected!r}",
            "  " + text(lang, "ex_hint", hint=hint),
        ])


def _failure_head(exercise: Exercise, m, lang: str) -> str:
    if m.index is None:
        return text(lang, "ex_wrong_shape", layer=exercise.layer, name=m.name,
                    got=m.got.shape, expected=m.expected.shape)
    return text(lang, "ex_wrong_value", layer=exercise.layer, name=m.name,
                index=list(m.index), got=repr(float(m.got[m.index])),
                expected=repr(float(m.expected[m.index])))


class ExerciseFileError(ValueError):
    """The learner's file cannot be run: a syntax error, or an error at import (one line,
    with the file and the line number, in the chosen language)."""


def load_file(path: str | Path, lang: str = "en") -> dict[str, type]:
    """Run the learner's file; the exercise classes it defines, by name."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(text(lang, "ex_no_file", file=path))
    name = f"_exercise_{path.stem}_{abs(hash(path.resolve()))}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))  # so the file may import its neighbours
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        raise ExerciseFileError(text(lang, "ex_syntax", where=_where(path, error.lineno, lang),
                                     detail=error.msg)) from None
    except Exception as error:  # the file runs code at import that fails, or cannot be read
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if f.filename == str(path)]
        line = frames[-1].lineno if frames else None
        raise ExerciseFileError(text(lang, "ex_load_failed", where=_where(path, line, lang),
                                     error=f"{type(error).__name__}: {error}")) from None
    finally:
        sys.path.remove(str(path.parent))
    return {layer: getattr(module, layer) for layer in EXERCISES
            if isinstance(getattr(module, layer, None), type)}


def _where(path: Path, line: int | None, lang: str) -> str:
    """``file, line N``, or the file alone where no line is to blame (a null byte or an
    unknown encoding is a SyntaxError at line None or 0; an unreadable file has no line)."""
    return text(lang, "ex_file_line", file=path.name, line=line) if line else path.name


def check_file(path: str | Path, layer: str | None = None, *, lang: str = "en",
               examples: int = 200, seed: int | None = None,
               case_timeout: float | None = CASE_TIMEOUT) -> list[Report]:
    """Check the exercise classes in ``path``: ``layer`` if given, else the one the file
    is named after (affine.py: Affine), else every exercise class it defines. A file
    without the expected class raises ValueError naming the class. ``seed`` draws the
    random dout (None: each layer's check draws its own, printed with its failure)."""
    path = Path(path)
    classes = load_file(path, lang)
    wanted = layer
    if wanted is None:
        try:
            wanted = exercise_named(path.name).layer
        except ValueError:
            wanted = None
    if wanted is not None:
        exercise = exercise_named(wanted, lang)
        if exercise.layer not in classes:
            raise ValueError(text(lang, "ex_no_class", file=path.name, layer=exercise.layer))
        chosen = [exercise]
    else:
        chosen = [EXERCISES[name] for name in classes]
        if not chosen:
            raise ValueError(text(lang, "ex_no_classes", file=path.name,
                                  layers=", ".join(EXERCISES)))
    return [check_layer(classes[e.layer], e, lang=lang, examples=examples, seed=seed,
                        case_timeout=case_timeout) for e in chosen]
