"""`vet plan`: an ordered interview plan for a candidate and a case, every deep dive citing the candidate's words."""

from __future__ import annotations

import textwrap

import typer

from cases import get_case
from rubrics import get_rubric
from vetting.ai_outputs import AIOutputLog, output_versions
from vetting.cli.common import app, emit_json, services
from vetting.consent import ConsentRegistry
from vetting.kernel.domain import Plan, Question

_WIDTH = 110


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, _WIDTH, initial_indent=indent, subsequent_indent=indent)


def _question(q: Question, names: dict[str, str]) -> str:
    number = q.id.removeprefix("q")
    label = f"[{names.get(q.criterion, q.criterion)}] " if q.criterion else ""
    lines = [textwrap.fill(f"{number:>2}. {label}{q.text}", _WIDTH, subsequent_indent="    ")]
    if q.citation:
        where = q.citation.document + (f", page {q.citation.page}" if q.citation.page else "")
        lines.append(_wrap(f"cites “{q.citation.quote}” ({where})", "      "))
    return "\n".join(lines)


def render_plan(plan: Plan) -> str:
    """The plan as an interviewer reads it: the brief, then numbered questions with the citation under each."""
    brief = plan.case["brief"]
    case_rubric = plan.case_rubric or plan.rubric
    names = {c["id"]: c["name"] for c in [*case_rubric["criteria"], *plan.rubric["criteria"]]}
    out = [
        f"Interview plan for {plan.candidate.name}",
        f"Case: {plan.case['title']}   Deep dives: {plan.rubric['title']}   Case rubric: {case_rubric['title']}   "
        "Engine: " + (f"{plan.engine} ({plan.model})" if plan.model else plan.engine),
        "",
        "Brief",
        _wrap(f"Goal: {brief['business_goal']}", "  "),
        _wrap(f"Success: {brief['success_metric']}", "  "),
        _wrap(f"Stack: {', '.join(brief['technical_stack'])}", "  "),
        _wrap(f"First milestone: {brief['first_milestone']}", "  "),
    ]
    sections = (("deep_dive", "Deep dives on the candidate's own work"), ("case", "Case"), ("follow_up", "Follow-ups"))
    for kind, title in sections:
        chosen = [q for q in plan.questions if q.kind == kind]
        if chosen:
            out += ["", title] + [_question(q, names) for q in chosen]
    if plan.notes:
        out += ["", "Notes"] + [_wrap(f"- {note}", "  ") for note in plan.notes]
    return "\n".join(out)


@app.command()
def plan(
    candidate: str = typer.Option(..., "--candidate", "-c", help="Candidate id or exact name."),
    case: str = typer.Option(..., "--case", help="Case id (see `vet cases`)."),
    rubric: str | None = typer.Option(
        None, "--rubric", help="Rubric id for the deep dives (default: project-deep-dive)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Plan an interview: cited deep dives on the candidate's documents, then the case and its follow-ups."""
    from vetting.planning.planner import deep_dive_rubric

    svc = services()
    chosen = get_case(svc.settings, case)  # bad ids fail fast, before the embedding model loads
    get_rubric(svc.settings, rubric or deep_dive_rubric(svc.settings, chosen))
    found = svc.candidates.find(candidate)
    ConsentRegistry(svc.db).require_ai_allowed(found)
    result = svc.planner.plan(found, chosen.id, rubric)
    AIOutputLog(svc.db).record(
        kind="plan",
        engine=result.engine,
        model=result.model,
        rubric_id=str(result.rubric.get("id", "")),
        rubric_version=str(result.rubric.get("version", "")),
        candidate_id=found.id,
        actor=svc.actor.name,
        detail={
            "questions": len(result.questions),
            "case_id": chosen.id,
            "via": "vet plan",
            **output_versions(svc.settings, kind="plan", engine=result.engine, case=chosen),
        },
    )
    if as_json:
        emit_json(result.to_dict())
    else:
        typer.echo(render_plan(result))
