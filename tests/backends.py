"""Backend fixtures: the same tests run on the embedded store and a real Chroma server, on SQLite and a real PostgreSQL.

`make test` starts both services (scripts/services.sh) and exports their addresses; without them (a plain `pytest` in a
fresh clone) the server and PostgreSQL variants skip with the reason. Imported by tests/conftest.py.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, make_url

from vetting.kernel.settings import Settings

# Read once at import: the autouse fixture of conftest.py clears every VETTING_* variable before each test.
CHROMA_URL = os.environ.get("VETTING_TEST_CHROMA_URL")
DATABASE_URL = os.environ.get("VETTING_TEST_DATABASE_URL")

STORE_BACKENDS = ["embedded", pytest.param("server", marks=pytest.mark.chroma_server)]
DATABASE_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def chroma_server_settings(settings: Settings) -> Settings:
    """`settings` pointed at the test Chroma server (skips when none is running)."""
    if not CHROMA_URL:
        pytest.skip("no Chroma server: set VETTING_TEST_CHROMA_URL (`make test` starts one)")
    parts = urlsplit(CHROMA_URL)
    return settings.model_copy(update={"chroma_host": parts.hostname, "chroma_port": parts.port or 8000})


@pytest.fixture(params=STORE_BACKENDS)
def store_backend(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    """Settings for the embedded store, then for the Chroma server."""
    return chroma_server_settings(settings) if request.param == "server" else settings


@pytest.fixture(scope="session")
def _postgres_admin() -> Iterator[object]:
    if not DATABASE_URL:
        pytest.skip("no PostgreSQL: set VETTING_TEST_DATABASE_URL (`make test` starts one)")
    engine = create_engine(DATABASE_URL, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    engine = request.getfixturevalue("_postgres_admin")
    name = f"vetting_test_{secrets.token_hex(6)}"
    with engine.connect() as connection:  # type: ignore[attr-defined]
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield make_url(DATABASE_URL or "").set(database=name).render_as_string(hide_password=False)
    with engine.connect() as connection:  # type: ignore[attr-defined]
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=DATABASE_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database URL: a SQLite file, then a PostgreSQL database."""
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite:///{tmp_path / 'fresh.db'}"


@pytest.fixture
def backend_settings(store_backend: Settings, database_url: str) -> Settings:
    """Every pairing of vector store and database: embedded or server, SQLite or PostgreSQL."""
    return store_backend.model_copy(update={"database_url": database_url})
