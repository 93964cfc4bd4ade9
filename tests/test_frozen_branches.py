"""A branch on a Value's number while compile records is frozen into the replay: it warns."""

import warnings
from contextlib import nullcontext

import pytest

import autograd
import nn
from autograd import Value

HERE = __file__


def caught_while(step, *args) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        step(*args)
    return [w for w in caught if issubclass(w.category, autograd.ReplayWarning)]


def test_the_issue_s_branch_is_frozen_and_the_recording_says_where():
    w = Value(1.5, "w")

    def loss(x):
        y = w * x - 1.0
        if y.data > 0:  # a Python branch on a number: frozen at the recorded sample
            return y * y
        return -y * 3.7

    step = autograd.compile(loss)
    said = caught_while(step, 2.0)
    assert [(s.filename, s.lineno) for s in said] == [(HERE, loss.__code__.co_firstlineno + 2)]
    assert str(said[0].message).startswith(
        f"compile: reading a Value's .data while the step is recorded ({HERE}:"
        f"{loss.__code__.co_firstlineno + 2}); a replay does not run this line again")
    replayed, fresh = step(-1.0), loss(Value(-1.0)).data
    assert replayed != fresh  # what the warning warned of: 6.25 against 9.25
    assert caught_while(step, -1.0) == []  # a replay runs no user line, so it says nothing


@pytest.mark.parametrize(("read", "what"), [
    (lambda y: bool(y), "bool() of a Value"), (lambda y: y < 0, "comparing a Value (<)"),
    (lambda y: y <= 0, "comparing a Value (<=)"), (lambda y: y > 0, "comparing a Value (>)"),
    (lambda y: y >= 0, "comparing a Value (>=)"), (lambda y: float(y), "float() of a Value"),
    (lambda y: int(y), "int() of a Value"), (lambda y: round(y), "round() of a Value"),
    (lambda y: f"{y:.3f}", "formatting a Value's number"),
    (lambda y: y.data, "reading a Value's .data"), (lambda y: max([y, y * 2]), "comparing"),
])
def test_every_way_of_reading_the_number_warns(read, what):
    def fn(x):
        y = x * 2.0
        read(y)
        return y

    said = caught_while(autograd.compile(fn), 1.0)
    assert len(said) == 1 and f"compile: {what}" in str(said[0].message)


def test_the_engine_s_own_reads_are_silent_and_the_slot_comes_back():
    model = nn.MLP(2, [4, 1])

    def loss(x0, x1, label):
        (score,) = model([x0, x1])
        return nn.hinge([score], [label]) + 1e-4 * autograd.dot(model.parameters(),
                                                               model.parameters())

    assert caught_while(autograd.compile(loss), 0.5, -0.25, 1.0) == []
    assert type(Value.__dict__["data"]).__name__ == "member_descriptor"
    assert not autograd.recording.is_recording()


def test_a_step_that_raises_while_recording_still_gives_the_slot_back():
    def broken(x):
        raise RuntimeError("learner's bug")

    with pytest.raises(RuntimeError, match="learner's bug"):
        autograd.compile(broken)(1.0)
    assert type(Value.__dict__["data"]).__name__ == "member_descriptor"
    x = Value(2.0)
    assert caught_while(lambda: x.data) == []  # outside a recording nothing warns


W = Value(0.5, "w")


def branching_loss(model, x):
    y = W * x
    if y.data > 0:  # frozen in each worker's recording
        return y * y
    return -y


def model_of_w() -> nn.Module:
    class One(nn.Module):
        def parameters(self):
            return [W]
    return One()


@pytest.mark.parametrize("workers", [1, 2])
def test_data_parallel_raises_its_workers_warnings_here(workers):
    with nn.DataParallel(model_of_w(), branching_loss, workers=workers) as parallel:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            parallel.backward([(1.0,), (2.0,), (3.0,)])
    said = [w for w in caught if issubclass(w.category, autograd.ReplayWarning)]
    assert said and said[0].filename == HERE
    assert said[0].lineno == branching_loss.__code__.co_firstlineno + 2
    assert str(said[0].message).startswith("compile: reading a Value's .data while the step is "
                                           f"recorded ({HERE}:")


@pytest.mark.filterwarnings("ignore::autograd.recording.ReplayWarning")
def test_data_parallel_names_its_calling_convention():
    with nn.DataParallel(model_of_w(), branching_loss, workers=1) as parallel:
        with pytest.raises(TypeError, match=r"^DataParallel.backward: sample 0 is a float, 1.0; "
                                            r"each sample is a tuple of loss_of_sample's "
                                            r"arguments after the model"):
            parallel.backward([1.0, 2.0])
        with pytest.raises(TypeError) as refused:
            parallel.backward([(1.0, 2.0)])
        assert str(refused.value) == (
            "DataParallel.backward: loss_of_sample(model, *sample) cannot take sample 0, 2 "
            "argument(s) after the model (too many positional arguments); each sample is a "
            "tuple of loss_of_sample's arguments after the model, as in backward([(x, t), ...]) "
            "for loss_of_sample(model, x, t)")
        assert parallel.backward([(1.0,)]) == [0.25]


def test_is_recording_says_so_inside_a_recording_only():
    seen = []

    def step(x):
        seen.append(autograd.recording.is_recording())
        return x * 2.0

    compiled = autograd.compile(step)
    compiled(1.0)
    compiled(2.0)  # a replay runs no Python of the step's
    assert seen == [True] and not autograd.recording.is_recording()


@pytest.mark.parametrize("failing", [True, False])
def test_data_parallel_ends_its_workers_at_once_only_after_an_error(failing):
    ended = []
    with pytest.raises(RuntimeError) if failing else nullcontext():
        with nn.DataParallel(model_of_w(), branching_loss, workers=2) as parallel:
            pool = parallel._pool
            terminate, close = pool.terminate, pool.close
            pool.terminate = lambda: ended.append("terminate") or terminate()
            pool.close = lambda: ended.append("close") or close()
            if failing:
                raise RuntimeError("the learner's loop broke")
    assert ended == (["terminate"] if failing else ["close"])


def test_a_line_warns_once_and_the_whole_message_says_what_to_do():
    def step(x):
        for _ in range(3):
            float(x.data)  # one line, three reads: one warning, as warnings does by default
        return x * 2.0

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        autograd.compile(step)(1.0)
    said = [w for w in caught if issubclass(w.category, autograd.ReplayWarning)]
    line = step.__code__.co_firstlineno + 2
    assert len(said) == 1 and str(said[0].message) == (
        f"compile: reading a Value's .data while the step is recorded ({HERE}:{line}); a replay "
        "does not run this line again, so whatever it decides (an if, a max, an index, a print) "
        "stays as it was for this sample on every later replay. Branch with an op instead (relu, "
        "maximum, minimum, abs), or do it outside the compiled step.")


def test_code_run_by_exec_without_a_module_name_warns_too():
    namespace = {"autograd": autograd}
    exec(compile("step = autograd.compile(lambda x: x * (2.0 if x.data > 0 else 3.0))",
                 "<a notebook cell>", "exec"), namespace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        namespace["step"](1.0)
    said = [w for w in caught if issubclass(w.category, autograd.ReplayWarning)]
    assert [(w.filename, w.lineno) for w in said] == [("<a notebook cell>", 1)]


def _learner_step(namespace: dict):
    exec(compile("step = autograd.compile(lambda x: x * (2.0 if 0 < x.data < 5 else 3.0))",
                 "lesson.py", "exec"), namespace)
    return namespace["step"]


def test_a_warning_from_exec_d_code_has_its_module_name_and_its_own_registry():
    namespace = {"autograd": autograd, "__name__": "learner"}
    step = _learner_step(namespace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        step(1.0)  # two reads on one line: one warning, kept in the code's own registry
    assert [(w.filename, w.lineno) for w in caught
            if issubclass(w.category, autograd.ReplayWarning)] == [("lesson.py", 1)]
    assert namespace["__warningregistry__"]  # the warning was noted where the code lives
    with warnings.catch_warnings():
        # a filter on the module's own name (not its file's) catches it
        warnings.filterwarnings("error", category=autograd.ReplayWarning, module="learner")
        with pytest.raises(autograd.ReplayWarning):
            _learner_step({"autograd": autograd, "__name__": "learner"})(1.0)


def test_a_read_inside_any_engine_module_is_the_engine_s_own():
    # a module two levels down in the engine (autograd.testing.x, nn.exercises.x) reads
    # numbers for its own reasons: that is not the user's branch
    namespace = {"__name__": "nn.exercises.reader"}
    exec("def reads(v):\n    return v * 2.0 if v.data > 0 else v\n", namespace)
    step = autograd.compile(lambda x: namespace["reads"](x * 1.5))
    assert caught_while(step, 2.0) == []
    namespace["__name__"] = "mine.reader"  # the same read in a user's module warns
    exec("def reads(v):\n    return v * 2.0 if v.data > 0 else v\n", namespace)
    assert len(caught_while(autograd.compile(lambda x: namespace["reads"](x * 1.5)), 2.0)) == 1
