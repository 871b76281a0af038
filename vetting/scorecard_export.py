"""A scorecard as JSON (every stored field) and as Markdown a reviewer can read or paste anywhere."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from vetting.kernel.domain import AIScore, SessionQuestion
from vetting.literal import escape_markdown as _md
from vetting.scorecards import CriterionLine, Scorecard, fmt_score, key_points_text, scope_note


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
        "criteria": [_criterion_dict(line) for line in card.lines],
        "rubric_sections": [
            {
                "id": sec.rubric_id,
                "title": sec.title,
                "scale": list(sec.scale),
                "questions": list(sec.questions),
                "scored_answers": sec.scored,
                "overall": {"ai": sec.overall("ai"), "interviewer": sec.overall("interviewer")},
                "criteria": [_criterion_dict(line) for line in sec.lines],
            }
            for sec in card.sections
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


def _criterion_dict(line: CriterionLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "name": line.name,
        "weight": line.weight,
        "ai": line.ai,
        "interviewer": line.interviewer,
        "evidence": [{"question": e.position, "quote": e.quote, "verified": e.verified} for e in line.evidence],
        "key_points": [{"question": k.position, **p.to_dict()} for k in line.key_points for p in k.points],
        "comments": list(line.comments),
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
        "key_points": [k.to_dict() for k in a.key_points],
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
        f"- **Case:** {_md(card.case_title)}",
        f"- **Rubric:** {_md(card.rubric_title)} (version {_md(s.rubric_version)}, scale {low}–{high})",
        f"- **Interviewer:** {_md(s.interviewer or '—')}",
        f"- **Session:** {s.id}, {s.status}, started {s.started_at:%Y-%m-%d %H:%M} UTC, {s.elapsed_s() / 60:.0f} min",
        f"- **AI engine(s):** {_md(', '.join(card.engines) or '—')}",
        f"- **Overall:** AI {fmt_score(card.overall('ai'))}, interviewer {fmt_score(card.overall('interviewer'))}",
    ]
    note = scope_note(card)
    out += ["", _md(note)] if note else []
    out += ["", "## Criteria", "", *_criteria_table(card.lines)]
    for sec in card.sections:
        overall = f"AI {fmt_score(sec.overall('ai'))}, interviewer {fmt_score(sec.overall('interviewer'))}"
        which = ", ".join(f"Q{n}" for n in sec.questions)
        out += ["", f"## Criteria — {_md(sec.title)} ({sec.rubric_id}), scoring {which}", ""]
        out += [f"**Overall on this rubric:** {overall}", "", *_criteria_table(sec.lines)]
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
            out.append(f"| Q{a.position} | {_md(a.criterion)} | {fmt_score(a.ai)} | {human} | {gap} |")
    for line in (*card.lines, *(line for sec in card.sections for line in sec.lines)):
        if line.details:
            out += ["", f"### {_md(line.name)}"]  # rubric text: a heading, never markup
            out += [
                f"- Q{e.position}: “{_md(e.quote)}”" + ("" if e.verified else " (not verified)") for e in line.evidence
            ]
            out += [f"- Q{k.position}: {key_points_text(k.points, literal=_md)}" for k in line.key_points]
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


def _criteria_table(lines: Sequence[CriterionLine]) -> list[str]:
    rows = [
        f"| {_md(line.name)} | {line.weight:g} | {fmt_score(line.ai)} | {fmt_score(line.interviewer)} |"
        for line in lines
    ]
    return ["| criterion | weight | AI | interviewer |", "|---|---|---|---|", *rows]
