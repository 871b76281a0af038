"""Each role in a real headless Chromium against `streamlit run app.py`: nothing before sign-in, then only its pages."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.ui.test_browser_e2e import CHROMIUM_ARGS, _chromium, _free_port, _settled
from vetting.authz import Actor
from vetting.kernel.settings import Settings
from vetting.services import Services

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "correct horse battery staple"
WAIT_MS = 90_000
NAV = {
    "admin": [
        "Candidates",
        "Interview",
        "Documents",
        "Scorecards",
        "AI call log",
        "Evaluation reports",
        "Activity log",
        "Users and settings",
    ],
    "recruiter": [],  # one page only: Streamlit draws no navigation at all
    "interviewer": ["Interview", "Documents"],
    "reviewer": ["Scorecards", "AI call log", "Evaluation reports", "Activity log"],
}
FIRST_HEADING = {"admin": "Candidates", "recruiter": "Candidates", "interviewer": "Interview", "reviewer": "Scorecards"}


def _seed(data_dir: Path) -> None:
    """One account per role; Ada's interview assigned to grace, Alan's to gordon."""
    services = Services(Settings(_env_file=None, data_dir=data_dir))  # type: ignore[call-arg]
    for name, role in (("ada", "admin"), ("rita", "recruiter"), ("grace", "interviewer"), ("vera", "reviewer")):
        services.users.add(name, role, password=PASSWORD)
    services.users.add("gordon", "interviewer", password=PASSWORD)
    recruiter = services.acting_as(Actor("rita", "recruiter"))
    for person, interviewer in (("Ada Lovelace", "grace"), ("Alan Turing", "gordon")):
        candidate = services.registry.get_or_create(person)
        recruiter.sessions.create(candidate.id, "rag-customer-support", "rag-case-study", "1.0", interviewer)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on 127.0.0.1 and a free port, over seeded accounts and candidates."""
    folder = tmp_path_factory.mktemp("roles")
    _seed(folder / "data")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VETTING_")}
    env |= {"VETTING_DATA_DIR": str(folder / "data"), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    log = (folder / "streamlit.log").open("w")
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]  # address: from config.toml
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
                pytest.fail(f"streamlit did not start: {(folder / 'streamlit.log').read_text()[-2000:]}")
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


def sign_in(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("textbox", name="User name").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


@pytest.mark.parametrize(
    ("role", "user"), [("admin", "ada"), ("recruiter", "rita"), ("interviewer", "grace"), ("reviewer", "vera")]
)
def test_each_role_sees_nothing_before_sign_in_then_only_its_pages(app_url: str, role: str, user: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(WAIT_MS)
            expect.set_options(timeout=WAIT_MS)
            page.goto(app_url)
            expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
            _settled(page)
            before = page.content()
            assert "Lovelace" not in before and "Turing" not in before and "Candidates" not in before
            assert page.get_by_test_id("stSidebarNavLink").count() == 0

            sign_in(page, user)
            expect(page.get_by_role("heading", name=FIRST_HEADING[role], exact=True)).to_be_visible()
            _settled(page)
            links = page.get_by_test_id("stSidebarNavLink").all_inner_texts()
            assert [link.split("\n")[-1].strip() for link in links] == NAV[role]
            expect(page.get_by_text(f"Signed in as {user} · {role}")).to_be_visible()
            shown = page.content()
            if role in ("admin", "recruiter"):
                expect(page.get_by_role("button", name="Erase Ada Lovelace…")).to_be_visible()
                expect(page.get_by_text("Assign an interview")).to_be_visible()
            else:
                assert page.get_by_role("button", name="Erase", exact=False).count() == 0
            if role == "interviewer":  # only the session assigned to grace, nothing of Alan's
                expect(page.get_by_text("Resume a session")).to_be_visible()
                assert "Ada Lovelace" in shown and "Turing" not in shown
            if role == "reviewer":  # every session, read only
                page.get_by_test_id("stSelectbox").first.locator("input").click()  # every session is offered
                expect(page.get_by_role("option", name=re.compile("Ada Lovelace"))).to_be_visible()
                expect(page.get_by_role("option", name=re.compile("Alan Turing"))).to_be_visible()
                page.keyboard.press("Escape")
                assert page.get_by_role("button", name="Generate question plan").count() == 0
            if role == "admin":
                page.get_by_role("link", name="Users and settings").click()
                expect(page.get_by_role("heading", name="Users and settings")).to_be_visible()

            page.get_by_role("button", name="Sign out").click()
            expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
            _settled(page)
            assert "Lovelace" not in page.content()
        finally:
            browser.close()
