"""The live view in Jupyter, JupyterLab and VS Code: an anywidget running the page's own
script (``static/live.js`` exports anywidget's ``render``), with no CDN.

The snapshots reach the notebook as the widget's ``snapshot`` trait; the controls come
back as the widget's messages. A kernel reads messages between cells, so pause and
step reach a training loop that runs in a thread (``LiveView.widget`` says how).
"""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets

from nn.live.server import STATIC

__all__ = ["LiveWidget"]


class LiveWidget(anywidget.AnyWidget):
    """The view's page as a notebook widget (see the module)."""

    _esm = (STATIC / "live.js").read_text(encoding="utf-8")
    _css = (STATIC / "live.css").read_text(encoding="utf-8")
    snapshot = traitlets.Dict().tag(sync=True)
    lang = traitlets.Unicode("en").tag(sync=True)

    def __init__(self, control: Any, lang: str = "en") -> None:
        super().__init__(lang=lang)
        self._control = control
        self.replies: list[dict] = []
        self.on_msg(self._message)

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        try:
            self.replies.append(self._control(content))
        except (ValueError, TypeError) as error:  # a bad control is said, not raised
            self.replies.append({"error": str(error)})

    def show(self, shot: dict) -> None:
        self.snapshot = shot
