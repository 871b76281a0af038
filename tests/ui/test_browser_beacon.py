"""In a real headless Chromium: every page opened on a candidate whose every string is a remote image, an `<img>` tag or
a link pointing at a local beacon server; the beacon must receive nothing."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.ui.hostile import seed_hostile
from tests.ui.test_browser_e2e import CHROMIUM_ARGS, WAIT_MS, _chromium, _settled, _sign_in
from tests.ui.test_browser_e2e import app_url as app_url  # the same `streamlit run app.py` fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAGES = ["Candidates", "Interview", "Scorecards", "AI call log", "Evaluation reports", "Activity log"]


@pytest.fixture
def beacon() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records the path of every request it gets."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        do_POST = do_HEAD = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def hostile(tmp_path: Path, beacon: tuple[str, list[str]]) -> tuple[str, str]:
    """Seeded before the app starts (this fixture comes before `app_url` in the test's arguments)."""
    return seed_hostile(tmp_path / "data", beacon[0])


def _open_expanders(page) -> None:  # type: ignore[no-untyped-def]
    """Open every expander on screen, so what is inside is drawn too."""
    for expander in page.locator("[data-testid='stExpander'] summary >> visible=true").all():
        expander.click()
    _settled(page)


def test_the_beacon_receives_nothing_on_any_page(
    hostile: tuple[str, str], beacon: tuple[str, list[str]], app_url: str
) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, hits = beacon
    with urllib.request.urlopen(f"{url}/probe", timeout=5):
        pass
    assert hits == ["/probe"], "the beacon records what reaches it"
    hits.clear()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(WAIT_MS)
            expect.set_options(timeout=WAIT_MS)
            page.set_content(f"<img src='{url}/control.png'>")  # the browser does fetch a real image
            page.wait_for_timeout(500)
            assert hits == ["/control.png"]
            hits.clear()

            page.goto(app_url)
            _sign_in(page)
            expect(page.get_by_role("heading", name="Candidates", exact=True)).to_be_visible()
            expect(page.locator("p:has-text('Eve') >> visible=true").first).to_be_visible()  # the hostile candidate
            for tab in ("Extracted text", "Chunks", "Documents"):
                page.get_by_role("tab", name=tab).click()
                _open_expanders(page)
            opened = ["Candidates"]
            for name in PAGES[1:]:
                link = page.get_by_role("link", name=name)
                if not link.count():
                    continue
                link.first.click()
                _settled(page)
                if name == "Interview":
                    page.get_by_role("button", name="Resume", exact=True).first.click()
                    _settled(page)
                    expect(page.locator("h5:has-text('Tell me about') >> visible=true").first).to_be_visible()
                if name == "Scorecards":
                    expect(page.get_by_text("AI overall", exact=True)).to_be_visible()
                    _open_expanders(page)
                _settled(page)
                page.wait_for_timeout(1000)
                opened.append(name)
        finally:
            browser.close()
    assert {"Candidates", "Interview", "Scorecards"} <= set(opened)
    assert hits == [], f"the beacon was contacted: {hits}"
