"""Streamlit entry point: sign-in, then navigation over the pages the user's role may open; run with `make run`."""

import streamlit as st

from ui import auth, components, resources
from vetting.authz import acting

st.set_page_config(page_title="Vetting assistant", page_icon="🧭", layout="wide")
with components.guard("opening the database", stop=True):  # e.g. a database server that is down: a message
    base = resources.base_services()
    user = auth.signed_in(base)
if user is None:  # nothing but the sign-in form: no page, no candidate, no name
    st.navigation([st.Page(auth.sign_in_page, title="Sign in", icon="🔑")], position="hidden").run()
    st.stop()

candidates = st.Page("ui/pages/candidates.py", title="Candidates", icon="🗂️")
interview = st.Page("ui/pages/interview.py", title="Interview", icon="🎙️")
review = [
    st.Page("ui/pages/scorecards.py", title="Scorecards", icon="📊"),
    st.Page("ui/pages/ai_calls.py", title="AI call log", icon="🧾"),
    st.Page("ui/pages/reports.py", title="Evaluation reports", icon="📈"),
    st.Page("ui/pages/activity.py", title="Activity log", icon="🕵️"),
]
PAGES = {  # the services check the same rights again: a page left out here is hidden, not the access control
    "admin": {
        "Recruiter": [candidates],
        "Interviewer": [interview],
        "Reviewer": review,
        "Administrator": [st.Page("ui/pages/users.py", title="Users and settings", icon="👥")],
    },
    "recruiter": {"Recruiter": [candidates]},
    "interviewer": {"Interviewer": [interview]},
    "reviewer": {"Reviewer": review},
}
page = st.navigation(PAGES[user.role])
auth.sidebar(user)
with st.sidebar:
    if base.settings.llm_enabled:
        st.caption(f"🤖 Language model: **{base.settings.llm_model}** (each AI output says which engine produced it)")
    else:
        st.caption("🖥️ Offline engine: no language model configured, nothing leaves this machine")
with acting(user):
    page.run()
resources.warm_up()  # after the first page is drawn, so a cold start is not slowed by the embedding model
