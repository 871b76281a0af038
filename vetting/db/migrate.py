"""Schema creation and upgrades."""

from __future__ import annotations

from sqlalchemy import Engine

from vetting.db.models import Base


def upgrade(engine: Engine) -> None:
    """Bring the database to the current schema (creates missing tables)."""
    Base.metadata.create_all(engine)
