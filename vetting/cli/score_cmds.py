"""`vet score`: score one answer against a rubric, with verified evidence quotes from the answer."""

from __future__ import annotations

import textwrap

import typer

from rubrics import get_rubric
from vetting.cli.common import app, emit_json, services
from vetting.kernel.domain import CriterionScore, ScoreResult

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


@app.command()
def score(
    rubric: str = typer.Option(..., "--rubric", help="Rubric id (see `vet rubrics`)."),
    criterion: str | None = typer.Option(None, "--criterion", help="Score only this criterion."),
    question: str = typer.Option(..., "--question", help="The question that was asked."),
    answer: str = typer.Option(..., "--answer", help="The candidate's answer (text)."),
    reference: str | None = typer.Option(None, "--reference", help="An ideal answer to compare against."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Score an answer per criterion: score, confidence, rationale and evidence quoted verbatim from the answer."""
    svc = services()
    chosen = get_rubric(svc.settings, rubric)  # a bad id fails fast, before the model loads
    if criterion:
        chosen.criterion(criterion)
    result = svc.scorer.score(chosen, question, answer, reference=reference, criterion_id=criterion)
    if as_json:
        emit_json(result.to_dict())
    else:
        typer.echo(render_score(result, {c.id: c.name for c in chosen.criteria}))
