"""The question plan handed to an interviewer: ordered questions, each deep dive citing a verified quote."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from vetting.kernel.domain.documents import Candidate

QuestionKind = Literal["deep_dive", "case", "follow_up"]


@dataclass(frozen=True)
class Citation:
    """A verbatim span of one of the candidate's chunks that a question is about."""

    quote: str
    chunk_id: str
    document: str
    page: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"quote": self.quote, "chunk_id": self.chunk_id, "document": self.document, "page": self.page}


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    text: str
    criterion: str | None
    citation: Citation | None = None
    rubric: str | None = None  # scores answers to it (in JSON: the plan's `rubric`, or `case_rubric` for the case)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "criterion": self.criterion,
            "citation": self.citation.to_dict() if self.citation else None,
        }


@dataclass(frozen=True)
class Plan:
    """An ordered interview plan: deep dives on the candidate's own claims, then the case and its follow-ups.

    `rubric` scores the deep dives; `case_rubric` the case question and its follow-ups.
    """

    candidate: Candidate
    case: dict[str, Any]
    rubric: dict[str, Any]
    questions: tuple[Question, ...]
    engine: str
    model: str | None = None
    dropped: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    case_rubric: dict[str, Any] | None = None  # the rubric of the case question and follow-ups, when not `rubric`

    @property
    def deep_dives(self) -> list[Question]:
        return [q for q in self.questions if q.kind == "deep_dive"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate.to_dict(),
            "case": self.case,
            "rubric": self.rubric,
            "case_rubric": self.case_rubric or self.rubric,
            "questions": [q.to_dict() for q in self.questions],
            "dropped": self.dropped,
            "notes": list(self.notes),
            "engine": self.engine,
            "model": self.model,
        }
