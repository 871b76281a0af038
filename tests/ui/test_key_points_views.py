"""Key points on the Interview page and the scorecard: met or not, a met one with the answer's sentence, as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.conftest import app_services, open_page
from tests.ui.hostile import raw_markup
from ui import state
from vetting.literal import escape_markdown
from vetting.sessions import KeyPoint, PlannedQuestion

SENTENCE = "First I would [audit](http://127.0.0.1:9/x) a sample of the articles."
ANSWER = f"{SENTENCE} Then I would keep source metadata."
MET = KeyPoint("Audit *the* articles ![i](http://127.0.0.1:9/i.png)", True, SENTENCE)
UNMET = KeyPoint("Version the index", False)
SHOWN = f"Key points: ✓ {escape_markdown(MET.text)} — “{escape_markdown(SENTENCE)}”; ✗ Version the index"


def _scored_with_key_points(data_dir: Path) -> tuple[str, int]:
    """An open session whose case answer the AI scored with one key point met and one not, beside the interviewer."""
    services = app_services(data_dir)
    candidate = services.candidates.get_or_create("Ada Lovelace")
    sessions = services.sessions
    session_id = sessions.create(candidate.id, "rag-customer-support", "rag-case-study", "1.0")
    sessions.store_plan(
        session_id, [PlannedQuestion("c1", "case", "Walk me through it.", None, None)], engine="offline", model=None
    )
    qid = sessions.get(session_id).questions[0].id
    sessions.save_answer(qid, text=ANSWER, notes="", expected_version=1)
    scored = ("data-quality", 3.0, "names a step", [], [MET, UNMET])
    sessions.store_ai_scores(qid, [scored], engine="offline", model=None)
    sessions.set_interviewer_score(qid, "data-quality", 2, "")
    return session_id, qid


@pytest.mark.slow
def test_the_interview_page_shows_key_points_under_the_ai_score_beside_the_interviewers(data_dir: Path) -> None:
    session_id, qid = _scored_with_key_points(data_dir)
    at = open_page("interview", session=session_id)
    shown = [m.value for m in at.markdown if m.value.startswith("Key points:")]
    assert shown == [SHOWN] and raw_markup(SHOWN) == []  # the rubric's and the answer's text stay literal
    assert next(r for r in at.radio if r.key == state.human_score_key(qid, "data-quality")).value == 2


@pytest.mark.slow
def test_the_scorecard_shows_key_points_with_the_evidence(data_dir: Path) -> None:
    session_id, _ = _scored_with_key_points(data_dir)
    at = open_page("scorecards", session=session_id)
    assert any(m.value == f"- Q1: {SHOWN}" for m in at.markdown)
