"""The interview runner plans a stored session and stores the scorer's per-criterion output with located evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from vetting.interviews import InterviewRunner, model_of
from vetting.kernel.errors import VettingError
from vetting.kernel.quotes import is_verbatim
from vetting.kernel.settings import Settings
from vetting.services import Services

CV = """# Ada Lovelace

## Experience

- Built a retrieval pipeline over 8,000 support articles with hybrid BM25 and dense search, cutting search time by 30%.
- Designed an evaluation set of 400 real tickets to measure recall@5 before every release.
"""
ANSWER = "First I would audit a sample of the articles for duplicates and stale versions, then keep source metadata."


@dataclass
class _Criterion:
    criterion_id: str
    score: float | None
    rationale: str
    evidence: list[str] = field(default_factory=list)
    key_points: list[dict[str, Any]] = field(default_factory=list)

    @property
    def evidence_spans(self) -> list[tuple[int, int]]:
        """Where each quote is in the answer, as the real scorer reports it after verifying the evidence."""
        return [(ANSWER.index(q), ANSWER.index(q) + len(q)) for q in self.evidence]


@dataclass
class _Result:
    criteria: list[_Criterion]
    engine: str


class RecordingScorer:
    """Stands in for the rubric scorer where the test is about what the runner stores, not about scoring."""

    def __init__(self, result: _Result) -> None:
        self.result = result
        self.calls: list[dict[str, Any]] = []

    def score(self, rubric: Any, question: str, answer: str, **kwargs: Any) -> _Result:
        self.calls.append({"rubric": rubric.id, "question": question, "answer": answer, **kwargs})
        return self.result


@pytest.fixture
def services(settings: Settings, tmp_path: Path) -> Services:
    built = Services(settings)
    source = tmp_path / "ada.md"
    source.write_text(CV, encoding="utf-8")
    assert built.ingestor.ingest([source], "Ada Lovelace").ok
    return built


def _session(services: Services) -> str:
    candidate = services.candidates.find("Ada Lovelace")
    return services.sessions.create(candidate.id, "rag-customer-support", "rag-case-study", "1.0")


@pytest.mark.slow
def test_plan_stores_the_planners_questions_with_verified_citations(services: Services) -> None:
    runner = services.interviews
    session_id = _session(services)
    count = runner.plan(session_id)
    session = services.sessions.get(session_id)
    assert count == len(session.questions) > 0
    cited = [q for q in session.questions if q.citation]
    assert cited and all(is_verbatim(q.citation["quote"], CV) for q in cited if q.citation)
    assert session.plan_engine == "offline" and [a.kind for a in services.sessions.audit_log(session_id)] == ["plan"]


@pytest.mark.slow
def test_score_stores_each_criterion_with_its_evidence_located_in_the_answer(services: Services) -> None:
    result = _Result(
        [
            _Criterion(
                "data-quality",
                3.0,
                "names problems",
                ["audit a sample of the articles for duplicates"],
                [
                    {"text": "Audit the articles", "met": True, "evidence": ANSWER},
                    {"text": "Version them", "met": False},
                ],
            ),
            _Criterion("reliable-system", None, "nothing on failures", []),
        ],
        engine="llm:m-1",
    )
    scorer = RecordingScorer(result)
    runner = InterviewRunner(services.settings, services.sessions, services.planner, scorer)
    session_id = _session(services)
    runner.plan(session_id)
    question = services.sessions.get(session_id).questions[-1]
    services.sessions.save_answer(question.id, text=ANSWER, notes="", expected_version=question.answer_version)
    services.sessions.set_interviewer_score(question.id, "data-quality", 2, "mine")

    assert runner.score(session_id, question.id) == 1

    stored = services.sessions.get(session_id).question(question.id)
    dq = stored.ai_score("data-quality")
    assert dq is not None and (dq.score, dq.engine, dq.model) == (3.0, "llm:m-1", "m-1")
    quote = dq.evidence[0]
    assert quote.verified and ANSWER[quote.start : quote.end] == quote.quote  # type: ignore[misc]
    met, unmet = dq.key_points
    assert (met.text, met.met, met.evidence) == ("Audit the articles", True, ANSWER)
    assert (unmet.text, unmet.met, unmet.evidence) == ("Version them", False, None)
    absent = stored.ai_score("reliable-system")
    assert absent is not None and absent.score is None and absent.key_points == ()
    mine = stored.interviewer_score("data-quality")
    assert mine is not None and (mine.score, mine.comment) == (2, "mine")
    call = scorer.calls[0]
    assert call["answer"] == ANSWER and call["names"] == ["Ada Lovelace"] and call["rubric"] == "rag-case-study"
    assert call["criterion_id"] in (None, question.criterion_id)


@pytest.mark.slow
def test_an_empty_answer_is_not_scored(services: Services) -> None:
    scorer = RecordingScorer(_Result([], "offline"))
    runner = InterviewRunner(services.settings, services.sessions, services.planner, scorer)
    session_id = _session(services)
    runner.plan(session_id)
    question = services.sessions.get(session_id).questions[0]
    with pytest.raises(VettingError, match="answer before scoring"):
        runner.score(session_id, question.id)
    assert scorer.calls == []


def test_model_of_reads_the_engine_label() -> None:
    assert model_of("llm:gpt-4o-mini") == "gpt-4o-mini"
    assert model_of("offline") is None and model_of("offline (fallback: timeout)") is None
