"""Agreement metrics on tiny examples worked out by hand (and cross-checked with scikit-learn's kappa)."""

from __future__ import annotations

import math

import pytest
from sklearn.metrics import cohen_kappa_score

from vetting.scoring.metrics import METRIC_KEYS, agreement, pearson, qwk, spearman, to_bins


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
