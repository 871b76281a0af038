"""Documents page (interviewer, read only): the documents of the candidates of their own sessions, text and flags."""

from __future__ import annotations

import streamlit as st

from ui import components, resources, state
from ui.candidate_views import show_candidate

services = resources.services()
st.header("Documents")
st.caption(
    "The documents of the candidates whose interviews you started or were assigned: their extracted text, the flags "
    "raised on them and their chunks. Read only; a recruiter uploads and erases them."
)
with components.guard("listing your candidates", stop=True):
    rows = services.candidates.overview()  # the service keeps only the candidates of this interviewer's sessions
if not rows:
    st.info("No candidate yet: the documents of a candidate appear here once an interview with them is yours.")
    st.stop()

options = components.candidate_options(rows)
ids = list(options.values())
chosen = st.session_state.get(state.DOCUMENTS_CANDIDATE)
label = st.selectbox("Candidate", list(options), index=ids.index(chosen) if chosen in ids else 0)
candidate_id = options[label]
st.session_state[state.DOCUMENTS_CANDIDATE] = candidate_id
with components.guard("showing the documents"):
    show_candidate(services, candidate_id)
