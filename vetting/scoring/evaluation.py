"""`vet eval grading`: score human-graded answers from question, reference and answer only, then measure agreement."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GroupKFold

from vetting.metrics import agreement, pearson, spearman
from vetting.scoring.contrast import GAMED_KINDS, TRAINED_KINDS, Pair, contrast_pairs
from vetting.scoring.datasets import FORMATS, GradedAnswer
from vetting.scoring.features import GradingItem, ItemFeatures, extract_many
from vetting.scoring.memo import EmbeddingMemo
from vetting.scoring.model import GradingModel
from vetting.scoring.relevance import MIN_WORDS, fit_relevance_threshold, is_non_answer, is_off_topic

Progress = Callable[[int, int], None]
GRADE_STEP = {"mohler": 1.0, "saf": 0.25}  # one grading step: the QWK bin and the `within_1` tolerance
MAX_FOLDS = 10


@dataclass(frozen=True)
class GradingEvaluation:
    """Agreement of the scorer with human grades, and of the plain cosine baseline on the same rows."""

    metrics: dict[str, float | int]
    baseline_pearson: float
    baseline_spearman: float
    predictions: list[float]
    insufficient: int
    mode: str
    gated: int = 0  # answers the gate read as made to only look right (scored at the bottom)
    views: dict[str, dict[str, float | int]] = field(default_factory=dict)  # real answers, cosine baseline


def item_of(row: GradedAnswer) -> GradingItem:
    """What the scorer sees of a graded row: never the gold grade."""
    return GradingItem(question=row.question, references=(row.reference,), answer=row.answer)


def reference_cosines(rows: Sequence[GradedAnswer], memo: EmbeddingMemo) -> np.ndarray:
    """The one cosine baseline's input: answer vs reference embedding (0 for an empty answer or reference)."""
    texts = sorted({t for r in rows for t in (r.answer, r.reference) if t.strip()})
    vectors = dict(zip(texts, memo.matrix(texts), strict=True)) if texts else {}
    return np.array(
        [
            float(vectors[r.answer] @ vectors[r.reference]) if r.answer in vectors and r.reference in vectors else 0.0
            for r in rows
        ]
    )


def cosine_baseline(rows: Sequence[GradedAnswer], cosine: np.ndarray, low: float, high: float) -> list[float]:
    """The plain baseline on the grade scale: the cosine mapped by a line fitted on the other questions' folds.

    It gets the scorer's non-answer rule: an empty or non-answer ("No response.") scores the bottom of the scale, and
    the line is fitted on real answers only.
    """
    gold = np.array([r.gold for r in rows])
    groups = np.array([r.question_id for r in rows])
    real = np.array([not is_non_answer(r.answer) for r in rows])
    predicted = np.full(len(rows), float(low))
    folds = GroupKFold(n_splits=min(MAX_FOLDS, len(set(groups.tolist()))))
    for train, test in folds.split(cosine.reshape(-1, 1), groups=groups):
        train = train[real[train]]
        if len(train) < 2:
            continue
        line = LinearRegression().fit(cosine[train].reshape(-1, 1), gold[train])
        predicted[test] = np.where(real[test], line.predict(cosine[test].reshape(-1, 1)), low)
    return [float(v) for v in np.clip(predicted, low, high)]


def featurize(
    rows: Sequence[GradedAnswer], memo: EmbeddingMemo, progress: Progress | None = None
) -> tuple[np.ndarray, list[ItemFeatures]]:
    """Feature matrix of graded rows (gold grades unused), embedding in batches."""
    feats = extract_many([item_of(r) for r in rows], memo, progress=progress)
    return np.stack([f.vector for f in feats]), feats


def contrast_set(
    rows: Sequence[GradedAnswer], memo: EmbeddingMemo, seed: int
) -> tuple[np.ndarray, np.ndarray, list[Pair]]:
    """Features, targets and pairs of the contrast pairs made from `rows` (answers that only look right; rewordings)."""
    questions = {f"{r.dataset}:{r.question_id}": r.question for r in rows}
    pairs = contrast_pairs(rows, seed=seed)  # every kind is either graded or gamed (`fit_with_pairs` splits them)
    if not pairs:
        return np.zeros((0, 0), dtype=np.float32), np.zeros(0), []
    feats = extract_many([GradingItem(questions[p.group], (p.reference,), p.answer) for p in pairs], memo)
    return np.stack([f.vector for f in feats]), np.array([p.target for p in pairs]), pairs


def contrast_for(pairs: Sequence[Pair], fitted: Sequence[GradedAnswer], scored: Sequence[GradedAnswer]) -> np.ndarray:
    """Which contrast pairs a fold may train on: made for a fitted question, and holding no text of a scored one."""
    keys = {f"{r.dataset}:{r.question_id}" for r in fitted}
    texts = {t.strip() for r in scored for t in (r.reference, r.answer, r.question)}
    return np.array(
        [p.group in keys and p.answer.strip() not in texts and p.reference.strip() not in texts for p in pairs],
        dtype=bool,
    )


def _without_overlap(train: Sequence[GradedAnswer], scored: Sequence[GradedAnswer]) -> list[int]:
    """Indices of training rows whose (question, answer) pair is not among the scored rows: nothing scored is seen."""
    seen = {(r.question.strip(), r.answer.strip()) for r in scored}
    return [i for i, r in enumerate(train) if (r.question.strip(), r.answer.strip()) not in seen]


def fit_with_pairs(
    model: GradingModel,
    x: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    contrast: tuple[np.ndarray, Sequence[Pair]],
    *,
    calibrate: bool,
) -> GradingModel:
    """The grade fitted on graded rows plus the graded contrast kinds; the gate on them against the gamed kinds."""
    xc, pairs = contrast
    kinds = np.array([p.kind for p in pairs])
    graded = np.isin(kinds, list(TRAINED_KINDS)) if len(pairs) else np.zeros(0, dtype=bool)
    gamed = np.isin(kinds, list(GAMED_KINDS)) if len(pairs) else np.zeros(0, dtype=bool)
    targets = np.array([p.target for p in pairs])
    pair_groups = np.array([p.group for p in pairs])
    real = np.vstack([x, xc[graded]]) if graded.any() else x
    model.fit(
        real,
        np.concatenate([y, targets[graded]]),
        np.concatenate([groups, pair_groups[graded]]),
        calibrate=calibrate,
    )
    if gamed.any():
        model.fit_gate(real, xc[gamed])
    return model


def _fit(
    x: np.ndarray, rows: Sequence[GradedAnswer], memo: EmbeddingMemo, seed: int, xc: np.ndarray, pairs: Sequence[Pair]
) -> GradingModel:
    """The model fitted on graded rows plus contrast pairs (the caller keeps out those of scored questions)."""
    y = np.array([r.gold_normalized for r in rows])
    groups = np.array([f"{r.dataset}:{r.question_id}" for r in rows])
    model = fit_with_pairs(GradingModel(seed=seed), x, y, groups, (xc, pairs), calibrate=False)
    model.relevance_threshold = fit_relevance_threshold([item_of(r) for r in rows], memo)
    return model


def _predict(
    model: GradingModel, x: np.ndarray, rows: Sequence[GradedAnswer], feats: list[ItemFeatures], memo: EmbeddingMemo
) -> tuple[np.ndarray, int, int]:
    """0-1 grades, insufficient and gated counts: an insufficient answer, or one the gate reads as gamed, gets 0."""
    grade, _ = model.predict(x)
    empty = np.array(
        [is_insufficient(item_of(r), f, memo, model.relevance_threshold) for r, f in zip(rows, feats, strict=True)],
        dtype=bool,
    )
    gamed = model.looks_gamed(x) & ~empty
    grade[empty | gamed] = 0.0
    return grade, int(empty.sum()), int(gamed.sum())


def is_insufficient(item: GradingItem, feat: ItemFeatures, memo: EmbeddingMemo, threshold: float) -> bool:
    """The offline scorer's rule: a non-answer, no content word, or nothing close to the question or reference."""
    return is_non_answer(item.answer) or feat.words < MIN_WORDS or is_off_topic(item, memo, threshold)


def evaluate_grading(
    rows: Sequence[GradedAnswer],
    memo: EmbeddingMemo,
    *,
    model: GradingModel | None = None,
    train: Sequence[GradedAnswer] = (),
    cv_by: str | None = None,
    seed: int = 0,
    progress: Progress | None = None,
) -> GradingEvaluation:
    """Score `rows` with the shipped model, a model fitted on `train`, or grouped cross-validation (`cv_by`)."""
    fmt = rows[0].dataset
    extra = [train[i] for i in _without_overlap(train, rows)]
    total = len(rows) + len(extra)
    x, feats = featurize(rows, memo, progress and (lambda done, _: progress(done, total)))
    x_extra = (
        featurize(extra, memo, progress and (lambda done, _: progress(len(rows) + done, total)))[0]
        if extra
        else np.zeros((0, x.shape[1]), dtype=np.float32)
    )
    xc, _, pairs = contrast_set([*rows, *extra], memo, seed) if (cv_by or extra) else (x[:0], np.zeros(0), [])
    if cv_by:
        groups = np.array([r.question_id if cv_by == "question" else r.assignment for r in rows])
        grade = np.zeros(len(rows))
        insufficient = gated = 0
        folds = GroupKFold(n_splits=min(MAX_FOLDS, len(set(groups.tolist()))))
        for train_idx, test_idx in folds.split(x, groups=groups):
            fit_rows = [rows[i] for i in train_idx] + extra
            keep = contrast_for(pairs, fit_rows, [rows[i] for i in test_idx])
            kept = [p for p, k in zip(pairs, keep, strict=True) if k]
            fitted = _fit(np.vstack([x[train_idx], x_extra]), fit_rows, memo, seed, xc[keep], kept)
            part, empty, caught = _predict(
                fitted, x[test_idx], [rows[i] for i in test_idx], [feats[i] for i in test_idx], memo
            )
            grade[test_idx] = part
            insufficient += empty
            gated += caught
        mode = f"cross-validation grouped by {cv_by} ({folds.get_n_splits()} folds)"
    elif extra:
        keep = contrast_for(pairs, extra, rows)
        fitted = _fit(x_extra, extra, memo, seed, xc[keep], [p for p, k in zip(pairs, keep, strict=True) if k])
        grade, insufficient, gated = _predict(fitted, x, rows, feats, memo)
        mode = f"model fitted on {len(extra)} other answers"
    else:
        if model is None:
            raise ValueError("a model, training rows or cv_by is needed")
        grade, insufficient, gated = _predict(model, x, rows, feats, memo)
        mode = "shipped model"
    low, high = FORMATS[fmt]
    predicted = low + grade * (high - low)
    gold = [r.gold for r in rows]
    step = GRADE_STEP[fmt]
    metrics = agreement(predicted, gold, low=low, high=high, step=step, tolerance=step)
    cosine = reference_cosines(rows, memo)
    baseline = cosine_baseline(rows, cosine, low, high)
    real = [i for i, r in enumerate(rows) if not is_non_answer(r.answer)]

    def agree(pred: Sequence[float], idx: Sequence[int]) -> dict[str, float | int]:
        return agreement([pred[i] for i in idx], [gold[i] for i in idx], low=low, high=high, step=step, tolerance=step)

    views = {"real": agree(list(predicted), real), "cosine": agree(baseline, range(len(rows)))}
    views["cosine_real"] = agree(baseline, real)
    return GradingEvaluation(
        metrics,
        round(pearson(cosine, gold), 4),
        round(spearman(cosine, gold), 4),
        [float(p) for p in predicted],
        insufficient,
        mode,
        gated,
        views,
    )
