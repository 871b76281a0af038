"""Scorecards page pieces: a session's scorecard and exports, candidates side by side, AI vs interviewer calibration."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from cases import Case
from rubrics import Rubric
from ui import components, resources
from ui.auth import exported
from vetting.kernel.domain import StoredSession
from vetting.kernel.errors import InvalidRubric
from vetting.scorecard_comparison import calibration, compare
from vetting.scorecard_export import to_json, to_markdown
from vetting.scorecard_pdf import to_pdf
from vetting.scorecards import (
    GAP_ALERT,
    CriterionLine,
    RubricSection,
    Scorecard,
    build_scorecard,
    fmt_score,
    key_points_text,
    scope_note,
)


def make_card(session: StoredSession, rubrics: dict[str, Rubric], cases: dict[str, Case]) -> Scorecard:
    rubric = rubrics.get(session.rubric_id)
    if rubric is None:
        raise InvalidRubric(f"The rubric '{session.rubric_id}' of this session is no longer available.")
    case = cases.get(session.case_id)
    return build_scorecard(session, rubric, case.title if case else session.case_id, rubrics)


def label(session: StoredSession, cases: dict[str, Case]) -> str:
    case = cases.get(session.case_id)
    title = case.title if case else session.case_id
    return f"{session.candidate.name} · {title} · {session.started_at:%Y-%m-%d %H:%M} · {session.status}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "scorecard"


def show_scorecard(card: Scorecard) -> None:
    s = card.session
    low, high = card.scale
    st.subheader(f"{components.md(s.candidate.name)} — {components.md(card.case_title)}")
    st.caption(
        f"Rubric {components.md(card.rubric_title)} v{components.md(s.rubric_version)} (scale {low}–{high}) · "
        f"interviewer {components.md(s.interviewer or '—')}"
    )
    ai, human, length = st.columns(3)
    ai.metric("AI overall", fmt_score(card.overall("ai")))
    human.metric("Interviewer overall", fmt_score(card.overall("interviewer")))
    length.metric("Duration", components.duration(s.elapsed_s()))
    st.caption("AI engine(s): " + (components.md(", ".join(card.engines)) or "none yet"))
    note = scope_note(card)
    if note:
        st.info(components.md(note), icon="ℹ️")
    components.criteria_chart(card.lines, card.scale, empty="" if note else components.NO_SCORES)
    criteria_table(card.lines)
    for section in card.sections:
        show_section(section)
    answer_gaps(card)
    for line in (*card.lines, *(line for section in card.sections for line in section.lines)):
        if line.details:
            with st.expander(f"Evidence — {components.md(line.name)}"):  # rubric text: shown, never rendered
                for e in line.evidence:
                    st.markdown(
                        f"- Q{e.position}: “{components.md(e.quote)}”" + ("" if e.verified else " *(not verified)*")
                    )
                for k in line.key_points:
                    st.markdown(f"- Q{k.position}: {key_points_text(k.points, literal=components.md)}")
                for comment in line.comments:
                    st.markdown(f"- Interviewer: {components.md(comment)}")
    with st.expander("Questions, answers and notes"):
        for q in s.questions:
            st.markdown(f"**Q{q.position + 1}. {components.md(q.text)}**")
            if q.edited:
                st.caption(
                    f"✏️ Edited by the interviewer. The planner's original: {components.md(q.original_text or '')}"
                )
            st.text(q.answer or "—")
            if q.notes:
                st.caption(f"Notes: {components.md(q.notes)}")
            if q.signals:
                st.caption("Signals: " + components.md("; ".join(q.signals)))
        if s.notes:
            st.markdown("**Session notes:**")
            components.literal(s.notes)
    name = f"scorecard-{_slug(s.candidate.name)}-{s.id}"
    md, js, pdf = st.columns(3)
    acting = resources.services()  # each download is recorded under the signed-in user, when it is fetched
    ids = {"candidate_id": s.candidate.id, "session_id": s.id}

    def fetched(fmt: str, make: Callable[[], Any]) -> Callable[[], Any]:
        return exported(acting, "scorecard", make, format=fmt, **ids)

    md.download_button(
        "Markdown", fetched("md", lambda: to_markdown(card)), f"{name}.md", "text/markdown", icon="⬇️", on_click="ignore"
    )
    js.download_button(
        "JSON", fetched("json", lambda: to_json(card)), f"{name}.json", "application/json", icon="⬇️", on_click="ignore"
    )
    pdf.download_button(
        "PDF", fetched("pdf", lambda: to_pdf(card)), f"{name}.pdf", "application/pdf", icon="⬇️", on_click="ignore"
    )


def criteria_table(lines: Sequence[CriterionLine]) -> None:
    rows = [
        {
            "criterion": line.name,
            "weight": line.weight,
            "AI": fmt_score(line.ai),
            "interviewer": fmt_score(line.interviewer),
        }
        for line in lines
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def show_section(section: RubricSection) -> None:
    """Another rubric of the session (the deep dives' by default): its own overall, chart and criteria."""
    low, high = section.scale
    which = ", ".join(f"Q{n}" for n in section.questions)
    st.markdown(f"**{components.md(section.title)}** · scores {which}")
    st.caption(f"Rubric {components.md(section.rubric_id)} (scale {low}–{high}), with its own overall")
    ai, human = st.columns(2)
    ai.metric(f"AI overall · {components.md(section.title)}", fmt_score(section.overall("ai")))
    human.metric(f"Interviewer overall · {components.md(section.title)}", fmt_score(section.overall("interviewer")))
    components.criteria_chart(section.lines, section.scale, empty="No answer scored on this rubric yet.")
    criteria_table(section.lines)


def answer_gaps(card: Scorecard) -> None:
    """Per answer and criterion, the AI beside the interviewer; gaps of GAP_ALERT levels or more stand out."""
    if not card.answers:
        return
    st.markdown("**Per answer: AI beside interviewer**")
    flagged = sum(a.disagreement for a in card.answers)
    if flagged:
        st.warning(f"{flagged} answer score(s) differ by {GAP_ALERT} levels or more: worth a second look.")
    several = bool(card.sections or card.unlisted)  # which rubric scored each answer, once there are several
    frame = pd.DataFrame(
        [
            {
                "Q": f"Q{a.position}",
                "question": a.question[:90] + (" (edited)" if a.original else ""),
                **({"rubric": a.rubric_id} if several else {}),
                "criterion": a.criterion,
                "AI": fmt_score(a.ai),
                "interviewer": "—" if a.interviewer is None else str(a.interviewer),
                "gap": "—" if a.gap is None else f"{a.gap:+.1f}",
                "flag": "⚠ disagreement" if a.disagreement else "",
            }
            for a in card.answers
        ]
    )

    def shade(row: pd.Series) -> list[str]:
        return ["background-color: #fde2e1" if row["flag"] else "" for _ in row]

    st.dataframe(frame.style.apply(shade, axis=1), hide_index=True, width="stretch")


def show_comparison(cards: Sequence[Scorecard]) -> None:
    table = compare(cards)
    st.caption("Each cell: AI score / interviewer score, on the rubric's scale (— where nothing was scored).")
    rows = []
    for criterion, values in (*table.rows, ("Overall (weighted)", table.overall)):
        row: dict[str, object] = {"criterion": criterion}
        for name, (ai, human) in zip(table.candidates, values, strict=True):
            row[name] = f"{fmt_score(ai)} / {fmt_score(human)}"
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")
    overall = pd.DataFrame(
        [
            {"session": name, "who": who, "score": value}
            for name, (ai, human) in zip(table.candidates, table.overall, strict=True)
            for who, value in (("AI", ai), ("Interviewer", human))
            if value is not None
        ]
    )
    if overall.empty:
        return
    spec = {
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "session", "type": "nominal", "title": None, "axis": {"labelAngle": 0, "labelLimit": 260}},
            "xOffset": {"field": "who", "type": "nominal"},
            "y": {
                "field": "score",
                "type": "quantitative",
                "scale": {"domain": [0, cards[0].scale[1]]},
                "title": "overall score",
            },
            "color": {"field": "who", "type": "nominal", "scale": components.COLOURS, "title": None},
            "tooltip": [{"field": "session"}, {"field": "who"}, {"field": "score"}],
        },
    }
    st.vega_lite_chart(overall, spec, width="stretch")


def show_calibration(cards: Sequence[Scorecard], rubrics: dict[str, Rubric]) -> None:
    result = calibration(cards, rubrics)
    if not result.points:
        st.info("No answer has both an AI score and an interviewer score yet.")
        return
    pairs, gap, abs_gap, within = st.columns(4)
    pairs.metric("Scored pairs", len(result.points))
    gap.metric("AI − interviewer", f"{result.mean_gap:+.2f}", help="Above 0: the AI scores more generously.")
    abs_gap.metric("Mean absolute gap", f"{result.mean_abs_gap:.2f}")
    within.metric(
        "Within one point", f"{(result.within_one or 0):.0%}", help="Share of pairs with |AI − interviewer| ≤ 1."
    )
    if result.correlation is not None:
        st.caption(f"Correlation (Pearson) between AI and interviewer scores: {result.correlation:.2f}")
    frame = jittered(pd.DataFrame(result.points, columns=["candidate", "criterion", "AI", "interviewer"]))
    low, high = min(c.scale[0] for c in cards), max(c.scale[1] for c in cards)
    domain = {"domain": [low - 0.5, high + 0.5]}
    ticks = {"values": list(range(low, high + 1))}
    spec = {
        "height": 360,
        "layer": [
            {
                "data": {"values": [{"interviewer": low, "AI": low}, {"interviewer": high, "AI": high}]},
                "mark": {"type": "line", "color": "#999999", "strokeDash": [4, 4]},
                "encoding": {
                    "x": {"field": "interviewer", "type": "quantitative", "scale": domain, "axis": ticks},
                    "y": {"field": "AI", "type": "quantitative", "scale": domain, "axis": ticks},
                },
            },
            {
                "mark": {"type": "circle", "opacity": 0.7},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "scale": domain, "axis": ticks, "title": "interviewer"},
                    "y": {"field": "y", "type": "quantitative", "scale": domain, "axis": ticks, "title": "AI"},
                    "size": {"field": "same", "type": "quantitative", "title": "answers at this point"},
                    "color": {"field": "criterion", "type": "nominal", "legend": {"labelLimit": 320}},
                    "tooltip": [{"field": "criterion"}, {"field": "AI"}, {"field": "interviewer"}, {"field": "same"}],
                },
            },
        ],
    }
    st.vega_lite_chart(frame, spec, width="stretch")
    st.caption(
        "On the dashed line the AI and the interviewer agree; above it the AI is more generous. Points at the same "
        "place are spread a little and drawn larger by how many answers they stand for."
    )
    by_criterion = frame.assign(gap=frame["AI"] - frame["interviewer"]).groupby("criterion")["gap"]
    st.dataframe(by_criterion.agg(["count", "mean"]).rename(columns={"mean": "mean gap (AI − interviewer)"}))


def jittered(frame: pd.DataFrame, spread: float = 0.18) -> pd.DataFrame:
    """Plot positions x, y that spread identical (interviewer, AI) pairs on a small circle, and their count `same`."""
    out = frame.copy()
    out["same"] = out.groupby(["interviewer", "AI"])["AI"].transform("size")
    rank = out.groupby(["interviewer", "AI"]).cumcount()
    angle = 2 * math.pi * rank / out["same"].clip(lower=1)
    radius = spread * (out["same"] > 1)
    out["x"] = out["interviewer"] + radius * angle.map(math.cos)
    out["y"] = out["AI"] + radius * angle.map(math.sin)
    return out
