"""A stored interview session as its readers see it: frozen snapshots of the session, its questions and scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vetting.kernel.domain.documents import Candidate
from vetting.kernel.errors import SessionNotFound


@dataclass(frozen=True)
class Evidence:
    """A quote the AI gave as evidence, and whether code found it verbatim in the answer (with its span)."""

    quote: str
    verified: bool
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"quote": self.quote, "verified": self.verified, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class KeyPoint:
    """One key point of a criterion, whether the answer met it, and the answer's own sentence that does (verbatim)."""

    text: str
    met: bool
    evidence: str | None = None

    @classmethod
    def from_dict(cls, point: dict[str, Any]) -> KeyPoint:
        """A key point as the scorer returns it (`{"text", "met", "evidence"}`)."""
        evidence = point.get("evidence")
        quote = evidence if isinstance(evidence, str) else None
        return cls(str(point.get("text") or ""), bool(point.get("met")), quote)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "met": self.met, "evidence": self.evidence}


@dataclass(frozen=True)
class AIScore:
    criterion_id: str
    score: float | None  # None: the answer gave no evidence for this criterion
    rationale: str
    evidence: tuple[Evidence, ...]
    engine: str
    model: str | None
    rubric_version: str
    created_at: datetime
    rubric_id: str | None = None  # the rubric that scored this answer (None: scored before it was recorded)
    key_points: tuple[KeyPoint, ...] = ()  # none when the criterion has none, or scored before they were kept


@dataclass(frozen=True)
class InterviewerScore:
    criterion_id: str
    score: int | None
    comment: str


@dataclass(frozen=True)
class PlannedQuestion:
    """A question as stored by `store_plan`: the planner's id, kind, wording, criterion and citation."""

    key: str
    kind: str
    text: str
    criterion_id: str | None = None
    citation: dict[str, Any] | None = None
    rubric_id: str | None = None


@dataclass(frozen=True)
class SessionQuestion:
    id: int
    position: int
    key: str
    kind: str
    text: str
    criterion_id: str | None
    citation: dict[str, Any] | None
    answer: str = ""
    notes: str = ""
    answer_version: int = 1
    signals: tuple[str, ...] = ()
    ai_scores: tuple[AIScore, ...] = ()
    interviewer_scores: tuple[InterviewerScore, ...] = ()
    rubric_id: str | None = None  # the rubric that scores this question (None: the session's)
    original_text: str | None = None  # the planner's wording, kept once the interviewer edits the question

    @property
    def edited(self) -> bool:
        return self.original_text is not None and self.original_text != self.text

    def ai_score(self, criterion_id: str) -> AIScore | None:
        return next((s for s in self.ai_scores if s.criterion_id == criterion_id), None)

    def interviewer_score(self, criterion_id: str) -> InterviewerScore | None:
        return next((s for s in self.interviewer_scores if s.criterion_id == criterion_id), None)


@dataclass(frozen=True)
class StoredSession:
    """A snapshot of one session with everything typed and scored so far."""

    id: str
    candidate: Candidate
    case_id: str
    rubric_id: str
    rubric_version: str
    interviewer: str
    status: str
    notes: str
    version: int
    plan_engine: str | None
    plan_model: str | None
    started_at: datetime
    finished_at: datetime | None
    updated_at: datetime
    questions: tuple[SessionQuestion, ...] = field(default_factory=tuple)
    deep_dive_rubric_id: str | None = None  # the rubric the interviewer picked for deep dives (None: the default)

    def rubric_of(self, question: SessionQuestion) -> str:
        """The rubric that scores a question: its own, else the session's."""
        return question.rubric_id or self.rubric_id

    @property
    def finished(self) -> bool:
        return self.status == "finished"

    def elapsed_s(self, now: datetime | None = None) -> float:
        """Seconds from start to finish (or to now while the session is open)."""
        end = self.finished_at or now or datetime.now(UTC)
        return max(0.0, (end - self.started_at).total_seconds())

    def question(self, question_id: int) -> SessionQuestion:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise SessionNotFound(f"Question {question_id} is not part of this session.")
