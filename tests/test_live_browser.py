"""The live view in a real browser (Debian's chromium, driven by playwright): the page
follows training, its controls pause and step it, and it asks nothing of the network but
the training process's own server."""

from __future__ import annotations

import html
import json
import re
import shutil
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

import nn
from nn.data import make_moons
from nn.live import LiveView
from nn.live.screenshot import browser

CHROMIUM = shutil.which("chromium")
pytest.importorskip("playwright.sync_api", reason="needs playwright: pip install playwright")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs chromium: sudo apt-get "
                                "install chromium (make test installs it as root)")
OUT = Path(__file__).resolve().parent.parent / "out"


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
    with browser() as chromium:  # the screenshot's own launch: system chromium, offline
        yield chromium.new_page(viewport={"width": 1120, "height": 1500})


def test_the_page_follows_training_and_its_controls_drive_it(training, page):
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
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / "live_browser_test.png"), full_page=True)
    assert (OUT / "live_browser_test.png").stat().st_size > 50_000
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


def test_choosing_a_sample_draws_its_graph(training, page):
    view, _ = training
    page.goto(view.url)
    page.wait_for_function("document.querySelector('#graph')?.dataset.sample === '0'",
                           timeout=20_000)
    page.fill("#sample", "5")
    page.dispatch_event("#sample", "change")
    page.wait_for_function("document.querySelector('#graph').dataset.sample === '5'",
                           timeout=20_000)
    assert view.sample == 5
    assert page.inner_text("#live h2 >> nth=2").startswith("the scalar graph of sample 5")
    page.click("text=pause")
    page.wait_for_selector("text=resume", timeout=10_000)
    time.sleep(0.5)  # the snapshot sent while pausing has arrived
    shown = page.eval_on_selector_all("#graph svg text", "texts => texts.map(t => t.textContent)")
    drawn = re.findall(r">([^<]*)</text>", view.snapshots[-1]["graph"]["svg"])
    assert shown == [html.unescape(text) for text in drawn]  # the Python side's drawing
    assert view.snapshots[-1]["graph"]["sample"] == 5
    page.click("text=resume")
    request = urllib.request.Request(view.url + "control", method="POST",
                                     data=json.dumps({"do": "sample", "value": 7}).encode())
    urllib.request.urlopen(request, timeout=10).close()  # chosen elsewhere: another page
    page.wait_for_function("document.querySelector('#graph').dataset.sample === '7'",
                           timeout=20_000)
    assert page.input_value("#sample") == "7"


def test_korean_labels_render_as_glyphs_not_boxes(training, page):
    """Hangul without a font comes out as identical empty boxes (tofu): two words of the
    same letters in another order would then look the same (tried: chromium with only
    DejaVu fonts, FONTCONFIG_FILE, gives equal pictures)."""
    view, _ = training
    page.goto(view.url + "?lang=ko")
    page.wait_for_selector("text=손실", timeout=20_000)
    page.evaluate("""() => {
        for (const [id, word] of [["one", "단계"], ["two", "계단"]]) {
            const made = document.createElement("b"); made.id = id; made.textContent = word;
            document.querySelector(".status").append(made);
        }
        return document.fonts.ready.then(() => true);
    }""")
    one, two = page.locator("#one").screenshot(), page.locator("#two").screenshot()
    assert one != two
    assert page.evaluate("getComputedStyle(document.querySelector('#step')).fontFamily"
                         ).startswith('"Noto Sans CJK KR"')


def test_scrubbing_back_shows_an_earlier_step(training, page):
    view, _ = training
    page.goto(view.url)
    page.wait_for_function("Number(document.querySelector('#step').textContent"
                           ".split(' ').pop()) > 5", timeout=20_000)
    page.click("text=pause")
    page.wait_for_selector("text=resume", timeout=10_000)
    latest = int(page.inner_text("#step").split()[-1])
    page.eval_on_selector("#scrub", "s => { s.value = 0; s.dispatchEvent(new Event('input')); }")
    earlier = int(page.inner_text("#step").split()[-1])
    assert earlier < latest
    assert earlier in {shot["step"] for shot in view.snapshots}  # a snapshot it was sent


def test_a_screenshot_of_the_view_is_written_whole(training, tmp_path):
    view, steps = training
    while len(steps) < 3:
        time.sleep(0.05)
    view.publish(len(steps), 0.5, final=True)
    written = view.screenshot(tmp_path / "view.png", "ja")
    assert written == tmp_path / "view.png" and written.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert written.stat().st_size > 50_000 and list(tmp_path.iterdir()) == [written]
