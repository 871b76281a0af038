"""`vet score`: score one answer against a rubric, with verified evidence quotes from the answer."""

from __future__ import annotations

import hashlib
import json
import textwrap
from pathlib import Path
from typing import Any

import typer

from rubrics import get_rubric
from vetting.ai_outputs import output_versions
from vetting.cli.common import app, emit_json, fail, services
from vetting.kernel.domain import AuditEntry, CriterionScore, ScoreResult

_WIDTH = 110


def _criterion_lines(c: CriterionScore, name: str, top: int) -> list[str]:
    if c.status == "insufficient_evidence":
        head = f"[{name}] insufficient evidence"
    else:
        head = f"[{name}] {c.score:g}/{top}  (confidence {c.confidence:.2f})"
    lines = [head, textwrap.fill(c.rationale, _WIDTH, initial_indent="    ", subsequent_indent="    ")]
    lines += [textwrap.fill(f"“{q}”", _WIDTH, initial_indent="    - ", subsequent_indent="      ") for q in c.evidence]
    if c.evidence_removed:
        lines.append(f"    ({c.evidence_removed} quote(s) removed: not found word for word in the answer)")
    if c.flags:
        lines.append(f"    flags: {', '.join(c.flags)}")
    return lines


def render_score(result: ScoreResult, names: dict[str, str]) -> str:
    """The result as an interviewer reads it: the overall, then each criterion with its rationale and evidence."""
    low, high = result.scale
    overall = "no criterion could be scored" if result.overall is None else f"{result.overall:g} on {low}-{high}"
    out = [f"Rubric {result.rubric_id} v{result.rubric_version}   Engine: {result.engine}", f"Overall: {overall}"]
    if result.overall is not None and result.coverage < 1:
        out[-1] += f" (over {result.coverage:.0%} of the rubric's weight; the rest lacked evidence)"
    if result.flags:
        out.append(f"Flags: {', '.join(result.flags)}")
    for c in result.criteria:
        out += ["", *_criterion_lines(c, names.get(c.criterion_id, c.criterion_id), high)]
    return "\n".join(out)


def record_offline_score(svc: Any, result: Any, question: str, answer: str) -> None:
    """An offline score is an AI output too: into the audit log, with the versions that produced it."""
    versions = output_versions(svc.settings, kind="score", engine=result.engine)
    svc.call_log.record(
        AuditEntry(
            task="score",
            engine=result.engine,
            model=versions.get("grading_model", result.engine),
            endpoint="",
            template_version=f"{result.rubric_id} v{result.rubric_version}; program {versions['program']}",
            input_sha256=hashlib.sha256(f"{question}\n{answer}".encode()).hexdigest(),
            output=json.dumps({c.criterion_id: c.score for c in result.criteria}),
            status="ok",
            actor=svc.actor.name,
        )
    )


@app.command()
def score(
    rubric: str | None = typer.Option(None, "--rubric", help="Rubric id (see `vet rubrics`)."),
    criterion: str | None = typer.Option(None, "--criterion", help="Score only this criterion."),
    question: str | None = typer.Option(None, "--question", help="The question that was asked."),
    answer: str | None = typer.Option(None, "--answer", help="The candidate's answer (text)."),
    reference: str | None = typer.Option(
        None, "--reference", help="The ideal answer to this question; it decides relevance and grade."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    batch: Path | None = typer.Option(
        None,
        "--batch",
        help='JSON Lines, one answer a line: {"id", "rubric", "criterion"?, "question", "answer", "reference"?}.',
    ),
    out: Path | None = typer.Option(None, "--out", help="With --batch: write the results here (default: stdout)."),
) -> None:
    """Score an answer per criterion: score, confidence, rationale and evidence quoted verbatim from the answer."""
    if batch is not None:
        if any(v is not None for v in (rubric, criterion, question, answer, reference)):
            raise typer.BadParameter("--batch takes every answer from the file; drop --rubric/--question/--answer.")
        from vetting.cli.batch import score_batch

        try:
            count, errors = score_batch(services(), batch, out)
        except OSError as exc:
            fail(f"Cannot read or write the batch ({exc.__class__.__name__}: {exc.strerror or exc}).")
        typer.echo(f"scored {count - errors} of {count} line(s); {errors} error(s)", err=True)
        return
    if out is not None:
        raise typer.BadParameter("--out goes with --batch.")
    missing = [
        flag for flag, value in (("--rubric", rubric), ("--question", question), ("--answer", answer)) if not value
    ]
    if missing:
        raise typer.BadParameter(f"missing {', '.join(missing)} (or give --batch FILE).")
    assert rubric is not None and question is not None and answer is not None
    svc = services()
    chosen = get_rubric(svc.settings, rubric)  # a bad id fails fast, before the model loads
    if criterion:
        chosen.criterion(criterion)
    result = svc.scorer.score(chosen, question, answer, reference=reference, criterion_id=criterion)
    if not result.engine.startswith("llm"):  # a language model's calls are already in the log, by the LLM seam
        record_offline_score(svc, result, question, answer)
    if as_json:
        emit_json(result.to_dict())
    else:
        typer.echo(render_score(result, {c.id: c.name for c in chosen.criteria}))
