"""`vet ingest`, `vet candidates`, `vet delete`: getting candidate documents in, listing them, erasing them."""

from __future__ import annotations

from pathlib import Path

import typer
from tqdm import tqdm

from vetting.candidates import SimilarCandidateExists
from vetting.cli.common import app, emit_json, fail, services
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
    new_person: bool = typer.Option(
        False,
        "--new-person",
        help="Create a new candidate even when one with nearly the same name (ignoring case and accents) exists.",
    ),
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
        report = services().ingestor.ingest(files, candidate, on_progress=progress, new_person=new_person)
    except SimilarCandidateExists as exc:
        fail(f"{exc} (--candidate with that exact name, or --new-person)")
    finally:
        bar.close()
    for result in report.documents:
        for warning in result.warnings:
            typer.secho(f"Warning: {result.path}: {warning}", err=True, fg=typer.colors.YELLOW)
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
    candidate: str | None = typer.Argument(None, help="Candidate's exact name (or id, when it is no one's name)."),
    candidate_id: str | None = typer.Option(None, "--id", help="Candidate id (as `vet candidates` lists it)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Erase a candidate: every chunk, stored file and record, leaving no byte of them in the data directory."""
    if (candidate is None) == (candidate_id is None):
        raise typer.BadParameter("give a candidate's name, or --id ID (one of the two)", param_hint="CANDIDATE")
    key, by = (candidate_id, "id") if candidate_id is not None else (candidate or "", "any")
    erasure = services().candidates.erase(key, by=by)
    removed = erasure.candidate
    if as_json:
        emit_json({"deleted": removed.to_dict()})
    else:
        typer.echo(f"Erased candidate {removed.name} ({removed.id}): chunks, files and records.")
        if erasure.reports_removed:
            typer.echo(f"Removed {len(erasure.reports_removed)} evaluation report(s) naming the candidate.")
    if not erasure.complete:
        typer.echo(
            "The Chroma server or database server keeps deleted data until it is compacted: see 'Erasure' in the "
            "README (VACUUM FULL, backups).",
            err=True,
        )
