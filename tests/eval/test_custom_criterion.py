"""The empathy fixture: a user-written criterion and 64 hand-labelled replies, and the AUC it is judged by."""

from __future__ import annotations

import pytest

from eval.custom_criterion import SECOND_FIXTURE, load_fixture, roc_auc


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


def test_the_second_fixture_is_balanced_and_calibrates_on_other_situations() -> None:
    rubric, answers = load_fixture(SECOND_FIXTURE)
    [criterion] = rubric.criteria
    assert len(answers) >= 32 and sum(a.label for a in answers) == len(answers) // 2
    assert len({e.question for e in criterion.examples}) == 4 and len(criterion.examples) >= 16
    assert not {" ".join(e.question.split()) for e in criterion.examples} & {a.question for a in answers}
    blamed = [a for a in answers if a.label == 0 and any(w in a.text.lower() for w in ("ownership", "own this"))]
    assert len(blamed) >= 2  # ownership words followed by blame are labelled poor


def test_the_empathy_examples_answer_other_situations_than_the_replies_scored() -> None:
    rubric, answers = load_fixture()
    [criterion] = rubric.criteria
    assert len({e.question for e in criterion.examples}) == 4
    example_texts = {e.text for e in criterion.examples}
    assert not example_texts & {a.text for a in answers}
    assert not {" ".join(e.question.split()) for e in criterion.examples} & {a.question for a in answers}
