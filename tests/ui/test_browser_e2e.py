"""End to end in a real headless Chromium against `streamlit run app.py`: upload → plan → answer → score → export."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO
from tests.ui.conftest import CV
from tests.ui.hostile import plain
from vetting.kernel.settings import Settings
from vetting.services import Services

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CASE_TITLE = "Internal Q&A over a messy support knowledge base"
CASE_RUBRIC = "RAG system case study"
ANSWER = (
    "Before building anything I would pull a random sample of a few hundred articles and audit them for duplicates, "
    "contradictions and stale product versions. I would de-duplicate by content hash, keep source, product and date "
    "metadata on every chunk, and agree an owner for each area so articles stay fresh."
)
WAIT_MS = 90_000
ADMIN, PASSWORD = "grace", "correct horse battery staple"


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("chromium is not installed (scripts/test.sh installs it when run as root, as in CI)")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """`streamlit run app.py` as a user starts it, on a free port, with its data in a temporary directory."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VETTING_")}
    env |= {"VETTING_DATA_DIR": str(tmp_path / "data"), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    users = Services(Settings(_env_file=None, data_dir=tmp_path / "data")).users  # type: ignore[call-arg]
    users.add(ADMIN, "admin", password=PASSWORD)  # as `vet users add` would
    log = (tmp_path / "streamlit.log").open("w")
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.read() == b"ok":
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start: {(tmp_path / 'streamlit.log').read_text()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def _settled(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has finished the current run (no 'Stop' button in the header) and charts are drawn."""
    from playwright.sync_api import expect

    page.wait_for_timeout(400)  # let the interaction reach the server and its run start
    expect(page.get_by_role("button", name="Stop")).to_have_count(0)
    page.wait_for_timeout(400)


def _open_case_question(page) -> None:  # type: ignore[no-untyped-def]
    """Pick the case question: the answer typed is a case answer, scored with the case's rubric (the scorecard's)."""
    from playwright.sync_api import expect

    _settled(page)
    box = page.get_by_role("combobox", name="Question", exact=True)
    box.click()
    box.press_sequentially("case")  # a click on this box, low on a long page, does not reliably open its list
    page.get_by_role("option", name=re.compile(r"· case$")).click()
    expect(page.get_by_text(f"Scored with: {CASE_RUBRIC}")).to_be_visible()
    _settled(page)


def _sign_in(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("textbox", name="User name").fill(ADMIN)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_upload_plan_answer_score_export_in_a_real_browser(app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    cv = tmp_path / "ada_lovelace_cv.md"
    cv.write_text(CV, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page.set_default_timeout(WAIT_MS)
            expect.set_options(timeout=WAIT_MS)
            page.goto(app_url)
            _sign_in(page)

            # Candidates: upload a CV and see it ingested
            expect(page.get_by_role("heading", name="Candidates", exact=True)).to_be_visible()
            page.get_by_role("textbox", name="Candidate name", exact=True).fill("Ada Lovelace")
            page.locator('input[type="file"]').set_input_files(str(cv))
            expect(page.get_by_text(cv.name).first).to_be_visible()
            page.get_by_role("button", name="Ingest documents").click()
            expect(page.get_by_text("ingested: 1 page(s)")).to_be_visible()

            # Interview: start a session on the RAG case and generate the plan
            page.get_by_role("link", name="Interview").click()
            page.get_by_text("Start a session").wait_for()
            page.get_by_test_id("stSelectbox").filter(has_text="Case study").locator("input").click()
            page.get_by_role("option", name=CASE_TITLE).click()
            page.get_by_role("button", name="Start session").click()
            page.get_by_role("button", name="Generate question plan").click()
            expect(page.get_by_text("From the candidate's documents")).to_be_visible()
            expect(page.get_by_text("quote verified verbatim by code")).to_be_visible()

            # The case question: answer, notes and a signal; autosave on leaving the box
            _open_case_question(page)
            page.get_by_role("textbox", name="Answer (type or paste)", exact=True).fill(ANSWER)
            page.get_by_role("textbox", name="Interviewer notes", exact=True).fill("Structured and concrete.")
            page.get_by_test_id("stExpander").filter(has_text="General").locator("summary").click()  # signals collapsed
            page.get_by_text("Asked clarifying questions").click()
            expect(page.get_by_text("General · 1 ticked")).to_be_visible()  # the server stored it and redrew the group
            _settled(page)

            # A browser refresh mid-session asks to sign in again and returns to the same question, typing kept
            answer_box = page.get_by_role("textbox", name="Answer (type or paste)", exact=True)
            page.reload()
            _sign_in(page)
            expect(page.get_by_text(f"Scored with: {CASE_RUBRIC}")).to_be_visible()  # the question in the address
            expect(answer_box).to_have_value(ANSWER)

            # A new visit (no session in the address) resumes it from the Interview page's list
            page.goto(app_url)
            _sign_in(page)
            page.get_by_role("link", name="Interview").click()
            expect(page.get_by_text(re.compile(r"· 1/\d+ answered"))).to_be_visible()
            page.get_by_role("button", name="Resume", exact=True).click()  # not "Start or resume another session"
            _open_case_question(page)
            expect(answer_box).to_have_value(ANSWER)

            # Score: AI scores per criterion with evidence; the interviewer's own score beside it
            page.get_by_role("button", name="Score this answer").click()
            expect(page.get_by_text("AI score:").first).to_be_visible()
            page.get_by_test_id("stRadio").first.get_by_text("3", exact=False).first.click()
            _settled(page)
            page.screenshot(path=str(tmp_path / "interview.png"), full_page=True)
            page.get_by_role("button", name="Finish session").click()
            page.get_by_role("button", name="Finish anyway").click()  # the other questions are unanswered
            expect(page.get_by_text("Session finished")).to_be_visible()

            # Scorecard and exports
            page.get_by_role("link", name="Open the scorecard").click()
            expect(page.get_by_text("AI overall", exact=True)).to_be_visible()
            expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
            _settled(page)
            page.screenshot(path=str(tmp_path / "scorecard.png"), full_page=True)
            exported = {}
            for label in ("Markdown", "JSON", "PDF"):
                with page.expect_download() as download:
                    page.get_by_role("button", name=label).click()
                target = tmp_path / download.value.suggested_filename
                download.value.save_as(target)
                exported[label] = target
        finally:
            browser.close()

    markdown = plain(exported["Markdown"].read_text(encoding="utf-8"))  # as a Markdown reader shows it
    assert markdown.startswith("# Scorecard — Ada Lovelace") and "Structured and concrete." in markdown
    assert "Asked clarifying questions" in markdown
    assert '"name": "Ada Lovelace"' in exported["JSON"].read_text(encoding="utf-8")
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(exported["PDF"].read_bytes())).pages)
    assert "Ada Lovelace" in pdf_text
    print(f"screenshots: {tmp_path / 'interview.png'} {tmp_path / 'scorecard.png'}")
