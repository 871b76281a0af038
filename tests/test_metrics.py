"""Every metric on tiny examples worked out by hand (agreement cross-checked with scikit-learn's kappa)."""

from __future__ import annotations

import math

import pytest
from sklearn.metrics import cohen_kappa_score

from vetting.metrics import (
    METRIC_KEYS,
    agreement,
    hit_at_k,
    impact_ratios,
    jaccard,
    mean_abs_change,
    pearson,
    qwk,
    ragas_id_context_scores,
    ragas_sample,
    recall_at_k,
    reciprocal_rank,
    spearman,
    to_bins,
)


def test_hand_checked_example_on_the_mohler_scale() -> None:
    # gold 0, 1, 3 vs predicted 0, 1, 2 on 0-5 with one-point steps.
    # Pearson: deviations (-1, 0, 1) and (-4/3, -1/3, 5/3): 3 / sqrt(2 * 14/3) = 0.98198.
    # QWK: observed weighted disagreement 1/25; expected (1/3)(1/25)(5 + 2 + 14) = 21/75, so 1 - (1/25)/(21/75) = 6/7.
    m = agreement([0, 1, 2], [0, 1, 3], low=0, high=5, step=1, tolerance=1)
    assert list(m) == list(METRIC_KEYS)
    assert m["n"] == 3
    assert m["pearson"] == pytest.approx(3 / math.sqrt(28 / 3), abs=1e-4)
    assert m["spearman"] == pytest.approx(1.0)
    assert m["qwk"] == pytest.approx(6 / 7, abs=1e-4)
    assert m["rmse"] == pytest.approx(math.sqrt(1 / 3), abs=1e-4)
    assert m["mae"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["within_1"] == 1.0


def test_within_one_step_and_errors_on_the_saf_scale() -> None:
    m = agreement([0.9, 0.2, 0.5, 1.0], [1.0, 0.5, 0.5, 0.5], low=0, high=1, step=0.25, tolerance=0.25)
    assert m["within_1"] == 0.5  # 0.1 and 0.0 are within a quarter point; 0.3 and 0.5 are not
    assert m["mae"] == pytest.approx((0.1 + 0.3 + 0.0 + 0.5) / 4, abs=1e-4)


def test_continuous_scores_are_binned_half_up_on_the_grade_grid() -> None:
    assert to_bins([2.5, 2.49, 4.74, 5.6, -1], 0, 5, 1).tolist() == [3, 2, 5, 5, 0]
    assert to_bins([0.125, 0.1, 0.875, 1.0], 0, 1, 0.25).tolist() == [1, 0, 4, 4]


def test_qwk_matches_scikit_learn_on_binned_grades() -> None:
    gold = [0, 1, 2, 3, 4, 5, 5, 3, 2, 4]
    pred = [0.4, 1.6, 2.2, 2.6, 4.4, 4.6, 3.9, 3.2, 1.0, 5.0]
    expected = cohen_kappa_score(to_bins(gold, 0, 5, 1), to_bins(pred, 0, 5, 1), weights="quadratic", labels=range(6))
    assert qwk(pred, gold, low=0, high=5, step=1) == pytest.approx(expected)


def test_spearman_uses_average_ranks_for_ties() -> None:
    # ranks of (1, 2, 2, 3) are (0, 1.5, 1.5, 3); a monotone prediction agrees perfectly
    assert spearman([10, 20, 20, 30], [1, 2, 2, 3]) == pytest.approx(1.0)
    assert spearman([3, 2, 1], [1, 2, 3]) == pytest.approx(-1.0)


def test_a_constant_prediction_shows_no_correlation_rather_than_failing() -> None:
    assert pearson([2, 2, 2], [1, 2, 3]) == 0.0
    assert agreement([3, 3], [1, 5], low=0, high=5, step=1, tolerance=1)["within_1"] == 0.0


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
