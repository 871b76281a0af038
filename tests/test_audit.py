"""The LLM audit log: every call kept in the database, listed newest first, exported, erased with its candidate."""

from __future__ import annotations

import csv
import io
import json

from vetting.audit import AuditLog, export_csv, export_json
from vetting.candidates import CandidateRegistry
from vetting.db import Database
from vetting.kernel.domain import AuditEntry
from vetting.kernel.settings import Settings
from vetting.store import make_vector_store


def entry(task: str, candidate_id: str | None = None, **extra: object) -> AuditEntry:
    values: dict[str, object] = {
        "task": task,
        "engine": "llm:gemma-3-270m",
        "model": "gemma-3-270m",
        "endpoint": "http://127.0.0.1:8765/v1",
        "template_version": f"{task}@0123456789",
        "input_sha256": "ab" * 32,
        "output": '{"score": 3}',
        "status": "ok",
        "latency_ms": 1234,
        "prompt_tokens": 100,
        "completion_tokens": 20,
        "json_mode": "json_object",
        "candidate_id": candidate_id,
    }
    values.update(extra)
    return AuditEntry(**values)  # type: ignore[arg-type]


def test_calls_are_stored_and_listed_newest_first(settings: Settings) -> None:
    log = AuditLog(Database.from_settings(settings))
    log.record(entry("planning"))
    log.record(entry("scoring", status="invalid", error="the reply was not valid JSON", attempt=2))
    newest, oldest = log.entries()
    assert (newest.task, newest.status, newest.attempt, newest.error) == (
        "scoring",
        "invalid",
        2,
        "the reply was not valid JSON",
    )
    assert oldest.task == "planning" and oldest.latency_ms == 1234 and oldest.prompt_tokens == 100
    assert newest.created_at >= oldest.created_at and newest.created_at.tzinfo is not None
    assert [e.task for e in log.entries(task="planning")] == ["planning"]


def test_exports_hold_every_column(settings: Settings) -> None:
    log = AuditLog(Database.from_settings(settings))
    log.record(entry("planning", output='{"quote": "a, \\"b\\"\\nc"}'))
    entries = log.entries()
    [as_json] = json.loads(export_json(entries))
    assert as_json["engine"] == "llm:gemma-3-270m" and as_json["output"] == '{"quote": "a, \\"b\\"\\nc"}'
    [as_csv] = list(csv.DictReader(io.StringIO(export_csv(entries))))
    assert as_csv["output"] == as_json["output"] and as_csv["template_version"] == "planning@0123456789"
    assert set(as_csv) == set(as_json)


def test_erasing_a_candidate_erases_their_calls(settings: Settings) -> None:
    db = Database.from_settings(settings)
    registry = CandidateRegistry(db, make_vector_store(settings), settings.data_dir / "files")
    ada, bob = registry.get_or_create("Ada Lovelace"), registry.get_or_create("Bob Stone")
    log = AuditLog(db)
    log.record(entry("planning", ada.id))
    log.record(entry("scoring", ada.id))
    log.record(entry("planning", bob.id))
    registry.delete("Ada Lovelace")
    assert [e.candidate_id for e in log.entries()] == [bob.id]
    assert log.erase_candidate(bob.id) == 1 and log.entries() == []


def test_an_unknown_candidate_id_still_records_the_call(settings: Settings) -> None:
    log = AuditLog(Database.from_settings(settings))
    log.record(entry("evaluation", candidate_id="not-a-candidate"))
    [kept] = log.entries()
    assert kept.task == "evaluation" and kept.candidate_id is None
