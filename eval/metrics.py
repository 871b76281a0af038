"""Pure metric functions: ranking (recall@k, MRR, ragas ID-based context precision/recall) and fairness."""

from __future__ import annotations

import statistics
import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

FOUR_FIFTHS = 0.80


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
