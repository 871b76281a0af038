"""Password lockout: after repeated failed sign-ins for a user name, that name is refused for a while."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, or_, select

from vetting.db import Database
from vetting.db.models import SignInFailureRow, utcnow
from vetting.kernel.errors import VettingError

MAX_FAILED_SIGN_INS = 5  # failed password sign-ins for one name within FAILURE_WINDOW that start a lockout
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


class SignInLocked(VettingError):
    """Too many failed sign-ins for a user name: it is refused until the lockout ends or an administrator lifts it."""


def lockout_key(name: str) -> str:
    """The name a lockout applies to: whitespace normalised and case folded, as account names are unique."""
    return " ".join(name.split()).casefold()[:100]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class SignInGuard:
    """Counts failed password sign-ins per user name (known or not) and says when a name is locked out."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    def locked_until(self, name: str) -> datetime | None:
        """When the lockout of this name ends, or None when it is not locked out now."""
        with self.db.session() as s:
            until = s.scalar(
                select(func.max(SignInFailureRow.locked_until)).where(SignInFailureRow.name == lockout_key(name))
            )
        return _aware(until) if until is not None and _aware(until) > self.clock() else None

    def check(self, name: str) -> None:
        """Raise `SignInLocked` while the name is locked out, whatever password comes with it."""
        until = self.locked_until(name)
        if until is not None:
            minutes = max(1, math.ceil((until - self.clock()).total_seconds() / 60))
            raise SignInLocked(
                f"Too many failed sign-ins for this user name: it is locked for {minutes} more minute(s). "
                "Try again then, or ask an administrator to unlock it (`vet users unlock NAME`)."
            )

    def failed(self, name: str) -> datetime | None:
        """Count one failed sign-in; returns the end of the lockout when this failure starts one."""
        now, key = self.clock(), lockout_key(name)
        with self.db.session() as s:
            s.execute(  # forget failures and lockouts that no longer count, for every name
                delete(SignInFailureRow).where(
                    SignInFailureRow.failed_at < now - max(FAILURE_WINDOW, LOCKOUT),
                    or_(SignInFailureRow.locked_until.is_(None), SignInFailureRow.locked_until < now),
                )
            )
            row = SignInFailureRow(name=key, failed_at=now)
            s.add(row)
            s.flush()
            recent = s.scalar(
                select(func.count())
                .select_from(SignInFailureRow)
                .where(SignInFailureRow.name == key, SignInFailureRow.failed_at > now - FAILURE_WINDOW)
            )
            if (recent or 0) < MAX_FAILED_SIGN_INS:
                return None
            row.locked_until = now + LOCKOUT
            return row.locked_until

    def clear(self, name: str) -> bool:
        """Forget the name's failures (a correct password, or an administrator's unlock); True if it was locked."""
        locked = self.locked_until(name) is not None
        with self.db.session() as s:
            s.execute(delete(SignInFailureRow).where(SignInFailureRow.name == lockout_key(name)))
        return locked
