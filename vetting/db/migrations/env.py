"""Alembic environment: runs on the connection handed over by `vetting.db.migrate`, never on a URL of its own."""

from __future__ import annotations

from alembic import context

from vetting.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through vetting.db.migrate, which supplies the database connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
