"""`vet users add|list|remove|set-role|unlock`: the accounts that sign in to the app, managed by the operator."""

from __future__ import annotations

import sys

import typer

from vetting.authz import ROLE_NAMES
from vetting.cli.common import app, emit_json, services

users_app = typer.Typer(
    help=f"Accounts of the app and their roles ({', '.join(ROLE_NAMES)}). The CLI acts with full rights.",
    no_args_is_help=True,
)
app.add_typer(users_app, name="users")


def _read_password(from_stdin: bool, sso_only: bool) -> str | None:
    """The new password: one line of standard input, or typed twice at a terminal; none for an SSO-only account."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise typer.BadParameter("standard input held no password", param_hint="--password-stdin")
        return line
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    if sso_only:
        return None
    raise typer.BadParameter(
        "no terminal to type a password at: pipe it in with --password-stdin", param_hint="--password-stdin"
    )


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="The user's sign-in name (also recorded beside everything they do)."),
    role: str = typer.Option(..., "--role", "-r", help=f"One of: {', '.join(ROLE_NAMES)}."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
    email: str | None = typer.Option(None, "--email", help="E-mail that single sign-on maps to this account."),
) -> None:
    """Add an account; without --password-stdin the password is asked for at the terminal (never on the line)."""
    password = _read_password(password_stdin, sso_only=email is not None)
    user = services().users.add(name, role, password=password, email=email)
    services().activity.record("user.add", user=user.name, role=user.role)
    typer.echo(f"Added {user.name} ({user.role}).")


@users_app.command("list")
def list_users(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """Every account with its role (never a password hash)."""
    users = services().users.accounts()
    if as_json:
        emit_json({"users": [u.to_dict() for u in users]})
        return
    if not users:
        typer.echo("No users yet. Add the first administrator with: vet users add NAME --role admin")
    for user in users:
        sign_in = "password" if user.has_password else "single sign-on only"
        typer.echo(f"{user.name}  {user.role}  {user.email or '-'}  ({sign_in})")


@users_app.command("remove")
def remove(name: str = typer.Argument(..., help="The account to remove.")) -> None:
    """Remove an account; what the user did stays recorded under their name."""
    services().users.remove(name)
    services().activity.record("user.remove", user=name)
    typer.echo(f"Removed {name}.")


@users_app.command("set-role")
def set_role(
    name: str = typer.Argument(..., help="The account to change."),
    role: str = typer.Argument(..., help=f"One of: {', '.join(ROLE_NAMES)}."),
) -> None:
    """Change an account's role; it takes effect on the user's next click in the app."""
    user = services().users.set_role(name, role)
    services().activity.record("user.set-role", user=user.name, role=user.role)
    typer.echo(f"{user.name} is now {user.role}.")


@users_app.command("unlock")
def unlock(name: str = typer.Argument(..., help="The user name refused after repeated failed sign-ins.")) -> None:
    """Lift the lockout that repeated failed sign-ins put on a user name, so it may sign in again at once."""
    was_locked = services().users.unlock(name)
    services().activity.record("user.unlock", user=name, was_locked=was_locked)
    typer.echo(f"Unlocked {name}." if was_locked else f"{name} was not locked out; nothing to do.")
