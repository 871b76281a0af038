"""Interview sessions in the database: plan, answers, signals, AI and interviewer scores; each write is short."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, delete, or_, select, update
from sqlalchemy.orm import Session

from vetting.authz import Actor, PermissionDenied, Right, operator
from vetting.db import Database
from vetting.db.models import (
    ActivityRow,
    AIOutputRow,
    AIScoreRow,
    AnswerRow,
    CandidateRow,
    InterviewerScoreRow,
    InterviewSessionRow,
    QuestionRow,
    SignalRow,
    UserRow,
    utcnow,
)
from vetting.kernel.domain import (
    AIScore,
    Candidate,
    Evidence,
    InterviewerScore,
    InterviewSession,
    PlannedQuestion,
    SessionQuestion,
)
from vetting.kernel.errors import CandidateNotFound, SessionConflict, SessionNotFound, VettingError
from vetting.plan_edits import PlanEditing


class SessionService(PlanEditing):
    """Creates and updates interview sessions; an AI rescore replaces AI scores and never touches the interviewer's.

    Every call is made as one `Actor`: administrators and reviewers read every session, an interviewer only the
    sessions they started or were assigned; only administrators and those interviewers change them.
    """

    def __init__(self, db: Database, actor: Actor | None = None) -> None:
        self.db = db
        self.actor = actor or operator()

    def with_actor(self, actor: Actor) -> SessionService:
        return SessionService(self.db, actor)

    # --- sessions --------------------------------------------------------------------------------------------------
    def create(
        self,
        candidate_id: str,
        case_id: str,
        rubric_id: str,
        rubric_version: str,
        interviewer: str = "",
        *,
        deep_dive_rubric_id: str | None = None,
    ) -> str:
        """A new open session; returns its id (kept in the page URL so a refresh finds it again).

        An interviewer starts sessions for themselves on candidates already assigned to them; a recruiter or an
        administrator may assign the session to any interviewer (`interviewer` is that user's name).
        `rubric_id` scores the case question and its follow-ups, `deep_dive_rubric_id` the deep dives.
        """
        interviewer = " ".join(interviewer.split())[:200]
        if not self.actor.can(Right.ASSIGN):
            self.actor.require(Right.INTERVIEW)
            if candidate_id not in self.candidate_ids():
                raise PermissionDenied("You can start sessions only for candidates assigned to you.")
            interviewer = self.actor.name
        with self.db.session() as s:
            if s.get(CandidateRow, candidate_id) is None:
                raise CandidateNotFound("That candidate no longer exists (erased?). Choose another one.")
            interviewer = self._assignee(s, interviewer)
            session_id = secrets.token_hex(8)
            s.add(
                InterviewSessionRow(
                    id=session_id,
                    candidate_id=candidate_id,
                    case_id=case_id,
                    rubric_id=rubric_id,
                    rubric_version=rubric_version,
                    deep_dive_rubric_id=deep_dive_rubric_id,
                    interviewer=interviewer,
                    started_by=self.actor.name,
                )
            )
            self._did(s, "session.start", candidate_id, session_id, assigned_to=interviewer)
            return session_id

    def get(self, session_id: str) -> InterviewSession:
        with self.db.session() as s:
            return snapshot(s, self._row(s, session_id))

    def list_sessions(self, *, candidate_id: str | None = None, case_id: str | None = None) -> list[InterviewSession]:
        """Sessions, newest first, optionally of one candidate or one case."""
        with self.db.session() as s:
            query = self._visible(select(InterviewSessionRow).order_by(InterviewSessionRow.started_at.desc()))
            if candidate_id:
                query = query.where(InterviewSessionRow.candidate_id == candidate_id)
            if case_id:
                query = query.where(InterviewSessionRow.case_id == case_id)
            return [snapshot(s, row) for row in s.scalars(query).all()]

    def candidate_ids(self) -> set[str]:
        """Candidates of the sessions this actor may read (all of them for administrators and reviewers)."""
        with self.db.session() as s:
            return set(s.scalars(self._visible(select(InterviewSessionRow.candidate_id))).all())

    def save_notes(self, session_id: str, notes: str, expected_version: int) -> int:
        """Store the session's notes unless another tab changed them since `expected_version`; returns new version."""
        with self.db.session() as s:
            self._open(s, session_id)
            done = s.execute(
                update(InterviewSessionRow)
                .where(InterviewSessionRow.id == session_id, InterviewSessionRow.version == expected_version)
                .values(notes=notes, version=expected_version + 1, updated_at=utcnow())
            )
            if getattr(done, "rowcount", 0) != 1:
                raise SessionConflict("These notes were changed in another tab. Reload to see them; your text is kept.")
            return expected_version + 1

    def finish(self, session_id: str) -> None:
        with self.db.session() as s:
            row = self._open(s, session_id)
            row.status, row.finished_at, row.updated_at, row.version = "finished", utcnow(), utcnow(), row.version + 1
            self._did(s, "session.finish", row.candidate_id, row.id)

    def reopen(self, session_id: str) -> None:
        with self.db.session() as s:
            row = self._row(s, session_id, write=True)
            row.status, row.finished_at, row.updated_at, row.version = "open", None, utcnow(), row.version + 1
            self._did(s, "session.reopen", row.candidate_id, row.id)

    # --- plan -----------------------------------------------------------------------------------------------------
    def store_plan(
        self,
        session_id: str,
        questions: Sequence[PlannedQuestion],
        *,
        engine: str,
        model: str | None,
        versions: dict[str, str] | None = None,
    ) -> None:
        """Store the plan's questions with empty answers, and audit the AI output; refused once answers exist."""
        with self.db.session() as s:
            row = self._open(s, session_id)
            old = s.scalars(select(QuestionRow.id).where(QuestionRow.session_id == session_id)).all()
            if old and s.scalar(select(AnswerRow.id).where(AnswerRow.question_id.in_(old), AnswerRow.text != "")):
                raise VettingError("This session already has answers; start a new session for a new plan.")
            s.execute(delete(QuestionRow).where(QuestionRow.session_id == session_id))
            for position, q in enumerate(questions):
                question = QuestionRow(
                    session_id=session_id,
                    position=position,
                    key=q.key,
                    kind=q.kind,
                    text=q.text,
                    criterion_id=q.criterion_id,
                    citation=q.citation,
                    rubric_id=q.rubric_id,
                )
                s.add(question)
                s.flush()
                s.add(AnswerRow(question_id=question.id))
            row.plan_engine, row.plan_model, row.updated_at = engine, model, utcnow()
            s.add(
                AIOutputRow(
                    candidate_id=row.candidate_id,
                    session_id=session_id,
                    kind="plan",
                    engine=engine,
                    model=model,
                    rubric_id=row.rubric_id,
                    rubric_version=row.rubric_version,
                    detail={
                        "questions": len(questions),
                        "kinds": sorted({q.kind for q in questions}),
                        "case_id": row.case_id,
                        **(versions or {}),
                    },
                    actor=self.actor.name,
                )
            )

    # --- answers, signals and scores ----------------------------------------------------------------------------------
    def save_answer(self, question_id: int, *, text: str, notes: str, expected_version: int) -> int:
        """Autosave one answer and its notes unless another tab saved first; returns the new version."""
        with self.db.session() as s:
            self._open_question(s, question_id)
            done = s.execute(
                update(AnswerRow)
                .where(AnswerRow.question_id == question_id, AnswerRow.version == expected_version)
                .values(
                    text=text, notes=notes, version=expected_version + 1, updated_at=utcnow(), actor=self.actor.name
                )
            )
            if getattr(done, "rowcount", 0) != 1:
                raise SessionConflict("This answer was changed in another tab. Reload to see it; your text is kept.")
            return expected_version + 1

    def answer_version(self, question_id: int) -> int:
        """The stored version of one answer (what a tab must quote to overwrite it)."""
        with self.db.session() as s:
            self._question(s, question_id)
            version = s.scalar(select(AnswerRow.version).where(AnswerRow.question_id == question_id))
            if version is None:
                raise SessionNotFound("That question is no longer part of the session.")
            return int(version)

    def set_signals(self, question_id: int, labels: Iterable[str]) -> None:
        with self.db.session() as s:
            self._open_question(s, question_id)
            s.execute(delete(SignalRow).where(SignalRow.question_id == question_id))
            for label in dict.fromkeys(label.strip()[:300] for label in labels if label.strip()):
                s.add(SignalRow(question_id=question_id, label=label))

    def store_ai_scores(
        self,
        question_id: int,
        scores: Sequence[tuple[str, float | None, str, Sequence[Evidence]]],
        *,
        engine: str,
        model: str | None,
        versions: dict[str, str] | None = None,
        rubric_id: str | None = None,
        rubric_version: str | None = None,
    ) -> None:
        """Replace the AI scores of one answer ((criterion, score, rationale, evidence) each) and audit the output.

        `rubric_id` and `rubric_version` name the rubric that scored it (default: the question's, else the session's).
        """
        with self.db.session() as s:
            question = self._open_question(s, question_id)
            session = self._row(s, question.session_id, write=True)
            rubric_id = rubric_id or question.rubric_id or session.rubric_id
            rubric_version = rubric_version or session.rubric_version
            s.execute(delete(AIScoreRow).where(AIScoreRow.question_id == question_id))
            for criterion_id, score, rationale, evidence in scores:
                s.add(
                    AIScoreRow(
                        question_id=question_id,
                        criterion_id=criterion_id,
                        score=None if score is None else float(score),
                        rationale=rationale,
                        evidence=[e.to_dict() for e in evidence],
                        engine=engine,
                        model=model,
                        rubric_id=rubric_id,
                        rubric_version=rubric_version,
                    )
                )
            s.add(
                AIOutputRow(
                    candidate_id=session.candidate_id,
                    session_id=session.id,
                    question_id=question_id,
                    kind="score",
                    engine=engine,
                    model=model,
                    rubric_id=rubric_id,
                    rubric_version=rubric_version,
                    detail={
                        "scores": {c: None if v is None else float(v) for c, v, _, _ in scores},
                        "case_id": session.case_id,
                        **(versions or {}),
                    },
                    actor=self.actor.name,
                )
            )

    def set_interviewer_score(self, question_id: int, criterion_id: str, score: int | None, comment: str) -> None:
        with self.db.session() as s:
            self._open_question(s, question_id)
            row = s.scalar(
                select(InterviewerScoreRow).where(
                    InterviewerScoreRow.question_id == question_id, InterviewerScoreRow.criterion_id == criterion_id
                )
            )
            if row is None:
                row = InterviewerScoreRow(question_id=question_id, criterion_id=criterion_id)
                s.add(row)
            row.score, row.comment, row.updated_at, row.actor = score, comment, utcnow(), self.actor.name

    def audit_log(self, session_id: str) -> list[AIOutputRow]:
        """Every AI output recorded for this session, oldest first."""
        with self.db.session() as s:
            self._row(s, session_id)
            query = select(AIOutputRow).where(AIOutputRow.session_id == session_id).order_by(AIOutputRow.id)
            return list(s.scalars(query).all())

    # --- helpers --------------------------------------------------------------------------------------------------
    def _visible(self, query: Select[Any]) -> Select[Any]:
        """Restrict a query on sessions to those this actor may read."""
        if self.actor.sees_every_session:
            return query
        mine = or_(
            InterviewSessionRow.started_by == self.actor.name, InterviewSessionRow.interviewer == self.actor.name
        )
        return query.where(mine) if self.actor.can(Right.INTERVIEW) else query.where(InterviewSessionRow.id.is_(None))

    def _row(self, s: Session, session_id: str, *, write: bool = False) -> InterviewSessionRow:
        """The session's row if this actor may read it (and, with `write`, change it)."""
        row = s.get(InterviewSessionRow, session_id)
        if row is None:
            raise SessionNotFound("This interview session no longer exists (its candidate may have been erased).")
        mine = self.actor.can(Right.INTERVIEW) and self.actor.takes_part_in(row.started_by, row.interviewer)
        if not (mine or self.actor.sees_every_session):
            raise PermissionDenied("This interview session is not assigned to you.")
        if write and not (mine or self.actor.can(Right.MANAGE_USERS)):
            raise PermissionDenied("Sessions are read only for your role; only their interviewer changes them.")
        return row

    def _assignee(self, s: Session, interviewer: str) -> str:
        """The user a new session is assigned to: an interviewer's or administrator's account (default: the actor)."""
        if not interviewer:
            if not self.actor.can(Right.INTERVIEW):
                raise VettingError("Choose the interviewer this session is assigned to.")
            return self.actor.name
        if self.actor.can(Right.MANAGE_USERS):
            return interviewer  # an administrator may name someone without an account (who then cannot open it)
        role = s.scalar(select(UserRow.role).where(UserRow.name == interviewer))
        if role not in ("interviewer", "admin"):
            raise VettingError(f"'{interviewer}' is not an interviewer's account; `vet users list` shows them.")
        return interviewer

    def _did(self, s: Session, action: str, candidate_id: str, session_id: str, **detail: object) -> None:
        s.add(
            ActivityRow(
                actor=self.actor.name, action=action, candidate_id=candidate_id, session_id=session_id, detail=detail
            )
        )

    def _question(self, s: Session, question_id: int, *, write: bool = False) -> QuestionRow:
        question = s.get(QuestionRow, question_id)
        if question is None:
            raise SessionNotFound("That question is no longer part of the session.")
        self._row(s, question.session_id, write=write)
        return question

    def _open(self, s: Session, session_id: str) -> InterviewSessionRow:
        row = self._row(s, session_id, write=True)
        if row.status == "finished":
            raise VettingError("This session is finished; reopen it to change it.")
        return row

    def _open_question(self, s: Session, question_id: int) -> QuestionRow:
        question = self._question(s, question_id, write=True)
        self._open(s, question.session_id)
        return question


__all__ = ["Evidence", "InterviewSession", "PlannedQuestion", "SessionService"]


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def snapshot(s: Session, row: InterviewSessionRow) -> InterviewSession:
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
        score = AIScore(
            a.criterion_id, a.score, a.rationale, evidence, a.engine, a.model, a.rubric_version, created, a.rubric_id
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
    return InterviewSession(
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
