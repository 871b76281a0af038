"""The answer box's helpers: saving while typing, the scored answer shown once with every criterion's evidence, and
each AI score's key points."""

from __future__ import annotations

import html
from collections.abc import Sequence

import streamlit as st
import streamlit.components.v2 as components_v2

from rubrics import Criterion
from ui import components
from vetting.kernel.domain import AIScore, SessionQuestion
from vetting.kernel.quotes import find_span
from vetting.scorecards import key_points_text


def highlighted_by(text: str, groups: Sequence[tuple[str, Sequence[tuple[int, int]]]]) -> str:
    """HTML of `text` (escaped) with each group's spans marked in its colour; where groups overlap, the first wins."""
    colour_at: list[str | None] = [None] * len(text)
    for colour, spans in groups:
        for a, b in spans:
            for i in range(max(0, a), min(len(text), b)):
                colour_at[i] = colour_at[i] or colour
    out, start = [], 0
    for i in range(1, len(text) + 1):
        if i == len(text) or colour_at[i] != colour_at[start]:
            piece, shade = html.escape(text[start:i]), colour_at[start]
            out.append(f'<mark style="background:{shade}">{piece}</mark>' if shade else piece)
            start = i
    style = "white-space:pre-wrap;font-family:'Source Sans Pro',sans-serif;font-size:0.95rem;line-height:1.5"
    return f'<div style="{style}">' + "".join(out) + "</div>"


EVIDENCE_COLOURS = ("#fff3b0", "#c7e9c0", "#c6dbef", "#fdd0a2", "#dadaeb", "#f4c2c2", "#d9f0d3", "#ffe0f0")


def _evidence_spans(question: SessionQuestion, criterion_id: str) -> list[tuple[int, int]]:
    ai = question.ai_score(criterion_id)
    if ai is None:
        return []
    spans = [
        (e.start, e.end) if e.start is not None and e.end is not None else find_span(e.quote, question.answer)
        for e in ai.evidence
        if e.verified
    ]
    return [s for s in spans if s]


def scored_answer(question: SessionQuestion, criteria: Sequence[Criterion]) -> None:
    """The answer once, with each criterion's verified evidence marked in that criterion's colour."""
    marked = [
        (c, EVIDENCE_COLOURS[i % len(EVIDENCE_COLOURS)], _evidence_spans(question, c.id))
        for i, c in enumerate(criteria)
    ]
    if not any(spans for _, _, spans in marked):
        return
    st.markdown("**The answer, with the evidence for each criterion marked**")
    st.html(highlighted_by(question.answer, [(colour, spans) for _, colour, spans in marked if spans]))
    legend = [
        f"<span style='background:{colour}'>&nbsp;{html.escape(c.name)}&nbsp;</span>" for c, colour, s in marked if s
    ]
    st.caption(" · ".join(legend), unsafe_allow_html=True)


def key_points(ai: AIScore) -> None:
    """Which of the criterion's key points the answer met, each met one with the answer's sentence (text only)."""
    line = key_points_text(ai.key_points, literal=components.md)
    if line:
        st.markdown(line)


_AUTOSAVE_JS = """
export default function(component) {
  const { data } = component;
  const shared = window.__vettingAutosave || (window.__vettingAutosave = { timers: new WeakMap(), labels: [] });
  shared.labels = data.labels;
  shared.delay = data.delay;
  const tracked = (box) => box instanceof HTMLTextAreaElement && shared.labels.includes(box.getAttribute("aria-label"));
  const later = (box) => {
    clearTimeout(shared.timers.get(box));
    shared.timers.set(box, setTimeout(() => {
      if (document.activeElement !== box) return;  // already left: Streamlit sent it then
      const start = box.selectionStart, end = box.selectionEnd;
      box.blur();  // Streamlit sends a text area's value when it loses focus ...
      box.focus();  // ... and the interviewer keeps typing where they were
      box.setSelectionRange(start, end);
    }, shared.delay));
  };
  if (!shared.listening) {
    shared.listening = true;
    document.addEventListener("input", (event) => { if (tracked(event.target)) later(event.target); }, true);
    // Leaving or reloading the page while in a box: send it now (best effort; the pause-save has usually run)
    window.addEventListener("pagehide", () => { if (tracked(document.activeElement)) document.activeElement.blur(); });
  }
  // Typing that began before this script loaded (a page still drawing) had no timer: the box in use gets one now
  if (tracked(document.activeElement)) later(document.activeElement);
}
"""
_autosave = components_v2.component("vetting.autosave_while_typing", js=_AUTOSAVE_JS, isolate_styles=False)
AUTOSAVED = ("Answer (type or paste)", "Interviewer notes", "Session notes (overall impression)")
AUTOSAVE_DELAY_MS = 800


def autosave_while_typing() -> None:
    """Send the answer and notes boxes to the server after a pause in typing, without leaving the box.

    Streamlit sends a text area only on blur or Ctrl+Enter; this script, our own constant code with the box labels as
    its only data, does the blur-and-refocus after AUTOSAVE_DELAY_MS of quiet, so the usual on_change save runs.
    """
    _autosave(data={"labels": list(AUTOSAVED), "delay": AUTOSAVE_DELAY_MS}, key="autosave-while-typing")
