"""The audit log of language-model calls: recorded by the LLM seam, listed and exported (JSON, CSV) for review."""

from __future__ import annotations

import csv
import io
import json
import logging
import threading
from dataclasses import asdict, fields, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from vetting.kernel.domain import AuditEntry

if TYPE_CHECKING:
    from vetting.db import Database

log = logging.getLogger(__name__)


COLUMNS = tuple(f.name for f in fields(AuditEntry))


class MemoryAuditLog:
    """An in-process audit log (tests, one-off scripts); same reading interface as the database one."""

    def __init__(self) -> None:
        self._entries: list[AuditEntry] = []
        self._lock = threading.Lock()

    def record(self, entry: AuditEntry) -> None:
        with self._lock:
            self._entries.append(replace(entry, id=len(self._entries) + 1))

    def entries(self, *, limit: int | None = None, task: str | None = None) -> list[AuditEntry]:
        """Newest first."""
        found = [e for e in reversed(self._entries) if task is None or e.task == task]
        return found[:limit] if limit else found


class AuditLog:
    """The audit log in the database; rows of a candidate go when the candidate is erased (foreign-key cascade)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, entry: AuditEntry) -> None:
        """Store one call; a failure to write is logged, never allowed to cost the user the answer."""
        from vetting.db.models import AuditRow

        values = {k: v for k, v in asdict(entry).items() if k != "id"}
        try:
            try:
                with self.db.session() as s:
                    s.add(AuditRow(**values))
            except IntegrityError:  # a candidate id the registry does not know (e.g. an evaluation run)
                with self.db.session() as s:
                    s.add(AuditRow(**{**values, "candidate_id": None}))
        except Exception:
            log.exception("could not write the LLM audit log")

    def entries(
        self, *, limit: int | None = 200, task: str | None = None, candidate_id: str | None = None
    ) -> list[AuditEntry]:
        """Newest first, optionally only one task or one candidate."""
        from vetting.db.models import AuditRow

        query = select(AuditRow).order_by(AuditRow.id.desc())
        if task:
            query = query.where(AuditRow.task == task)
        if candidate_id:
            query = query.where(AuditRow.candidate_id == candidate_id)
        if limit:
            query = query.limit(limit)
        with self.db.session() as s:
            rows = s.scalars(query).all()
            return [AuditEntry(**{c: _aware(getattr(r, c)) for c in COLUMNS}) for r in rows]

    def erase_candidate(self, candidate_id: str) -> int:
        """Delete every call recorded for a candidate; returns how many rows went."""
        from vetting.db.models import AuditRow

        with self.db.session() as s:
            result = s.execute(delete(AuditRow).where(AuditRow.candidate_id == candidate_id))
            return int(getattr(result, "rowcount", 0) or 0)


def _aware(value: Any) -> Any:
    """SQLite hands back naive datetimes; every time in the log is UTC."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def export_json(entries: list[AuditEntry]) -> str:
    """The entries as a JSON array (one object per call)."""
    return json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2)


def export_csv(entries: list[AuditEntry]) -> str:
    """The entries as CSV with a header row, one row per call."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS))
    writer.writeheader()
    for entry in entries:
        writer.writerow(entry.to_dict())
    return buffer.getvalue()
