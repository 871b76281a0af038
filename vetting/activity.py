"""The activity log: who uploaded, erased, exported, started, finished or reopened what, and when (ids only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from vetting.authz import Actor, Right
from vetting.db import Database
from vetting.db.models import ActivityRow


@dataclass(frozen=True)
class Activity:
    """One recorded action; `detail` holds counts and kinds, never a candidate's name or text."""

    created_at: datetime
    actor: str
    action: str
    candidate_id: str | None
    session_id: str | None
    detail: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "created_at": self.created_at.isoformat()}


class ActivityLog:
    """Append-only record of writes, erasures and exports, each under the acting user's name."""

    def __init__(self, db: Database, actor: Actor) -> None:
        self.db = db
        self.actor = actor

    def with_actor(self, actor: Actor) -> ActivityLog:
        return ActivityLog(self.db, actor)

    def record(
        self, action: str, *, candidate_id: str | None = None, session_id: str | None = None, **detail: Any
    ) -> None:
        """Record one action by the acting user."""
        with self.db.session() as s:
            s.add(
                ActivityRow(
                    actor=self.actor.name,
                    action=action,
                    candidate_id=candidate_id,
                    session_id=session_id,
                    detail=detail,
                )
            )

    def entries(self, *, limit: int | None = 500, action: str | None = None) -> list[Activity]:
        """Newest first; administrators and reviewers only."""
        if not self.actor.sees_every_session:
            self.actor.require(Right.REVIEW)
        query = select(ActivityRow).order_by(ActivityRow.id.desc())
        if action:
            query = query.where(ActivityRow.action == action)
        if limit:
            query = query.limit(limit)
        with self.db.session() as s:
            return [
                Activity(
                    r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=UTC),
                    r.actor,
                    r.action,
                    r.candidate_id,
                    r.session_id,
                    dict(r.detail or {}),
                )
                for r in s.scalars(query).all()
            ]
