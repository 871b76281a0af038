"""The live session in a real headless Chromium: overview, edit, reorder, typing kept across a refresh, finishing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.test_browser_e2e import CHROMIUM_ARGS, WAIT_MS, _chromium, _settled, _sign_in, app_url  # noqa: F401 - fixture
from vetting.kernel.settings import Settings
from vetting.services import Services
from vetting.sessions import Evidence, PlannedQuestion

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLAN = [
    PlannedQuestion(
        "q1",
        "deep_dive",
        "Which design did you reject for the pipeline?",
        "technical-tradeoffs",
        {"quote": "Built a pipeline.", "chunk_id": "c", "document": "cv.md", "page": None},
        "project-deep-dive",
    ),
    PlannedQuestion("q2", "deep_dive", "How did you measure the saving?", "measurement", None, "project-deep-dive"),
    PlannedQuestion("q3", "case", "Walk me through the case.", None, None, "rag-case-study"),
]
TYPED = "I would start by auditing a sample of the articles for duplicates and stale versions"


def _seed(data_dir: Path) -> tuple[str, list[int]]:
    """A session with a plan, and one scored answer on which the AI and the interviewer are two levels apart."""
    services = Services(Settings(_env_file=None, data_dir=data_dir))  # type: ignore[call-arg]
    candidate = services.candidates.get_or_create("Ada Lovelace")
    session_id = services.sessions.create(candidate.id, "rag-customer-support", "rag-case-study", "1.0", "Grace")
    services.sessions.store_plan(session_id, PLAN, engine="offline", model=None)
    ids = [q.id for q in services.sessions.get(session_id).questions]
    answer = "We chose Kafka over cron and accepted the operational cost."
    services.sessions.save_answer(ids[1], text=answer, notes="", expected_version=1)
    evidence = [Evidence("accepted the operational cost", True, 29, 58)]
    services.sessions.store_ai_scores(ids[1], [("measurement", 3.0, "clear", evidence)], engine="offline", model=None)
    services.sessions.set_interviewer_score(ids[1], "measurement", 1, "no baseline given")
    return session_id, ids


def test_overview_edit_reorder_refresh_while_typing_and_finish(app_url: str, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    session_id, ids = _seed(tmp_path / "data")
    services = Services(Settings(_env_file=None, data_dir=tmp_path / "data"))  # type: ignore[call-arg]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(WAIT_MS)
            expect.set_options(timeout=WAIT_MS)
            page.goto(f"{app_url}/interview?session={session_id}&q=1")
            _sign_in(page)  # each page load is a new tab session: sign in again

            # One overview of every question
            expect(page.get_by_text("Plan overview — 3 questions")).to_be_visible()
            for text in ("Which design did you reject", "How did you measure the saving?", "Walk me through the case."):
                expect(page.get_by_text(text).first).to_be_visible()

            # Edit Q1: the new wording is saved, the planner's original shown beside it
            page.get_by_role("button", name="Edit").first.click()
            box = page.get_by_role("textbox", name="Wording of Q1")
            box.fill("Which alternative did you rule out, and what did it cost you?")
            page.get_by_role("button", name="Save wording").click()
            expect(
                page.get_by_text("Planner's original: Which design did you reject for the pipeline?")
            ).to_be_visible()
            _settled(page)
            assert services.sessions.get(session_id).questions[0].original_text == PLAN[0].text

            # Reorder: Q1 down one place
            page.get_by_role("button", name="↓").first.click()
            _settled(page)
            assert [q.id for q in services.sessions.get(session_id).questions] == [ids[1], ids[0], ids[2]]

            # Type into the answer box and refresh without ever leaving it: the text is there
            page.goto(f"{app_url}/interview?session={session_id}&q=3")
            _sign_in(page)  # each page load is a new tab session: sign in again
            answer = page.get_by_role("textbox", name="Answer (type or paste)", exact=True)
            answer.click()
            answer.press_sequentially(TYPED, delay=15)
            for _ in range(120):  # a pause in typing: saved while the box keeps the focus (30 s bound)
                if services.sessions.get(session_id).questions[2].answer == TYPED:
                    break
                page.wait_for_timeout(250)
            assert page.evaluate("document.activeElement && document.activeElement.tagName") == "TEXTAREA"
            page.reload()
            _sign_in(page)  # each page load is a new tab session: sign in again
            expect(page.get_by_role("textbox", name="Answer (type or paste)", exact=True)).to_have_value(TYPED)
            assert services.sessions.get(session_id).questions[2].answer == TYPED

            # Finish lists what is unanswered and unscored, and asks first
            page.get_by_role("button", name="Finish session").click()
            expect(page.get_by_text("Not answered: Q2.")).to_be_visible()
            expect(page.get_by_text("Answered but not scored: Q3.")).to_be_visible()
            assert not services.sessions.get(session_id).finished
            page.get_by_role("button", name="Finish anyway").click()
            expect(page.get_by_text("Session finished")).to_be_visible()

            # The scorecard shows the answer where AI and interviewer are two levels apart
            page.goto(f"{app_url}/scorecards?session={session_id}")
            _sign_in(page)  # each page load is a new tab session: sign in again
            expect(page.get_by_text("1 answer score(s) differ by 2 levels or more")).to_be_visible()
            page.screenshot(path=str(tmp_path / "scorecard-gaps.png"), full_page=True)
        finally:
            browser.close()
