"""User accounts: argon2 hashes (never the password), verification, roles, and the rules that keep an admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from vetting.authz import Actor, PermissionDenied
from vetting.db.models import UserRow
from vetting.kernel.errors import VettingError
from vetting.kernel.settings import Settings
from vetting.services import Services

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
