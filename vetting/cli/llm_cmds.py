"""`vet llm-check` and `vet audit`: is the language model reachable, and what was each call to it."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from pydantic import BaseModel, Field

from vetting.audit import export_csv, export_json
from vetting.cli.common import app, emit_json, fail, services
from vetting.kernel.domain import AuditEntry

audit_app = typer.Typer(help="The log of every language-model call: list it, export it.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


class EndpointCheck(BaseModel):
    ready: bool = Field(description="true")
    word: str = Field(description="the word 'ready'")


@app.command("llm-check")
def llm_check(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """Send one small structured request to the configured language model and report how it went."""
    llm = services().llm
    if llm is None:
        message = "No language model is configured: the offline engine does the work and nothing leaves this machine."
        if as_json:
            emit_json({"engine": "offline", "message": message})
        else:
            typer.echo(message)
        return
    started = time.perf_counter()
    llm.generate(
        task="endpoint check",
        system="You check that structured replies work.",
        user='Reply with {"ready": true, "word": "ready"}.',
        schema=EndpointCheck,
    )
    report = {
        "engine": llm.engine,
        "endpoint": llm.endpoint,
        "structured_output": llm.json_mode_in_use,
        "seconds": round(time.perf_counter() - started, 2),
        "personal_data": "sent as is" if llm.send_pii else "redacted before sending",
    }
    if as_json:
        emit_json(report)
    else:
        typer.echo(f"{llm.endpoint} answered as {llm.engine} in {report['seconds']} s")
        typer.echo(f"  structured output: {report['structured_output']}; personal data: {report['personal_data']}")


def _row(entry: AuditEntry) -> str:
    tokens = f"{entry.prompt_tokens or '-'}/{entry.completion_tokens or '-'}"
    error = f"  {entry.error[:70]}" if entry.error else ""
    when = entry.created_at.strftime("%Y-%m-%d %H:%M:%S")
    what = f"{entry.task[:20]:<20} {entry.engine[:28]:<28} {entry.status:<8}"
    return f"{when}  {what} {entry.latency_ms:>7} ms {tokens:>9}{error}"


@audit_app.command("list")
def audit_list(
    limit: int = typer.Option(50, "--limit", "-n", min=1, help="Most recent calls to show."),
    task: str | None = typer.Option(None, "--task", help="Only calls of this task, e.g. 'question planning'."),
    candidate: str | None = typer.Option(None, "--candidate", "-c", help="Only calls about this candidate."),
    as_json: bool = typer.Option(False, "--json", help="Print the calls as JSON."),
) -> None:
    """The most recent language-model calls, newest first."""
    built = services()
    candidate_id = built.candidates.find(candidate).id if candidate else None
    entries = built.audit.entries(limit=limit, task=task, candidate_id=candidate_id)
    if as_json:
        emit_json([e.to_dict() for e in entries])
        return
    if not entries:
        typer.echo("No language-model calls recorded.")
        return
    typer.echo(f"{'time (UTC)':<19}  {'task':<20} {'engine':<28} {'status':<8} {'latency':>10} {'tokens':>9}")
    for entry in entries:
        typer.echo(_row(entry))


@audit_app.command("export")
def audit_export(
    fmt: str = typer.Option("json", "--format", "-f", help="json or csv."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default: standard output)."),
) -> None:
    """Every recorded call, as JSON or CSV."""
    if fmt not in ("json", "csv"):
        raise typer.BadParameter("use json or csv", param_hint="--format")
    entries = services().audit.entries(limit=None)
    text = export_json(entries) if fmt == "json" else export_csv(entries)
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"Could not write {output}: {exc.strerror or exc}.")
    typer.echo(f"Wrote {len(entries)} call(s) to {output}.")
