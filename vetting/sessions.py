"""Interview sessions in the database: start, read, notes, finish, the plan and its audit; each write is short.

Answers, signals and scores are written by `SessionAnswers` (session_answers.py), read back by `snapshot`.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, or_, select, update
from sqlalchemy.orm import Session

from vetting.authz import Actor, PermissionDenied, Right, operator
from vetting.db import Database
from vetting.db.models import (
    ActivityRow,
    AIOutputRow,
    AnswerRow,
    CandidateRow,
    QuestionRow,
    SessionRow,
    UserRow,
    utcnow,
)
from vetting.kernel.domain import Evidence, KeyPoint, PlannedQuestion, StoredSession
from vetting.kernel.errors import CandidateNotFound, SessionConflict, SessionNotFound, VettingError
from vetting.plan_edits import PlanEditing
from vetting.session_answers import SessionAnswers
from vetting.session_snapshot import snapshot


class SessionService(SessionAnswers, PlanEditing):
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
                SessionRow(
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

    def get(self, session_id: str) -> StoredSession:
        with self.db.session() as s:
            return snapshot(s, self._row(s, session_id))

    def list_sessions(self, *, candidate_id: str | None = None, case_id: str | None = None) -> list[StoredSession]:
        """Sessions, newest first, optionally of one candidate or one case."""
        with self.db.session() as s:
            query = self._visible(select(SessionRow).order_by(SessionRow.started_at.desc()))
            if candidate_id:
                query = query.where(SessionRow.candidate_id == candidate_id)
            if case_id:
                query = query.where(SessionRow.case_id == case_id)
            return [snapshot(s, row) for row in s.scalars(query).all()]

    def candidate_ids(self) -> set[str]:
        """Candidates of the sessions this actor may read (all of them for administrators and reviewers)."""
        with self.db.session() as s:
            return set(s.scalars(self._visible(select(SessionRow.candidate_id))).all())

    def save_notes(self, session_id: str, notes: str, expected_version: int) -> int:
        """Store the session's notes unless another tab changed them since `expected_version`; returns new version."""
        with self.db.session() as s:
            self._open(s, session_id)
            done = s.execute(
                update(SessionRow)
                .where(SessionRow.id == session_id, SessionRow.version == expected_version)
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
        mine = or_(SessionRow.started_by == self.actor.name, SessionRow.interviewer == self.actor.name)
        return query.where(mine) if self.actor.can(Right.INTERVIEW) else query.where(SessionRow.id.is_(None))

    def _row(self, s: Session, session_id: str, *, write: bool = False) -> SessionRow:
        """The session's row if this actor may read it (and, with `write`, change it)."""
        row = s.get(SessionRow, session_id)
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

    def _open(self, s: Session, session_id: str) -> SessionRow:
        row = self._row(s, session_id, write=True)
        if row.status == "finished":
            raise VettingError("This session is finished; reopen it to change it.")
        return row

    def _open_question(self, s: Session, question_id: int) -> QuestionRow:
        question = self._question(s, question_id, write=True)
        self._open(s, question.session_id)
        return question


__all__ = ["Evidence", "KeyPoint", "PlannedQuestion", "SessionService", "StoredSession"]
