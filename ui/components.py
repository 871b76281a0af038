"""Widgets shared by the pages: literal text, error guard, engine badge, highlighted text, citations, the chart.

Every string that comes from a document or a user (names, filenames, flags, quotes, questions, answers, notes,
comments, report text) reaches the page through `md` (inside Markdown: labels, captions, alerts) or `literal` (a block
of text): never read as Markdown or HTML, so no image loads, no link is made and no heading or list appears.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pandas as pd
import streamlit as st

from vetting.kernel.domain import Candidate
from vetting.kernel.errors import VettingError
from vetting.literal import escape_markdown
from vetting.scorecards import CriterionLine

log = logging.getLogger("vetting.ui")


def md(value: object) -> str:
    """`value` as literal text inside Markdown (labels, captions, alerts, expanders): see `escape_markdown`."""
    return escape_markdown(value)


def literal(text: object, *, container: object = None) -> None:
    """A block of text exactly as written (line breaks kept), through escaped HTML: no Markdown, links or images."""
    target: object = container if container is not None else st
    target.html(highlighted(str(text), []))  # type: ignore[attr-defined]


@contextmanager
def guard(action: str, *, stop: bool = False) -> Iterator[None]:
    """Show a VettingError's own message, anything else as a short notice, never a traceback; `stop` ends the page."""
    try:
        yield
    except VettingError as exc:
        st.error(md(exc), icon="⚠️")
        if stop:
            st.stop()
    except Exception as exc:
        log.exception("unexpected error while %s", action)
        name = exc.__class__.__name__
        st.error(f"Something went wrong while {action} ({name}). Please try again; what you typed is kept.")
        if stop:
            st.stop()


def engine_caption(engine: str | None, model: str | None = None) -> None:
    """Say which engine produced an AI output: the offline engine or the named language model."""
    if not engine:
        return
    if model and not engine.startswith("offline"):
        st.caption(f"🤖 Produced by the language model **{md(model)}** ({md(engine)}).")
    elif engine == "offline":
        st.caption("🖥️ Produced by the **offline** engine (no language model involved).")
    else:
        st.caption(f"🖥️ Produced by the **{md(engine)}** engine.")


def highlighted(text: str, spans: Sequence[tuple[int, int]], *, colour: str = "#fff3b0") -> str:
    """HTML of `text` (escaped) with the given character spans marked; overlapping spans are merged."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, a), min(len(text), b)) for a, b in spans if b > a):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, cursor = [], 0
    for start, end in merged:
        out.append(html.escape(text[cursor:start]))
        out.append(f'<mark style="background:{colour}">{html.escape(text[start:end])}</mark>')
        cursor = end
    out.append(html.escape(text[cursor:]))
    style = "white-space:pre-wrap;font-family:'Source Sans Pro',sans-serif;font-size:0.95rem;line-height:1.5"
    return f'<div style="{style}">' + "".join(out) + "</div>"


def show_highlighted(text: str, spans: Sequence[tuple[int, int]], *, colour: str = "#fff3b0") -> None:
    """The text exactly as written (no Markdown reading of a CV's '#' or '-'), with the spans marked."""
    st.html(highlighted(text, spans, colour=colour))


def citation(cite: dict[str, object] | None) -> None:
    """The verbatim quote a deep-dive question is about, with its document and page."""
    if not cite:
        st.caption("No citation: this question comes from the case, not from the candidate's documents.")
        return
    where = str(cite.get("document") or "")
    if cite.get("page"):
        where += f", page {cite['page']}"
    st.markdown("**From the candidate's documents**")
    literal(f"“{cite.get('quote', '')}”")
    st.caption(f"📄 {md(where)} · quote verified verbatim by code")


def candidate_options(rows: Sequence[tuple[Candidate, int, int]]) -> dict[str, str]:
    """Label → candidate id for a select box (labels stay unique even for equal names)."""
    return {f"{c.name} · {docs} document(s)": c.id for c, docs, _ in rows}


COLOURS = {"domain": ["AI", "Interviewer"], "range": ["#4C78A8", "#F58518"]}


NO_SCORES = "No scores yet: the chart appears once an answer is scored."


def criteria_chart(lines: Sequence[CriterionLine], scale: tuple[int, int], *, empty: str = NO_SCORES) -> None:
    """Bars of the AI and the interviewer score per criterion, in rubric order, on the rubric's whole scale."""
    rows = [
        {"criterion": line.name, "who": who, "score": value}
        for line in lines
        for who, value in (("AI", line.ai), ("Interviewer", line.interviewer))
        if value is not None
    ]
    if not rows:
        if empty:
            st.caption(empty)
        return
    top = scale[1]
    spec = {  # a plain Vega-Lite spec: no chart-library validation on every rerun
        "mark": {"type": "bar"},
        "height": {"step": 14},
        "encoding": {
            "x": {
                "field": "score",
                "type": "quantitative",
                "scale": {"domain": [0, top]},
                "axis": {"values": list(range(top + 1))},
                "title": "score",
            },
            "y": {
                "field": "criterion",
                "type": "nominal",
                "sort": [line.name for line in lines],
                "title": None,
                "axis": {"labelLimit": 320},
            },
            "yOffset": {"field": "who", "type": "nominal"},
            "color": {"field": "who", "type": "nominal", "scale": COLOURS, "title": None},
            "tooltip": [{"field": "criterion"}, {"field": "who"}, {"field": "score"}],
        },
    }
    st.vega_lite_chart(pd.DataFrame(rows), spec, width="stretch")


def duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
