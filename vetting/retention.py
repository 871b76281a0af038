"""Retention: candidates untouched for longer than `VETTING_RETENTION_DAYS` are erased, physically, each one logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from vetting.db import Database
from vetting.db.models import CandidateRow, DocumentRow, SessionRow
from vetting.kernel.domain import Candidate


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns naive datetimes


@dataclass(frozen=True)
class Expired:
    """A candidate past retention: when they were last touched (created, a document, a session change)."""

    candidate: Candidate
    last_activity: datetime

    def to_dict(self) -> dict[str, Any]:
        return {**self.candidate.to_dict(), "last_activity": self.last_activity.isoformat()}


def expired(db: Database, days: int, now: datetime | None = None) -> list[Expired]:
    """Candidates whose latest activity is more than `days` days before `now`, oldest first."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    with db.session() as s:
        documents = dict(
            s.execute(
                select(DocumentRow.candidate_id, func.max(DocumentRow.created_at)).group_by(DocumentRow.candidate_id)
            ).all()
        )
        sessions = dict(
            s.execute(
                select(SessionRow.candidate_id, func.max(SessionRow.updated_at)).group_by(SessionRow.candidate_id)
            ).all()
        )
        found = []
        for row in s.scalars(select(CandidateRow)).all():
            moments = [m for m in (row.created_at, documents.get(row.id), sessions.get(row.id)) if m is not None]
            latest = max(_aware(m) for m in moments)
            if latest < cutoff:
                found.append(Expired(Candidate(row.id, row.name), latest))
    return sorted(found, key=lambda e: e.last_activity)
