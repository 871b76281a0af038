"""Answers, signals, AI and interviewer scores of a stored session; an AI rescore never touches the interviewer's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from vetting.authz import Actor
from vetting.db import Database
from vetting.db.models import (
    AIOutputRow,
    AIScoreRow,
    AnswerRow,
    InterviewerScoreRow,
    QuestionRow,
    SessionRow,
    SignalRow,
    utcnow,
)
from vetting.kernel.domain import Evidence, KeyPoint
from vetting.kernel.errors import SessionConflict, SessionNotFound

Scored = tuple[str, float | None, str, Sequence[Evidence]]  # criterion, score, rationale, evidence
ScoredWithKeyPoints = tuple[str, float | None, str, Sequence[Evidence], Sequence[KeyPoint]]


def _key_points(scored: Scored | ScoredWithKeyPoints) -> list[dict[str, object]]:
    """The key points of one stored score as rows hold them (none when the caller gave none)."""
    return [k.to_dict() for k in scored[4]] if len(scored) > 4 else []


class SessionAnswers:
    """What is typed and scored per question; each write is one short transaction on an open session."""

    db: Database
    actor: Actor

    def _row(self, s: Session, session_id: str, *, write: bool = False) -> SessionRow:
        """The session's row if the acting user may read it (and, with `write`, change it): the service decides."""
        raise NotImplementedError

    def _question(self, s: Session, question_id: int, *, write: bool = False) -> QuestionRow:
        """The question's row if the acting user may read its session: the service decides."""
        raise NotImplementedError

    def _open_question(self, s: Session, question_id: int) -> QuestionRow:
        """The question's row if its session is open and the acting user may change it: the service decides."""
        raise NotImplementedError

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

    def mark_signal(self, question_id: int, label: str, observed: bool) -> None:
        """Tick or untick one signal, leaving the others as stored (one checkbox changed)."""
        label = label.strip()[:300]
        if not label:
            return
        with self.db.session() as s:
            self._open_question(s, question_id)
            s.execute(delete(SignalRow).where(SignalRow.question_id == question_id, SignalRow.label == label))
            if observed:
                s.add(SignalRow(question_id=question_id, label=label))

    def store_ai_scores(
        self,
        question_id: int,
        scores: Sequence[Scored | ScoredWithKeyPoints],
        *,
        engine: str,
        model: str | None,
        versions: dict[str, str] | None = None,
        rubric_id: str | None = None,
        rubric_version: str | None = None,
    ) -> None:
        """Replace the AI scores of one answer ((criterion, score, rationale, evidence[, key points]) each); audit it.

        `rubric_id` and `rubric_version` name the rubric that scored it (default: the question's, else the session's).
        """
        with self.db.session() as s:
            question = self._open_question(s, question_id)
            session = self._row(s, question.session_id, write=True)
            rubric_id = rubric_id or question.rubric_id or session.rubric_id
            rubric_version = rubric_version or session.rubric_version
            s.execute(delete(AIScoreRow).where(AIScoreRow.question_id == question_id))
            for scored in scores:
                criterion_id, score, rationale, evidence = scored[:4]
                s.add(
                    AIScoreRow(
                        question_id=question_id,
                        criterion_id=criterion_id,
                        score=None if score is None else float(score),
                        rationale=rationale,
                        evidence=[e.to_dict() for e in evidence],
                        key_points=_key_points(scored),
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
                        "scores": {c: None if v is None else float(v) for c, v, *_ in scores},
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
