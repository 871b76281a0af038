"""Candidates page (recruiter): upload documents, see each file's outcome, inspect a candidate, erase a candidate."""

from __future__ import annotations

import math

import streamlit as st

from ui import components, resources, state
from ui.assign_views import assign_interview
from ui.candidate_views import EXTENSIONS, consent_panel, ingest_uploads, show_candidate, show_results

services = resources.services()
limit_mb = services.settings.max_upload_mb
st.header("Candidates")
st.caption(
    f"Upload a candidate's CVs and project write-ups (PDF, Word, Markdown, text, JSON Resume; up to {limit_mb:g} MB "
    "each). Hidden text and instructions aimed at an AI are flagged and removed."
)

with st.form("upload"):
    name = st.text_input("Candidate name", placeholder="e.g. Ada Lovelace", help="An existing name adds documents.")
    files = st.file_uploader(
        "Documents",
        type=EXTENSIONS,
        accept_multiple_files=True,
        max_upload_size=max(1, math.ceil(limit_mb)),
        key=f"uploader-{st.session_state.get(state.UPLOAD_NONCE, 0)}",
    )
    new_person = st.checkbox(
        "A different person from any candidate with a similar name",
        help="Names that differ only in case or accents are taken for the same person unless this is ticked.",
    )
    submitted = st.form_submit_button("Ingest documents", type="primary")

if submitted:
    if not name.strip():
        st.error("Enter the candidate's name before ingesting.")
    elif not files:
        st.error("Choose at least one document to ingest.")
    else:
        bar = st.progress(0.0, text="Preparing…")

        def progress(done: int, total: int, current: str) -> None:
            bar.progress(done / max(total, 1), text=f"{done}/{total} · {components.md(current)}" if current else "Done")

        with components.guard("ingesting the documents"):
            report = ingest_uploads(services, files, name, on_progress=progress, new_person=new_person)
            st.session_state[state.INGEST_RESULTS] = report
            st.session_state[state.SELECTED_CANDIDATE] = report.candidate.id
            st.session_state[state.UPLOAD_NONCE] = st.session_state.get(state.UPLOAD_NONCE, 0) + 1
            st.rerun()  # redraw with an empty file picker; the results above are kept in the session
        bar.empty()

if notice := st.session_state.pop(state.DELETED_NOTICE, None):
    st.success(notice)
if last := st.session_state.get(state.INGEST_RESULTS):
    show_results(last)

st.subheader("All candidates")
rows = services.candidates.overview()
if not rows:
    st.info("No candidates yet: enter a name, choose documents and press **Ingest documents**.")
    st.stop()
st.dataframe(
    [{"candidate": c.name, "documents": docs, "chunks": chunks} for c, docs, chunks in rows],
    hide_index=True,
    width="stretch",
)
options = components.candidate_options(rows)
ids = list(options.values())
chosen = st.session_state.get(state.SELECTED_CANDIDATE)
label = st.selectbox("Inspect a candidate", list(options), index=ids.index(chosen) if chosen in ids else 0)
candidate_id = options[label]
st.session_state[state.SELECTED_CANDIDATE] = candidate_id
candidate = next(c for c, _, _ in rows if c.id == candidate_id)

with components.guard("showing the candidate"):
    consent_panel(services, candidate_id)
    show_candidate(services, candidate_id)
assign_interview(services, candidate_id)

st.divider()
if st.session_state.get(state.CONFIRM_DELETE) != candidate_id:
    if st.button(f"Erase {components.md(candidate.name)}…", icon="🗑️"):
        st.session_state[state.CONFIRM_DELETE] = candidate_id
        st.rerun()
else:
    st.warning(
        f"Erase **{components.md(candidate.name)}**? This deletes every document, chunk, interview session, answer and "
        "score of this candidate, for good."
    )
    confirm, cancel = st.columns(2)
    if confirm.button("Yes, erase everything", type="primary"):
        with components.guard("erasing the candidate"):
            services.candidates.erase(candidate_id, by="id")
            st.cache_data.clear()  # the extracted text of the erased candidate's documents goes from memory too
            st.session_state.pop(state.CONFIRM_DELETE, None)
            st.session_state.pop(state.SELECTED_CANDIDATE, None)
            st.session_state.pop(state.INGEST_RESULTS, None)
            st.session_state[state.DELETED_NOTICE] = (
                f"Erased {components.md(candidate.name)}: documents, chunks, sessions and scores; "
                "nothing of them is left on disk."
            )
            st.rerun()
    if cancel.button("Cancel"):
        st.session_state.pop(state.CONFIRM_DELETE, None)
        st.rerun()
