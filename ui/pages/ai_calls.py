"""Audit page (admin, reviewer): every AI output (offline engine included) with its versions and acting user, then
every language-model call, what it cost and how it ended, exportable as CSV or JSON."""

from __future__ import annotations

import json
import statistics

import pandas as pd
import streamlit as st

from ui import auth, components, resources
from vetting.ai_outputs import AIOutputLog
from vetting.audit import export_csv, export_json

services = resources.services()
settings = services.settings
st.header("Audit log")
if settings.llm_enabled:
    redaction = "sent as is" if settings.llm_send_pii else "replaced by placeholders before sending"
    st.caption(f"Model **{settings.llm_model}**; candidates' personal data is {redaction}. API keys are never logged.")
else:
    st.caption("No language model is configured: the offline engine does the work and nothing leaves this machine.")
with components.guard("loading the AI call log", stop=True):
    entries = services.audit.entries(limit=None)  # administrators and reviewers only: the rest stop here

st.subheader("AI outputs")
outputs = AIOutputLog(services.db).entries(limit=1000)
if not outputs:
    st.info("No AI output recorded yet: every plan and score, offline or by a language model, appears here.")
else:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "time (UTC)": o.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                    "user": o.actor or "—",
                    "output": o.kind,
                    "engine": o.engine,
                    "model": o.model or o.detail.get("grading_model") or o.detail.get("embedding_model") or "—",
                    "rubric": o.rubric,
                    "case": f"{o.detail.get('case_id', '—')} @{o.detail.get('case_version', '—')}",
                    "program": o.detail.get("program", "—"),
                    "candidate id": o.candidate_id,
                    "session": o.session_id or "—",
                }
                for o in outputs
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    st.download_button(
        "Export AI outputs (JSON)",
        auth.exported(
            services, "ai-outputs", lambda: json.dumps([o.to_dict() for o in outputs], indent=2), format="json"
        ),
        "ai-outputs.json",
        "application/json",
    )

st.subheader("Language-model calls")
if not entries:
    st.info("No language-model calls recorded yet. Plans and scores made by a language model appear here.")
    st.stop()

tasks = sorted({e.task for e in entries})
statuses = sorted({e.status for e in entries})
left, right = st.columns(2)
chosen_tasks = left.multiselect("Tasks", tasks, default=tasks)
chosen_statuses = right.multiselect("Outcomes", statuses, default=statuses)
shown = [e for e in entries if e.task in chosen_tasks and e.status in chosen_statuses]

calls, failed, fallback = st.columns(3)
timed = [e.latency_ms for e in shown if e.status != "fallback"]
calls.metric("Calls", len(shown), help="Newest first.")
failed.metric("Unusable or failed", sum(e.status in ("invalid", "error") for e in shown))
fallback.metric("Offline fallbacks", sum(e.status == "fallback" for e in shown))
if timed:
    st.caption(f"Median latency {statistics.median(timed) / 1000:.1f} s over {len(timed)} call(s).")

table = pd.DataFrame(
    [
        {
            "time (UTC)": e.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            "task": e.task,
            "engine": e.engine,
            "outcome": e.status,
            "attempt": e.attempt,
            "latency (ms)": e.latency_ms,
            "tokens in/out": f"{e.prompt_tokens or '-'}/{e.completion_tokens or '-'}",
            "structured output": e.json_mode,
            "prompt version": e.template_version,
            "problem": e.error or "",
            "reply": e.output[:300],
        }
        for e in shown
    ]
)
st.dataframe(table, hide_index=True, width="stretch")
csv_col, json_col = st.columns(2)
csv_col.download_button(
    "Export CSV",
    auth.exported(services, "ai-call-log", lambda: export_csv(shown), format="csv"),
    "ai-calls.csv",
    "text/csv",
)
json_col.download_button(
    "Export JSON",
    auth.exported(services, "ai-call-log", lambda: export_json(shown), format="json"),
    "ai-calls.json",
    "application/json",
)
