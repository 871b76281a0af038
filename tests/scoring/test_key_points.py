"""Key points are checked against the answer in meaning and form; coverage sets the level, warning signs cap it."""

from __future__ import annotations

import numpy as np
import pytest

from rubrics import get_rubric
from vetting.kernel.settings import Settings
from vetting.scoring.keypoints import check, coverage, reads_as_statement
from vetting.scoring.offline import OfflineScorer

CASE_QUESTION = "How would you build a RAG prototype for customer support that answers 70% of test queries correctly?"
WEAK_CASE = "I would just put all the documents into the vector database and let the LLM figure it out."
STRONG_DATA = (
    "Before designing anything I would inspect a sample of the knowledge base. I expect duplicates, contradictions, "
    "stale articles and scanned PDFs, and each gets its own fix: hashing for duplicates, an owner to resolve "
    "contradictions, a freshness date, and OCR or exclusion for scans. Every chunk keeps its source, date and product "
    "as metadata for filters and citations. Retrieval cannot recover what ingestion lost, so this comes before any "
    "model choice."
)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We de-duplicate the articles by content hash before indexing them.", True),
        ("deduplicate articles hash content index metadata source", False),  # a bag of keywords
        ("What would you do about duplicates?", False),
        ("Honestly, I can't recall this one.", False),
        ("Use hybrid search.", True),  # short, and still a statement
    ],
)
def test_what_reads_as_a_statement(sentence: str, expected: bool) -> None:
    assert reads_as_statement(sentence) is expected


def test_a_negated_close_sentence_contradicts_the_key_point_instead_of_meeting_it() -> None:
    points = ["A sample of the knowledge base is inspected before anything is designed."]
    read = ["A sample of the knowledge base is not inspected before anything is designed."]
    [result] = check(points, read, read, np.array([[0.97]]), np.array([0.2]))
    assert not result.met and result.contradicted and result.evidence is None


@pytest.mark.parametrize(
    ("sentence", "met"),
    [
        ("Every chunk drops its source and date metadata before indexing.", False),  # an opposite word
        ("It is false that every chunk keeps its source and date metadata.", False),  # a denying word
        ("Every chunk does not drop its source and date metadata.", True),  # a negation and an opposite cancel
        ("Every chunk keeps its source and date metadata, and I remove duplicates.", True),  # the point, and more
    ],
)
def test_a_close_sentence_with_a_word_turned_around_contradicts_the_key_point(sentence: str, met: bool) -> None:
    points = ["Every chunk keeps its source and date metadata."]
    [result] = check(points, [sentence], [sentence], np.array([[0.9]]), np.array([0.2]))
    assert result.met is met and result.contradicted is not met


def test_shuffled_words_of_a_key_point_do_not_meet_it() -> None:
    points = ["Source, date and product metadata are kept for filtering and citations."]
    read = ["Citations and kept for product are metadata date, filtering and source."]
    [result] = check(points, read, read, np.array([[0.9]]), np.array([0.1]))
    assert not result.met


def test_the_question_copied_back_meets_nothing() -> None:
    points = ["A test set of real questions with known answers is built first."]
    read = ["How would you measure that a test set of real questions is answered?"]
    [result] = check(points, read, read, np.array([[0.8]]), np.array([0.95]))
    assert not result.met and coverage([result]) == 0.0


def test_evidence_is_the_shown_sentence_with_its_names() -> None:
    points = ["The team measured recall at five on a labelled set."]
    read = ["[NAME] and I measured recall at five on a labelled set of questions."]
    shown = ["Ana Silva and I measured recall at five on a labelled set of questions."]
    [result] = check(points, read, shown, np.array([[0.8]]), np.array([0.1]))
    assert result.met and result.evidence == shown[0]


def test_the_weak_case_answer_scores_the_bottom_on_the_criterion_it_ignores(offline: OfflineScorer) -> None:
    rubric = get_rubric(Settings(_env_file=None), "rag-case-study")  # type: ignore[call-arg]
    [data] = offline.score(rubric, CASE_QUESTION, WEAK_CASE, criteria=[rubric.criterion("data-quality")])
    assert data.status == "scored" and data.score == rubric.scale.min
    assert data.key_points and not any(k["met"] for k in data.key_points)


def test_a_strong_answer_meets_key_points_with_verbatim_evidence(offline: OfflineScorer) -> None:
    rubric = get_rubric(Settings(_env_file=None), "rag-case-study")  # type: ignore[call-arg]
    [data] = offline.score(rubric, CASE_QUESTION, STRONG_DATA, criteria=[rubric.criterion("data-quality")])
    met = [k for k in data.key_points if k["met"]]
    assert len(met) >= 3 and data.score is not None and data.score >= 3
    assert all(k["evidence"] in STRONG_DATA for k in met)
    assert set(data.to_dict()["key_points"][0]) == {"text", "met", "evidence"}


def test_a_merely_near_clause_of_other_polarity_does_not_meet_and_is_not_called_a_contradiction() -> None:
    points = ["Articles get an owner or a freshness process, not a one-off clean-up."]
    read = ["remove duplicate and outdated articles"]
    [near] = check(points, read, read, np.array([[0.51]]), np.array([0.2]))
    assert not near.met and not near.contradicted
    turned = ["Articles get an owner, a one-off clean-up."]
    [close] = check(points, turned, turned, np.array([[0.8]]), np.array([0.2]))
    assert not close.met and close.contradicted
