"""`vet consent`: a candidate's AI-use notice date and opt-out of AI assessment, shown and recorded."""

from __future__ import annotations

from datetime import date, datetime

import typer

from vetting.cli.common import app, emit_json, services
from vetting.consent import NOTICE_BUSINESS_DAYS, ConsentRegistry


def _day(value: str | None) -> date | None:
    if value is None or value == "":
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise typer.BadParameter("a date as YYYY-MM-DD", param_hint="--notice-given") from exc


@app.command()
def consent(
    candidate: str = typer.Argument(..., help="Candidate's exact name, or id with --id."),
    by_id: bool = typer.Option(False, "--id", help="CANDIDATE is an id."),
    notice_given: str | None = typer.Option(None, "--notice-given", help="Date the AI-use notice was given."),
    opt_out: bool | None = typer.Option(None, "--opt-out/--opt-in", help="Opted out of AI assessment, or back in."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Show a candidate's AI-use notice and opt-out; record them with --notice-given and --opt-out/--opt-in."""
    svc = services()
    found = svc.candidates.find(candidate, by="id" if by_id else "any")
    registry = ConsentRegistry(svc.db)
    current = registry.of(found.id)
    if notice_given is not None or opt_out is not None:
        given = _day(notice_given) if notice_given is not None else current.notice_given_on
        current = registry.record(
            found.id, notice_given_on=given, ai_opt_out=current.ai_opt_out if opt_out is None else opt_out
        )
        svc.activity.record("consent", candidate_id=found.id, ai_opt_out=current.ai_opt_out)
    days = current.business_days_since_notice()
    if as_json:
        emit_json(
            {
                "candidate": found.to_dict(),
                "notice_given_on": current.notice_given_on.isoformat() if current.notice_given_on else None,
                "business_days_since_notice": days,
                "ai_opt_out": current.ai_opt_out,
            }
        )
        return
    notice = "no AI-use notice recorded" if days is None else f"AI-use notice given {current.notice_given_on}"
    typer.echo(
        f"{found.name} ({found.id}): {notice}; "
        + ("opted out of AI assessment" if current.ai_opt_out else "AI assessment allowed")
    )
    if not current.ai_opt_out and current.notice_pending():
        typer.echo(
            f"Note: NYC Local Law 144 asks for the notice at least {NOTICE_BUSINESS_DAYS} business days before use."
        )
