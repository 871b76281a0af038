"""`vet eval grading`: score human-graded answers from question, reference and answer only, then measure agreement."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import GroupKFold

from vetting.scoring.contrast import Pair, contrast_pairs
from vetting.scoring.cross_encoder import CrossEncoder, load_cross_encoder
from vetting.scoring.datasets import FORMATS, GradedAnswer
from vetting.scoring.features import EmbeddingMemo, GradingItem, ItemFeatures, extract_many
from vetting.scoring.metrics import agreement, pearson, spearman
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


def item_of(row: GradedAnswer) -> GradingItem:
    """What the scorer sees of a graded row: never the gold grade."""
    return GradingItem(question=row.question, references=(row.reference,), answer=row.answer)


def cross_scores(items: Sequence[GradingItem], cross: CrossEncoder) -> np.ndarray:
    """The cross-encoder's score of each answer against its closest reference (the question when there is none)."""
    pairs = [(ref, item.answer) for item in items for ref in (item.references or (item.question,))]
    scores = cross.predict(pairs).tolist()
    out, cursor = [], 0
    for item in items:
        n = len(item.references or (item.question,))
        out.append(max(scores[cursor : cursor + n]))
        cursor += n
    return np.array(out, dtype=np.float32)


def featurize_items(
    items: Sequence[GradingItem],
    memo: EmbeddingMemo,
    cross: CrossEncoder | None = None,
    progress: Progress | None = None,
) -> tuple[np.ndarray, list[ItemFeatures]]:
    """Head feature matrix (answer features and the cross-encoder score) of grading items, embedding in batches."""
    feats = extract_many(items, memo, progress=progress)
    joint = cross_scores(items, cross or load_cross_encoder())
    return np.column_stack([np.stack([f.vector for f in feats]), joint]).astype(np.float32), feats


def featurize(
    rows: Sequence[GradedAnswer],
    memo: EmbeddingMemo,
    progress: Progress | None = None,
    cross: CrossEncoder | None = None,
) -> tuple[np.ndarray, list[ItemFeatures]]:
    """Feature matrix of graded rows (gold grades unused), embedding in batches."""
    return featurize_items([item_of(r) for r in rows], memo, cross, progress)


def contrast_set(
    rows: Sequence[GradedAnswer], memo: EmbeddingMemo, seed: int, cross: CrossEncoder | None = None
) -> tuple[np.ndarray, np.ndarray, list[Pair]]:
    """Features, targets and pairs of the contrast pairs made from `rows` (answers that only look right; rewordings)."""
    questions = {f"{r.dataset}:{r.question_id}": r.question for r in rows}
    pairs = contrast_pairs(rows, seed=seed)
    if not pairs:
        return np.zeros((0, 0), dtype=np.float32), np.zeros(0), []
    items = [GradingItem(questions[p.group], (p.reference,), p.answer) for p in pairs]
    x, _ = featurize_items(items, memo, cross)
    return x, np.array([p.target for p in pairs]), pairs


def _contrast_for(pairs: Sequence[Pair], fitted: Sequence[GradedAnswer], scored: Sequence[GradedAnswer]) -> np.ndarray:
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


def _fit(
    x: np.ndarray, rows: Sequence[GradedAnswer], memo: EmbeddingMemo, seed: int, xc: np.ndarray, yc: np.ndarray
) -> GradingModel:
    """The head fitted on graded rows plus contrast pairs (the caller keeps out those of scored questions)."""
    y = np.array([r.gold_normalized for r in rows])
    if len(yc):
        x, y = np.vstack([x, xc]), np.concatenate([y, yc])
    model = GradingModel(seed=seed).fit(x, y, calibrate=False)
    model.relevance_threshold = fit_relevance_threshold([item_of(r) for r in rows], memo)
    return model


def _predict(
    model: GradingModel, x: np.ndarray, rows: Sequence[GradedAnswer], feats: list[ItemFeatures], memo: EmbeddingMemo
) -> tuple[np.ndarray, int]:
    """0-1 grades; an answer the scorer would call 'insufficient evidence' gets the bottom of the scale."""
    grade, _ = model.predict(x)
    empty = 0
    for i, (row, feat) in enumerate(zip(rows, feats, strict=True)):
        if is_insufficient(item_of(row), feat, memo, model.relevance_threshold):
            grade[i] = 0.0
            empty += 1
    return grade, empty


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
    cross: CrossEncoder | None = None,
) -> GradingEvaluation:
    """Score `rows` with the shipped model, a model fitted on `train`, or grouped cross-validation (`cv_by`).

    The cross-encoder is the shipped one (frozen): cross-validation refits the head over it, not the cross-encoder.
    """
    cross = cross or load_cross_encoder()
    fmt = rows[0].dataset
    extra = [train[i] for i in _without_overlap(train, rows)]
    total = len(rows) + len(extra)
    x, feats = featurize(rows, memo, progress and (lambda done, _: progress(done, total)), cross)
    x_extra = (
        featurize(extra, memo, progress and (lambda done, _: progress(len(rows) + done, total)), cross)[0]
        if extra
        else np.zeros((0, x.shape[1]), dtype=np.float32)
    )
    xc, yc, pairs = contrast_set([*rows, *extra], memo, seed, cross) if (cv_by or extra) else (x[:0], np.zeros(0), [])
    if cv_by:
        groups = np.array([r.question_id if cv_by == "question" else r.assignment for r in rows])
        grade = np.zeros(len(rows))
        insufficient = 0
        folds = GroupKFold(n_splits=min(MAX_FOLDS, len(set(groups.tolist()))))
        for train_idx, test_idx in folds.split(x, groups=groups):
            fit_rows = [rows[i] for i in train_idx] + extra
            keep = _contrast_for(pairs, fit_rows, [rows[i] for i in test_idx])
            fitted = _fit(np.vstack([x[train_idx], x_extra]), fit_rows, memo, seed, xc[keep], yc[keep])
            part, empty = _predict(fitted, x[test_idx], [rows[i] for i in test_idx], [feats[i] for i in test_idx], memo)
            grade[test_idx] = part
            insufficient += empty
        mode = f"cross-validation grouped by {cv_by} ({folds.get_n_splits()} folds)"
    elif extra:
        keep = _contrast_for(pairs, extra, rows)
        fitted = _fit(x_extra, extra, memo, seed, xc[keep], yc[keep])
        grade, insufficient = _predict(fitted, x, rows, feats, memo)
        mode = f"model fitted on {len(extra)} other answers"
    else:
        if model is None:
            raise ValueError("a model, training rows or cv_by is needed")
        grade, insufficient = _predict(model, x, rows, feats, memo)
        mode = "shipped model"
    low, high = FORMATS[fmt]
    predicted = low + grade * (high - low)
    gold = [r.gold for r in rows]
    step = GRADE_STEP[fmt]
    metrics = agreement(predicted, gold, low=low, high=high, step=step, tolerance=step)
    cosine = x[:, 0]
    return GradingEvaluation(
        metrics,
        round(pearson(cosine, gold), 4),
        round(spearman(cosine, gold), 4),
        [float(p) for p in predicted],
        insufficient,
        mode,
    )
