"""Who may do what: the four roles, their rights, the acting user (`Actor`) and the check every service makes."""

from __future__ import annotations

import getpass
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum

from vetting.kernel.errors import VettingError


class PermissionDenied(VettingError):
    """The acting user's role does not allow this; the message says what was refused, never why in detail."""


class Right(StrEnum):
    """One thing a role may do; services check these, pages are only hidden by them."""

    MANAGE_USERS = "manage user accounts and settings"
    MANAGE_CANDIDATES = "see every candidate and upload documents"
    ERASE = "erase candidates"
    ASSIGN = "assign interviews to interviewers"
    INTERVIEW = "run interviews"
    REVIEW = "read every session, scorecard, evaluation report and audit log"


ROLES: dict[str, frozenset[Right]] = {
    "admin": frozenset(Right),
    "recruiter": frozenset({Right.MANAGE_CANDIDATES, Right.ERASE, Right.ASSIGN}),
    "interviewer": frozenset({Right.INTERVIEW}),
    "reviewer": frozenset({Right.REVIEW}),
}
ROLE_NAMES = tuple(ROLES)


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a service acts: a name (recorded with every write) and a role (what is allowed)."""

    name: str
    role: str
    via: str = "password"  # password | sso | cli
    expires: float | None = None  # time.monotonic() after which this sign-in grants nothing (idle sign-out)

    @property
    def expired(self) -> bool:
        return self.expires is not None and time.monotonic() > self.expires

    def can(self, right: Right) -> bool:
        return not self.expired and right in ROLES.get(self.role, frozenset())

    def require(self, right: Right) -> None:
        """Raise `PermissionDenied` unless this actor's role has `right`."""
        if self.expired:
            raise PermissionDenied("You were signed out after a while without activity. Sign in again.")
        if not self.can(right):
            raise PermissionDenied(f"Your role ({self.role}) may not {right.value}. Ask an administrator.")

    @property
    def sees_every_session(self) -> bool:
        return self.can(Right.REVIEW) or self.can(Right.MANAGE_USERS)

    def takes_part_in(self, started_by: str | None, interviewer: str | None) -> bool:
        """True when this actor started the session or the session is assigned to them."""
        return self.name in (started_by, interviewer)


def operator(name: str | None = None) -> Actor:
    """The `vet` CLI's actor: the machine's administrator, full rights, recorded as VETTING_OPERATOR or the OS user."""
    chosen = (name or "").strip() or os.environ.get("VETTING_OPERATOR", "").strip() or _os_user()
    return Actor(name=chosen[:100], role="admin", via="cli")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (e.g. a container without /etc/passwd entry)
        return "operator"


_current: ContextVar[Actor | None] = ContextVar("vetting_actor", default=None)


@contextmanager
def acting(actor: Actor) -> Iterator[Actor]:
    """Within this block, records that cannot be handed an actor (the language-model call log) name this one."""
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def current_actor() -> Actor | None:
    """The actor set by `acting`, if any."""
    return _current.get()


def current_actor_name() -> str | None:
    actor = _current.get()
    return actor.name if actor else None
