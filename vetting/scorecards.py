"""Scorecards of interview sessions: per-criterion AI vs interviewer scores, exports, comparisons and calibration."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING, Any

from vetting.kernel.domain import AIScore, InterviewSession, SessionQuestion
from vetting.kernel.errors import VettingError
from vetting.literal import escape_markdown as _md

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


def _mean(values: Sequence[float]) -> float | None:
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
                _mean(ai),
                _mean(human),
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


def to_dict(card: Scorecard) -> dict[str, Any]:
    s = card.session
    return {
        "session": {
            "id": s.id,
            "status": s.status,
            "interviewer": s.interviewer,
            "started_at": s.started_at.isoformat(),
            "finished_at": s.finished_at.isoformat() if s.finished_at else None,
            "duration_min": round(s.elapsed_s() / 60, 1),
            "notes": s.notes,
        },
        "candidate": s.candidate.to_dict(),
        "case": {"id": s.case_id, "title": card.case_title},
        "rubric": {
            "id": s.rubric_id,
            "title": card.rubric_title,
            "version": s.rubric_version,
            "scale": list(card.scale),
        },
        "engines": list(card.engines),
        "overall": {"ai": card.overall("ai"), "interviewer": card.overall("interviewer")},
        "criteria": [
            {
                "id": line.id,
                "name": line.name,
                "weight": line.weight,
                "ai": line.ai,
                "interviewer": line.interviewer,
                "evidence": [{"question": e.position, "quote": e.quote, "verified": e.verified} for e in line.evidence],
                "comments": list(line.comments),
            }
            for line in card.lines
        ],
        "questions": [_question_dict(q) for q in s.questions],
        "answers": [
            {
                "question": a.position,
                "rubric": a.rubric_id,
                "criterion": a.criterion,
                "ai": a.ai,
                "interviewer": a.interviewer,
                "gap": a.gap,
                "disagreement": a.disagreement,
            }
            for a in card.answers
        ],
    }


def _question_dict(q: SessionQuestion) -> dict[str, Any]:
    return {
        "number": q.position + 1,
        "kind": q.kind,
        "text": q.text,
        "original_text": q.original_text if q.edited else None,
        "rubric": q.rubric_id,
        "criterion": q.criterion_id,
        "citation": q.citation,
        "answer": q.answer,
        "notes": q.notes,
        "signals": list(q.signals),
        "ai_scores": [_ai_dict(a) for a in q.ai_scores],
        "interviewer_scores": [
            {"criterion": h.criterion_id, "score": h.score, "comment": h.comment} for h in q.interviewer_scores
        ],
    }


def _ai_dict(a: AIScore) -> dict[str, Any]:
    return {
        "criterion": a.criterion_id,
        "score": a.score,
        "rationale": a.rationale,
        "evidence": [e.to_dict() for e in a.evidence],
        "engine": a.engine,
        "model": a.model,
        "rubric": a.rubric_id,
        "rubric_version": a.rubric_version,
        "at": a.created_at.isoformat(),
    }


def to_json(card: Scorecard) -> str:
    return json.dumps(to_dict(card), ensure_ascii=False, indent=2)


def to_markdown(card: Scorecard) -> str:
    """A scorecard a reviewer can read or paste anywhere."""
    s = card.session
    low, high = card.scale
    out = [
        f"# Scorecard — {_md(s.candidate.name)}",
        "",
        f"- **Case:** {card.case_title}",
        f"- **Rubric:** {card.rubric_title} (version {s.rubric_version}, scale {low}–{high})",
        f"- **Interviewer:** {_md(s.interviewer or '—')}",
        f"- **Session:** {s.id}, {s.status}, started {s.started_at:%Y-%m-%d %H:%M} UTC, {s.elapsed_s() / 60:.0f} min",
        f"- **AI engine(s):** {_md(', '.join(card.engines) or '—')}",
        f"- **Overall:** AI {fmt_score(card.overall('ai'))}, interviewer {fmt_score(card.overall('interviewer'))}",
        "",
        "## Criteria",
        "",
        "| criterion | weight | AI | interviewer |",
        "|---|---|---|---|",
    ]
    out += [
        f"| {line.name} | {line.weight:g} | {fmt_score(line.ai)} | {fmt_score(line.interviewer)} |"
        for line in card.lines
    ]
    if card.answers:
        out += [
            "",
            "## Per answer: AI beside interviewer",
            "",
            "| Q | criterion | AI | interviewer | gap |",
            "|---|---|---|---|---|",
        ]
        for a in card.answers:
            gap = "—" if a.gap is None else f"{a.gap:+.1f}" + (" **⚠ disagreement**" if a.disagreement else "")
            human = "—" if a.interviewer is None else str(a.interviewer)
            out.append(f"| Q{a.position} | {a.criterion} | {fmt_score(a.ai)} | {human} | {gap} |")
    for line in card.lines:
        if line.evidence or line.comments:
            out += ["", f"### {line.name}"]
            out += [
                f"- Q{e.position}: “{_md(e.quote)}”" + ("" if e.verified else " (not verified)") for e in line.evidence
            ]
            out += [f"- Interviewer: {_md(c)}" for c in line.comments]
    out += ["", "## Questions and answers"]
    for q in s.questions:
        out += ["", f"### Q{q.position + 1} ({q.kind.replace('_', ' ')}) {_md(q.text)}"]
        if q.edited:
            out += ["", f"*Edited by the interviewer. The planner's original: {_md(q.original_text or '')}*"]
        if q.citation:
            quote, document = _md(q.citation.get("quote", "")), _md(q.citation.get("document", ""))
            out += ["", f"> Cites: “{quote}” — {document}"]
        out += ["", f"**Answer:** {_md(q.answer, lines=True) or '—'}"]
        if q.notes.strip():
            out += ["", f"**Notes:** {_md(q.notes, lines=True)}"]
        if q.signals:
            out += ["", f"**Signals observed:** {_md('; '.join(q.signals))}"]
    if s.notes.strip():
        out += ["", "## Session notes", "", _md(s.notes, lines=True)]
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class Comparison:
    """Candidates side by side on one case: one row per criterion, (AI, interviewer) per candidate."""

    case_title: str
    candidates: tuple[str, ...]
    rows: tuple[tuple[str, tuple[tuple[float | None, float | None], ...]], ...]
    overall: tuple[tuple[float | None, float | None], ...]


def compare(cards: Sequence[Scorecard]) -> Comparison:
    if len(cards) < 2:
        raise VettingError("Choose at least two sessions to compare.")
    if len({c.session.case_id for c in cards}) > 1 or len({c.session.rubric_id for c in cards}) > 1:
        raise VettingError("Only sessions on the same case and rubric can be compared side by side.")
    names = tuple(f"{c.session.candidate.name} ({c.session.started_at:%Y-%m-%d})" for c in cards)
    rows = tuple(
        (line.name, tuple((c.lines[i].ai, c.lines[i].interviewer) for c in cards))
        for i, line in enumerate(cards[0].lines)
    )
    overall = tuple((c.overall("ai"), c.overall("interviewer")) for c in cards)
    return Comparison(cards[0].case_title, names, rows, overall)


@dataclass(frozen=True)
class Calibration:
    """Interviewer vs AI on every answer-criterion pair scored by both, across sessions."""

    points: tuple[tuple[str, str, float, float], ...]  # (candidate, criterion name, AI, interviewer)
    mean_gap: float | None  # AI minus interviewer: > 0 means the AI is more generous
    mean_abs_gap: float | None
    within_one: float | None  # share of pairs at most one scale point apart (|gap| <= 1)
    correlation: float | None  # Pearson, when there are enough varied pairs


def calibration(cards: Sequence[Scorecard], rubrics: dict[str, Rubric]) -> Calibration:
    points: list[tuple[str, str, float, float]] = []
    for card in cards:
        for q in card.session.questions:
            rubric = rubrics.get(card.session.rubric_of(q))
            names = {c.id: c.name for c in rubric.criteria} if rubric else {}
            for ai in q.ai_scores:
                mine = q.interviewer_score(ai.criterion_id)
                if mine is not None and mine.score is not None and ai.score is not None:
                    name = names.get(ai.criterion_id, ai.criterion_id)
                    points.append((card.session.candidate.name, name, ai.score, float(mine.score)))
    gaps = [a - h for _, _, a, h in points]
    return Calibration(
        tuple(points),
        _mean(gaps),
        _mean([abs(g) for g in gaps]),
        _mean([1.0 if abs(g) <= 1 else 0.0 for g in gaps]),
        _pearson([p[2] for p in points], [p[3] for p in points]),
    )


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 3:
        return None
    mx, my = fmean(xs), fmean(ys)
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    if sx == 0 or sy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (sx * sy)
