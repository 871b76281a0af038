"""LLM-judged metrics: skipped offline with the reason and the samples kept; judged in ragas over the wire, redacted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eval.llm_judged import collect_samples, evaluate_llm_judged, to_ragas
from eval.results import SectionResult
from tests.llm.conftest import llm_settings
from tests.llm.stub import Scripted, StubServer
from vetting.kernel.settings import Settings
from vetting.services import Services

CHUNK = "Built a retrieval service for 40,000 support tickets; reach me at ada.lovelace@example.org."


def _earlier() -> dict[str, SectionResult]:
    plans = SectionResult("plans", "Plans")
    plans.judge_samples = [
        {
            "kind": "question",
            "user_input": "Ask a deep-dive question about 'technical-depth'.",
            "response": "You wrote that you built a retrieval service for 40,000 tickets: how did you index them?",
            "retrieved_contexts": [CHUNK],
        }
    ]
    grading = SectionResult("grading", "Grading")
    grading.judge_samples = [
        {
            "kind": "answer",
            "user_input": "What is a stack?",
            "response": "A LIFO list.",
            "reference": "A last-in first-out structure.",
            "gold": 4.5,
        }
    ]
    return {"plans": plans, "grading": grading}


def test_offline_the_section_is_skipped_with_its_reason_and_keeps_the_samples(settings: Settings) -> None:
    result = evaluate_llm_judged(Services(settings), _earlier())
    assert result.status == "skipped" and "VETTING_LLM_BASE_URL" in result.reason
    assert [r["kind"] for r in result.ragas_rows] == ["answer", "question"]
    assert "gold" not in result.ragas_rows[0]  # the human grade is never part of what a judge would see


def test_samples_are_capped_per_kind_and_drawn_reproducibly() -> None:
    section = SectionResult("plans", "Plans")
    section.judge_samples = [{"kind": "question", "response": str(i)} for i in range(50)]
    first = collect_samples({"plans": section}, seed=1)
    assert len(first) == 20 and first == collect_samples({"plans": section}, seed=1)
    assert to_ragas([{"kind": "question", "response": "r", "user_input": "u", "extra": 1}]) == [
        {"kind": "question", "user_input": "u", "response": "r"}
    ]


@pytest.fixture
def stub() -> Iterator[StubServer]:
    server = StubServer().start()
    yield server
    server.stop()


def _judge(body: dict[str, Any]) -> str:
    """Replies in the shape each ragas prompt asks for: every statement supported, the answer rated 4 of 5."""
    text = "\n".join(str(m["content"]) for m in body["messages"])
    if "judge the faithfulness of a series of statements" in text:
        return json.dumps({"statements": [{"statement": "s", "reason": "in the context", "verdict": 1}]})
    if "noncommittal" in text:
        return json.dumps({"question": "Ask a deep-dive question about technical depth.", "noncommittal": 0})
    if "score5_description" in text or "Scoring Rubrics" in text:
        return json.dumps({"feedback": "Mostly right.", "score": 4})
    return json.dumps({"statements": ["The candidate built a retrieval service."]})


def test_with_an_endpoint_ragas_judges_the_samples_without_personal_data(tmp_path: Path, stub: StubServer) -> None:
    stub.default = Scripted(respond=_judge)
    services = Services(llm_settings(tmp_path, stub.url, llm_timeout_s=30.0))
    result = evaluate_llm_judged(services, _earlier())
    assert result.status == "ok", result.reason
    assert result.metrics["question_faithfulness"] == 1.0
    assert result.metrics["answer_domain_specific_rubrics"] == 4.0
    assert result.metrics["question_answer_relevancy"] is not None
    assert stub.chat_bodies and "ada.lovelace@example.org" not in stub.wire_text()  # redacted before sending
    assert any("stub-model" in line for line in result.method)
