"""nn.live: the live view's snapshots, its server on 127.0.0.1, its controls, and the moons
demo's --live, spoken to over real HTTP."""

from __future__ import annotations

import json
import math
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import nn
from nn.layers import layers_on_floats
from nn.live import LiveView, PortInUseError
from nn.live.snapshot import GRID, snapshot

ROOT = Path(__file__).resolve().parents[1]
POINTS = [[0.0, 0.5], [1.0, -0.5], [-1.0, 0.25]]


def _model() -> nn.MLP:
    return nn.MLP(2, [3, 1], seed=0)


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _control(view: LiveView, message: dict) -> tuple[int, dict | str]:
    request = urllib.request.Request(view.url + "control", data=json.dumps(message).encode(),
                                     method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _first_event(view: LiveView) -> dict:
    with urllib.request.urlopen(view.url + "events", timeout=10) as stream:
        for line in stream:
            if line.startswith(b"data: "):
                return json.loads(line[len(b"data: "):])
    raise AssertionError("no event")


def test_a_snapshot_is_the_model_on_floats():
    model = _model()
    shot = snapshot(model, 7, 0.25, POINTS, [1, -1, 1], sample=1)
    assert (shot["step"], shot["loss"], shot["sample"]) == (7, 0.25, 1)
    first = model.layers[0]
    assert shot["layers"][0]["weights"] == [[w.data for w in n.w] for n in first.neurons]
    assert shot["layers"][0]["bias"] == [n.b.data for n in first.neurons]
    assert shot["layers"][0]["weight_grads"] == [[w.grad for w in n.w] for n in first.neurons]
    assert (shot["layers"][0]["neurons"], shot["layers"][0]["inputs"]) == (3, 2)
    assert (shot["layers"][1]["neurons"], shot["layers"][1]["inputs"]) == (1, 3)
    assert "graph" not in shot  # only when asked for
    assert [len(a) for a in shot["activations"]] == [2, 3, 1]
    assert shot["activations"][-1] == layers_on_floats(model.layers, [POINTS[1]])[0]
    boundary = shot["boundary"]
    assert boundary["size"] == GRID and len(boundary["scores"]) == GRID * GRID
    left, right, bottom, top = boundary["extent"]
    assert (left, right, bottom, top) == (-1.5, 1.5, -1.0, 1.0)
    top_left = [left + (right - left) * 0.5 / GRID, top - (top - bottom) * 0.5 / GRID]
    assert boundary["scores"][0] == layers_on_floats(model.layers, [top_left])[0][0]
    assert shot["points"] == POINTS and shot["labels"] == [1, -1, 1]
    assert snapshot(model, 1, math.nan, None, None, 0)["loss"] is None  # JSON has no NaN
    assert "boundary" not in snapshot(model, 1, 0.5, None, None, 0)


def test_the_server_serves_its_own_files_and_nothing_else():
    with LiveView(_model(), points=POINTS, labels=[1, -1, 1]) as view:
        assert view.url.startswith("http://127.0.0.1:")
        status, page = _get(view.url)
        assert status == 200 and b'import { start } from "/live.js"' in page
        status, script = _get(view.url + "live.js")
        assert status == 200 and b"export function render" in script  # the widget's too
        for path in ("../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd", "static/live.js",
                     "live.js/../../snapshot.py", "anything"):
            assert _get(view.url + path)[0] == 404, path
        assert b"://" not in script.replace(b"http://www.w3.org/2000/svg", b"")  # no CDN


def test_an_update_reaches_a_page_and_a_late_page_catches_up():
    model = _model()
    with LiveView(model, points=POINTS, labels=[1, -1, 1], interval=0.0) as view:
        view.update(0, 0.75)
        view.update(1, nn.mse([model(POINTS[0])[0]], [0.0]))  # a Value works as well
        shot = _first_event(view)  # a page opened now gets the latest at once
        assert shot["step"] == 1 and shot["losses"][0] == [0, 0.75]
        assert _get(view.url + "history?from=1")[1] == json.dumps([shot["losses"][1]]).encode()


def test_pause_holds_training_one_step_goes_and_resume_lets_it_run():
    with LiveView(_model(), points=POINTS, interval=0.0) as view:
        assert _control(view, {"do": "pause"}) == (200, {"paused": True, "delay": 0.0,
                                                         "sample": 0})
        done = []
        trainer = threading.Thread(target=lambda: [view.update(k, 1.0) or done.append(k)
                                                   for k in range(3)])
        trainer.start()
        time.sleep(0.5)
        assert done == []  # held at its first update
        _control(view, {"do": "step"})
        time.sleep(0.5)
        assert done == [0]
        _control(view, {"do": "resume"})
        trainer.join(5)
        assert done == [0, 1, 2]
        assert _control(view, {"do": "sample", "value": 2})[1]["sample"] == 2
        assert _control(view, {"do": "speed", "value": 0.5})[1]["delay"] == 0.5
        for bad, said in (({"do": "jump"}, "unknown control 'jump'"),
                          ({"do": "sample", "value": 3}, "sample: not a point's index: 3"),
                          ({"do": "speed", "value": 9}, "speed: a delay of 0 to 5 seconds"),
                          ([1], "a control is")):
            status, text = _control(view, bad)
            assert status == 400 and said in text


def test_a_port_in_use_moves_to_the_next_and_bad_arguments_are_refused():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with LiveView(_model(), port=port) as view:
            assert view.server.port != port and view.server.port > port
    with pytest.raises(ValueError, match="sample 5 is not a point's index"):
        LiveView(_model(), points=POINTS, sample=5)
    with pytest.raises(ValueError, match="2 labels for 3 points"):
        LiveView(_model(), points=POINTS, labels=[1, 1])
    with pytest.raises(ValueError, match="history must be a positive whole number"):
        LiveView(_model(), history=0)
    with pytest.raises(TypeError, match="a list has no named_layers"):
        LiveView([1, 2])
    assert issubclass(PortInUseError, OSError)


def test_another_host_warns():
    with pytest.warns(UserWarning, match="serving on 0.0.0.0, not only this machine"):
        LiveView(_model(), host="0.0.0.0").close()


def test_memory_stays_flat_the_history_is_a_ring():
    with LiveView(_model(), history=50, interval=0.0) as view:
        for k in range(500):
            view.update(k, 1.0 / (k + 1))
        assert len(view.losses) == 50 and view.losses[0][0] == 450
        assert len(view.snapshots) == 50


def test_the_moons_demo_trains_with_the_view_and_exits(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "demos" / "moons.py"), "--live",
                          "--steps", "5", "--port", "0", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "live view: http://127.0.0.1:" in run.stdout
    assert "train accuracy" in run.stdout


def test_a_point_clicked_on_the_page_joins_the_training_data():
    with LiveView(_model(), points=POINTS, labels=[1, -1, 1]) as view:
        assert _control(view, {"do": "add", "value": [0.5, 0.25, -1]})[0] == 200
        assert view.take_new_points() == [([0.5, 0.25], -1)]
        assert view.take_new_points() == []  # taken once
        assert view.points[-1] == [0.5, 0.25] and view.labels[-1] == -1
        for bad, said in (([0.5, 0.5, 7], "the label must be one of [-1, 1]"),
                          ([0.5, "x", 1], "a point is [x, y, label]"),
                          ([0.5, 1], "a point is [x, y, label]")):
            status, text = _control(view, {"do": "add", "value": bad})
            assert status == 400 and said in text, text
    said = "add: points are added only to 2-D data with labels"
    with LiveView(_model()) as bare:
        assert _control(bare, {"do": "add", "value": [0, 0, 1]}) == (400, said)
    with LiveView(nn.MLP(3, [1], seed=0), points=[[0, 0, 0]], labels=[1]) as deep:
        assert _control(deep, {"do": "add", "value": [0, 0, 1]}) == (400, said)


def test_ctrl_c_ends_a_view_kept_open_with_one_line_and_exit_130(tmp_path):
    import signal

    child = subprocess.Popen(
        [sys.executable, str(ROOT / "demos" / "moons.py"), "--live", "--steps", "3",
         "--port", "0", "--keep-open", "--out", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        for line in child.stdout:
            if "stays open until Ctrl-C" in line:
                break
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130
    assert stderr.strip() == "moons: interrupted"


def test_a_classifier_shows_its_predictions_and_confusion_matrix():
    from nn.live.snapshot import CLASS_ROWS, SHOWN_SAMPLES

    model = nn.MLP(4, [5, 3], seed=1)
    points = [[(i * 7 + j) % 5 / 4 for j in range(4)] for i in range(80)]
    labels = [i % 3 for i in range(80)]
    shot = snapshot(model, 3, 1.0, points, labels, sample=2)
    classes = shot["classes"]
    outputs = layers_on_floats(model.layers, points[:CLASS_ROWS])
    predicted = [out.index(max(out)) for out in outputs]
    assert [s["predicted"] for s in classes["samples"]] == predicted[:SHOWN_SAMPLES]
    assert [s["label"] for s in classes["samples"]] == labels[:SHOWN_SAMPLES]
    assert classes["side"] == 2 and classes["samples"][0]["pixels"] == points[0]
    assert sum(map(sum, classes["confusion"])) == CLASS_ROWS == classes["count"]
    assert classes["confusion"][labels[0]][predicted[0]] >= 1
    assert classes["correct"] == sum(p == t for p, t in zip(predicted, labels, strict=False))
    assert "boundary" not in shot


def test_a_small_model_s_scalar_graph_is_drawn_and_a_large_one_says_why_not():
    from nn.live.snapshot import GRAPH_NODES, scalar_graph

    small = nn.MLP(2, [2, 1], seed=0)
    before = [p.grad for p in small.parameters()]
    drawn = scalar_graph(small, [0.5, -0.5])
    assert drawn["svg"].startswith("<?xml") and "<svg" in drawn["svg"]
    assert drawn["nodes"] <= GRAPH_NODES
    assert [p.grad for p in small.parameters()] == before  # training's .grad untouched
    large = scalar_graph(nn.MLP(2, [16, 16, 1], seed=0), [0.5, -0.5], index=3)
    assert large == {"nodes": 402, "limit": GRAPH_NODES, "sample": 3}


def test_the_digits_demo_trains_with_the_view_and_exits(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "demos" / "train_digits.py"), "--live",
                          "--epochs", "1", "--port", "0", "--workers", "1",
                          "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "live view: http://127.0.0.1:" in run.stdout and "test accuracy" in run.stdout


def test_the_notebook_widget_runs_the_page_s_own_script_and_sends_controls_back():
    pytest.importorskip("anywidget")
    with LiveView(_model(), points=POINTS, labels=[1, -1, 1], interval=0.0) as view:
        view.update(0, 0.5)
        widget = view.widget("ja")
        assert widget.snapshot["step"] == 0 and widget.lang == "ja"  # caught up at once
        view.update(1, 0.25)
        assert widget.snapshot["step"] == 1 and widget.snapshot["loss"] == 0.25
        assert widget._esm == (ROOT / "nn" / "live" / "static" / "live.js").read_text(
            encoding="utf-8")
        assert "export function render" in widget._esm and "://" not in widget._esm.replace(
            "http://www.w3.org/2000/svg", "")
        widget._message(widget, {"do": "pause"}, [])
        widget._message(widget, {"do": "warp"}, [])
        assert widget.replies[0]["paused"] is True
        assert "unknown control 'warp'" in widget.replies[1]["error"]


def test_the_heavy_parts_wait_for_their_budget_and_are_shown_meanwhile():
    with LiveView(_model(), points=POINTS, labels=[1, -1, 1], interval=0.0,
                  budget=0.001) as view:
        view.update(0, 1.0)
        view.update(1, 0.5)  # within the budget's wait: the last boundary, not a new one
        first, second = view.snapshots
        assert second["step"] == 1 and second["loss"] == 0.5
        assert second["boundary"] is first["boundary"] and second["graph"] is first["graph"]
    with pytest.raises(ValueError, match="budget must be a share of the time"):
        LiveView(_model(), budget=0)


def test_each_drawing_outlines_the_next_chain_rule_step():
    from nn.live.snapshot import scalar_graph

    small = nn.MLP(2, [2, 1], seed=0)
    drawn = [scalar_graph(small, [0.5, -0.5], turn) for turn in range(3)]
    assert [d["step"] for d in drawn] == [0, 1, 2]
    assert drawn[0]["svg"] != drawn[1]["svg"]  # another node outlined
    assert all("#e67e22" in d["svg"].lower() or "orange" in d["svg"].lower() for d in drawn)


def test_updates_publish_by_interval_and_speed_slows_each_step():
    with LiveView(_model(), points=POINTS, labels=[1, -1, 1], interval=100.0) as view:
        view.update(0, 1.0)
        view.update(1, 0.5)
        assert len(view.snapshots) == 1 and len(view.losses) == 2  # the curve has both
        assert view.snapshots[0]["paused"] is False
        assert view.snapshots[0]["labels"] == [1, -1, 1]
        _control(view, {"do": "speed", "value": 0.3})
        started = time.monotonic()
        view.update(2, 0.25)
        assert time.monotonic() - started >= 0.3
        for edge in (0, 5):
            assert _control(view, {"do": "speed", "value": edge})[1]["delay"] == edge
        _control(view, {"do": "speed", "value": 0})
        _control(view, {"do": "pause"})
        assert view.publish(3, 0.1)["paused"] is True


def test_two_single_steps_let_two_steps_through():
    with LiveView(_model(), interval=0.0) as view:
        _control(view, {"do": "pause"})
        _control(view, {"do": "step"})
        _control(view, {"do": "step"})
        done = []
        trainer = threading.Thread(target=lambda: [view.update(k, 1.0) or done.append(k)
                                                   for k in range(3)])
        trainer.start()
        time.sleep(0.6)
        assert done == [0, 1]
        view.close()  # lets the held step go
        trainer.join(5)


def test_controls_refused_word_for_word():
    with LiveView(_model(), points=POINTS, labels=[1, -1, 1]) as view:
        assert _control(view, {"value": 1}) == (400, 'a control is {"do": ..., "value": ...}')
        assert _control(view, {"do": "fly"}) == (
            400, "unknown control 'fly': pause, resume, step, speed, sample or add")
        assert _control(view, {"do": "sample", "value": "x"}) == (
            400, "sample: not a point's index: 'x'")
        assert _control(view, {"do": "speed", "value": 5.5})[0] == 400
        assert _control(view, {"do": "sample", "value": 2})[1]["sample"] == 2
        assert _control(view, {"do": "sample", "value": 0})[1]["sample"] == 0


def test_the_heavy_parts_come_back_once_their_cost_has_passed(monkeypatch):
    import importlib

    shots = importlib.import_module("nn.live.snapshot")  # nn.live.snapshot is the function
    drawn = []
    original = shots.scalar_graph
    monkeypatch.setattr(shots, "scalar_graph",
                        lambda *args: drawn.append(args) or original(*args))
    small = nn.MLP(2, [2, 1], seed=0)
    with LiveView(small, points=POINTS, labels=[1, -1, 1], interval=0.0, budget=1.0) as view:
        for k in range(3):
            view.update(k, 1.0)
            time.sleep(0.3)  # longer than a heavy snapshot costs: each is heavy again
        assert [s["graph"]["step"] for s in view.snapshots] == [0, 1, 2]
        first, second = view.snapshots[0], view.snapshots[1]
        assert second["boundary"] is not first["boundary"]
    big = nn.MLP(2, [16, 16, 1], seed=0)
    drawn.clear()
    with LiveView(big, points=POINTS, labels=[1, -1, 1], interval=0.0, budget=1.0) as view:
        for k in range(3):
            view.update(k, 1.0)
            time.sleep(0.3)
        assert len(drawn) == 1  # too big once, too big for good: not built again
        assert all(s["graph"] == {"nodes": 402, "limit": 120, "sample": 0} for s in view.snapshots)


def test_the_scalar_graph_shows_the_walker_s_gradients_and_no_legend():
    from nn.live.snapshot import scalar_graph

    small = nn.MLP(2, [2, 1], seed=0)
    for p in small.parameters():
        p.grad = 12345.0  # what training left: not what the graph shows
    svg = scalar_graph(small, [0.5, -0.5])["svg"]
    assert "12345" not in svg and "forward value" not in svg


def test_predictions_of_a_broken_model_and_labels_beyond_its_classes():
    from nn.live.snapshot import _classes

    model = nn.MLP(5, [3], seed=0)
    rows = [[0.12345, 0.0, 1.0, 0.5, 0.25], [1.0, 1.0, 1.0, 1.0, 1.0]]
    shown = _classes(model.layers, rows, [0, 3])  # 3 is no class of a 3-output model
    assert shown["side"] is None  # 5 values make no square image
    assert shown["samples"][0]["pixels"][0] == 0.123
    assert sum(map(sum, shown["confusion"])) == 1  # the label 3 is not counted
    model.layers[0].neurons[0].b.data = float("nan")
    broken = _classes(model.layers, rows, [0, 1])
    assert [s["predicted"] for s in broken["samples"]] == [None, None]
    assert broken["confusion"] == [[0] * 3 for _ in range(3)] and broken["correct"] == 0


def test_a_screenshot_refuses_what_it_cannot_take(tmp_path, monkeypatch):
    from nn.live import screenshot as pictures

    with pytest.raises(ValueError, match="lang must be one of .* got 'fr'"):
        pictures.screenshot("http://127.0.0.1:1/", tmp_path / "a.png", lang="fr")
    with pytest.raises(ValueError, match="the picture is a PNG, got '.*a.jpg'"):
        pictures.screenshot("http://127.0.0.1:1/", tmp_path / "a.jpg")
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium here
    with pytest.raises(pictures.BrowserMissingError, match="apt-get install chromium"):
        pictures.screenshot("http://127.0.0.1:1/", tmp_path / "a.png")
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_the_demo_s_screenshot_needs_the_live_view():
    run = subprocess.run([sys.executable, str(ROOT / "demos" / "moons.py"), "--screenshot",
                          "x.png"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "--screenshot pictures the live view: add --live" in run.stderr
