"""`vet users` as an operator runs it: real processes, passwords from standard input, JSON listing, plain errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from vetting.db.models import ActivityRow
from vetting.kernel.settings import Settings
from vetting.lockout import MAX_FAILED_SIGN_INS, SignInLocked
from vetting.services import Services

VET = Path(sys.executable).with_name("vet")


def vet(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VETTING_")}
    env |= {"VETTING_DATA_DIR": str(tmp_path / "data"), "VETTING_OPERATOR": "ops"}
    return subprocess.run(
        [str(VET), *args], cwd=tmp_path, env=env, input=stdin, capture_output=True, text=True, timeout=120, check=False
    )


def test_add_list_set_role_and_remove_users(tmp_path: Path) -> None:
    empty = vet(tmp_path, "users", "list")
    assert empty.returncode == 0 and "vet users add NAME --role admin" in empty.stdout
    added = vet(tmp_path, "users", "add", "ada", "--role", "admin", "--password-stdin", stdin="a long password\n")
    assert added.returncode == 0, added.stderr
    sso = vet(tmp_path, "users", "add", "grace", "--role", "interviewer", "--email", "grace@example.org")
    assert sso.returncode == 0, sso.stderr  # no terminal and an e-mail: a single-sign-on-only account
    assert vet(tmp_path, "users", "set-role", "grace", "reviewer").returncode == 0
    listed = json.loads(vet(tmp_path, "users", "list", "--json").stdout)
    assert listed == {
        "users": [
            {**listed["users"][0], "name": "ada", "role": "admin", "email": None, "has_password": True},
            {
                **listed["users"][1],
                "name": "grace",
                "role": "reviewer",
                "email": "grace@example.org",
                "has_password": False,
            },
        ]
    }
    assert "a long password" not in json.dumps(listed) and "argon2" not in json.dumps(listed)
    assert vet(tmp_path, "users", "remove", "grace").returncode == 0
    with Services(Settings(_env_file=None, data_dir=tmp_path / "data")).db.session() as s:  # type: ignore[call-arg]
        done = s.execute(select(ActivityRow.actor, ActivityRow.action).order_by(ActivityRow.id)).all()
    assert [tuple(row) for row in done] == [
        ("ops", "user.add"),
        ("ops", "user.add"),
        ("ops", "user.set-role"),
        ("ops", "user.remove"),
    ]


def test_bad_input_is_a_message_and_changes_nothing(tmp_path: Path) -> None:
    short = vet(tmp_path, "users", "add", "ada", "--role", "admin", "--password-stdin", stdin="short\n")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr and "Traceback" not in short.stderr
    role = vet(tmp_path, "users", "add", "ada", "--role", "boss", "--password-stdin", stdin="a long password\n")
    assert role.returncode == 1 and "Unknown role 'boss'" in role.stderr
    no_tty = vet(tmp_path, "users", "add", "ada", "--role", "admin")
    assert no_tty.returncode == 2 and "--password-stdin" in no_tty.stderr
    missing = vet(tmp_path, "users", "remove", "nobody")
    assert missing.returncode == 1 and "No user 'nobody'" in missing.stderr
    assert json.loads(vet(tmp_path, "users", "list", "--json").stdout) == {"users": []}


def test_unlock_lifts_a_lockout_and_is_recorded(tmp_path: Path) -> None:
    added = vet(tmp_path, "users", "add", "ada", "--role", "admin", "--password-stdin", stdin="a long password\n")
    assert added.returncode == 0, added.stderr
    users = Services(Settings(_env_file=None, data_dir=tmp_path / "data")).users  # type: ignore[call-arg]
    for _ in range(MAX_FAILED_SIGN_INS):
        users.verify("ada", "a wrong password")
    with pytest.raises(SignInLocked):
        users.verify("ada", "a long password")
    unlocked = vet(tmp_path, "users", "unlock", "ada")
    assert unlocked.returncode == 0 and unlocked.stdout.strip() == "Unlocked ada.", unlocked.stderr
    assert users.verify("ada", "a long password") is not None
    again = vet(tmp_path, "users", "unlock", "ada")
    assert again.returncode == 0 and "was not locked out" in again.stdout
    with Services(Settings(_env_file=None, data_dir=tmp_path / "data")).db.session() as s:  # type: ignore[call-arg]
        done = s.execute(select(ActivityRow.actor, ActivityRow.action, ActivityRow.detail).order_by(ActivityRow.id))
        logged = [tuple(row) for row in done.all()]
    assert ("ada", "sign-in.locked") in [row[:2] for row in logged]
    assert ("ops", "user.unlock", {"user": "ada", "was_locked": True}) in logged
