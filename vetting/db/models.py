"""ORM tables: candidates and their documents, sessions, scores, the audit logs and the user accounts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class CandidateRow(Base):
    __tablename__ = "candidates"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    notice_given_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # the AI-use notice reached them
    ai_opt_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    documents: Mapped[list[DocumentRow]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", passive_deletes=True
    )


class DocumentRow(Base):
    """One stored document of a candidate; `filename` identifies it, `doc_id` is the hash of its current content."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("candidate_id", "filename"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    doc_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    chunks: Mapped[int] = mapped_column(Integer, default=0)
    flags: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    stored_path: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(100), nullable=True)  # the user who uploaded it
    candidate: Mapped[CandidateRow] = relationship(back_populates="documents")


# --- interview sessions: one row per session, so two sessions in two tabs never write the same row ------------------


class SessionRow(Base):
    """One stored session: a candidate interviewed on a case, scored with one rubric version; `version` guards edits."""

    __tablename__ = "interview_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[str] = mapped_column(String(100), index=True)
    rubric_id: Mapped[str] = mapped_column(String(100))  # scores the case question and its follow-ups
    rubric_version: Mapped[str] = mapped_column(String(40))
    deep_dive_rubric_id: Mapped[str | None] = mapped_column(String(100), nullable=True)  # None: project-deep-dive
    interviewer: Mapped[str] = mapped_column(String(200), default="")  # the user the session is assigned to
    started_by: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | finished
    notes: Mapped[str] = mapped_column(Text, default="")
    plan_engine: Mapped[str | None] = mapped_column(String(100), nullable=True)
    plan_model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class QuestionRow(Base):
    """One planned question of a session, in order, with the verified quote it cites (deep dives)."""

    __tablename__ = "interview_questions"
    __table_args__ = (UniqueConstraint("session_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    criterion_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    citation: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    rubric_id: Mapped[str | None] = mapped_column(String(100), nullable=True)  # None: the session's rubric
    original_text: Mapped[str | None] = mapped_column(Text, nullable=True)  # the planner's wording once edited


class AnswerRow(Base):
    """What the candidate answered to one question and the interviewer's notes; `version` guards concurrent edits."""

    __tablename__ = "interview_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("interview_questions.id", ondelete="CASCADE"), unique=True, index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    actor: Mapped[str | None] = mapped_column(String(100), nullable=True)  # who saved it last


class SignalRow(Base):
    """A signal the interviewer observed during one question (e.g. 'asked clarifying questions')."""

    __tablename__ = "interview_signals"
    __table_args__ = (UniqueConstraint("question_id", "label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("interview_questions.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(300))


class AIScoreRow(Base):
    """The AI's score of one answer on one criterion (none when the answer gave no evidence); a rescore replaces it."""

    __tablename__ = "ai_scores"
    __table_args__ = (UniqueConstraint("question_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("interview_questions.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(100))
    score: Mapped[float | None] = mapped_column(Float, nullable=True)  # None: too little evidence in the answer
    rationale: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # {"text", "met", "evidence"} per key point of the criterion; rows scored before they were kept hold []
    key_points: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    engine: Mapped[str] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    rubric_id: Mapped[str | None] = mapped_column(String(100), nullable=True)  # None: scored before it was recorded
    rubric_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InterviewerScoreRow(Base):
    """The interviewer's own score and comment for one answer on one criterion; an AI rescore never touches it."""

    __tablename__ = "interviewer_scores"
    __table_args__ = (UniqueConstraint("question_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("interview_questions.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(100))
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(100), nullable=True)  # who saved it last


class AIOutputRow(Base):
    """Audit entry for every AI output shown to a user (a plan, a score): engine, model, rubric version and time."""

    __tablename__ = "ai_outputs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("interview_sessions.id", ondelete="CASCADE"), nullable=True, index=True
    )
    question_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(20))  # plan | score
    engine: Mapped[str] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    rubric_id: Mapped[str] = mapped_column(String(100))
    rubric_version: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(100), nullable=True)  # the user who asked for it


class AuditRow(Base):
    """One call to a language model: what was asked (as a hash), what came back, how long, which engine and model."""

    __tablename__ = "llm_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    task: Mapped[str] = mapped_column(String(100), index=True)
    engine: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(200))
    endpoint: Mapped[str] = mapped_column(String(500), default="")
    template_version: Mapped[str] = mapped_column(String(200), default="")
    input_sha256: Mapped[str] = mapped_column(String(64), default="")
    output: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))  # ok | invalid | error | fallback
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)
    prompt_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    completion_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    json_mode: Mapped[str] = mapped_column(String(20), default="none")
    candidate_id: Mapped[str | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), nullable=True, index=True
    )
    actor: Mapped[str | None] = mapped_column(String(100), nullable=True)  # the user whose action made the call


class WriteIntentRow(Base):
    """A store write under way: recorded before the vector store is touched, removed once the write is complete.

    An intent whose process died (crash, SIGKILL, power loss) tells recovery exactly what to undo or finish.
    """

    __tablename__ = "write_intents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    candidate_id: Mapped[str] = mapped_column(ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    created_candidate: Mapped[bool] = mapped_column(default=False)
    filename: Mapped[str | None] = mapped_column(String(300), nullable=True)
    doc_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    previous_doc_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    owner: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- accounts and what they did -----------------------------------------------------------------------------------


class UserRow(Base):
    """An account: a unique name, one role, an argon2 password hash (none for single-sign-on only), an e-mail."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # admin | recruiter | interviewer | reviewer
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SignInFailureRow(Base):
    """A failed password sign-in for a user name (whitespace-normalised, case-folded), and the lockout it began.

    No foreign key: a name without an account is locked out like one with, so a lockout says nothing about accounts.
    """

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ActivityRow(Base):
    """Who did what, when: a write, an erasure or an export; ids only, never a candidate's name or text.

    No foreign keys: the record of an erasure outlives the candidate it erased.
    """

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)  # e.g. upload, erase, export, session.start
    candidate_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    session_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
