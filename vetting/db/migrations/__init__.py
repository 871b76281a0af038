"""Alembic migrations of the relational schema; `vetting.db.migrate.upgrade` runs them."""
