"""A picture of the live view, taken by a real browser: Debian's chromium, driven by
playwright (``pip install playwright``; nothing is downloaded: the system's browser is
launched, not playwright's own).

    with browser() as chromium:          # the browser, launched once
        ...
    screenshot(view.url, "out/live_moons.png", lang="ko", step=99)

``make demo`` leaves ``out/live_moons.png`` this way, and the browser tests drive the
page through the same ``browser()``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["BrowserMissingError", "browser", "screenshot"]

# Offline and quiet: no sandbox (a container has none to give), no GPU, and none of
# Chromium's own calls home (updates, sync, QUIC probes).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
LANGUAGES = ("en", "ko", "ja")


class BrowserMissingError(RuntimeError):
    """playwright or chromium is not installed; the message says how to install it."""


def chromium_path() -> str:
    """The system's chromium, or a clear error saying what to install."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise BrowserMissingError("live view screenshot: no 'chromium' on PATH; install "
                                  "it with: sudo apt-get install chromium   (make does, as "
                                  "root)")
    return found


@contextmanager
def browser() -> Iterator[Any]:
    """The system's chromium, launched headless by playwright, closed on leaving."""
    try:
        from playwright.sync_api import sync_playwright  # optional: only for pictures
    except ImportError as missing:
        raise BrowserMissingError("live view screenshot: playwright is not installed; "
                                  "install it with: pip install playwright") from missing
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def screenshot(url: str, path: str | os.PathLike[str], *, lang: str = "en",
               step: int | None = None, width: int = 1120, timeout: float = 30.0) -> Path:
    """Open the live view at ``url`` in ``lang``, wait until it shows ``step`` (or any
    step), and write the whole page as a PNG to ``path`` (a temporary file renamed into
    place: a crash leaves no half picture). Returns the path."""
    if lang not in LANGUAGES:
        raise ValueError(f"live view screenshot: lang must be one of {LANGUAGES}, got "
                         f"{lang!r}")
    target = Path(path)
    if target.suffix.lower() != ".png":
        raise ValueError(f"live view screenshot: the picture is a PNG, got {str(target)!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{url}?lang={lang}")
        shown = "Number(document.querySelector('#step')?.textContent.split(' ').pop())"
        page.wait_for_function(f"{shown} >= {-1 if step is None else int(step)}",
                               timeout=timeout * 1000)
        page.evaluate("document.fonts.ready.then(() => true)")  # Hangul drawn, not boxes
        handle, temporary = tempfile.mkstemp(suffix=".png", dir=target.parent)
        os.close(handle)
        try:
            page.screenshot(path=temporary, full_page=True)
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return target
