"""User accounts: names, roles, argon2 password hashes and optional e-mails for single sign-on."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vetting.activity import ActivityLog
from vetting.authz import ROLE_NAMES, Actor, Right, operator
from vetting.db import Database
from vetting.db.models import UserRow
from vetting.kernel.errors import VettingError
from vetting.lockout import MAX_FAILED_SIGN_INS, SignInGuard, SignInLocked

MIN_PASSWORD = 10
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("no such user: spend the same time as a real check")


@dataclass(frozen=True)
class User:
    """An account as listed (never its hash)."""

    name: str
    role: str
    email: str | None
    has_password: bool
    created_at: datetime

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "role": self.role,
            "email": self.email,
            "has_password": self.has_password,
            "created_at": self.created_at.isoformat(),
        }


def clean_user_name(name: str) -> str:
    """A user name with whitespace normalised; empty, overlong or control characters are refused."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise VettingError("A user needs a name.")
    if len(cleaned) > 100:
        raise VettingError("A user name may be at most 100 characters.")
    if any(unicodedata.category(ch).startswith("C") for ch in cleaned):
        raise VettingError("A user name may not contain control or invisible characters.")
    return cleaned


def check_role(role: str) -> str:
    if role not in ROLE_NAMES:
        raise VettingError(f"Unknown role '{role}'. Roles: {', '.join(ROLE_NAMES)}.")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise VettingError(f"A password needs at least {MIN_PASSWORD} characters.")
    return password


def _email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    cleaned = email.strip().lower()
    if "@" not in cleaned or len(cleaned) > 320 or any(ch.isspace() for ch in cleaned):
        raise VettingError(f"'{email}' is not an e-mail address.")
    return cleaned


class UserRegistry:
    """Add, list, remove and change accounts (administrators only); check a password or map an SSO e-mail."""

    def __init__(self, db: Database, actor: Actor | None = None, *, guard: SignInGuard | None = None) -> None:
        self.db = db
        self.actor = actor or operator()
        self.guard = guard or SignInGuard(db)

    def with_actor(self, actor: Actor) -> UserRegistry:
        return UserRegistry(self.db, actor, guard=self.guard)

    def count(self) -> int:
        """How many accounts exist (zero: the app asks for a first administrator)."""
        with self.db.session() as s:
            return int(s.scalar(select(func.count()).select_from(UserRow)) or 0)

    def add(self, name: str, role: str, *, password: str | None = None, email: str | None = None) -> User:
        self.actor.require(Right.MANAGE_USERS)
        name, role, email = clean_user_name(name), check_role(role), _email(email)
        if password is None and email is None:
            raise VettingError("A user needs a password, or an e-mail to sign in with single sign-on.")
        hashed = _hasher.hash(check_password(password)) if password is not None else None
        with self.db.session() as s:
            if s.scalar(select(UserRow).where(func.lower(UserRow.name) == name.lower())) is not None:
                raise VettingError(f"A user named '{name}' already exists.")
            if email and s.scalar(select(UserRow).where(UserRow.email == email)) is not None:
                raise VettingError(f"Another user already has the e-mail {email}.")
            row = UserRow(name=name, role=role, password_hash=hashed, email=email)
            s.add(row)
            s.flush()
            return _user(row)

    def accounts(self) -> list[User]:
        self.actor.require(Right.MANAGE_USERS)
        with self.db.session() as s:
            return [_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.name)).all()]

    def names(self, role: str | None = None) -> list[str]:
        """Names of accounts (optionally of one role), for choosing whom to assign an interview to."""
        with self.db.session() as s:
            query = select(UserRow.name).order_by(UserRow.name)
            if role:
                query = query.where(UserRow.role == role)
            return list(s.scalars(query).all())

    def remove(self, name: str) -> None:
        self.actor.require(Right.MANAGE_USERS)
        with self.db.session() as s:
            row = self._row(s, name)
            self._keep_an_admin(s, row, "remove")
            s.delete(row)

    def set_role(self, name: str, role: str) -> User:
        self.actor.require(Right.MANAGE_USERS)
        role = check_role(role)
        with self.db.session() as s:
            row = self._row(s, name)
            if role != "admin":
                self._keep_an_admin(s, row, "demote")
            row.role = role
            return _user(row)

    def set_password(self, name: str, password: str) -> None:
        self.actor.require(Right.MANAGE_USERS)
        hashed = _hasher.hash(check_password(password))
        with self.db.session() as s:
            self._row(s, name).password_hash = hashed

    def verify(self, name: str, password: str) -> Actor | None:
        """The actor for a correct name and password, else None; `SignInLocked` while the name is locked out.

        After MAX_FAILED_SIGN_INS failures within FAILURE_WINDOW a name is refused for LOCKOUT, even with the right
        password, whether or not an account has it; the lockout and each refused attempt go to the activity log.
        """
        attempt = ActivityLog(self.db, Actor(" ".join(name.split())[:100] or "-", "none"))  # the name as tried
        try:
            self.guard.check(name)
        except SignInLocked:
            attempt.record("sign-in.refused", reason="locked out")
            raise
        actor = self._check_password(name, password)
        if actor is not None:
            self.guard.clear(name)
            return actor
        until = self.guard.failed(name)
        if until is not None:
            attempt.record("sign-in.locked", failures=MAX_FAILED_SIGN_INS, until=until.isoformat())
        return None

    def unlock(self, name: str) -> bool:
        """Lift a lockout of this user name (administrators); True when it was locked out."""
        self.actor.require(Right.MANAGE_USERS)
        return self.guard.clear(name)

    def _check_password(self, name: str, password: str) -> Actor | None:
        """The actor for a correct name and password, else None (same work either way: no timing hint)."""
        with self.db.session() as s:
            row = s.scalar(select(UserRow).where(UserRow.name == " ".join(name.split())))
            stored = row.password_hash if row is not None and row.password_hash else _DUMMY
            try:
                _hasher.verify(stored, password)
            except (VerificationError, InvalidHashError):
                return None
            if row is None or not row.password_hash:
                return None
            if _hasher.check_needs_rehash(row.password_hash):
                row.password_hash = _hasher.hash(password)
            return Actor(row.name, row.role, via="password")

    def by_email(self, email: str | None) -> Actor | None:
        """The actor whose account has this e-mail (single sign-on), else None."""
        cleaned = (email or "").strip().lower()
        if not cleaned:
            return None
        with self.db.session() as s:
            row = s.scalar(select(UserRow).where(UserRow.email == cleaned))
            return Actor(row.name, row.role, via="sso") if row is not None else None

    def current(self, name: str) -> Actor | None:
        """The account's actor as it is now (a removed user: None; a changed role: the new one)."""
        with self.db.session() as s:
            row = s.scalar(select(UserRow).where(UserRow.name == name))
            return Actor(row.name, row.role) if row is not None else None

    @staticmethod
    def _row(s: Session, name: str) -> UserRow:
        row = s.scalar(select(UserRow).where(UserRow.name == " ".join(name.split())))
        if row is None:
            raise VettingError(f"No user '{name}'. `vet users list` shows them.")
        return row

    @staticmethod
    def _keep_an_admin(s: Session, row: UserRow, doing: str) -> None:
        if row.role != "admin":
            return
        admins = s.scalar(select(func.count()).select_from(UserRow).where(UserRow.role == "admin")) or 0
        if admins <= 1:
            raise VettingError(f"'{row.name}' is the only administrator; add another admin before you {doing} them.")


def _user(row: UserRow) -> User:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return User(row.name, row.role, row.email, bool(row.password_hash), created)
