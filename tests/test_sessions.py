"""Interview sessions persist every answer and score, keep the interviewer's scores, and go when the candidate goes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from vetting.db.models import AIOutputRow, AIScoreRow, AnswerRow, QuestionRow, SessionRow
from vetting.kernel.errors import SessionConflict, SessionNotFound, VettingError
from vetting.kernel.settings import Settings
from vetting.services import Services
from vetting.sessions import Evidence, KeyPoint, PlannedQuestion, SessionService

PLAN = [
    PlannedQuestion("q1", "deep_dive", "Tell me about the pipeline.", "data-quality", {"quote": "built a pipeline"}),
    PlannedQuestion("q2", "case", "Walk me through the case.", None, None),
]


@pytest.fixture
def services(settings: Settings) -> Services:
    return Services(settings)


@pytest.fixture
def sessions(services: Services) -> SessionService:
    return SessionService(services.db)


def _new_session(services: Services, sessions: SessionService, name: str = "Ada Lovelace") -> str:
    candidate = services.candidates.get_or_create(name)
    session_id = sessions.create(candidate.id, "rag-customer-support", "rag-case-study", "1.0", "Grace")
    sessions.store_plan(session_id, PLAN, engine="offline", model=None)
    return session_id


def test_a_session_survives_a_restart_with_everything_typed(settings: Settings, services: Services) -> None:
    sessions = SessionService(services.db)
    session_id = _new_session(services, sessions)
    q1 = sessions.get(session_id).questions[0]
    sessions.save_answer(q1.id, text="I deduplicated by hash.", notes="confident", expected_version=q1.answer_version)
    sessions.set_signals(q1.id, ["Asked clarifying questions", "Asked clarifying questions", " "])
    sessions.set_interviewer_score(q1.id, "data-quality", 3, "good detail")

    reopened = SessionService(Services(settings).db).get(session_id)  # a new process: new engine, same file

    q = reopened.questions[0]
    assert (q.answer, q.notes, q.signals) == ("I deduplicated by hash.", "confident", ("Asked clarifying questions",))
    assert q.interviewer_score("data-quality") is not None
    assert q.interviewer_score("data-quality").score == 3  # type: ignore[union-attr]
    assert [x.key for x in reopened.questions] == ["q1", "q2"]
    assert q.citation == {"quote": "built a pipeline"}
    assert reopened.candidate.name == "Ada Lovelace" and reopened.interviewer == "Grace"


def test_an_ai_rescore_replaces_ai_scores_but_never_the_interviewers(
    services: Services, sessions: SessionService
) -> None:
    session_id = _new_session(services, sessions)
    q1 = sessions.get(session_id).questions[0]
    sessions.set_interviewer_score(q1.id, "data-quality", 2, "thin")
    evidence = [Evidence("deduplicated by hash", True, 2, 22)]
    sessions.store_ai_scores(q1.id, [("data-quality", 3.0, "names a step", evidence)], engine="offline", model=None)
    sessions.store_ai_scores(q1.id, [("data-quality", 4.0, "rescored", [])], engine="llm", model="gpt-4o-mini")

    q = sessions.get(session_id).questions[0]
    assert [(s.criterion_id, s.score, s.engine) for s in q.ai_scores] == [("data-quality", 4.0, "llm")]
    human = q.interviewer_score("data-quality")
    assert human is not None and (human.score, human.comment) == (2, "thin")


def test_key_points_are_stored_with_the_ai_score_and_read_back(settings: Settings, database_url: str) -> None:
    """On SQLite and (in CI) PostgreSQL: each key point, met or not, with the answer's sentence for a met one."""
    on = settings.model_copy(update={"database_url": database_url})
    services = Services(on)
    sessions = SessionService(services.db)
    session_id = _new_session(services, sessions)
    q1, q2 = sessions.get(session_id).questions
    points = [KeyPoint("Deduplicate the articles", True, "I deduplicated by hash."), KeyPoint("Keep versions", False)]
    sessions.store_ai_scores(q1.id, [("data-quality", 3.0, "names a step", [], points)], engine="offline", model=None)
    sessions.store_ai_scores(q2.id, [("data-quality", 2.0, "no key points given", [])], engine="offline", model=None)

    reopened = SessionService(Services(on).db).get(session_id)  # a new process: new engine, same database

    first, second = (q.ai_score("data-quality") for q in reopened.questions)
    assert first is not None and first.key_points == tuple(points)
    assert second is not None and second.key_points == ()


def test_every_ai_output_is_audited_with_engine_model_and_rubric_version(
    services: Services, sessions: SessionService
) -> None:
    session_id = _new_session(services, sessions)
    q1 = sessions.get(session_id).questions[0]
    sessions.store_ai_scores(q1.id, [("data-quality", 3.0, "ok", [])], engine="llm", model="m-1")

    audit = [(a.kind, a.engine, a.model, a.rubric_id, a.rubric_version) for a in sessions.audit_log(session_id)]
    assert audit == [
        ("plan", "offline", None, "rag-case-study", "1.0"),
        ("score", "llm", "m-1", "rag-case-study", "1.0"),
    ]
    assert all(a.created_at is not None for a in sessions.audit_log(session_id))


def test_two_sessions_do_not_overwrite_each_other(services: Services, sessions: SessionService) -> None:
    first = _new_session(services, sessions)
    second = _new_session(services, sessions, "Grace Hopper")
    a, b = sessions.get(first).questions[0], sessions.get(second).questions[0]
    sessions.save_answer(a.id, text="first tab", notes="", expected_version=a.answer_version)
    sessions.save_answer(b.id, text="second tab", notes="", expected_version=b.answer_version)
    assert sessions.get(first).questions[0].answer == "first tab"
    assert sessions.get(second).questions[0].answer == "second tab"


def test_a_stale_copy_of_the_same_answer_is_refused_not_silently_saved(
    services: Services, sessions: SessionService
) -> None:
    session_id = _new_session(services, sessions)
    q = sessions.get(session_id).questions[0]
    sessions.save_answer(q.id, text="saved in tab A", notes="", expected_version=q.answer_version)
    with pytest.raises(SessionConflict, match="another tab"):
        sessions.save_answer(q.id, text="stale tab B", notes="", expected_version=q.answer_version)
    assert sessions.get(session_id).questions[0].answer == "saved in tab A"
    version = sessions.get(session_id).version
    assert sessions.save_notes(session_id, "overall fine", version) == version + 1
    with pytest.raises(SessionConflict):
        sessions.save_notes(session_id, "stale", version)


def test_a_finished_session_is_read_only_until_reopened(services: Services, sessions: SessionService) -> None:
    session_id = _new_session(services, sessions)
    q = sessions.get(session_id).questions[0]
    sessions.finish(session_id)
    finished = sessions.get(session_id)
    assert finished.finished and finished.finished_at is not None and finished.elapsed_s() >= 0
    with pytest.raises(VettingError, match="finished"):
        sessions.save_answer(q.id, text="late", notes="", expected_version=q.answer_version)
    sessions.reopen(session_id)
    sessions.save_answer(q.id, text="late", notes="", expected_version=q.answer_version)
    assert sessions.get(session_id).questions[0].answer == "late"


def test_a_new_plan_is_refused_once_answers_exist(services: Services, sessions: SessionService) -> None:
    session_id = _new_session(services, sessions)
    sessions.store_plan(session_id, PLAN[:1], engine="offline", model=None)  # no answers yet: replaced
    q = sessions.get(session_id).questions[0]
    sessions.save_answer(q.id, text="an answer", notes="", expected_version=q.answer_version)
    with pytest.raises(VettingError, match="already has answers"):
        sessions.store_plan(session_id, PLAN, engine="offline", model=None)
    assert [x.key for x in sessions.get(session_id).questions] == ["q1"]


def test_erasing_a_candidate_erases_their_sessions_answers_scores_and_audit(
    services: Services, sessions: SessionService
) -> None:
    session_id = _new_session(services, sessions)
    kept = _new_session(services, sessions, "Grace Hopper")
    q = sessions.get(session_id).questions[0]
    sessions.save_answer(q.id, text="secret answer", notes="", expected_version=q.answer_version)
    sessions.store_ai_scores(q.id, [("data-quality", 3.0, "ok", [])], engine="offline", model=None)

    services.candidates.delete("Ada Lovelace")

    with pytest.raises(SessionNotFound):
        sessions.get(session_id)
    with services.db.session() as s:
        assert s.scalar(select(func.count()).select_from(SessionRow)) == 1
        assert s.scalar(select(func.count()).select_from(QuestionRow)) == len(PLAN)  # only the kept session's
        assert s.scalar(select(func.count()).select_from(AnswerRow).where(AnswerRow.text != "")) == 0
        assert s.scalar(select(func.count()).select_from(AIScoreRow)) == 0
        assert s.scalar(select(func.count()).select_from(AIOutputRow).where(AIOutputRow.session_id == kept)) == 1
        assert s.scalar(select(func.count()).select_from(AIOutputRow)) == 1
    assert [x.id for x in sessions.list_sessions()] == [kept]


def test_a_session_needs_an_existing_candidate(sessions: SessionService) -> None:
    with pytest.raises(VettingError, match="no longer exists"):
        sessions.create("0123456789abcdef", "rag-customer-support", "rag-case-study", "1.0")


def test_marking_one_signal_leaves_the_others_as_stored(services: Services, sessions: SessionService) -> None:
    session_id = _new_session(services, sessions)
    q = sessions.get(session_id).questions[0]
    sessions.set_signals(q.id, ["Asked clarifying questions", "Considered data quality first"])
    sessions.mark_signal(q.id, "Named a success metric", True)
    sessions.mark_signal(q.id, "Asked clarifying questions", False)
    sessions.mark_signal(q.id, "Named a success metric", True)  # ticking twice keeps one
    sessions.mark_signal(q.id, "  ", True)  # a blank label is no signal
    assert sorted(sessions.get(session_id).questions[0].signals) == [
        "Considered data quality first",
        "Named a success metric",
    ]
