"""The empathy fixture: a user-written criterion and 64 hand-labelled replies, and the AUC it is judged by."""

from __future__ import annotations

import pytest

from eval.custom_criterion import load_fixture, roc_auc


def test_fixture_is_balanced_and_holds_the_hard_cases() -> None:
    rubric, answers = load_fixture()
    [criterion] = rubric.criteria
    assert criterion.key_points and criterion.positive_signals and criterion.negative_signals
    assert len(answers) >= 60 and sum(a.label for a in answers) == len(answers) // 2
    assert len({a.situation for a in answers}) == 4
    stuffed = [a for a in answers if a.label == 0 and "empathise" in a.text.lower()]
    assert len(stuffed) >= 4  # sympathy words followed by demands are labelled poor
    assert len({a.text for a in answers}) == len(answers)


def test_roc_auc() -> None:
    assert roc_auc([1, 1, 0, 0], [0.9, 0.8, 0.1, 0.2]) == 1.0
    assert roc_auc([1, 0], [0.5, 0.5]) == 0.5
    assert roc_auc([1, 1, 0, 0], [0.1, 0.2, 0.9, 0.8]) == 0.0
    with pytest.raises(ValueError):
        roc_auc([1, 1], [0.1, 0.2])
