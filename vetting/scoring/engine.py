"""What every scoring engine is, and the one place its evidence is verified (as plans verify their quotes centrally)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

from rubrics import Criterion, Rubric
from vetting.kernel.domain import CriterionScore
from vetting.kernel.quotes import find_span, is_verbatim
from vetting.scoring.guard import mask_instructions

EVIDENCE_MIN_CHARS = 8
UNVERIFIED_CONFIDENCE = 0.3


class ScoringEngine(Protocol):
    """The offline scorer and the LLM judge alike: per-criterion scores of one answer, quotes not yet verified."""

    @property
    def engine(self) -> str: ...

    def score(
        self,
        rubric: Rubric,
        question: str,
        answer: str,
        *,
        reference: str | None = None,
        criteria: Sequence[Criterion] = (),
        names: Sequence[str] = (),
        candidate_id: str | None = None,
    ) -> list[CriterionScore]: ...


def cap_level(rubric: Rubric) -> int:
    """The highest score a criterion may keep when none of its evidence could be verified: the middle of the scale."""
    return rubric.scale.min + (rubric.scale.max - rubric.scale.min) // 2


def verify_evidence(rubric: Rubric, answer: str, proposed: Sequence[CriterionScore]) -> list[CriterionScore]:
    """Keep only quotes found verbatim in the answer outside instructions aimed at the scorer, with their spans.

    Each kept quote has its character span in the answer (`evidence_spans`, same order). A quote that fails is removed
    and counted; a score left with no verified quote is capped at mid-scale, its
    confidence lowered and flagged. Instructions can never serve as evidence.
    """
    source, _ = mask_instructions(answer)
    return [_verified(rubric, answer, source, score) for score in proposed]


def _found(quote: str, answer: str, source: str) -> bool:
    """Verbatim in the answer itself, and not through a blanked instruction."""
    return is_verbatim(quote, answer, min_chars=EVIDENCE_MIN_CHARS) and is_verbatim(quote, source)


def _verified(rubric: Rubric, answer: str, source: str, proposed: CriterionScore) -> CriterionScore:
    quotes = [q.strip() for q in proposed.evidence if q.strip()]
    spans = {q: span for q in dict.fromkeys(quotes) if _found(q, answer, source) and (span := find_span(q, answer))}
    kept = list(spans)
    removed = sum(1 for q in quotes if q not in kept)
    points = [_point(k, answer, source) for k in proposed.key_points]
    flags = [*proposed.flags, *(["evidence_removed"] if removed else [])]
    if proposed.status != "scored" or proposed.score is None:
        return replace(
            proposed, evidence=kept, evidence_removed=removed, flags=flags, evidence_spans=[], key_points=points
        )
    score, confidence, normalized = proposed.score, proposed.confidence, proposed.normalized
    if not kept:
        flags.append("unverified_evidence_capped")
        score = min(score, float(cap_level(rubric)))
        confidence = min(confidence, UNVERIFIED_CONFIDENCE)
        width = rubric.scale.max - rubric.scale.min
        normalized = None if normalized is None else min(normalized, (score - rubric.scale.min) / width)
    return replace(
        proposed,
        score=score,
        confidence=confidence,
        normalized=normalized,
        evidence=kept,
        evidence_removed=removed,
        flags=flags,
        evidence_spans=[spans[q] for q in kept],  # one span per quote, in the same order
        key_points=points,
    )


def _point(point: dict[str, Any], answer: str, source: str) -> dict[str, Any]:
    """A key point keeps `met` only with evidence found verbatim in the answer (outside instructions)."""
    evidence = point.get("evidence")
    found = isinstance(evidence, str) and _found(evidence.strip(), answer, source)
    return {"text": point.get("text"), "met": bool(point.get("met")) and found, "evidence": evidence if found else None}
