"""Scorecards page (reviewer): one session's scorecard and exports, candidates compared on a case, calibration."""

from __future__ import annotations

import streamlit as st

from ui import components, resources, state
from ui.scorecard_views import label, make_card, show_calibration, show_comparison, show_scorecard

services = resources.services()
st.header("Scorecards")
with components.guard("loading the sessions", stop=True):
    rubrics, cases = resources.rubrics(), resources.cases()
    sessions = services.sessions.list_sessions()
if not sessions:
    st.info("No interview sessions yet. Run one on the **Interview** page; its scorecard appears here.")
    st.stop()

one, side_by_side, calibrate = st.tabs(["Session scorecard", "Compare candidates", "Calibration"])
with one:
    labels = {label(s, cases): s.id for s in sessions}
    wanted = st.query_params.get(state.QUERY_SESSION) or st.session_state.get(state.SCORECARD_SESSION)
    ids = list(labels.values())
    chosen = st.selectbox("Session", list(labels), index=ids.index(wanted) if wanted in ids else 0)
    st.session_state[state.SCORECARD_SESSION] = labels[chosen]
    with components.guard("building the scorecard"):
        session = next(s for s in sessions if s.id == labels[chosen])
        if not session.finished:
            st.caption("⏳ This session is still open; the scorecard shows what has been scored so far.")
        show_scorecard(make_card(session, rubrics, cases))

with side_by_side:
    case_ids = sorted({s.case_id for s in sessions})
    titles = {(cases[c].title if c in cases else c): c for c in case_ids}
    picked = next(s for s in sessions if s.id == st.session_state[state.SCORECARD_SESSION])
    chosen_case = picked.case_id  # Compare opens on the case of the session chosen above
    case_title = st.selectbox("Case", list(titles), index=case_ids.index(chosen_case))
    same_case = [s for s in sessions if s.case_id == titles[case_title]]
    picks = st.multiselect(
        "Sessions to compare (two or more)",
        [label(s, cases) for s in same_case],
        default=[label(s, cases) for s in same_case[:4]],
    )
    if len(picks) < 2:
        st.info("Pick at least two sessions on this case to compare them side by side.")
    else:
        with components.guard("comparing the sessions"):
            show_comparison([make_card(s, rubrics, cases) for s in same_case if label(s, cases) in picks])

with calibrate:
    st.caption("Every answer scored by both the AI and the interviewer, across all sessions.")
    with components.guard("building the calibration view"):
        show_calibration([make_card(s, rubrics, cases) for s in sessions if s.rubric_id in rubrics], rubrics)
