"""`vet rubrics` and `vet cases`: what the scoring and case banks hold, built-in and from the user's folders."""

from __future__ import annotations

import typer

from cases import load_cases
from rubrics import load_rubrics
from vetting.cli.common import app, emit_json, services


@app.command()
def rubrics(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """List the rubrics (built-in, plus VETTING_RUBRICS_DIR); a bad file is reported with its name and field."""
    bank = load_rubrics(services().settings)
    if as_json:
        emit_json(
            {
                "rubrics": [
                    {
                        "id": r.id,
                        "title": r.title,
                        "version": r.version,
                        "applies_to": r.applies_to,
                        "scale": {"min": r.scale.min, "max": r.scale.max},
                        "criteria": [{"id": c.id, "name": c.name, "weight": c.weight} for c in r.criteria],
                    }
                    for r in bank.values()
                ]
            }
        )
        return
    for r in bank.values():
        typer.echo(f"{r.id}  {r.title} (v{r.version}, scale {r.scale.min}-{r.scale.max})")
        for c in r.criteria:
            typer.echo(f"    {c.id:<24} weight {c.weight:g}  {c.name}")


@app.command()
def cases(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """List the case studies (built-in, plus VETTING_CASES_DIR) with the rubric each one uses."""
    bank = load_cases(services().settings)
    if as_json:
        emit_json(
            {
                "cases": [
                    {
                        "id": c.id,
                        "title": c.title,
                        "rubric": c.rubric,
                        "business_goal": c.brief.business_goal,
                        "success_metric": c.brief.success_metric,
                        "follow_ups": len(c.follow_ups),
                    }
                    for c in bank.values()
                ]
            }
        )
        return
    for c in bank.values():
        typer.echo(f"{c.id}  {c.title}")
        typer.echo(f"    rubric: {c.rubric}; goal: {c.brief.business_goal}")
