"""What a scoring run returns: per-criterion scores with verified evidence, and the rubric's weighted overall."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["scored", "insufficient_evidence"]


@dataclass(frozen=True)
class CriterionScore:
    """The AI's score of one criterion; the interviewer's own score and comment are stored beside it, never replaced."""

    criterion_id: str
    score: float | None
    status: Status
    confidence: float
    rationale: str
    evidence: list[str] = field(default_factory=list)
    evidence_removed: int = 0
    flags: list[str] = field(default_factory=list)
    engine: str = "offline"
    weight: float = 1.0
    normalized: float | None = None  # the score on 0-1 before mapping onto the rubric's scale
    evidence_spans: list[tuple[int, int]] = field(default_factory=list)  # character spans of the evidence in the answer
    key_points: list[dict[str, Any]] = field(default_factory=list)  # {"text", "met", "evidence"} per key point

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion_id": self.criterion_id,
            "score": self.score,
            "status": self.status,
            "confidence": round(self.confidence, 3),
            "rationale": self.rationale,
            "evidence": list(self.evidence),
            "evidence_spans": [list(span) for span in self.evidence_spans],
            "evidence_removed": self.evidence_removed,
            "flags": list(self.flags),
            "engine": self.engine,
            "weight": self.weight,
            "normalized": None if self.normalized is None else round(self.normalized, 4),
            "key_points": [dict(k) for k in self.key_points],
            "interviewer_score": None,
            "interviewer_comment": None,
        }


@dataclass(frozen=True)
class ScoreResult:
    """Scores of one answer against one rubric (or one of its criteria)."""

    rubric_id: str
    rubric_version: str
    scale: tuple[int, int]
    criteria: list[CriterionScore]
    engine: str
    flags: list[str] = field(default_factory=list)

    @property
    def overall(self) -> float | None:
        """Weighted mean of the scored criteria (weights from the rubric); None when no criterion could be scored."""
        scored = [c for c in self.criteria if c.status == "scored" and c.score is not None]
        total = sum(c.weight for c in scored)
        if not scored or total <= 0:
            return None
        return round(sum(c.weight * float(c.score or 0) for c in scored) / total, 2)

    @property
    def coverage(self) -> float:
        """Share of the rubric's weight that could be scored (1.0 = every criterion had evidence)."""
        total = sum(c.weight for c in self.criteria)
        scored = sum(c.weight for c in self.criteria if c.status == "scored")
        return round(scored / total, 4) if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric_id": self.rubric_id,
            "rubric_version": self.rubric_version,
            "scale": {"min": self.scale[0], "max": self.scale[1]},
            "overall": self.overall,
            "coverage": self.coverage,
            "engine": self.engine,
            "flags": list(self.flags),
            "criteria": [c.to_dict() for c in self.criteria],
        }
