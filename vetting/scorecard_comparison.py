"""Scorecards across sessions: candidates side by side on one case, and how far the AI and interviewers agree."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from vetting.kernel.errors import VettingError
from vetting.scorecards import Scorecard, mean_or_none

if TYPE_CHECKING:
    from rubrics import Rubric


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
        mean_or_none(gaps),
        mean_or_none([abs(g) for g in gaps]),
        mean_or_none([1.0 if abs(g) <= 1 else 0.0 for g in gaps]),
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
