"""Scorecards of interview sessions: per-criterion AI vs interviewer scores and every answer's pair.

Exports live in scorecard_export.py and scorecard_pdf.py, comparisons and calibration in scorecard_comparison.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from vetting.kernel.domain import KeyPoint, SessionQuestion, StoredSession

if TYPE_CHECKING:
    from rubrics import Rubric


@dataclass(frozen=True)
class EvidenceLine:
    position: int  # 1-based question number
    quote: str
    verified: bool


@dataclass(frozen=True)
class KeyPointsLine:
    """The key points of one criterion as the AI found them in one answer."""

    position: int  # 1-based question number
    points: tuple[KeyPoint, ...]


def key_points_text(points: Sequence[KeyPoint], *, literal: Callable[[str], str]) -> str:
    """'Key points: ✓ text — “evidence”; ✗ text' ('' when none); each rubric or answer string goes through `literal`."""
    if not points:
        return ""
    shown = [
        ("✓ " if k.met else "✗ ") + literal(k.text) + (f" — “{literal(k.evidence)}”" if k.met and k.evidence else "")
        for k in points
    ]
    return "Key points: " + "; ".join(shown)


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
    key_points: tuple[KeyPointsLine, ...] = ()  # per answer the AI scored on this criterion, when it has key points

    @property
    def gap(self) -> float | None:
        return None if self.ai is None or self.interviewer is None else self.ai - self.interviewer

    @property
    def details(self) -> bool:
        """Anything to show below the scores: evidence, key points or the interviewer's comments."""
        return bool(self.evidence or self.key_points or self.comments)


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


def weighted_overall(lines: Sequence[CriterionLine], who: str) -> float | None:
    """Weighted mean over the criteria scored by `who` ('ai' or 'interviewer'), on the rubric's scale."""
    pairs = [(line.weight, getattr(line, who)) for line in lines if getattr(line, who) is not None]
    total = sum(w for w, _ in pairs)
    return sum(w * v for w, v in pairs) / total if total else None


@dataclass(frozen=True)
class RubricSection:
    """Another rubric the session scores with (the deep dives' by default): its criteria and its own overall."""

    rubric_id: str
    title: str
    scale: tuple[int, int]
    lines: tuple[CriterionLine, ...]
    questions: tuple[int, ...]  # 1-based numbers of the questions this rubric scores
    scored: int  # how many of those answers have a score from the AI or the interviewer
    kind: str  # "deep-dive" when the rubric scores only deep dives, else ""

    def overall(self, who: str) -> float | None:
        return weighted_overall(self.lines, who)


@dataclass(frozen=True)
class Scorecard:
    """The session's rubric (the case's) with overall and chart, every other rubric it used, and every answer's pair."""

    session: StoredSession
    case_title: str
    rubric_title: str
    scale: tuple[int, int]
    lines: tuple[CriterionLine, ...]
    answers: tuple[AnswerLine, ...] = ()
    scored: int = 0  # answers scored on the session's rubric
    sections: tuple[RubricSection, ...] = ()  # the other rubrics used, in question order

    @property
    def engines(self) -> tuple[str, ...]:
        """Every engine (and model) that produced an AI output of this session."""
        found = [_engine(self.session.plan_engine, self.session.plan_model)] if self.session.plan_engine else []
        found += [_engine(s.engine, s.model) for q in self.session.questions for s in q.ai_scores]
        return tuple(dict.fromkeys(found))

    def overall(self, who: str) -> float | None:
        """Weighted mean over the criteria scored by `who` ('ai' or 'interviewer'), on the rubric's scale."""
        return weighted_overall(self.lines, who)

    @property
    def unlisted(self) -> tuple[str, ...]:
        """Rubrics that scored answers here but are no longer available: their scores appear per answer only."""
        known = {self.session.rubric_id, *(sec.rubric_id for sec in self.sections)}
        return tuple(dict.fromkeys(a.rubric_id for a in self.answers if a.rubric_id not in known))


def _engine(engine: str | None, model: str | None) -> str:
    return f"{engine} ({model})" if model else str(engine)


def mean_or_none(values: Sequence[float]) -> float | None:
    """The mean, or None when there is nothing to average (never an invented 0)."""
    return fmean(values) if values else None


def build_scorecard(
    session: StoredSession, rubric: Rubric, case_title: str = "", rubrics: dict[str, Rubric] | None = None
) -> Scorecard:
    """Per criterion of the session's rubric and of each other rubric it used, and every answer's pair."""
    known = {rubric.id: rubric, **(rubrics or {})}
    own = [q for q in session.questions if session.rubric_of(q) == rubric.id]
    scale = (rubric.scale.min, rubric.scale.max)
    answers = answer_lines(session, known)
    others = dict.fromkeys(session.rubric_of(q) for q in session.questions if session.rubric_of(q) != rubric.id)
    sections = tuple(_section(session, known[r]) for r in others if r in known)
    title = case_title or session.case_id
    scored = sum(map(_has_score, own))
    return Scorecard(session, title, rubric.title, scale, criterion_lines(own, rubric), answers, scored, sections)


def criterion_lines(questions: Sequence[SessionQuestion], rubric: Rubric) -> tuple[CriterionLine, ...]:
    """Per criterion of `rubric`, the mean AI and interviewer scores over `questions` (those it scores)."""
    lines = []
    for criterion in rubric.criteria:
        ai, human, evidence, comments, points = [], [], [], [], []
        for q in questions:
            score = q.ai_score(criterion.id)
            if score is not None and score.score is not None:
                ai.append(score.score)
                evidence += [EvidenceLine(q.position + 1, e.quote, e.verified) for e in score.evidence]
            if score is not None and score.key_points:
                points.append(KeyPointsLine(q.position + 1, score.key_points))
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
                tuple(points),
            )
        )
    return tuple(lines)


def _section(session: StoredSession, rubric: Rubric) -> RubricSection:
    questions = [q for q in session.questions if session.rubric_of(q) == rubric.id]
    kind = "deep-dive" if all(q.kind == "deep_dive" for q in questions) else ""
    numbers = tuple(q.position + 1 for q in questions)
    scored = sum(map(_has_score, questions))
    scale = (rubric.scale.min, rubric.scale.max)
    return RubricSection(rubric.id, rubric.title, scale, criterion_lines(questions, rubric), numbers, scored, kind)


def _has_score(q: SessionQuestion) -> bool:
    """The AI or the interviewer gave this answer a number on some criterion."""
    return any(a.score is not None for a in q.ai_scores) or any(h.score is not None for h in q.interviewer_scores)


def _answers(count: int, kind: str) -> str:
    what = f"{kind} answer" if kind else "answer"
    return f"no {what}" if count == 0 else f"{count} {what}" + ("" if count == 1 else "s")


def scope_note(card: Scorecard) -> str:
    """What the overall and the chart cover when the session used more than one rubric ('' when it used one)."""
    if not card.sections and not card.unlisted:
        return ""
    parts = [f"{_answers(sec.scored, sec.kind)} scored on {sec.rubric_id}" for sec in card.sections]
    own = f"with {_answers(card.scored, '')} scored" if card.scored else "which has no scored answer yet"
    note = f"The overall and the chart cover the case rubric, {card.session.rubric_id}, {own}."
    if parts:
        note += " Below, each other rubric with its own overall: " + "; ".join(parts) + "."
    if card.unlisted:
        note += f" Rubric(s) no longer available, shown per answer only: {', '.join(card.unlisted)}."
    return note


def answer_lines(session: StoredSession, rubrics: dict[str, Rubric]) -> tuple[AnswerLine, ...]:
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
