"""A stored session read back as one frozen `StoredSession`: questions, answers, signals and both kinds of score."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from vetting.db.models import (
    AIScoreRow,
    AnswerRow,
    CandidateRow,
    InterviewerScoreRow,
    QuestionRow,
    SessionRow,
    SignalRow,
    utcnow,
)
from vetting.kernel.domain import (
    AIScore,
    Candidate,
    Evidence,
    InterviewerScore,
    KeyPoint,
    SessionQuestion,
    StoredSession,
)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def snapshot(s: Session, row: SessionRow) -> StoredSession:
    candidate = s.get(CandidateRow, row.candidate_id)
    questions = s.scalars(select(QuestionRow).where(QuestionRow.session_id == row.id).order_by(QuestionRow.position))
    questions_list = list(questions.all())
    ids = [q.id for q in questions_list]
    answers = {a.question_id: a for a in s.scalars(select(AnswerRow).where(AnswerRow.question_id.in_(ids)))}
    signals: dict[int, list[str]] = {}
    for sig in s.scalars(select(SignalRow).where(SignalRow.question_id.in_(ids)).order_by(SignalRow.id)):
        signals.setdefault(sig.question_id, []).append(sig.label)
    ai: dict[int, list[AIScore]] = {}
    for a in s.scalars(select(AIScoreRow).where(AIScoreRow.question_id.in_(ids)).order_by(AIScoreRow.id)):
        evidence = tuple(Evidence(**e) for e in a.evidence or [])
        created = _aware(a.created_at) or utcnow()
        points = tuple(KeyPoint.from_dict(k) for k in a.key_points or [])
        score = AIScore(
            a.criterion_id,
            a.score,
            a.rationale,
            evidence,
            a.engine,
            a.model,
            a.rubric_version,
            created,
            a.rubric_id,
            points,
        )
        ai.setdefault(a.question_id, []).append(score)
    human: dict[int, list[InterviewerScore]] = {}
    for h in s.scalars(select(InterviewerScoreRow).where(InterviewerScoreRow.question_id.in_(ids))):
        human.setdefault(h.question_id, []).append(InterviewerScore(h.criterion_id, h.score, h.comment))
    built = []
    for q in questions_list:
        answer = answers.get(q.id)
        built.append(
            SessionQuestion(
                q.id,
                q.position,
                q.key,
                q.kind,
                q.text,
                q.criterion_id,
                q.citation,
                answer=answer.text if answer else "",
                notes=answer.notes if answer else "",
                answer_version=answer.version if answer else 1,
                signals=tuple(signals.get(q.id, [])),
                ai_scores=tuple(ai.get(q.id, [])),
                interviewer_scores=tuple(human.get(q.id, [])),
                rubric_id=q.rubric_id,
                original_text=q.original_text,
            )
        )
    return StoredSession(
        id=row.id,
        candidate=Candidate(row.candidate_id, candidate.name if candidate else "(erased)"),
        case_id=row.case_id,
        rubric_id=row.rubric_id,
        rubric_version=row.rubric_version,
        interviewer=row.interviewer,
        status=row.status,
        notes=row.notes,
        version=row.version,
        plan_engine=row.plan_engine,
        plan_model=row.plan_model,
        started_at=_aware(row.started_at) or utcnow(),
        finished_at=_aware(row.finished_at),
        updated_at=_aware(row.updated_at) or utcnow(),
        questions=tuple(built),
        deep_dive_rubric_id=row.deep_dive_rubric_id,
    )
