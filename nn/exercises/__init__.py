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
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from autograd.language import text

__all__ = ["EXERCISES", "Exercise", "Report", "STARTERS", "check_file", "check_layer",
           "exercise_named", "load_file"]

STARTERS = Path(__file__).parent / "starters"


@dataclass(frozen=True)
class Exercise:
    """One layer: its class name, starter file, input shapes for ``layer_inputs``, how
    to run it for ``check_backward``, its formula's hint, and its title (the book's
    section and the formula). ``hint`` and ``title`` are keys of autograd.language."""
    layer: str
    starter: str
    shapes: tuple[tuple[str, ...], ...]
    hint: str
    title: str

    def functions(self, cls: type, arrays: tuple
                  ) -> tuple[Callable, Callable, tuple, float, Callable | None]:
        """forward(*inputs), backward(dout) -> gradients, the inputs, the rtol, and the
        reference for check_backward (None: the learner's forward decides the slopes)."""
        import numpy as np

        state: dict[str, object] = {}
        if self.layer == "Affine":
            def forward(x, W, b):
                state["layer"] = cls(W, b)
                return state["layer"].forward(x)

            def backward(dout):
                layer = state["layer"]
                dx = layer.backward(dout)
                return dx, layer.dW, layer.db
            return forward, backward, arrays, 1e-5, None
        if self.layer == "SoftmaxWithLoss":
            x, t = arrays

            def forward(x):
                state["layer"] = cls()
                return state["layer"].forward(x, t)

            # The book's log(y + 1e-7) moves the exact gradient by 1e-7 / y_t, relatively.
            shifted = np.exp(x - x.max(axis=1, keepdims=True))
            y_true = (shifted / shifted.sum(axis=1, keepdims=True))[t == 1]
            return forward, lambda dout: state["layer"].backward(dout), (x,), max(
                1e-5, 2e-7 / float(y_true.min())), None
        if len(self.shapes) == 2:  # MulLayer, AddLayer
            def forward(x, y):
                state["layer"] = cls()
                return state["layer"].forward(x, y)
        else:
            def forward(x):
                state["layer"] = cls()
                return state["layer"].forward(x)
        # Relu's numbers do not decide its slope at 0 (a mask of x < 0 gives the same
        # numbers as x <= 0): chainrule's relu op does, with relu'(0) = 0.
        reference = _elementwise_relu if self.layer == "Relu" else None
        return forward, lambda dout: state["layer"].backward(dout), arrays, 1e-5, reference


def _elementwise_relu(x):
    """relu of each element, for arrays of floats or of Values: chainrule's own op."""
    import numpy as np

    from autograd import relu

    return np.vectorize(relu, otypes=[object])(x)


EXERCISES: dict[str, Exercise] = {e.layer: e for e in [
    Exercise("MulLayer", "mul_layer.py", (("N",), ("N",)), "hint_mul", "title_mul"),
    Exercise("AddLayer", "add_layer.py", (("N",), ("N",)), "hint_add", "title_add"),
    Exercise("Relu", "relu.py", (("N", "D"),), "hint_relu", "title_relu"),
    Exercise("Sigmoid", "sigmoid.py", (("N", "D"),), "hint_sigmoid", "title_sigmoid"),
    Exercise("Affine", "affine.py", (("N", "D"), ("D", "M"), ("M",)), "hint_affine",
             "title_affine"),
    Exercise("SoftmaxWithLoss", "softmax_with_loss.py", (("N", "C"),), "hint_softmax",
             "title_softmax"),
]}


def exercise_named(name: str, lang: str = "en") -> Exercise:
    """The exercise by class name or starter name, any case: Affine, affine, affine.py,
    mul_layer, MulLayer (a starter's name is its class's, in snake case)."""
    key = name.lower().removesuffix(".py").replace("_", "")
    for exercise in EXERCISES.values():
        if key == exercise.starter.removesuffix(".py").replace("_", ""):
            return exercise
    raise ValueError(text(lang, "ex_unknown", layer=name, layers=", ".join(EXERCISES)))


def _inputs(exercise: Exercise):
    from hypothesis import strategies as st

    from autograd.testing.strategies import layer_inputs

    if exercise.layer != "SoftmaxWithLoss":
        return layer_inputs(*exercise.shapes, low=-3.0, high=3.0)

    @st.composite
    def logits_and_labels(draw):
        import numpy as np

        (x,) = draw(layer_inputs(("N", "C"), low=-3.0, high=3.0))
        if x.shape[1] == 1:
            x = np.hstack([x, -x])  # softmax over one class is always 1
        labels = draw(st.lists(st.integers(0, x.shape[1] - 1), min_size=len(x),
                               max_size=len(x)))
        return x, np.eye(x.shape[1])[labels]

    return logits_and_labels()


@dataclass(frozen=True)
class Report:
    """One layer's result: ``passed``, and the text to print (in the chosen language)."""
    layer: str
    passed: bool
    text: str


def check_layer(cls: type, exercise: Exercise, *, lang: str = "en",
                examples: int = 200) -> Report:
    """Property-test ``cls.backward`` against chainrule in ``examples`` random cases."""
    from hypothesis import HealthCheck, given, settings

    from autograd.testing.layers import BackwardMismatch, ForwardMismatch, check_backward

    failures: list[tuple[BackwardMismatch | ForwardMismatch, tuple]] = []

    @settings(max_examples=examples, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck), print_blob=False,
              report_multiple_bugs=False)  # one failure, not a group of them
    @given(_inputs(exercise))
    def run(arrays):
        forward, backward, inputs, rtol, reference = exercise.functions(cls, arrays)
        try:
            check_backward(forward, backward, *inputs, rtol=rtol, reference=reference)
        except (BackwardMismatch, ForwardMismatch) as error:
            failures.append((error, arrays))
            raise

    try:
        run()
    except (BackwardMismatch, ForwardMismatch):
        # The smallest case seen (the latest of equal size, the most shrunk): with two
        # distinct mistakes, the one hypothesis reports need not be the smaller.
        error, arrays = min(reversed(failures), key=lambda f: sum(a.size for a in f[1]))
        return Report(exercise.layer, False, _explain_failure(exercise, error, arrays, lang))
    except NotImplementedError:
        return Report(exercise.layer, False, "✗ " + text(lang, "ex_not_written",
                                                          layer=exercise.layer))
    except Exception as error:  # the learner's own code failed: show it, and the formula
        message = text(lang, "ex_crashed", layer=exercise.layer,
                       error=f"{type(error).__name__}: {error}")
        return Report(exercise.layer, False, f"✗ {message}\n  "
                      + text(lang, "ex_hint", hint=text(lang, exercise.hint)))
    return Report(exercise.layer, True, "✓ " + text(lang, "ex_passed", layer=exercise.layer,
                                                     cases=examples))


def _special_hint(exercise: Exercise, mismatch) -> str | None:
    """A hint for a known mistake, when the wrong numbers show it."""
    import numpy as np

    got, expected, inputs = mismatch.got, mismatch.expected, mismatch.inputs
    if exercise.layer == "Affine" and mismatch.name == "b":
        return "hint_bias_sum"
    if mismatch.index is None:
        return None
    wrong = ~np.isclose(got, expected)  # numpy's rtol 1e-5 and atol 1e-8, as in the check
    if exercise.layer == "Relu" and np.all(inputs["x"][wrong] == 0):
        return "hint_relu_zero"
    if exercise.layer == "SoftmaxWithLoss" and np.allclose(got, expected * len(got)):
        return "hint_batch"
    return None


def _explain_failure(exercise: Exercise, error, arrays: tuple, lang: str) -> str:
    import numpy as np

    m = error.mismatch
    with np.printoptions(precision=4, suppress=True, threshold=40):
        case = [f"    {name} = {value!r}" for name, value in m.inputs.items()]
        if m.name == "out":  # the learner changed forward, and its numbers are wrong
            return "\n".join([
                f"✗ {text(lang, 'ex_wrong_forward', layer=exercise.layer)}",
                "  " + text(lang, "ex_case"), *case,
                f"    out ({text(lang, 'ex_yours_forward')}) = {m.got!r}",
                f"    out (chainrule) = {m.expected!r}"])
        if exercise.layer == "SoftmaxWithLoss":
            case.append(f"    t = {arrays[1]!r}")
        case.append(f"    dout = {m.dout!r}")
        mine, theirs = text(lang, "ex_yours"), text(lang, "ex_chainrule")
        hint = text(lang, _special_hint(exercise, m) or exercise.hint,
                    factor=len(m.got) if m.got.ndim else 1)
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


def load_file(path: str | Path) -> dict[str, type]:
    """Run the learner's file; the exercise classes it defines, by name."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"nn.exercises: no such file: {path}")
    name = f"_exercise_{path.stem}_{abs(hash(path.resolve()))}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))  # so the file may import its neighbours
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return {layer: getattr(module, layer) for layer in EXERCISES
            if isinstance(getattr(module, layer, None), type)}


def check_file(path: str | Path, layer: str | None = None, *, lang: str = "en",
               examples: int = 200) -> list[Report]:
    """Check the exercise classes in ``path``: ``layer`` if given, else the one the file
    is named after (affine.py: Affine), else every exercise class it defines. A file
    without the expected class raises ValueError naming the class."""
    path = Path(path)
    classes = load_file(path)
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
    return [check_layer(classes[e.layer], e, lang=lang, examples=examples) for e in chosen]
