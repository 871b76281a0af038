"""Schema migrations (Alembic, shipped in `vetting/db/migrations`): any older database is upgraded in place.

Adding or changing a table in `vetting/db/models.py` needs a revision, which a test enforces:

    python -m vetting.db.migrate revision "add the widgets table"
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect

from vetting.db.models import Base
from vetting.kernel.errors import VettingError
from vetting.locks import StoreLock

MIGRATIONS = Path(__file__).with_name("migrations")
FIRST_REVISION = "0001"
_PG_LOCK_KEY = 0x7E77_1D6  # any constant: serialises concurrent upgrades of one PostgreSQL database
_LOCK_TIMEOUT_S = 120.0


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision this version of the code knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at (None for an empty or pre-migration database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _exclusive(engine: Engine, connection: Connection) -> Iterator[None]:
    """One upgrader at a time: an advisory lock on PostgreSQL, a lock file beside a SQLite database."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({_PG_LOCK_KEY})")
        connection.commit()
        try:
            yield
        finally:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({_PG_LOCK_KEY})")
            connection.commit()
    elif connection.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        lock = StoreLock(Path(f"{engine.url.database}.migrate.lock"), _LOCK_TIMEOUT_S)
        try:
            with lock.exclusive():
                yield
        finally:
            lock.close()
    else:
        yield


def _known(revision: str | None) -> bool:
    if revision is None:
        return True
    try:
        return ScriptDirectory.from_config(_config()).get_revision(revision) is not None
    except Exception:
        return False


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision, in place; a database from before migrations is adopted first."""
    head = head_revision()
    if current_revision(engine) == head:
        return
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        with _exclusive(engine, connection):
            revision = MigrationContext.configure(connection).get_current_revision()
            if revision == head:
                return
            if not _known(revision):
                raise VettingError(
                    f"The database was written by a newer version of this program (schema {revision}); "
                    "update the program before using this database."
                )
            if sqlite:  # table copies during SQLite alterations must not fire ON DELETE CASCADE
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            try:
                config = _config(connection)
                if revision is None and inspect(connection).has_table("candidates"):
                    _adopt(config, connection)
                command.upgrade(config, "head")
                connection.commit()
            except VettingError:
                raise
            except Exception as exc:
                raise VettingError(
                    f"The database could not be upgraded to the current schema ({exc.__class__.__name__}: {exc}). "
                    "Nothing was changed; keep a copy of the database and report this."
                ) from exc
            finally:
                if sqlite:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def _adopt(config: Config, connection: Connection) -> None:
    """Version a database created before migrations: the current schema if it matches, else the first one."""
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    if not compare_metadata(context, Base.metadata):
        command.stamp(config, "head")
    else:
        command.stamp(config, FIRST_REVISION)


def schema_drift(engine: Engine) -> list[Any]:
    """Differences between the models and a migrated database; empty when every model change has a revision."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def new_revision(message: str) -> None:
    """Autogenerate a revision from the difference between the models and the newest revision."""
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'scratch.db'}")
        upgrade(engine)
        with engine.connect() as connection:
            number = len(list(ScriptDirectory.from_config(_config()).walk_revisions())) + 1
            written = command.revision(_config(connection), message=message, autogenerate=True, rev_id=f"{number:04d}")
        engine.dispose()
    for script in written if isinstance(written, list) else [written]:
        if script is not None:  # house style; harmless when ruff is not installed
            subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", script.path], check=False)


def main(argv: list[str] | None = None) -> None:
    """`python -m vetting.db.migrate revision MESSAGE` writes a new revision; `upgrade` migrates the configured DB."""
    parser = argparse.ArgumentParser(prog="python -m vetting.db.migrate", description=main.__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    revision = sub.add_parser("revision", help="autogenerate a revision from the models")
    revision.add_argument("message")
    sub.add_parser("upgrade", help="upgrade the database named by VETTING_DATABASE_URL / VETTING_DATA_DIR")
    args = parser.parse_args(argv)
    if args.command == "revision":
        new_revision(args.message)
    else:
        from vetting.db import make_engine
        from vetting.kernel.settings import Settings

        engine = make_engine(Settings())
        upgrade(engine)
        print(f"database at revision {current_revision(engine)}")


if __name__ == "__main__":
    main()
