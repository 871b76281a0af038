"""Plan edits in a live session: reword (AI wording kept), reorder, add, remove; each question keeps its rubric."""

from __future__ import annotations

import pytest

from vetting.kernel.errors import VettingError
from vetting.kernel.settings import Settings
from vetting.services import Services
from vetting.sessions import Evidence, PlannedQuestion, SessionService

PLAN = [
    PlannedQuestion("q1", "deep_dive", "Deep dive one?", "ownership", {"quote": "x"}, "project-deep-dive"),
    PlannedQuestion("q2", "deep_dive", "Deep dive two?", "business-impact", {"quote": "y"}, "project-deep-dive"),
    PlannedQuestion("q3", "case", "The case?", None, None, "rag-case-study"),
]


@pytest.fixture
def sessions(settings: Settings) -> SessionService:
    return SessionService(Services(settings).db)


@pytest.fixture
def session_id(settings: Settings, sessions: SessionService) -> str:
    candidate = Services(settings).candidates.get_or_create("Ada Lovelace")
    made = sessions.create(
        candidate.id, "rag-customer-support", "rag-case-study", "1.0", deep_dive_rubric_id="project-deep-dive"
    )
    sessions.store_plan(made, PLAN, engine="offline", model=None)
    return made


def _texts(sessions: SessionService, session_id: str) -> list[str]:
    return [q.text for q in sessions.get(session_id).questions]


def test_an_edit_keeps_the_ai_original_once(sessions: SessionService, session_id: str) -> None:
    q1 = sessions.get(session_id).questions[0]
    sessions.edit_question(q1.id, "  Which trade-off   did you make?  ")
    sessions.edit_question(q1.id, "Which trade-off did you regret?")
    edited = sessions.get(session_id).questions[0]
    assert edited.text == "Which trade-off did you regret?"
    assert edited.original_text == "Deep dive one?" and edited.edited


def test_reorder_moves_within_bounds_and_keeps_answers(sessions: SessionService, session_id: str) -> None:
    q3 = sessions.get(session_id).questions[2]
    sessions.save_answer(q3.id, text="I would start with the data.", notes="", expected_version=q3.answer_version)
    sessions.move_question(q3.id, -1)
    assert _texts(sessions, session_id) == ["Deep dive one?", "The case?", "Deep dive two?"]
    sessions.move_question(q3.id, -5)
    assert _texts(sessions, session_id) == ["The case?", "Deep dive one?", "Deep dive two?"]
    moved = sessions.get(session_id).questions[0]
    assert moved.answer == "I would start with the data." and [
        q.position for q in sessions.get(session_id).questions
    ] == [0, 1, 2]


def test_own_question_is_added_after_the_chosen_one_and_scored_by_its_rubric(
    sessions: SessionService, session_id: str
) -> None:
    q1 = sessions.get(session_id).questions[0]
    own = sessions.add_question(session_id, "How do you test prompts?", rubric_id="genai-product", after=q1.id)
    questions = sessions.get(session_id).questions
    assert [q.text for q in questions][:2] == ["Deep dive one?", "How do you test prompts?"]
    added = questions[1]
    assert added.id == own and added.kind == "own" and added.rubric_id == "genai-product" and not added.edited
    with pytest.raises(VettingError):
        sessions.add_question(session_id, "   ")


def test_remove_takes_the_answer_with_it(sessions: SessionService, session_id: str) -> None:
    q2 = sessions.get(session_id).questions[1]
    sessions.save_answer(q2.id, text="answer", notes="note", expected_version=q2.answer_version)
    sessions.remove_question(q2.id)
    assert _texts(sessions, session_id) == ["Deep dive one?", "The case?"]
    assert [q.position for q in sessions.get(session_id).questions] == [0, 1]


def test_each_ai_score_records_the_rubric_that_scored_it(sessions: SessionService, session_id: str) -> None:
    q1, _, q3 = sessions.get(session_id).questions
    assert (q1.rubric_id, q3.rubric_id) == ("project-deep-dive", "rag-case-study")
    sessions.store_ai_scores(
        q1.id, [("ownership", 3.0, "r", [Evidence("x", True, 0, 1)])], engine="offline", model=None
    )
    sessions.store_ai_scores(
        q3.id,
        [("data-quality", 2.0, "r", [])],
        engine="offline",
        model=None,
        rubric_id="rag-case-study",
        rubric_version="2.0",
    )
    got = sessions.get(session_id)
    assert got.questions[0].ai_scores[0].rubric_id == "project-deep-dive"
    assert (got.questions[2].ai_scores[0].rubric_id, got.questions[2].ai_scores[0].rubric_version) == (
        "rag-case-study",
        "2.0",
    )
    assert got.deep_dive_rubric_id == "project-deep-dive"


def test_a_finished_session_refuses_edits(sessions: SessionService, session_id: str) -> None:
    q1 = sessions.get(session_id).questions[0]
    sessions.finish(session_id)
    for edit in (
        lambda: sessions.edit_question(q1.id, "New?"),
        lambda: sessions.move_question(q1.id, 1),
        lambda: sessions.add_question(session_id, "New?"),
        lambda: sessions.remove_question(q1.id),
    ):
        with pytest.raises(VettingError):
            edit()
    assert _texts(sessions, session_id) == ["Deep dive one?", "Deep dive two?", "The case?"]
