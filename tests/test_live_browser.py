"""The live view in a real browser (Debian's chromium, driven by playwright): the page
follows training, its controls pause and step it, and it asks nothing of the network but
the training process's own server."""

from __future__ import annotations

import shutil
import threading
import time
from urllib.parse import urlparse

import pytest

import nn
from nn.data import make_moons
from nn.live import LiveView

CHROMIUM = shutil.which("chromium")
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (make test installs it)")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def training():
    """A tiny model learning the moons in a thread, its live view, and how far it got."""
    x, t = make_moons(40, noise=0.1, seed=1)
    rows, y = x.tolist(), [1 if v == 1 else -1 for v in t]
    model = nn.MLP(2, [3, 1], seed=0)
    optimizer = nn.SGD(model.parameters(), lr=0.1)
    view = LiveView(model, points=rows, labels=y, interval=0.0)
    steps: list[int] = []
    stop = threading.Event()

    def train() -> None:
        for k in range(10_000):
            if stop.is_set():
                return
            loss = nn.hinge([model(r)[0] for r in rows], y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            view.update(k, loss)
            steps.append(k)
            time.sleep(0.01)

    thread = threading.Thread(target=train, daemon=True)
    thread.start()
    yield view, steps
    stop.set()
    view.close()
    thread.join(10)


@pytest.fixture
def page():
    # A test before may have run `python -m nn.exercises check` in this process, which caps
    # its address space (--memory): Chromium's JavaScript engine reserves far more, and
    # would crash at once. The soft cap goes back up to the hard one for the browser.
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser.new_page(viewport={"width": 1120, "height": 1500})
        browser.close()
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_the_page_follows_training_and_its_controls_drive_it(training, page, tmp_path):
    view, steps = training
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(view.url + "?lang=ko")
    page.wait_for_selector("#graph svg", timeout=20_000)  # the sample's scalar graph
    assert page.inner_text("#step").startswith("단계 ")
    assert page.inner_text("#loss").startswith("손실 ")
    page.click("text=일시 정지")
    page.wait_for_selector("text=다시 시작", timeout=10_000)
    time.sleep(0.5)
    held = len(steps)
    time.sleep(1.0)
    assert len(steps) == held  # training waits while the page has paused it
    page.click("text=한 단계")
    deadline = time.monotonic() + 10
    while len(steps) == held and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(steps) == held + 1
    shown = int(page.inner_text("#step").split()[-1])
    page.click("text=다시 시작")
    page.wait_for_function(f"Number(document.querySelector('#step').textContent"
                           f".split(' ').pop()) > {shown + 5}", timeout=20_000)
    page.screenshot(path=str(tmp_path / "live.png"), full_page=True)
    assert (tmp_path / "live.png").stat().st_size > 50_000
    assert {urlparse(url).netloc for url in asked} == {urlparse(view.url).netloc}


def test_a_page_opened_again_catches_up(training, page):
    view, steps = training
    page.goto(view.url)
    page.wait_for_selector("text=step ", timeout=20_000)
    page.goto("about:blank")
    time.sleep(0.5)
    later = len(steps)
    page.goto(view.url)
    page.wait_for_function(f"Number(document.querySelector('#step').textContent"
                           f".split(' ').pop()) >= {later}", timeout=20_000)


def test_the_widget_s_front_end_renders_from_its_model_and_sends_controls(training, page):
    """anywidget calls render({model, el}); here a stand-in model with anywidget's get, on
    and send runs the same live.js in the browser."""
    view, _ = training
    page.goto(view.url)
    page.wait_for_selector("text=step ", timeout=20_000)
    shot = view.snapshots[-1]
    sent = page.evaluate("""async (shot) => {
        const { render } = await import("/live.js");
        const el = document.createElement("div");
        document.body.append(el);
        const handlers = {}, sent = [];
        const model = { get: (key) => ({ snapshot: shot, lang: "ja" })[key],
                        on: (name, f) => { handlers[name] = f; },
                        send: (message) => sent.push(message) };
        render({ model, el });
        el.querySelector("button").click();
        window.widgetText = el.innerText;
        return sent;
    }""", shot)
    assert sent == [{"do": "pause"}]
    text = page.evaluate("window.widgetText")
    assert f"ステップ {shot['step']}" in text and "学習を見る" in text
