"""`vet eval retrieval|plans|gaming|fairness|report`: the evaluation harness; a missed threshold exits with code 1."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import typer

from eval.fairness import AuditSize
from eval.report import fmt, write_report
from eval.results import SectionResult
from eval.suite import SECTIONS, SuiteOptions, default_out_dir, run_suite
from eval.thresholds import DEFAULT_THRESHOLDS
from vetting.cli.common import emit_json, services
from vetting.cli.eval_cmds import eval_app  # the `vet eval` group, shared with `vet eval grading`

_DATA = typer.Option(None, "--data", help="Shared evaluation corpus (default: ../shared/data beside the checkout).")
_THRESHOLDS = typer.Option(None, "--thresholds", help="YAML file of pass/fail bounds (default: eval/thresholds.yaml).")
_SEED = typer.Option(13, "--seed", help="Seed of every sampling step; the same seed reproduces the same numbers.")
_JSON = typer.Option(False, "--json", help="Print one JSON object.")


def _options(thresholds: Path | None, seed: int, **sizes: Any) -> SuiteOptions:
    return SuiteOptions(seed=seed, thresholds=thresholds or DEFAULT_THRESHOLDS, **sizes)


def _run_one(section: str, data: Path | None, options: SuiteOptions, as_json: bool) -> None:
    """Run one section, print it, and exit 1 when one of its thresholds is missed."""
    report = run_suite(services().settings, [section], options, corpus_dir=data)
    result = report.sections[0]
    if as_json:
        emit_json({**result.to_dict(), "versions": report.versions})
    else:
        typer.echo(_describe(result))
    raise typer.Exit(0 if report.passed else 1)


def _describe(result: SectionResult) -> str:
    if result.status == "skipped":
        return f"{result.title}: skipped — {result.reason}"
    lines = [f"{result.title} ({result.seconds:.0f} s)"]
    lines += [f"  {name:<32} {fmt(value)}" for name, value in result.metrics.items()]
    if result.checks:
        lines.append("Thresholds")
        for check in result.checks:
            target = check.bound.describe()
            lines.append(f"  {check.status.upper():<8} {check.metric} = {fmt(check.value)} (target {target})")
    return "\n".join(lines)


@eval_app.command("retrieval")
def eval_retrieval(
    candidates: int | None = typer.Option(None, "--candidates", min=1, help="Real CVs to use (default: all)."),
    data: Path | None = _DATA,
    thresholds: Path | None = _THRESHOLDS,
    seed: int = _SEED,
    as_json: bool = _JSON,
) -> None:
    """Retrieval quality on facts planted in real CVs and write-ups: ragas ID-based precision/recall, recall@k, MRR."""
    _run_one("retrieval", data, _options(thresholds, seed, retrieval_candidates=candidates), as_json)


@eval_app.command("plans")
def eval_plans(
    candidates: int | None = typer.Option(None, "--candidates", min=1, help="Real CVs to plan (default: all)."),
    attacked: int = typer.Option(4, "--attacked", min=0, help="CVs re-planned with injected text."),
    data: Path | None = _DATA,
    thresholds: Path | None = _THRESHOLDS,
    seed: int = _SEED,
    as_json: bool = _JSON,
) -> None:
    """Plan quality over real CVs: grounding, criteria coverage, diversity, drops, resistance to injected text."""
    _run_one("plans", data, _options(thresholds, seed, plan_candidates=candidates, attacked=attacked), as_json)


@eval_app.command("gaming")
def eval_gaming(
    data: Path | None = _DATA,
    thresholds: Path | None = _THRESHOLDS,
    seed: int = _SEED,
    as_json: bool = typer.Option(False, "--json", help='Print {"kinds": {KIND: {"n", "mean_normalized", ...}}}.'),
) -> None:
    """Answers that only look right (negated, keyword bags, copied question, instructions to the grader...) and
    honest paraphrases, scored against the reference; exit 1 when a threshold is missed."""
    report = run_suite(services().settings, ["gaming"], _options(thresholds, seed), corpus_dir=data)
    result = report.sections[0]
    if as_json:
        emit_json({"kinds": result.details.get("kinds", {})})
    else:
        typer.echo(_describe(result))
    raise typer.Exit(0 if report.passed else 1)


@eval_app.command("fairness")
def eval_fairness(
    real_cvs: int = typer.Option(3, "--real-cvs", min=0, help="Real CVs put through the name swap."),
    resumes_per_job: int = typer.Option(1, "--resumes-per-job", min=0, help="Bloomberg résumés per job (of 8)."),
    names_per_group: int = typer.Option(3, "--names-per-group", min=1, help="Names per race × sex group and study."),
    data: Path | None = _DATA,
    thresholds: Path | None = _THRESHOLDS,
    seed: int = _SEED,
    as_json: bool = _JSON,
) -> None:
    """Name-swap audit: changes in retrieval, plan and score; NYC LL144 impact ratios with the four-fifths flag."""
    audit = AuditSize(real_cvs, resumes_per_job, names_per_group)
    _run_one("fairness", data, _options(thresholds, seed, audit=audit), as_json)


@eval_app.command("report")
def eval_report(
    out: Path | None = typer.Option(None, "--out", help="Folder for the report (default: reports/<time> under data)."),
    small: bool = typer.Option(False, "--small", help="A small slice of every section (a quick smoke run)."),
    answers: int = typer.Option(
        0, "--answers-per-question", min=0, help="Graded answers scored per question, drawn with the seed (0: all)."
    ),
    data: Path | None = _DATA,
    thresholds: Path | None = _THRESHOLDS,
    seed: int = _SEED,
    as_json: bool = _JSON,
) -> None:
    """Run the whole suite and write report.html (self-contained), report.md and report.json into --out."""
    options = replace(SuiteOptions(), grading_per_question=answers or None)
    options = replace(SuiteOptions.small() if small else options, seed=seed)
    options = replace(options, thresholds=thresholds or DEFAULT_THRESHOLDS)
    settings = services().settings
    report = run_suite(settings, list(SECTIONS), options, corpus_dir=data)
    target = out or default_out_dir(settings)
    files = write_report(report, target)
    if as_json:
        emit_json(
            {
                "out": str(target),
                "files": [str(f.relative_to(target)) for f in files],
                "passed": report.passed,
                "summary": [c.to_dict() for c in report.checks],
                "skipped": {s.name: s.reason for s in report.sections if s.status == "skipped"},
            }
        )
    else:
        for section in report.sections:
            typer.echo(_describe(section))
        typer.echo(f"{'PASS' if report.passed else 'FAIL'}: report written to {target / 'report.html'}")
    raise typer.Exit(0 if report.passed else 1)
