"""Scorecards of interview sessions: per-criterion AI vs interviewer scores and every answer's pair.

Exports live in scorecard_export.py and scorecard_pdf.py, comparisons and calibration in scorecard_comparison.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from vetting.kernel.domain import InterviewSession

if TYPE_CHECKING:
    from rubrics import Rubric


@dataclass(frozen=True)
class EvidenceLine:
    position: int  # 1-based question number
    quote: str
    verified: bool


@dataclass(frozen=True)
class CriterionLine:
    """One rubric criterion: the mean AI and interviewer scores over the answers scored on it, with evidence."""

    id: str
    name: str
    weight: float
    ai: float | None
    interviewer: float | None
    evidence: tuple[EvidenceLine, ...]
    comments: tuple[str, ...]

    @property
    def gap(self) -> float | None:
        return None if self.ai is None or self.interviewer is None else self.ai - self.interviewer


GAP_ALERT = 2  # AI and interviewer this many levels apart on one answer: shown, never averaged away


@dataclass(frozen=True)
class AnswerLine:
    """One answer on one criterion: the AI's score beside the interviewer's, for the rubric that scored it."""

    position: int  # 1-based question number
    question: str
    original: str | None  # the planner's wording when the interviewer edited the question
    rubric_id: str
    criterion: str
    ai: float | None
    interviewer: int | None

    @property
    def gap(self) -> float | None:
        return None if self.ai is None or self.interviewer is None else self.ai - self.interviewer

    @property
    def disagreement(self) -> bool:
        return self.gap is not None and abs(self.gap) >= GAP_ALERT


@dataclass(frozen=True)
class Scorecard:
    session: InterviewSession
    case_title: str
    rubric_title: str
    scale: tuple[int, int]
    lines: tuple[CriterionLine, ...]
    answers: tuple[AnswerLine, ...] = ()

    @property
    def engines(self) -> tuple[str, ...]:
        """Every engine (and model) that produced an AI output of this session."""
        found = [_engine(self.session.plan_engine, self.session.plan_model)] if self.session.plan_engine else []
        found += [_engine(s.engine, s.model) for q in self.session.questions for s in q.ai_scores]
        return tuple(dict.fromkeys(found))

    def overall(self, who: str) -> float | None:
        """Weighted mean over the criteria scored by `who` ('ai' or 'interviewer'), on the rubric's scale."""
        pairs = [(line.weight, getattr(line, who)) for line in self.lines if getattr(line, who) is not None]
        total = sum(w for w, _ in pairs)
        return sum(w * v for w, v in pairs) / total if total else None


def _engine(engine: str | None, model: str | None) -> str:
    return f"{engine} ({model})" if model else str(engine)


def mean_or_none(values: Sequence[float]) -> float | None:
    """The mean, or None when there is nothing to average (never an invented 0)."""
    return fmean(values) if values else None


def build_scorecard(
    session: InterviewSession, rubric: Rubric, case_title: str = "", rubrics: dict[str, Rubric] | None = None
) -> Scorecard:
    """Per criterion of the session's rubric over the answers it scored, and every answer's AI-interviewer pair."""
    lines = []
    own = [q for q in session.questions if session.rubric_of(q) == rubric.id]
    for criterion in rubric.criteria:
        ai, human, evidence, comments = [], [], [], []
        for q in own:
            score = q.ai_score(criterion.id)
            if score is not None and score.score is not None:
                ai.append(score.score)
                evidence += [EvidenceLine(q.position + 1, e.quote, e.verified) for e in score.evidence]
            mine = q.interviewer_score(criterion.id)
            if mine is not None and mine.score is not None:
                human.append(float(mine.score))
            if mine is not None and mine.comment.strip():
                comments.append(f"Q{q.position + 1}: {mine.comment.strip()}")
        lines.append(
            CriterionLine(
                criterion.id,
                criterion.name,
                criterion.weight,
                mean_or_none(ai),
                mean_or_none(human),
                tuple(evidence),
                tuple(comments),
            )
        )
    scale = (rubric.scale.min, rubric.scale.max)
    answers = answer_lines(session, {rubric.id: rubric, **(rubrics or {})})
    return Scorecard(session, case_title or session.case_id, rubric.title, scale, tuple(lines), answers)


def answer_lines(session: InterviewSession, rubrics: dict[str, Rubric]) -> tuple[AnswerLine, ...]:
    """Every (answer, criterion) that the AI or the interviewer scored, in question order."""
    out: list[AnswerLine] = []
    for q in session.questions:
        rubric_id = session.rubric_of(q)
        rubric = rubrics.get(rubric_id)
        names = {c.id: c.name for c in rubric.criteria} if rubric else {}
        scored = [a.criterion_id for a in q.ai_scores] + [h.criterion_id for h in q.interviewer_scores]
        for criterion_id in dict.fromkeys(scored):
            ai, mine = q.ai_score(criterion_id), q.interviewer_score(criterion_id)
            ai_value = ai.score if ai else None
            human = mine.score if mine else None
            if ai_value is None and human is None:
                continue
            original = q.original_text if q.edited else None
            name = names.get(criterion_id, criterion_id)
            out.append(AnswerLine(q.position + 1, q.text, original, rubric_id, name, ai_value, human))
    return tuple(out)


def fmt_score(value: float | None) -> str:
    """A score with one decimal, or a dash when there is none."""
    return "—" if value is None else f"{value:.1f}"
