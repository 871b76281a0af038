"""User accounts, the activity log, and the acting user on every recorded write, export and AI output

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:55:52.120187
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("candidate_id", sa.String(length=32), nullable=True),
        sa.Column("session_id", sa.String(length=32), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_actor"), ["actor"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_created_at"), ["created_at"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("ai_outputs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor", sa.String(length=100), nullable=True))

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor", sa.String(length=100), nullable=True))

    with op.batch_alter_table("interview_answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor", sa.String(length=100), nullable=True))

    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started_by", sa.String(length=100), nullable=True))
        batch_op.create_index(batch_op.f("ix_interview_sessions_started_by"), ["started_by"], unique=False)

    with op.batch_alter_table("interviewer_scores", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor", sa.String(length=100), nullable=True))

    with op.batch_alter_table("llm_audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("llm_audit", schema=None) as batch_op:
        batch_op.drop_column("actor")

    with op.batch_alter_table("interviewer_scores", schema=None) as batch_op:
        batch_op.drop_column("actor")

    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_sessions_started_by"))
        batch_op.drop_column("started_by")

    with op.batch_alter_table("interview_answers", schema=None) as batch_op:
        batch_op.drop_column("actor")

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("actor")

    with op.batch_alter_table("ai_outputs", schema=None) as batch_op:
        batch_op.drop_column("actor")

    op.drop_table("users")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_created_at"))
        batch_op.drop_index(batch_op.f("ix_activity_candidate_id"))
        batch_op.drop_index(batch_op.f("ix_activity_actor"))
        batch_op.drop_index(batch_op.f("ix_activity_action"))

    op.drop_table("activity")
