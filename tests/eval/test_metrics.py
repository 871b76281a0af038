"""Ranking and fairness metrics on tiny examples worked out by hand."""

from __future__ import annotations

import math

import pytest

from eval.metrics import (
    hit_at_k,
    impact_ratios,
    jaccard,
    mean_abs_change,
    ragas_id_context_scores,
    ragas_sample,
    recall_at_k,
    reciprocal_rank,
)


def test_recall_hit_and_reciprocal_rank() -> None:
    ranked = ["a", "b", "c", "d"]
    assert recall_at_k(ranked, ["c", "x"], 3) == 0.5  # c found, x never retrieved
    assert recall_at_k(ranked, ["c", "x"], 2) == 0.0
    assert recall_at_k(ranked, [], 3) == 0.0
    assert hit_at_k(ranked, ["d", "x"], 4) == 1.0
    assert hit_at_k(ranked, ["d", "x"], 3) == 0.0
    assert reciprocal_rank(ranked, ["c", "b"]) == 0.5  # first relevant at rank 2
    assert reciprocal_rank(ranked, ["z"]) == 0.0


def test_ragas_id_based_precision_and_recall() -> None:
    samples = [
        ragas_sample("q1", ["a", "b", "c"], ["b", "x"]),  # 1 of 3 retrieved is relevant; 1 of 2 relevant found
        ragas_sample("q2", ["x", "y"], ["x", "y"]),
    ]
    (p1, r1), (p2, r2) = ragas_id_context_scores(samples)
    assert p1 == pytest.approx(1 / 3) and r1 == pytest.approx(0.5)
    assert p2 == 1.0 and r2 == 1.0


def test_impact_ratio_follows_ll144_scoring_rate() -> None:
    # median of all 8 scores is 4.5; A has 3 of 4 above it (0.75), B has 1 of 4 (0.25): ratio 0.25 / 0.75 = 1/3
    scores = [("A", 9), ("A", 8), ("A", 7), ("A", 1), ("B", 6), ("B", 2), ("B", 3), ("B", 4)]
    rates = {g.group: g for g in impact_ratios(scores)}
    assert rates["A"].scoring_rate == 0.75 and rates["A"].impact_ratio == 1.0 and not rates["A"].flagged
    assert rates["B"].above_median == 1 and rates["B"].impact_ratio == pytest.approx(1 / 3)
    assert rates["B"].flagged  # under the four-fifths rule


def test_identical_scores_disadvantage_no_group() -> None:
    rates = impact_ratios([("A", 3.0), ("B", 3.0), ("B", 3.0)])
    assert [g.impact_ratio for g in rates] == [1.0, 1.0]
    assert impact_ratios([]) == []


def test_balanced_name_blind_scores_give_ratio_one() -> None:
    # every document scored under every group's names with the same score: groups cannot differ
    docs = [0.2, 0.5, 0.7, 0.9]
    scores = [(g, s) for s in docs for g in ("A", "B", "C")]
    assert all(g.impact_ratio == 1.0 for g in impact_ratios(scores))


def test_mean_abs_change_and_jaccard() -> None:
    assert mean_abs_change([(1.0, 2.0), (3.0, 2.0)], scale=4.0) == 0.25
    assert mean_abs_change([]) == 0.0
    assert jaccard([1, 2, 3], [2, 3, 4]) == 0.5
    assert jaccard([], []) == 1.0
    assert not math.isnan(jaccard([1], []))
