"""The interviewer's edits to a plan: reword, reorder, add an own question, remove; the AI's wording is kept."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from vetting.db import Database
from vetting.db.models import AnswerRow, QuestionRow, SessionRow, utcnow
from vetting.kernel.errors import SessionNotFound, VettingError

MAX_QUESTION_CHARS = 2000


def _clean(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise VettingError("A question cannot be empty.")
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise VettingError(f"A question can be at most {MAX_QUESTION_CHARS} characters.")
    return cleaned


class PlanEditing:
    """Plan edits on the sessions' tables; each is one short transaction and leaves positions 0..n-1 in order."""

    db: Database

    def _row(self, s: Session, session_id: str, *, write: bool = False) -> SessionRow:
        """The session's row if the acting user may read it (and, with `write`, change it): the service decides."""
        raise NotImplementedError

    def edit_question(self, question_id: int, text: str) -> None:
        """Reword a question; the planner's wording is kept the first time (own questions have none to keep)."""
        cleaned = _clean(text)
        with self.db.session() as s:
            question = _open_question(s, question_id)
            self._row(s, question.session_id, write=True)
            if question.original_text is None and question.kind != "own" and cleaned != question.text:
                question.original_text = question.text
            question.text = cleaned
            _touch(s, question.session_id)

    def move_question(self, question_id: int, offset: int) -> None:
        """Move a question `offset` places up (negative) or down, within the plan's bounds."""
        with self.db.session() as s:
            question = _open_question(s, question_id)
            self._row(s, question.session_id, write=True)
            rows = _ordered(s, question.session_id)
            at = [r.id for r in rows].index(question_id)
            target = max(0, min(len(rows) - 1, at + offset))
            rows.insert(target, rows.pop(at))
            _renumber(s, rows)
            _touch(s, question.session_id)

    def add_question(
        self, session_id: str, text: str, *, rubric_id: str | None = None, after: int | None = None
    ) -> int:
        """Add the interviewer's own question (after question `after`, else at the end); returns its id.

        An own question is scored on every criterion of `rubric_id` (default: the session's rubric).
        """
        cleaned = _clean(text)
        with self.db.session() as s:
            _open_session(s, session_id)
            self._row(s, session_id, write=True)
            rows = _ordered(s, session_id)
            question = QuestionRow(
                session_id=session_id,
                position=max((r.position for r in rows), default=-1) + 1,
                key=f"own-{secrets.token_hex(4)}",
                kind="own",
                text=cleaned,
                criterion_id=None,
                citation=None,
                rubric_id=rubric_id,
            )
            s.add(question)
            s.flush()
            s.add(AnswerRow(question_id=question.id))
            ids = [r.id for r in rows]
            where = ids.index(after) + 1 if after in ids else len(rows)
            rows.insert(where, question)
            _renumber(s, rows)
            _touch(s, session_id)
            return int(question.id)

    def remove_question(self, question_id: int) -> None:
        """Remove a question with its answer, notes and scores (the page asks first when it has an answer)."""
        with self.db.session() as s:
            question = _open_question(s, question_id)
            self._row(s, question.session_id, write=True)
            session_id = question.session_id
            s.delete(question)
            s.flush()
            _renumber(s, _ordered(s, session_id))
            _touch(s, session_id)


def _ordered(s: Session, session_id: str) -> list[QuestionRow]:
    query = select(QuestionRow).where(QuestionRow.session_id == session_id).order_by(QuestionRow.position)
    return list(s.scalars(query).all())


def _renumber(s: Session, rows: list[QuestionRow]) -> None:
    """Positions 0..n-1 in the given order, through temporary ones so the unique (session, position) always holds."""
    top = max((r.position for r in rows), default=0) + len(rows) + 1
    for n, row in enumerate(rows):
        row.position = top + n
    s.flush()
    for n, row in enumerate(rows):
        row.position = n
    s.flush()


def _open_session(s: Session, session_id: str) -> SessionRow:
    row = s.get(SessionRow, session_id)
    if row is None:
        raise SessionNotFound("This interview session no longer exists (its candidate may have been erased).")
    if row.status == "finished":
        raise VettingError("This session is finished; reopen it to change it.")
    return row


def _open_question(s: Session, question_id: int) -> QuestionRow:
    question = s.get(QuestionRow, question_id)
    if question is None:
        raise SessionNotFound("That question is no longer part of the session.")
    _open_session(s, question.session_id)
    return question


def _touch(s: Session, session_id: str) -> None:
    row = s.get(SessionRow, session_id)
    if row is not None:
        row.updated_at = utcnow()
