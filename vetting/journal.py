"""Write intents: what a store write is about to do is recorded first, so a write cut short can be undone later."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from vetting.candidates import clean_name
from vetting.db import Database
from vetting.db.models import CandidateRow, WriteIntentRow
from vetting.kernel.domain import Candidate
from vetting.locks import ProcessMark

# An intent whose writer cannot be checked from here (another machine) is presumed abandoned after this long.
STALE_AFTER = timedelta(hours=1)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns naive datetimes


class WriteJournal:
    """Records intents in the database; the writer's liveness is told by a lock file its process holds."""

    def __init__(self, db: Database, runtime_dir: Path) -> None:
        self.db = db
        self.mark = ProcessMark(runtime_dir)

    def open_candidate(self, name: str) -> tuple[Candidate, int | None]:
        """The candidate of that name; a new one is created together with an intent (so a crash leaves no husk)."""
        name = clean_name(name)
        for _ in range(3):
            with self.db.session() as s:
                row = s.scalar(select(CandidateRow).where(CandidateRow.name == name))
                if row is not None:
                    return Candidate(row.id, row.name), None
            owner = self.mark.hold()
            try:
                with self.db.session() as s:
                    row = CandidateRow(id=secrets.token_hex(8), name=name)
                    s.add(row)
                    s.flush()
                    intent = WriteIntentRow(candidate_id=row.id, created_candidate=True, owner=owner)
                    s.add(intent)
                    s.flush()
                    return Candidate(row.id, row.name), intent.id
            except IntegrityError:
                continue  # another process created the same name at the same moment: use theirs
        raise RuntimeError(f"could not create or find candidate {name!r}")

    def begin(self, candidate_id: str, filename: str, doc_id: str, previous_doc_id: str | None) -> int:
        """Record that `filename` is about to get chunks of `doc_id` (replacing `previous_doc_id`)."""
        owner = self.mark.hold()
        with self.db.session() as s:
            intent = WriteIntentRow(
                candidate_id=candidate_id,
                filename=filename,
                doc_id=doc_id,
                previous_doc_id=previous_doc_id,
                owner=owner,
            )
            s.add(intent)
            s.flush()
            return intent.id

    def end(self, intent_id: int | None) -> None:
        """The write is complete (or was undone): forget the intent."""
        if intent_id is not None:
            with self.db.session() as s:
                s.execute(delete(WriteIntentRow).where(WriteIntentRow.id == intent_id))

    def pending(self, candidate_id: str | None = None) -> list[WriteIntentRow]:
        """Every recorded intent (optionally of one candidate), oldest first."""
        query = select(WriteIntentRow).order_by(WriteIntentRow.id)
        if candidate_id is not None:
            query = query.where(WriteIntentRow.candidate_id == candidate_id)
        with self.db.session() as s:
            return list(s.scalars(query).all())

    def is_abandoned(self, intent: WriteIntentRow, now: datetime | None = None) -> bool:
        """True when the process that recorded the intent is gone (or, unknowable from here, it is very old)."""
        alive = self.mark.is_alive(intent.owner)
        if alive is None:
            return (now or datetime.now(UTC)) - _aware(intent.started_at) > STALE_AFTER
        return not alive

    def abandoned(self) -> list[WriteIntentRow]:
        return [intent for intent in self.pending() if self.is_abandoned(intent)]

    def forget_owner(self, owner: str) -> None:
        """Remove a dead writer's mark once none of its intents remain."""
        with self.db.session() as s:
            left = s.scalar(select(WriteIntentRow.id).where(WriteIntentRow.owner == owner).limit(1))
        if left is None:
            self.mark.forget(owner)
