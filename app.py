"""Streamlit entry point: navigation over the pages in `ui/pages`; run with `make run`."""

import streamlit as st

from ui import components, resources

st.set_page_config(page_title="Vetting assistant", page_icon="🧭", layout="wide")
pages = {
    "Recruiter": [st.Page("ui/pages/candidates.py", title="Candidates", icon="🗂️", default=True)],
    "Interviewer": [st.Page("ui/pages/interview.py", title="Interview", icon="🎙️")],
    "Reviewer": [
        st.Page("ui/pages/scorecards.py", title="Scorecards", icon="📊"),
        st.Page("ui/pages/ai_calls.py", title="AI call log", icon="🧾"),
        st.Page("ui/pages/reports.py", title="Evaluation reports", icon="📈"),
    ],
}
page = st.navigation(pages)
with components.guard("opening the database", stop=True):  # e.g. a database server that is down: a message
    settings = resources.services().settings
with st.sidebar:
    if settings.llm_enabled:
        st.caption(f"🤖 Language model: **{settings.llm_model}** (each AI output says which engine produced it)")
    else:
        st.caption("🖥️ Offline engine: no language model configured, nothing leaves this machine")
page.run()
resources.warm_up()  # after the first page is drawn, so a cold start is not slowed by the embedding model
