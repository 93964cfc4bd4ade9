"""The live view's web server: the page, its script, and a stream of snapshots.

A ``ThreadingHTTPServer`` on 127.0.0.1, in a daemon thread of the training
process. It serves a fixed set of routes and nothing else, so no path can reach
a file it does not name (no traversal), and no query runs code:

* ``/``: the page (``static/live.html``), ``/live.js`` and ``/live.css``;
* ``/events``: Server-Sent Events, one ``data:`` line of JSON per snapshot. A page
  that connects gets the latest snapshot at once, so one closed and opened again
  catches up while training goes on;
* ``/history``: the bounded history (``?from=STEP``), for scrubbing back;
* ``POST /control``: ``{"do": "pause" | "resume" | "step" | "speed" | "sample",
  "value": ...}`` for the view's controls.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["FILES", "LiveServer", "PortInUseError"]

STATIC = Path(__file__).resolve().parent / "static"
FILES = {"/": ("live.html", "text/html; charset=utf-8"),
         "/live.js": ("live.js", "text/javascript; charset=utf-8"),
         "/live.css": ("live.css", "text/css; charset=utf-8")}
PORTS_TRIED = 20  # a port in use: the next ones are tried, then a clear error
MAX_BODY = 10_000  # bytes of a control request


class PortInUseError(OSError):
    """No free port from the one asked for on (``--port 0`` takes any free one)."""


class LiveServer:
    """Serves the view (see the module). ``publish`` sends a snapshot to every page."""

    def __init__(self, host: str, port: int, control: Callable[[dict], dict],
                 history: Callable[[int], list]) -> None:
        self._latest: str | None = None
        self._changed = threading.Condition()
        self._version = 0
        self._closed = False
        handler = _handler(self, control, history)
        self.httpd = _bind(host, port, handler)
        self.host, self.port = self.httpd.server_address[:2]
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="live view",
                                        daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def publish(self, message: dict[str, Any]) -> None:
        with self._changed:
            self._latest = json.dumps(message, separators=(",", ":"))
            self._version += 1
            self._changed.notify_all()

    def wait(self, version: int, timeout: float) -> tuple[int, str | None]:
        """The latest snapshot once it is newer than ``version`` (or after ``timeout``)."""
        with self._changed:
            self._changed.wait_for(lambda: self._version != version or self._closed, timeout)
            return self._version, self._latest

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()


def _bind(host: str, port: int, handler: type) -> ThreadingHTTPServer:
    ports = [0] if port == 0 else range(port, port + PORTS_TRIED)
    for candidate in ports:
        try:
            server = ThreadingHTTPServer((host, candidate), handler)
        except OSError as error:
            if error.errno != 98:  # EADDRINUSE: try the next port; anything else is said
                raise
            continue
        server.daemon_threads = True
        return server
    raise PortInUseError(f"LiveView: ports {port} to {port + PORTS_TRIED - 1} are in use on "
                         f"{host}; give another --port, or --port 0 for any free one")


def _handler(server: LiveServer, control: Callable[[dict], dict],
             history: Callable[[int], list]) -> type:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:  # the training's output stays readable
            pass

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path, _, query = self.path.partition("?")
            if path in FILES:
                name, kind = FILES[path]
                self._send(HTTPStatus.OK, (STATIC / name).read_bytes(), kind)
            elif path == "/events":
                self._events()
            elif path == "/history":
                start = _number(query.partition("from=")[2]) if "from=" in query else 0
                self._send(HTTPStatus.OK, json.dumps(history(start)).encode(),
                           "application/json")
            else:
                self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")

        def do_POST(self) -> None:  # noqa: N802
            if self.path != "/control":
                self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
                return
            length = _number(self.headers.get("Content-Length", "0"))
            if not 0 < length <= MAX_BODY:
                self._send(HTTPStatus.BAD_REQUEST, b"a control is a small JSON object",
                           "text/plain")
                return
            try:
                answer = control(json.loads(self.rfile.read(length)))
            except (ValueError, TypeError) as error:
                self._send(HTTPStatus.BAD_REQUEST, str(error).encode(), "text/plain")
                return
            self._send(HTTPStatus.OK, json.dumps(answer).encode(), "application/json")

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            version = -1
            try:
                while not server.closed:
                    newer, latest = server.wait(version, timeout=15.0)
                    if newer == version or latest is None:
                        message = ": still here\n\n"  # keeps proxies and the page awake
                    else:
                        version, message = newer, f"data: {latest}\n\n"
                    self.wfile.write(message.encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return  # the page was closed; training goes on

    return Handler


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1
