"""`vet ingest`, `vet candidates`, `vet delete`: getting candidate documents in, listing them, erasing them."""

from __future__ import annotations

from pathlib import Path

import typer
from tqdm import tqdm

from vetting.cli.common import app, emit_json, services
from vetting.kernel.domain import DocumentResult


def _expand(paths: list[Path]) -> list[Path]:
    """Files as given, and the visible files inside any folder given."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        else:
            files.append(path)
    return files


def _describe(result: DocumentResult) -> str:
    if result.status == "rejected":
        error = result.error or "rejected"
        return f"  rejected   {error}" if error.startswith(result.path) else f"  rejected   {result.path}: {error}"
    line = f"  {result.status:<10} {result.path}: {result.pages} page(s), {result.chunks} chunk(s)"
    for flag in result.flags:
        where = f" page {flag.page}" if flag.page else ""
        line += f"\n             flagged {flag.kind.replace('_', ' ')}{where} ({flag.where}): {flag.text[:80]!r}"
    return line


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders of the candidate's documents."),
    candidate: str = typer.Option(..., "--candidate", "-c", help="Candidate name (created if new)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Ingest a candidate's CVs and write-ups (PDF, DOCX, Markdown, text, JSON Resume)."""
    files = _expand(paths)
    if not files:
        raise typer.BadParameter("no files found in the given paths", param_hint="PATHS")
    bar = tqdm(total=len(files), unit="file", disable=len(files) < 2, leave=False)

    def progress(done: int, total: int, name: str) -> None:
        bar.n = done
        bar.set_postfix_str(name[-40:], refresh=True)

    try:
        report = services().ingestor.ingest(files, candidate, on_progress=progress)
    finally:
        bar.close()
    if as_json:
        emit_json(report.to_dict())
    else:
        typer.echo(f"Candidate {report.candidate.name} ({report.candidate.id})")
        for result in report.documents:
            typer.echo(_describe(result))
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def candidates(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """List candidates with their number of documents and chunks."""
    rows = services().candidates.overview()
    if as_json:
        emit_json({"candidates": [{**c.to_dict(), "documents": d, "chunks": n} for c, d, n in rows]})
        return
    if not rows:
        typer.echo("No candidates yet. Add one with: vet ingest FILE... --candidate NAME")
    for cand, docs, chunks in rows:
        typer.echo(f"{cand.id}  {cand.name}  ({docs} document(s), {chunks} chunk(s))")


@app.command()
def delete(
    candidate: str = typer.Argument(..., help="Candidate id or exact name."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Erase a candidate: every chunk, stored file and record."""
    removed = services().candidates.delete(candidate)
    if as_json:
        emit_json({"deleted": removed.to_dict()})
    else:
        typer.echo(f"Erased candidate {removed.name} ({removed.id}): chunks, files and records.")
