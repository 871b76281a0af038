"""Grading section: the scorer against human grades (Mohler, SAF) per question and overall, beside a cosine baseline."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from eval.corpus import Corpus
from eval.names import PersonName
from eval.plots import calibration, confusion
from eval.results import Figure, SectionResult, Table
from eval.swap import SwapDocument
from vetting.services import Services

Progress = Callable[[str], None]
DATASETS = (("mohler", "mohler_dev.csv", "Mohler et al. 2011"), ("saf", "saf_train.csv", "SAF, Filighera et al. 2022"))
CV_BY = {"mohler": "assignment", "saf": "question"}  # Mohler's questions within an assignment are close: hold all out
SHOWN = ("pearson", "spearman", "qwk", "rmse", "within_1")
FAIRNESS_RUBRIC = "project-deep-dive"
FAIRNESS_QUESTION = "Tell me about yourself and a project from your experience that you are proud of."
ANSWER_CHARS = 700  # the start of the document (name, summary, latest role) read out as the answer


def subsample(rows: Sequence[Any], per_question: int | None, seed: int) -> list[Any]:
    """At most `per_question` answers of each question, drawn with the seed (all of them when None)."""
    if per_question is None:
        return list(rows)
    rng = random.Random(seed)
    by_question: dict[str, list[Any]] = {}
    for row in rows:
        by_question.setdefault(row.question_id, []).append(row)
    return [r for q in sorted(by_question) for r in rng.sample(by_question[q], min(per_question, len(by_question[q])))]


def evaluate_grading_section(
    services: Services,
    corpus: Corpus,
    *,
    per_question: int | None = None,
    seed: int = 13,
    progress: Progress | None = None,
) -> SectionResult:
    """Both datasets scored by grouped cross-validation over questions (no question both fitted and scored)."""
    from vetting.metrics import agreement
    from vetting.scoring.datasets import FORMATS, read_grading_csv
    from vetting.scoring.evaluation import GRADE_STEP, cosine_baseline, evaluate_grading, reference_cosines
    from vetting.scoring.memo import EmbeddingMemo
    from vetting.scoring.offline import scoring_encoder

    memo = EmbeddingMemo(scoring_encoder(services.settings))
    metrics: dict[str, float | None] = {}
    tables: list[Table] = []
    figures: list[Figure] = []
    samples: list[dict[str, Any]] = []
    details: dict[str, Any] = {"per_question": per_question or "all", "seed": seed}
    inputs = []
    read = {fmt: read_grading_csv(corpus.grading_file(file), fmt) for fmt, file, _ in DATASETS}  # type: ignore[arg-type]
    sampled = {fmt: subsample(graded.rows, per_question, seed) for fmt, graded in read.items()}
    for fmt, file, citation in DATASETS:
        if progress:
            progress(f"scoring {file}")
        inputs.append(read[fmt].path)
        graded, rows = read[fmt], sampled[fmt]
        other = [r for name, part in sampled.items() if name != fmt for r in part]  # fitted on, never scored
        result = evaluate_grading(rows, memo, train=other, cv_by=CV_BY[fmt], seed=seed)
        low, high = FORMATS[fmt]
        step = GRADE_STEP[fmt]
        baseline = cosine_baseline(rows, reference_cosines(rows, memo), low, high)

        def agree(pred: Sequence[float], gold_: Sequence[float]) -> dict[str, float | int]:
            return agreement(pred, gold_, low=low, high=high, step=step, tolerance=step)  # noqa: B023

        ours, base = result.metrics, result.views["cosine"]  # every answer, and real answers only, as evaluated
        views = {"": (ours, base), "_real": (result.views["real"], result.views["cosine_real"])}
        for view, (mine, theirs) in views.items():
            if int(mine["n"]) < 2:
                continue
            for key in SHOWN:
                metrics[f"{fmt}_{key}{view}"] = float(mine[key])
                metrics[f"{fmt}_{key}{view}_cosine"] = float(theirs[key])
            metrics[f"{fmt}_n{view}"] = int(mine["n"])
        metrics[f"{fmt}_qwk_gain"] = float(ours["qwk"]) - float(base["qwk"])  # above 0: the scorer beats the baseline
        tables.append(_overall(fmt, citation, ours, base, len(rows), graded.skipped, result.insufficient))
        tables.append(_per_question(fmt, rows, result.predictions, baseline, agree))
        figures += _figures(fmt, rows, result.predictions, baseline, low, high, step)
        samples += _answer_samples(rows, seed)
        details[fmt] = {"rows": len(rows), "skipped_rows": graded.skipped, "mode": result.mode, "scorer": ours}
        details[fmt]["cosine_baseline"] = base
    return SectionResult(
        name="grading",
        title="Grading agreement with human graders",
        metrics=metrics,
        method=_method(per_question, seed),
        tables=tables,
        figures=figures,
        details=details,
        inputs=inputs,
        judge_samples=samples,
    )


def _overall(
    fmt: str, citation: str, ours: dict[str, Any], base: dict[str, Any], n: int, skipped: int, insufficient: int
) -> Table:
    rows = [[key, ours[key], base[key], float(ours[key]) - float(base[key])] for key in SHOWN]
    note = f"{n} answers; {insufficient} judged 'insufficient evidence' (scored at the bottom of the scale)" + (
        f"; {skipped} row(s) of the file skipped because their answer text was lost" if skipped else ""
    )
    return Table(f"{fmt}: overall ({citation})", ["metric", "scorer", "cosine baseline", "difference"], rows, note)


def _per_question(
    fmt: str,
    rows: Sequence[Any],
    predicted: Sequence[float],
    baseline: Sequence[float],
    agree: Callable[[Sequence[float], Sequence[float]], dict[str, float | int]],
) -> Table:
    by_question: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_question.setdefault(row.question_id, []).append(i)
    out = []
    for question in sorted(by_question, key=_natural):
        idx = by_question[question]
        gold = [rows[i].gold for i in idx]
        ours = agree([predicted[i] for i in idx], gold)
        base = agree([baseline[i] for i in idx], gold)
        out.append([question, len(idx), *(v for key in SHOWN for v in (ours[key], base[key]))])
    columns = ["question", "n", *(f"{key} {who}" for key in SHOWN for who in ("scorer", "cosine"))]
    note = "Pearson and Spearman are 0 where a question's grades (or predictions) are all equal."
    return Table(f"{fmt}: per question", columns, out, note)


def _natural(key: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in key.replace("-", ".").split("."))


def _figures(
    fmt: str, rows: Sequence[Any], predicted: Sequence[float], baseline: Sequence[float], low: float, high: float,
    step: float,
) -> list[Figure]:  # fmt: skip
    from vetting.metrics import to_bins

    def share(values: Sequence[float]) -> list[float]:
        return [(v - low) / (high - low) for v in values]

    gold = [r.gold for r in rows]
    curve = calibration(
        f"{fmt}-calibration",
        f"{fmt}: calibration (predicted vs human grade)",
        share(gold),
        {"scorer": share(predicted), "cosine baseline": share(baseline)},
    )
    levels = round((high - low) / step) + 1
    matrix = np.zeros((levels, levels), dtype=int)
    for g, p in zip(to_bins(gold, low, high, step), to_bins(predicted, low, high, step), strict=True):
        matrix[g, p] += 1
    labels = [f"{low + i * step:g}" for i in range(levels)]
    return [curve, confusion(f"{fmt}-confusion", f"{fmt}: human grade vs scorer", matrix.tolist(), labels)]


def _answer_samples(rows: Sequence[Any], seed: int) -> list[dict[str, Any]]:
    """Graded answers as ragas samples for the LLM rubric score (the human grade kept beside, never sent)."""
    picked = random.Random(seed).sample(list(rows), min(40, len(rows)))
    return [
        {"kind": "answer", "user_input": r.question, "response": r.answer, "reference": r.reference, "gold": r.gold}
        for r in picked
    ]


def _method(per_question: int | None, seed: int) -> list[str]:
    subset = "every answer" if per_question is None else f"up to {per_question} answers per question (seed {seed})"
    return [
        "Data: Mohler, Bunescu & Mihalcea (ACL-HLT 2011) short answers to computer-science questions, grades 0-5 "
        "(mean of two human graders); SAF (Filighera et al., ACL 2022) English training split, grades 0-1. "
        f"Scored: {subset}.",
        "The scorer sees question, reference answer and answer only, never the grade. Grades are predicted by grouped "
        "cross-validation (up to 10 folds, one per group when fewer) over assignments for Mohler (its questions "
        "within an assignment are close) and "
        "over questions for SAF: no group is both fitted and scored; each fold's model is also trained on the other "
        "dataset's answers (as the shipped model is trained on both), with the contrast pairs of its own training "
        "questions only, so every figure is for unseen questions. Agreement "
        "metrics are the scorer's own (`vet eval grading`); QWK and within-1 bin both sides on one grading step (1 "
        'point for Mohler, 0.25 for SAF). Metrics ending in `_real` leave out non-answers ("No response.", empty).',
        "Cosine baseline: the cosine of the answer and reference embeddings (same model), mapped onto the scale by a "
        "straight line fitted on the real answers of the other folds, with the scorer's non-answer rule (a non-answer "
        "scores the bottom); every number is shown beside the baseline's.",
    ]


class AuditScorer:
    """The rubric scorer as the fairness audit uses it: an answer introducing the candidate by name, 0-1 of the scale.

    The scorer's rationales are kept as ragas samples (feedback should be faithful to the answer it comments on).
    """

    def __init__(self, services: Services, keep: int = 20) -> None:
        from rubrics import get_rubric

        self.rubric = get_rubric(services.settings, FAIRNESS_RUBRIC)
        self.keep = keep
        self.feedback: list[dict[str, Any]] = []

    def __call__(self, doc: SwapDocument, name: PersonName | None, scoped: Services, candidate: Any) -> float:
        intro = f"My name is {name.full}. " if name is not None else ""
        answer = intro + doc.excerpt(name, ANSWER_CHARS)  # the same words under every name
        names = [name.full] if name is not None else []
        result = scoped.scorer.score(self.rubric, FAIRNESS_QUESTION, answer, names=names, candidate_id=candidate.id)
        if len(self.feedback) < self.keep:
            rationale = " ".join(c.rationale for c in result.criteria if c.rationale)
            self.feedback.append(
                {
                    "kind": "feedback",
                    "user_input": "Explain the score given to this interview answer.",
                    "response": rationale,
                    "retrieved_contexts": [answer],
                }
            )
        low, high = self.rubric.scale.min, self.rubric.scale.max
        return 0.0 if result.overall is None else (float(result.overall) - low) / (high - low)
