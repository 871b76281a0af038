"""Per candidate: the date the AI-use notice was given, and whether they opted out of AI assessment

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notice_given_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ai_opt_out", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_column("ai_opt_out")
        batch_op.drop_column("notice_given_on")
