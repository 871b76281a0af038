"""Schema migrations on SQLite and a real PostgreSQL: models and revisions agree, older databases upgrade in place."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, inspect, select, text

from vetting.db import Database
from vetting.db.migrate import _config, current_revision, head_revision, schema_drift, upgrade
from vetting.db.models import AIScoreRow, Base, CandidateRow, DocumentRow, SessionRow
from vetting.kernel.errors import VettingError
from vetting.kernel.settings import Settings
from vetting.session_snapshot import snapshot


@pytest.fixture
def engine(database_url: str) -> Engine:
    built = create_engine(database_url)
    yield built  # type: ignore[misc]
    built.dispose()


def _first_schema_with_data(engine: Engine, *, versioned: bool) -> None:
    """A database as the first release left it: candidates and documents only, with a candidate and a document."""
    with engine.connect() as connection:
        command.upgrade(_config(connection), "0001")
        if not versioned:  # the first release created tables without recording a revision
            connection.exec_driver_sql("DROP TABLE alembic_version")
        connection.execute(
            text("INSERT INTO candidates (id, name, created_at) VALUES ('abc123def456', 'Ada Lovelace', :now)"),
            {"now": datetime.now(UTC)},
        )
        connection.execute(
            text(
                "INSERT INTO documents (candidate_id, filename, doc_id, kind, pages, chunks, flags, stored_path, "
                "created_at) VALUES ('abc123def456', 'cv.pdf', 'd0c', 'pdf', 2, 9, '[]', '/x/d0c.pdf', :now)"
            ),
            {"now": datetime.now(UTC)},
        )
        connection.commit()


def test_every_model_change_has_a_migration(engine: Engine) -> None:
    """Fails when a table or column is added to vetting/db/models.py without `python -m vetting.db.migrate revision`."""
    upgrade(engine)
    drift = schema_drift(engine)
    assert drift == [], f"models and migrations differ; add a revision: {drift}"
    assert set(inspect(engine).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}


def test_drift_is_detected(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE write_intents")
    assert any("write_intents" in str(diff) for diff in schema_drift(engine))


@pytest.mark.parametrize("versioned", [True, False], ids=["first-revision", "before-migrations"])
def test_an_older_database_upgrades_in_place_and_keeps_its_data(engine: Engine, versioned: bool) -> None:
    _first_schema_with_data(engine, versioned=versioned)
    assert current_revision(engine) == ("0001" if versioned else None)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert schema_drift(engine) == []
    db = Database(engine)
    with db.session() as s:
        candidate = s.get(CandidateRow, "abc123def456")
        assert candidate is not None and candidate.name == "Ada Lovelace"
        (document,) = s.scalars(select(DocumentRow)).all()
        assert (document.filename, document.chunks, document.flags) == ("cv.pdf", 9, [])


def test_upgrading_twice_changes_nothing(engine: Engine) -> None:
    upgrade(engine)
    tables = sorted(inspect(engine).get_table_names())
    upgrade(engine)
    assert sorted(inspect(engine).get_table_names()) == tables and current_revision(engine) == head_revision()


def test_a_database_from_a_newer_version_is_refused_clearly(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(VettingError, match="newer version"):
        upgrade(engine)


def test_database_from_settings_migrates(settings: Settings, database_url: str) -> None:
    db = Database.from_settings(settings.model_copy(update={"database_url": database_url}))
    assert current_revision(db.engine) == head_revision()
    db.engine.dispose()


def test_processes_starting_at_once_on_a_fresh_database_all_succeed(database_url: str) -> None:
    script = textwrap.dedent(
        f"""
        from sqlalchemy import create_engine
        from vetting.db.migrate import upgrade, current_revision
        engine = create_engine({database_url!r})
        upgrade(engine)
        print(current_revision(engine))
        """
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outcomes = [worker.communicate(timeout=120) for worker in workers]
    assert [w.returncode for w in workers] == [0, 0, 0], [err[-800:] for _, err in outcomes]
    assert {out.strip() for out, _ in outcomes} == {head_revision()}


_SCORED_BEFORE_KEY_POINTS = [
    "INSERT INTO candidates (id, name, created_at) VALUES ('abc123def456', 'Ada Lovelace', :now)",
    "INSERT INTO interview_sessions (id, candidate_id, case_id, rubric_id, rubric_version, interviewer, status, notes, "
    "started_at, updated_at, version) VALUES ('s1', 'abc123def456', 'rag-customer-support', 'rag-case-study', '1.0', "
    "'Grace', 'open', '', :now, :now, 1)",
    "INSERT INTO interview_questions (id, session_id, position, key, kind, text) "
    "VALUES (7, 's1', 0, 'q1', 'case', 'Walk me through the case.')",
    "INSERT INTO ai_scores (question_id, criterion_id, score, rationale, evidence, engine, rubric_version, created_at) "
    "VALUES (7, 'data-quality', 3.0, 'names a step', '[]', 'offline', '1.0', :now)",
]


def test_ai_scores_from_before_key_points_were_kept_read_as_none(engine: Engine) -> None:
    with engine.connect() as connection:
        command.upgrade(_config(connection), "0007")
        for statement in _SCORED_BEFORE_KEY_POINTS:
            connection.execute(text(statement), {"now": datetime.now(UTC)})
        connection.commit()
    upgrade(engine)
    with Database(engine).session() as s:
        row = s.scalars(select(AIScoreRow)).one()
        assert (row.score, row.key_points) == (3.0, [])
        session = s.get(SessionRow, "s1")
        assert session is not None
        (score,) = snapshot(s, session).questions[0].ai_scores
        assert (score.rationale, score.key_points) == ("names a step", ())
