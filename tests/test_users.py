"""User accounts: argon2 hashes (never the password), verification, lockout, roles, and the rules that keep an admin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from vetting.authz import Actor, PermissionDenied
from vetting.db.models import UserRow
from vetting.kernel.errors import VettingError
from vetting.kernel.settings import Settings
from vetting.lockout import MAX_FAILED_SIGN_INS, SignInGuard, SignInLocked
from vetting.services import Services
from vetting.users import UserRegistry

SECRET = "tr0ub4dor and three"


@pytest.fixture
def services(settings: Settings) -> Services:
    return Services(settings)


def test_a_password_is_stored_only_as_an_argon2_hash_and_verified(services: Services) -> None:
    services.users.add("ada", "admin", password=SECRET)
    with services.db.session() as s:
        stored = s.scalar(select(UserRow.password_hash))
    assert stored is not None and stored.startswith("$argon2id$") and SECRET not in stored
    assert services.users.verify("ada", SECRET) == Actor("ada", "admin", via="password")
    assert services.users.verify("ada", SECRET.upper()) is None
    assert services.users.verify("nobody", SECRET) is None
    assert services.users.verify("ada", "") is None


def test_names_roles_passwords_and_emails_are_checked(services: Services) -> None:
    services.users.add("ada", "admin", password=SECRET)
    with pytest.raises(VettingError, match="already exists"):
        services.users.add("ADA", "reviewer", password=SECRET)
    with pytest.raises(VettingError, match="Unknown role 'owner'"):
        services.users.add("bob", "owner", password=SECRET)
    with pytest.raises(VettingError, match="at least 10 characters"):
        services.users.add("bob", "reviewer", password="short")
    with pytest.raises(VettingError, match="password, or an e-mail"):
        services.users.add("bob", "reviewer")
    with pytest.raises(VettingError, match="control or invisible"):
        services.users.add("bo\u200bb", "reviewer", password=SECRET)
    services.users.add("sso", "reviewer", email="Sso@Example.org")
    assert services.users.by_email("sso@example.ORG") == Actor("sso", "reviewer", via="sso")
    assert services.users.by_email("other@example.org") is None
    assert services.users.verify("sso", "") is None  # an SSO-only account has no password to guess


def test_the_last_administrator_can_be_neither_removed_nor_demoted(services: Services) -> None:
    services.users.add("ada", "admin", password=SECRET)
    with pytest.raises(VettingError, match="only administrator"):
        services.users.remove("ada")
    with pytest.raises(VettingError, match="only administrator"):
        services.users.set_role("ada", "reviewer")
    services.users.add("bea", "admin", password=SECRET)
    services.users.set_role("ada", "reviewer")
    assert services.users.current("ada") == Actor("ada", "reviewer")


def test_only_an_administrator_manages_accounts(services: Services) -> None:
    services.users.add("ada", "admin", password=SECRET)
    for role in ("recruiter", "interviewer", "reviewer"):
        users = services.acting_as(Actor("x", role)).users
        with pytest.raises(PermissionDenied):
            users.add("mallory", "admin", password=SECRET)
        with pytest.raises(PermissionDenied):
            users.set_role("ada", "reviewer")
        with pytest.raises(PermissionDenied):
            users.remove("ada")
    assert [u.name for u in services.users.accounts()] == ["ada"]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def users(services: Services, clock: Clock) -> UserRegistry:
    services.users.add("ada", "admin", password=SECRET)
    return UserRegistry(services.db, guard=SignInGuard(services.db, clock))


def _fail(users: UserRegistry, name: str, times: int) -> None:
    for _ in range(times):
        assert users.verify(name, "a wrong password") is None


def _logged(services: Services) -> list[tuple[str, str]]:
    return [(e.actor, e.action) for e in reversed(services.activity.entries()) if e.action.startswith("sign-in")]


def test_five_failures_lock_the_name_even_for_the_right_password(
    services: Services, users: UserRegistry, clock: Clock
) -> None:
    _fail(users, "ada", MAX_FAILED_SIGN_INS - 1)
    clock.advance(minutes=14)
    _fail(users, "ada", 1)  # the fifth within 15 minutes
    clock.advance(minutes=1)
    with pytest.raises(SignInLocked, match="locked for 14 more minute") as refused:
        users.verify("ada", SECRET)
    assert "vet users unlock" in str(refused.value) and "Traceback" not in str(refused.value)
    with pytest.raises(SignInLocked):
        users.verify(" ADA ", "a wrong password")  # the same name, however it is typed
    assert _logged(services) == [("ada", "sign-in.locked"), ("ada", "sign-in.refused"), ("ADA", "sign-in.refused")]
    clock.advance(minutes=14)
    assert users.verify("ada", SECRET) == Actor("ada", "admin", via="password"), "15 minutes later it may sign in"


def test_failures_spread_over_more_than_15_minutes_or_reset_by_a_success_do_not_lock(
    users: UserRegistry, clock: Clock
) -> None:
    _fail(users, "ada", MAX_FAILED_SIGN_INS - 1)
    clock.advance(minutes=16)
    _fail(users, "ada", MAX_FAILED_SIGN_INS - 1)
    assert users.verify("ada", SECRET) is not None  # resets the count
    _fail(users, "ada", MAX_FAILED_SIGN_INS - 1)
    assert users.verify("ada", SECRET) is not None


def test_an_unknown_name_is_locked_out_like_an_account(users: UserRegistry) -> None:
    _fail(users, "nobody", MAX_FAILED_SIGN_INS)
    with pytest.raises(SignInLocked):
        users.verify("nobody", SECRET)
    assert users.verify("ada", SECRET) is not None, "another name is not affected"


def test_an_administrator_unlocks_a_name(services: Services, users: UserRegistry) -> None:
    _fail(users, "ada", MAX_FAILED_SIGN_INS)
    with pytest.raises(PermissionDenied):
        UserRegistry(services.db, Actor("rita", "recruiter"), guard=users.guard).unlock("ada")
    with pytest.raises(SignInLocked):
        users.verify("ada", SECRET)
    assert users.unlock("ada") is True
    assert users.verify("ada", SECRET) is not None
    assert users.unlock("ada") is False, "nothing left to unlock"
