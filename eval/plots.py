"""Report plots as PNG bytes (matplotlib, no display), embedded in the HTML report and saved beside the Markdown."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from eval.results import Figure


def _png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def _figure(width: float = 6.0, height: float = 3.6) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height))


def recall_curve(name: str, title: str, ks: Sequence[int], series: Mapping[str, Sequence[float]]) -> Figure:
    """Recall@k against k, one line per series (e.g. overall and per layout family)."""
    fig, ax = _figure()
    for label, values in series.items():
        ax.plot(list(ks), list(values), marker="o", label=label, linewidth=2 if label == "all" else 1)
    ax.set_xlabel("k (chunks retrieved)")
    ax.set_ylabel("recall@k")
    ax.set_ylim(0, 1.02)
    ax.set_xticks(list(ks))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    return Figure(name, title, _png(fig))


def bars(
    name: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    ylabel: str,
    lines: dict[str, float] | None = None,
    ylim: tuple[float, float] | None = None,
) -> Figure:
    """A bar per label, with optional horizontal reference lines (e.g. the 0.80 and 0.95 impact-ratio marks)."""
    fig, ax = _figure(max(6.0, 0.45 * len(labels) + 2), 3.8)
    ax.bar(range(len(labels)), list(values), color="#4c72b0")
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(list(labels), rotation=35, ha="right", fontsize=8)
    ax.set_ylabel(ylabel)
    if ylim:
        ax.set_ylim(*ylim)
    for label, y in (lines or {}).items():
        ax.axhline(y, linestyle="--", linewidth=1, color="#c44e52" if y < 0.9 else "#55a868", label=label)
    if lines:
        ax.legend(fontsize=7)
    ax.grid(axis="y", alpha=0.3)
    return Figure(name, title, _png(fig))


def calibration(
    name: str, title: str, gold: Sequence[float], predicted: Mapping[str, Sequence[float]], bins: int = 10
) -> Figure:
    """Mean gold grade per bin of predicted grade (both on 0-1), one line per scorer, against the diagonal."""
    fig, ax = _figure(5.0, 4.2)
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfect calibration")
    gold_arr = np.asarray(gold, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    for label, values in predicted.items():
        pred = np.asarray(values, dtype=float)
        which = np.clip(np.digitize(pred, edges[1:-1]), 0, bins - 1)
        xs, ys = [], []
        for b in range(bins):
            mask = which == b
            if mask.sum() >= 5:
                xs.append(float(pred[mask].mean()))
                ys.append(float(gold_arr[mask].mean()))
        ax.plot(xs, ys, marker="o", label=label)
    ax.set_xlabel("predicted grade (share of scale)")
    ax.set_ylabel("mean human grade (share of scale)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    return Figure(name, title, _png(fig))


def confusion(name: str, title: str, matrix: Sequence[Sequence[int]], levels: Sequence[str]) -> Figure:
    """Counts of (human level, predicted level) as a heat map with the numbers written in."""
    data = np.asarray(matrix, dtype=float)
    fig, ax = _figure(4.6, 4.0)
    ax.imshow(data, cmap="Blues")
    ax.set_xticks(range(len(levels)))
    ax.set_yticks(range(len(levels)))
    ax.set_xticklabels(list(levels))
    ax.set_yticklabels(list(levels))
    ax.set_xlabel("predicted")
    ax.set_ylabel("human")
    top = data.max() if data.size else 0
    for (i, j), count in np.ndenumerate(data):
        ax.text(j, i, int(count), ha="center", va="center", fontsize=8, color="white" if count > top / 2 else "black")
    return Figure(name, title, _png(fig))


def histogram(name: str, title: str, values: Sequence[float], *, xlabel: str, bins: int = 20) -> Figure:
    fig, ax = _figure(5.5, 3.4)
    ax.hist(list(values), bins=bins, color="#4c72b0")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("count")
    ax.grid(alpha=0.3)
    return Figure(name, title, _png(fig))
