"""`vet retention run`: erase, physically, every candidate past `VETTING_RETENTION_DAYS`, each erasure logged."""

from __future__ import annotations

import typer

from vetting.cli.common import app, emit_json, fail, services
from vetting.retention import expired

retention_app = typer.Typer(help="Keep candidates no longer than VETTING_RETENTION_DAYS.", no_args_is_help=True)
app.add_typer(retention_app, name="retention")


@retention_app.command("run")
def run(
    dry_run: bool = typer.Option(False, "--dry-run", help="List who would be erased; erase nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Erase every candidate whose last activity is older than VETTING_RETENTION_DAYS (unset: nothing to do)."""
    svc = services()
    days = svc.settings.retention_days
    if days is None:
        fail("VETTING_RETENTION_DAYS is not set, so candidates are kept until erased by hand; nothing was erased.")
    due = expired(svc.db, days)
    erased = []
    for item in due if not dry_run else []:
        svc.candidates.erase(item.candidate.id, by="id")  # physical, and logged as an erasure by the acting user
        svc.activity.record("retention", candidate_id=item.candidate.id, retention_days=days)
        erased.append(item)
    if as_json:
        emit_json(
            {"retention_days": days, "dry_run": dry_run, "due": [e.to_dict() for e in due], "erased": len(erased)}
        )
        return
    if not due:
        typer.echo(f"No candidate is past the {days}-day retention.")
    for item in due:
        verb = "would erase" if dry_run else "erased"
        typer.echo(f"{verb} {item.candidate.name} ({item.candidate.id}), last activity {item.last_activity:%Y-%m-%d}")
