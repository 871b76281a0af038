"""Evaluation reports page (reviewer): past `vet eval report` runs, newest first, each shown and downloadable."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from eval.history import list_reports, reports_dir
from ui import components, resources
from vetting.authz import Right

services = resources.services()
with components.guard("opening the evaluation reports", stop=True):
    services.actor.require(Right.REVIEW)  # they name the candidates of evaluation runs
settings = services.settings
st.header("Evaluation reports")
folder = reports_dir(settings)
st.caption(
    "Reports written by `vet eval report` into the data directory's `reports` folder: retrieval, plan grounding, "
    "scorer agreement with human grades, and the name-swap fairness audit, each with its pass/fail thresholds."
)
with components.guard("listing evaluation reports", stop=True):
    reports = list_reports(folder)
if not reports:
    st.info("No evaluation reports yet. Run `vet eval report` (it takes a few minutes) and they appear here.")
    st.stop()

table = pd.DataFrame(
    [
        {
            "created": r.created or "—",
            "verdict": r.verdict,
            "checks": r.checks,
            "failed": ", ".join(r.failed) or ("—" if r.error is None else r.error),
            "skipped": ", ".join(r.skipped) or "—",
            "folder": r.folder.name,
        }
        for r in reports
    ]
)
st.dataframe(table, hide_index=True, width="stretch")

labels = {f"{r.folder.name} — {r.verdict}": r for r in reports}
chosen = labels[st.selectbox("Report", list(labels))]
if chosen.error:
    st.warning(f"This report cannot be shown: {chosen.error}.")
    st.stop()
(st.success if chosen.passed else st.error)(
    f"{chosen.verdict}: {chosen.checks - len(chosen.failed)} of {chosen.checks} thresholds met"
    + (f"; missed: {', '.join(chosen.failed)}" if chosen.failed else "")
)
files = [
    ("HTML", chosen.html, "text/html"),
    ("Markdown", chosen.markdown, "text/markdown"),
    ("JSON", chosen.json, "application/json"),
]
for column, (label, path, mime) in zip(st.columns(3), files, strict=True):
    if path.is_file():
        column.download_button(f"Download {label}", path.read_bytes(), file_name=path.name, mime=mime)
if chosen.html.is_file():
    st.iframe(chosen.html.read_text(encoding="utf-8"), height=900)  # the report's own HTML, in a sandboxed frame
