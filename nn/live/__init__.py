"""Watch a network learn: a live view of training, driven by the real Python engine.

    view = nn.live.LiveView(model, points=rows, labels=t)   # prints nothing; see view.url
    for step in range(steps):
        loss = ...; loss.backward(); optimizer.step()
        view.update(step, loss)                              # a few snapshots a second

The view is a page served on 127.0.0.1 by the training process (``server.py``),
and the same script as a Jupyter widget (``LiveView.widget()``, anywidget). It shows
the step and the loss as text and as a curve, the decision boundary for 2-D data,
and the network: each neuron's activation for the chosen sample, each weight as an
edge (colour its sign, width its size) with its gradient. Its controls pause,
step, resume and slow training down, choose the sample, and scrub back through the
last ``history`` snapshots.

* ``snapshot.py``: what a step looks like, on floats;
* ``server.py``: the page, its script and the stream of snapshots;
* ``widget.py``: the notebook widget;
* ``screenshot.py``: a picture of the page, taken by the system's chromium;
* ``static/``: the page and ``live.js``, which the widget shares.
"""

from __future__ import annotations

import math
import os
import threading
import time
import warnings
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nn.live.server import LiveServer, PortInUseError
from nn.live.snapshot import HEAVY, model_layers, snapshot

__all__ = ["LiveView", "PortInUseError"]

LOCAL = "127.0.0.1"


class LiveView:
    """A live view of ``model`` while it trains (see the module).

    points, labels: the data, for the boundary and the sample (2-D points draw the
        boundary; other data show the network only).
    sample: which point's activations the network view shows.
    host, port: where to serve; 127.0.0.1 only unless ``host`` says otherwise (with a
        warning), port 0 for any free one, and a port in use moves to the next free one.
    history: snapshots kept for scrubbing, and losses for the curve (a ring: memory
        stays flat however long training runs).
    interval: seconds between snapshots at least: the step, the loss, the network.
    budget: the share of training's time that the heavy parts may take (the boundary's
        1,024 forward passes, the predictions, the scalar graph's dot run): each is
        computed again only once its last cost, divided by the budget, has passed, so
        the view costs training about ``budget`` more time at most.
    """

    def __init__(self, model: Any, *, points: Sequence[Sequence[float]] | None = None,
                 labels: Sequence[int] | None = None, sample: int = 0,
                 host: str = LOCAL, port: int = 0, history: int = 1000,
                 interval: float = 0.25, budget: float = 0.03) -> None:
        model_layers(model)  # a model the view cannot read is refused here, by name
        self.model = model
        self.points = None if points is None else [[float(x) for x in p] for p in points]
        self.labels = None if labels is None else [int(t) for t in labels]
        self._check(sample, history, interval, port)
        if host != LOCAL:
            warnings.warn(f"LiveView: serving on {host}, not only this machine: anyone who "
                          "can reach it sees the training", stacklevel=2)
        if not isinstance(budget, (int, float)) or not 0 < budget <= 1:
            raise ValueError(f"LiveView: budget must be a share of the time, 0 < budget <= 1, "
                             f"got {budget!r}")
        self.sample, self.interval, self.budget = sample, interval, budget
        self.losses: deque[tuple[int, float]] = deque(maxlen=history)
        self.snapshots: deque[dict] = deque(maxlen=history)
        self.delay = 0.0  # seconds added to each step, from the page's speed control
        self._running = threading.Event()
        self._running.set()
        self._single_steps = 0
        self._last = -float("inf")
        self._new_points: list[tuple[list[float], int]] = []
        self._heavy_at, self._heavy_cost = -float("inf"), 0.0
        self._heavy: dict[str, Any] = {}
        self._turns = 0
        self._widgets: list[Any] = []
        self._label_set = set(self.labels or ())
        self.server = LiveServer(host, port, self._control, self._history)

    def _check(self, sample: int, history: int, interval: float, port: int) -> None:
        if self.points is not None and not 0 <= sample < len(self.points):
            raise ValueError(f"LiveView: sample {sample!r} is not a point's index "
                             f"(0 to {len(self.points) - 1})")
        if self.labels is not None and self.points is not None and \
                len(self.labels) != len(self.points):
            raise ValueError(f"LiveView: {len(self.labels)} labels for {len(self.points)} "
                             "points")
        if isinstance(history, bool) or not isinstance(history, int) or history < 1:
            raise ValueError(f"LiveView: history must be a positive whole number, "
                             f"got {history!r}")
        if not isinstance(interval, (int, float)) or not interval >= 0:
            raise ValueError(f"LiveView: interval must be seconds >= 0, got {interval!r}")
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port < 65536:
            raise ValueError(f"LiveView: port must be 0 to 65535, got {port!r}")

    @property
    def url(self) -> str:
        return self.server.url

    def update(self, step: int, loss: Any) -> None:
        """Call once per training step, after the optimizer's: the loss goes on the curve,
        a snapshot to the page when ``interval`` has passed (or while paused), and the
        step waits here while the page has paused training."""
        value = float(loss)  # a Value's float() is its number
        self.losses.append((step, value))
        now = time.monotonic()
        if now - self._last >= self.interval or not self._running.is_set():
            self._last = now
            self.publish(step, value)
        self._wait_while_paused()
        if self.delay:
            time.sleep(self.delay)

    def publish(self, step: int, loss: float, *, final: bool = False) -> dict:
        """Send the view at ``step`` now, whatever the interval. ``final``: the last step
        of training, its heavy parts drawn again whatever the budget."""
        started = time.monotonic()
        heavy = final or started - self._heavy_at >= self._heavy_cost / self.budget
        # a graph too big to draw stays so (the model's shape does not change): not rebuilt
        too_big = "svg" not in self._heavy.get("graph", {"svg": ""})
        shot = snapshot(self.model, step, loss, self.points, self.labels, self.sample,
                        graph=self.points is not None and not too_big, heavy=heavy,
                        turn=self._turns)
        if heavy:  # the boundary, predictions and graph: again only when the budget allows
            self._turns += 1  # the next drawing outlines the next chain-rule step
            self._heavy_at, self._heavy_cost = started, time.monotonic() - started
            self._heavy = {**self._heavy, **{k: shot[k] for k in HEAVY if k in shot}}
        shot.update(self._heavy)  # the last ones of each: a page opened now has them too
        shot["paused"] = not self._running.is_set()
        self.snapshots.append(shot)  # kept without the curve: history x history otherwise
        sent = {**shot, "losses": list(self.losses)}
        self.server.publish(sent)
        for widget in self._widgets:
            widget.show(sent)
        return sent

    def widget(self, lang: str = "en") -> Any:
        """The view as a Jupyter widget (anywidget): display it, then train. Each snapshot
        goes to the page and to every widget made. The kernel reads the widget's controls
        between cells, so to pause a loop from the widget, train in a thread::

            view = LiveView(model, points=rows, labels=y)
            display(view.widget("ko"))
            threading.Thread(target=train, args=(view,)).start()
        """
        from nn.live.widget import LiveWidget  # anywidget: only for a notebook

        made = LiveWidget(self._control, lang=lang)
        if self.snapshots:
            made.show(self.snapshots[-1])
        self._widgets.append(made)
        return made

    def screenshot(self, path: str | os.PathLike[str], lang: str = "en") -> Path:
        """A PNG of the page as it shows the latest snapshot, taken by the system's
        chromium (``nn.live.screenshot``: needs playwright and chromium)."""
        from nn.live.screenshot import screenshot  # playwright: only for pictures

        step = self.snapshots[-1]["step"] if self.snapshots else None
        return screenshot(self.url, path, lang=lang, step=step)

    def _wait_while_paused(self) -> None:
        while not self._running.wait(0.1):
            if self.server.closed:
                return
            if self._single_steps:
                self._single_steps -= 1
                return

    def _control(self, request: dict) -> dict:
        """A control from the page: pause, resume, one step, speed, sample."""
        if not isinstance(request, dict) or "do" not in request:
            raise ValueError("a control is {\"do\": ..., \"value\": ...}")
        do, value = request["do"], request.get("value")
        if do == "pause":
            self._running.clear()
        elif do == "resume":
            self._running.set()
        elif do == "step":
            self._single_steps += 1
        elif do == "speed":
            if not isinstance(value, (int, float)) or not 0 <= value <= 5:
                raise ValueError(f"speed: a delay of 0 to 5 seconds per step, got {value!r}")
            self.delay = float(value)
        elif do == "add":  # a point clicked on the boundary: the demo trains on it too
            self._add_point(value)
        elif do == "sample":
            if self.points is None or not isinstance(value, int) or \
                    not 0 <= value < len(self.points):
                raise ValueError(f"sample: not a point's index: {value!r}")
            self.sample = value
        else:
            raise ValueError(f"unknown control {do!r}: pause, resume, step, speed, sample "
                             "or add")
        return {"paused": not self._running.is_set(), "delay": self.delay,
                "sample": self.sample}

    def _add_point(self, value: object) -> None:
        if self.points is None or len(self.points[0]) != 2 or self.labels is None:
            raise ValueError("add: points are added only to 2-D data with labels")
        if not (isinstance(value, list) and len(value) == 3 and
                all(isinstance(v, (int, float)) and math.isfinite(v) for v in value)):
            raise ValueError(f"add: a point is [x, y, label], got {value!r}")
        if value[2] not in self._label_set:
            raise ValueError(f"add: the label must be one of {sorted(self._label_set)}, "
                             f"got {value[2]!r}")
        point, label = [float(value[0]), float(value[1])], int(value[2])
        self.points.append(point)
        self.labels.append(label)
        self._new_points.append((point, label))

    def take_new_points(self) -> list[tuple[list[float], int]]:
        """The points clicked on the page since the last call, each with its label, for
        the training loop to add to its data (``demos/moons.py --live`` does)."""
        taken, self._new_points = self._new_points, []
        return taken

    def _history(self, start: int) -> list:
        return [list(pair) for pair in self.losses if pair[0] >= start]

    def close(self) -> None:
        """Stop serving; a paused training step goes on."""
        self._running.set()
        self.server.close()

    def __enter__(self) -> LiveView:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
