"""Each question records the rubric that scores it and the planner's original wording once edited

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deep_dive_rubric_id", sa.String(length=100), nullable=True))
    with op.batch_alter_table("interview_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rubric_id", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("original_text", sa.Text(), nullable=True))
    with op.batch_alter_table("ai_scores", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rubric_id", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ai_scores", schema=None) as batch_op:
        batch_op.drop_column("rubric_id")
    with op.batch_alter_table("interview_questions", schema=None) as batch_op:
        batch_op.drop_column("original_text")
        batch_op.drop_column("rubric_id")
    with op.batch_alter_table("interview_sessions", schema=None) as batch_op:
        batch_op.drop_column("deep_dive_rubric_id")
