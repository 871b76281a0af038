"""Runs evaluation sections over scratch services, applies the thresholds, and assembles the report."""

from __future__ import annotations

import shlex
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from eval.corpus import Corpus, scratch_services
from eval.fairness import AuditSize
from eval.report import Report
from eval.results import SectionResult
from eval.thresholds import DEFAULT_THRESHOLDS, load_thresholds
from eval.versions import collect_versions
from vetting.kernel.settings import Settings
from vetting.services import Services

SECTIONS = ("retrieval", "plans", "grading", "gaming", "custom_criterion", "fairness", "llm_judged")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class SuiteOptions:
    """How much of each section to run; the defaults are the full report, `small()` the slice tests run."""

    seed: int = 13
    retrieval_candidates: int | None = None  # None: every real CV
    plan_candidates: int | None = None
    attacked: int = 4
    audit: AuditSize = field(default_factory=AuditSize)
    # None: every graded answer (Mohler has 25-31 per question, SAF 82). With 12 per question SAF's folds fit on about
    # 190 answers and the scorer's gain over the cosine baseline was within sampling noise (-0.009 QWK; +0.033 on all).
    grading_per_question: int | None = None
    hiding_per_family: int | None = None  # None: the whole hiding corpus; else its first tricks and controls per family
    thresholds: Path = DEFAULT_THRESHOLDS

    @classmethod
    def small(cls) -> SuiteOptions:
        return cls(
            retrieval_candidates=2,
            plan_candidates=2,
            attacked=1,
            audit=AuditSize(real_cvs=1, resumes_per_job=0, names_per_group=1),
            grading_per_question=2,
            hiding_per_family=1,
        )


def _run_section(
    name: str,
    services: Services,
    corpus: Corpus,
    work: Path,
    options: SuiteOptions,
    progress: Progress,
    earlier: dict[str, SectionResult],
) -> SectionResult:
    if name == "retrieval":
        from eval.retrieval import evaluate_retrieval

        return evaluate_retrieval(
            services, corpus, work, seed=options.seed, candidates=options.retrieval_candidates, progress=progress
        )
    if name == "plans":
        from eval.plans import evaluate_plans

        return evaluate_plans(
            services,
            corpus,
            work,
            seed=options.seed,
            candidates=options.plan_candidates,
            attacked=options.attacked,
            progress=progress,
            hiding_per_family=options.hiding_per_family,
        )
    if name == "grading":
        from eval.grading import evaluate_grading_section

        return evaluate_grading_section(
            services, corpus, per_question=options.grading_per_question, seed=options.seed, progress=progress
        )
    if name == "gaming":
        from eval.gaming import evaluate_gaming

        return evaluate_gaming(services, corpus, seed=options.seed, progress=progress)
    if name == "custom_criterion":
        from eval.custom_criterion import evaluate_custom_section

        return evaluate_custom_section(services)
    if name == "fairness":
        from eval.fairness import evaluate_fairness
        from eval.grading import AuditScorer

        scorer = AuditScorer(services)
        result = evaluate_fairness(
            services, corpus, work, seed=options.seed, size=options.audit, scorer=scorer, progress=progress
        )
        result.judge_samples += scorer.feedback
        return result
    if name == "llm_judged":
        from eval.llm_judged import evaluate_llm_judged

        return evaluate_llm_judged(services, earlier, progress=progress)
    raise ValueError(f"unknown section {name!r}")


def run_suite(
    settings: Settings,
    sections: Sequence[str],
    options: SuiteOptions,
    *,
    corpus_dir: Path | None = None,
    command: str | None = None,
    show_progress: bool = True,
) -> Report:
    """Run `sections` in order on a scratch copy of the services and return the checked report."""
    from tqdm import tqdm

    thresholds = load_thresholds(options.thresholds)
    corpus = Corpus.locate(corpus_dir)
    results: dict[str, SectionResult] = {}
    bar = tqdm(total=len(sections), unit="section", disable=not show_progress, file=sys.stderr, leave=False)
    try:
        with scratch_services(settings) as services, tempfile.TemporaryDirectory(prefix="vetting-eval-work-") as tmp:
            for name in sections:
                bar.set_description(name)
                started = time.perf_counter()

                def progress(message: str) -> None:
                    bar.set_postfix_str(message[-60:], refresh=True)

                result = _run_section(name, services, corpus, Path(tmp) / name, options, progress, results)
                result.seconds = time.perf_counter() - started
                results[name] = result.check(thresholds)
                bar.update(1)
    finally:
        bar.close()
    ordered = [results[n] for n in sections]
    inputs = [p for r in ordered for p in r.inputs]
    versions = collect_versions(settings, corpus, inputs, options.thresholds, options.seed)
    return Report(
        created=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        command=command or "vet " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        sections=ordered,
        versions=versions,
        run={"options": _describe(options), "corpus": "../shared/data" if corpus_dir is None else corpus.root.name},
    )


def _describe(options: SuiteOptions) -> dict[str, object]:
    return {
        "seed": options.seed,
        "retrieval_candidates": options.retrieval_candidates or "all",
        "plan_candidates": options.plan_candidates or "all",
        "attacked_cvs": options.attacked,
        "fairness_real_cvs": options.audit.real_cvs,
        "fairness_resumes_per_job": options.audit.resumes_per_job,
        "fairness_names_per_group": options.audit.names_per_group,
        "grading_answers_per_question": options.grading_per_question or "all",
        "hiding_tricks_per_family": options.hiding_per_family or "all",
        "thresholds": options.thresholds.name,
    }


def default_out_dir(settings: Settings) -> Path:
    """`reports/<UTC timestamp>` under the data directory."""
    return settings.data_dir / "reports" / datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
