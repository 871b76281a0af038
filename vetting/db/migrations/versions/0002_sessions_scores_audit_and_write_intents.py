"""Interview sessions, questions, answers and scores, AI outputs, the LLM audit log and store write intents.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 21:27:47.232347
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "interview_sessions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("candidate_id", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=100), nullable=False),
        sa.Column("rubric_id", sa.String(length=100), nullable=False),
        sa.Column("rubric_version", sa.String(length=40), nullable=False),
        sa.Column("interviewer", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("plan_engine", sa.String(length=100), nullable=True),
        sa.Column("plan_model", sa.String(length=200), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidates.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interview_sessions_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interview_sessions_case_id"), ["case_id"], unique=False)

    op.create_table(
        "llm_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("task", sa.String(length=100), nullable=False),
        sa.Column("engine", sa.String(length=200), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("endpoint", sa.String(length=500), nullable=False),
        sa.Column("template_version", sa.String(length=200), nullable=False),
        sa.Column("input_sha256", sa.String(length=64), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=True),
        sa.Column("completion_tokens", sa.Integer(), nullable=True),
        sa.Column("json_mode", sa.String(length=20), nullable=False),
        sa.Column("candidate_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidates.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("llm_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_llm_audit_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_llm_audit_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_llm_audit_task"), ["task"], unique=False)

    op.create_table(
        "write_intents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("candidate_id", sa.String(length=32), nullable=False),
        sa.Column("created_candidate", sa.Boolean(), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=True),
        sa.Column("doc_id", sa.String(length=64), nullable=True),
        sa.Column("previous_doc_id", sa.String(length=64), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidates.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("write_intents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_write_intents_candidate_id"), ["candidate_id"], unique=False)

    op.create_table(
        "ai_outputs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("candidate_id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=True),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("engine", sa.String(length=100), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("rubric_id", sa.String(length=100), nullable=False),
        sa.Column("rubric_version", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidates.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["interview_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ai_outputs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ai_outputs_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ai_outputs_session_id"), ["session_id"], unique=False)

    op.create_table(
        "interview_questions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("criterion_id", sa.String(length=100), nullable=True),
        sa.Column("citation", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["interview_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "position"),
    )
    with op.batch_alter_table("interview_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interview_questions_session_id"), ["session_id"], unique=False)

    op.create_table(
        "ai_scores",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(length=100), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("engine", sa.String(length=100), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("rubric_version", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["interview_questions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id", "criterion_id"),
    )
    with op.batch_alter_table("ai_scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ai_scores_question_id"), ["question_id"], unique=False)

    op.create_table(
        "interview_answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["interview_questions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("interview_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interview_answers_question_id"), ["question_id"], unique=True)

    op.create_table(
        "interview_signals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["interview_questions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id", "label"),
    )
    with op.batch_alter_table("interview_signals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interview_signals_question_id"), ["question_id"], unique=False)

    op.create_table(
        "interviewer_scores",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(length=100), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["interview_questions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id", "criterion_id"),
    )
    with op.batch_alter_table("interviewer_scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interviewer_scores_question_id"), ["question_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("interviewer_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interviewer_scores_question_id"))

    op.drop_table("interviewer_scores")
    with op.batch_alter_table("interview_signals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_signals_question_id"))

    op.drop_table("interview_signals")
    with op.batch_alter_table("interview_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_answers_question_id"))

    op.drop_table("interview_answers")
    with op.batch_alter_table("ai_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ai_scores_question_id"))

    op.drop_table("ai_scores")
    with op.batch_alter_table("interview_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_questions_session_id"))

    op.drop_table("interview_questions")
    with op.batch_alter_table("ai_outputs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ai_outputs_session_id"))
        batch_op.drop_index(batch_op.f("ix_ai_outputs_candidate_id"))

    op.drop_table("ai_outputs")
    with op.batch_alter_table("write_intents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_write_intents_candidate_id"))

    op.drop_table("write_intents")
    with op.batch_alter_table("llm_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_llm_audit_task"))
        batch_op.drop_index(batch_op.f("ix_llm_audit_created_at"))
        batch_op.drop_index(batch_op.f("ix_llm_audit_candidate_id"))

    op.drop_table("llm_audit")
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_sessions_case_id"))
        batch_op.drop_index(batch_op.f("ix_interview_sessions_candidate_id"))

    op.drop_table("interview_sessions")
