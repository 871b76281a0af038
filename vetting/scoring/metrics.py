"""Agreement between predicted and human grades, on the dataset's own scale."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Values = Sequence[float] | np.ndarray

METRIC_KEYS: tuple[str, ...] = ("n", "pearson", "spearman", "qwk", "rmse", "mae", "within_1")


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
