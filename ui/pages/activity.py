"""Activity log page (administrator, reviewer): who uploaded, erased, exported or changed what, and when."""

from __future__ import annotations

import streamlit as st

from ui import components, resources

services = resources.services()
st.header("Activity log")
st.caption(
    "Every upload, erasure, export, sign-in and session change, under the name of the user who did it (the `vet` "
    "CLI's operator included). Candidates appear by id only, so an erasure leaves no name here."
)
with components.guard("loading the activity log", stop=True):
    entries = services.activity.entries(limit=1000)
if not entries:
    st.info("Nothing recorded yet.")
    st.stop()
actions = sorted({e.action for e in entries})
chosen = st.multiselect("Actions", actions, default=actions)
st.dataframe(
    [
        {
            "time (UTC)": e.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            "user": e.actor,
            "action": e.action,
            "candidate id": e.candidate_id or "",
            "session id": e.session_id or "",
            "detail": ", ".join(f"{k}={v}" for k, v in e.detail.items()),
        }
        for e in entries
        if e.action in chosen
    ],
    hide_index=True,
    width="stretch",
)
