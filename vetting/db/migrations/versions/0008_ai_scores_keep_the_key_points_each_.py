"""AI scores keep the key points each answer met, with their evidence

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 17:37:09.604805
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("ai_scores", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_points", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("ai_scores", schema=None) as batch_op:
        batch_op.drop_column("key_points")
