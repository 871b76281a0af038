"""Criteria with key points: each read against the answer by the cross-encoder, coverage sets the level."""

from __future__ import annotations

import pytest

from rubrics import Criterion, Rubric, get_rubric
from tests.scoring.conftest import QUESTION, STRONG
from vetting.quotes import is_verbatim
from vetting.scoring.offline import OfflineScorer
from vetting.scoring.scorer import Scorer
from vetting.settings import Settings

pytestmark = pytest.mark.slow
SETTINGS = Settings(_env_file=None)  # type: ignore[call-arg]
WEAK_RAG = "I would just put all the documents into the vector database and let the LLM figure it out"


def _one(offline: OfflineScorer, rubric_id: str, criterion: str, answer: str, question: str = QUESTION) -> dict:  # type: ignore[type-arg]
    rubric = get_rubric(SETTINGS, rubric_id)
    return Scorer(offline).score(rubric, question, answer, criterion_id=criterion).to_dict()["criteria"][0]


def test_a_weak_case_answer_scores_the_bottom_on_the_criterion_it_ignores(offline: OfflineScorer) -> None:
    data = _one(offline, "rag-case-study", "data-quality", WEAK_RAG)
    assert data["status"] == "scored" and data["score"] == 1.0
    assert data["key_points"] and not any(k["met"] for k in data["key_points"])


def test_a_non_answer_padded_with_signal_phrases_does_not_score_well(offline: OfflineScorer) -> None:
    answer = "I don't know. Idempotency keys on retried writes. Explicit error model and status codes."
    api = _one(offline, "backend-api", "api-design", answer, "How would you design the public API?")
    assert api["score"] is None or api["score"] <= 2


def test_a_strong_answer_meets_key_points_with_verbatim_evidence(offline: OfflineScorer) -> None:
    data = _one(offline, "rag-case-study", "data-quality", STRONG)
    weak = _one(offline, "rag-case-study", "data-quality", WEAK_RAG)
    assert data["status"] == "scored" and data["score"] > weak["score"]
    met = [k for k in data["key_points"] if k["met"]]
    assert met and {"text", "met", "evidence"} == set(met[0])
    assert all(k["evidence"] and is_verbatim(k["evidence"], STRONG) for k in met)
    assert all(k["evidence"] is None for k in data["key_points"] if not k["met"])


def test_key_points_stated_then_negated_are_not_met(offline: OfflineScorer) -> None:
    stated = _one(offline, "rag-case-study", "data-quality", STRONG)
    negated = (
        "I would not sample or audit the articles, and I would not de-duplicate them or keep any metadata. "
        "There is no need to assign owners or to re-ingest changed pages."
    )
    denied = _one(offline, "rag-case-study", "data-quality", negated)
    assert sum(k["met"] for k in denied["key_points"]) < sum(k["met"] for k in stated["key_points"])
    assert denied["score"] is None or denied["score"] < stated["score"]


def _short_answer(reference: str) -> Rubric:
    levels = {1: "Wrong.", 2: "Partly right.", 3: "Mostly right.", 4: "Complete."}
    only = Criterion(id="correctness", name="Correctness", description="Answers the question.", levels=levels)
    return Rubric(id="short", title="Short answer", version="1", criteria=[only])


def test_the_reference_given_as_the_answer_scores_the_top(offline: OfflineScorer) -> None:
    reference = "A leaf is a node of a tree that has no children."
    question = "What is a leaf in a binary tree?"
    top = Scorer(offline).score(_short_answer(reference), question, reference, reference=reference).criteria[0]
    assert top.status == "scored" and top.score == 4.0
    negated = "A leaf is not a node of a tree that has no children."
    low = Scorer(offline).score(_short_answer(reference), question, negated, reference=reference).criteria[0]
    assert low.score is None or low.score < top.score


def test_the_name_written_in_an_answer_does_not_move_its_score(offline: OfflineScorer) -> None:
    rubric = get_rubric(SETTINGS, "rag-case-study")
    scores = set()
    for name in ("Emily Walsh", "Lakisha Washington", "Nguyen Van An", "Mohammed Al-Sayed"):
        answer = f"My name is {name}. {STRONG}"
        result = Scorer(offline).score(rubric, QUESTION, answer, names=[name])
        scores.add(tuple((c.score, round(c.normalized or 0, 6)) for c in result.criteria))
    assert len(scores) == 1
