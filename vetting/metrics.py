"""Every metric in one place: agreement with human grades, ranking (recall@k, MRR, ragas context ids), fairness."""

from __future__ import annotations

import math
import statistics
import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Values = Sequence[float] | np.ndarray

METRIC_KEYS: tuple[str, ...] = ("n", "pearson", "spearman", "qwk", "rmse", "mae", "within_1")
FOUR_FIFTHS = 0.80


# --- agreement with human grades, on the dataset's own scale ---------------------------------------------------


def pearson(pred: Values, gold: Values) -> float:
    """Pearson correlation; 0.0 when either side is constant (no linear agreement can be shown)."""
    p, g = np.asarray(pred, dtype=float), np.asarray(gold, dtype=float)
    if len(p) < 2 or p.std() == 0 or g.std() == 0:
        return 0.0
    return float(np.corrcoef(p, g)[0, 1])


def _ranks(values: np.ndarray) -> np.ndarray:
    """Average ranks (ties share the mean of their positions), as Spearman's rho requires."""
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=float)
    sorted_values = values[order]
    start = 0
    for end in range(1, len(values) + 1):
        if end == len(values) or sorted_values[end] != sorted_values[start]:
            ranks[order[start:end]] = (start + end - 1) / 2.0
            start = end
    return ranks


def spearman(pred: Values, gold: Values) -> float:
    return pearson(_ranks(np.asarray(pred, dtype=float)), _ranks(np.asarray(gold, dtype=float)))


def to_bins(values: Values, low: float, high: float, step: float) -> np.ndarray:
    """Continuous scores clipped to the scale and rounded half-up to the nearest `step` -> integer bin indices."""
    clipped = np.clip(np.asarray(values, dtype=float), low, high)
    return np.floor((clipped - low) / step + 0.5 + 1e-9).astype(int)


def qwk(pred: Values, gold: Values, *, low: float, high: float, step: float) -> float:
    """Quadratic weighted kappa after binning BOTH sides with `to_bins` (same grid for prediction and gold).

    Continuous predictions are clipped to [low, high] and rounded half-up to the nearest `step`; gold grades that fall
    between steps (e.g. an average of two graders) are rounded the same way. 1 = perfect, 0 = chance agreement.
    """
    p, g = to_bins(pred, low, high, step), to_bins(gold, low, high, step)
    k = round((high - low) / step) + 1
    observed = np.zeros((k, k))
    for a, b in zip(g, p, strict=True):
        observed[a, b] += 1
    if observed.sum() == 0:
        return 0.0
    weights = np.array([[(i - j) ** 2 for j in range(k)] for i in range(k)], dtype=float) / (k - 1) ** 2
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    denominator = (weights * expected).sum()
    return float(1.0 - (weights * observed).sum() / denominator) if denominator else 0.0


def agreement(
    pred: Values, gold: Values, *, low: float, high: float, step: float, tolerance: float
) -> dict[str, float | int]:
    """All agreement metrics in one dict with the keys METRIC_KEYS; `tolerance` is the `within_1` band."""
    p, g = np.asarray(pred, dtype=float), np.asarray(gold, dtype=float)
    if len(p) != len(g):
        raise ValueError("predictions and gold grades differ in length")
    err = p - g
    n = len(p)
    return {
        "n": n,
        "pearson": round(pearson(p, g), 4),
        "spearman": round(spearman(p, g), 4),
        "qwk": round(qwk(p, g, low=low, high=high, step=step), 4),
        "rmse": round(math.sqrt(float((err**2).mean())), 4) if n else 0.0,
        "mae": round(float(np.abs(err).mean()), 4) if n else 0.0,
        "within_1": round(float((np.abs(err) <= tolerance + 1e-9).mean()), 4) if n else 0.0,
    }


# --- ranking, fairness and summaries ----------------------------------------------------------------------------


def recall_at_k(retrieved: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """Share of the relevant ids found among the first `k` retrieved (0 when nothing is relevant)."""
    wanted = set(relevant)
    if not wanted:
        return 0.0
    return len(wanted & set(retrieved[:k])) / len(wanted)


def hit_at_k(retrieved: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """1.0 when at least one relevant id is among the first `k` retrieved."""
    return 1.0 if set(relevant) & set(retrieved[:k]) else 0.0


def reciprocal_rank(retrieved: Sequence[str], relevant: Iterable[str]) -> float:
    """1/rank of the first relevant id, 0 when none was retrieved."""
    wanted = set(relevant)
    for rank, item in enumerate(retrieved, start=1):
        if item in wanted:
            return 1.0 / rank
    return 0.0


def ragas_sample(query: str, retrieved: Sequence[str], relevant: Sequence[str]) -> Any:
    """The query and its ranked ids as a ragas `SingleTurnSample`, so a reviewer can re-score it in ragas."""
    from ragas import SingleTurnSample

    return SingleTurnSample(
        user_input=query, retrieved_context_ids=list(retrieved), reference_context_ids=list(relevant)
    )


def ragas_id_context_scores(samples: Sequence[Any]) -> list[tuple[float, float]]:
    """(precision, recall) per sample from ragas' ID-based context precision and recall (no LLM involved)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from ragas.metrics import IDBasedContextPrecision, IDBasedContextRecall

        precision, recall = IDBasedContextPrecision(), IDBasedContextRecall()
        return [(float(precision.single_turn_score(s)), float(recall.single_turn_score(s))) for s in samples]


def mean(values: Iterable[float]) -> float:
    items = list(values)
    return float(sum(items) / len(items)) if items else float("nan")


@dataclass(frozen=True)
class GroupRate:
    """One group's scoring rate and impact ratio, as NYC Local Law 144 defines them for scores."""

    group: str
    n: int
    above_median: int
    scoring_rate: float
    impact_ratio: float

    @property
    def flagged(self) -> bool:
        """Below the four-fifths rule of thumb (impact ratio < 0.80)."""
        return self.impact_ratio < FOUR_FIFTHS

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "n": self.n,
            "above_median": self.above_median,
            "scoring_rate": self.scoring_rate,
            "impact_ratio": self.impact_ratio,
            "flagged": self.flagged,
        }


def impact_ratios(scores: Sequence[tuple[str, float]]) -> list[GroupRate]:
    """Per group: share scoring above the overall median ÷ the highest group's share (NYC LL144 scoring rate).

    When no group has anyone above the median (every score equal), no group is disadvantaged: every ratio is 1.0.
    """
    if not scores:
        return []
    median = statistics.median(s for _, s in scores)
    groups: dict[str, list[float]] = {}
    for group, score in scores:
        groups.setdefault(group, []).append(score)
    rates = {g: sum(s > median for s in values) / len(values) for g, values in groups.items()}
    best = max(rates.values())
    return [
        GroupRate(g, len(groups[g]), sum(s > median for s in groups[g]), rates[g], rates[g] / best if best else 1.0)
        for g in sorted(groups)
    ]


def mean_abs_change(pairs: Iterable[tuple[float, float]], scale: float = 1.0) -> float:
    """Mean |after - before| as a share of the scale's width."""
    diffs = [abs(after - before) / scale for before, after in pairs]
    return mean(diffs) if diffs else 0.0


def jaccard(a: Iterable[Hashable], b: Iterable[Hashable]) -> float:
    """Overlap of two sets (1.0 when both are empty)."""
    left, right = set(a), set(b)
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)


def summarize(values: Mapping[str, Sequence[float]]) -> dict[str, float]:
    """Mean of each named list of values."""
    return {name: mean(v) for name, v in values.items()}
