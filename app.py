"""Streamlit entry point: sign-in, then navigation over the pages the user's role may open; run with `make run`."""

import streamlit as st

from ui import auth, components, resources


def role_pages(role: str) -> dict[str, list[st.Page]]:
    """The pages of one role; the services check the same rights again (a page left out is hidden, not the guard)."""
    candidates = st.Page("ui/pages/candidates.py", title="Candidates", icon="🗂️")
    interview = st.Page("ui/pages/interview.py", title="Interview", icon="🎙️")
    documents = st.Page("ui/pages/documents.py", title="Documents", icon="📄")
    review = [
        st.Page("ui/pages/scorecards.py", title="Scorecards", icon="📊"),
        st.Page("ui/pages/ai_calls.py", title="AI call log", icon="🧾"),
        st.Page("ui/pages/reports.py", title="Evaluation reports", icon="📈"),
        st.Page("ui/pages/activity.py", title="Activity log", icon="🕵️"),
    ]
    admin = [st.Page("ui/pages/users.py", title="Users and settings", icon="👥")]
    interviewer = [interview, documents]
    return {
        "admin": {"Recruiter": [candidates], "Interviewer": interviewer, "Reviewer": review, "Administrator": admin},
        "recruiter": {"Recruiter": [candidates]},
        "interviewer": {"Interviewer": interviewer},
        "reviewer": {"Reviewer": review},
    }[role]


PAGE_PATHS = ("candidates", "interview", "documents", "scorecards", "ai_calls", "reports", "activity", "users")


def signed_in(user: auth.Actor) -> None:
    page = st.navigation(role_pages(user.role))
    auth.sidebar(user)
    with st.sidebar:
        settings = resources.base_services().settings
        if settings.llm_enabled:
            st.caption(f"🤖 Language model: **{settings.llm_model}** (each AI output says which engine produced it)")
        else:
            st.caption("🖥️ Offline engine: no language model configured, nothing leaves this machine")
    with auth.acting(user):
        page.run()
    resources.warm_up()  # after the first page is drawn, so a cold start is not slowed by the embedding model


def main() -> None:
    st.set_page_config(page_title="Vetting assistant", page_icon="🧭", layout="wide")
    with components.guard("opening the database", stop=True):  # e.g. a database server that is down: a message
        user = auth.signed_in(resources.base_services())
    if user is None:  # nothing but the sign-in form, at every page's address (a refresh keeps its place)
        st.navigation(auth.sign_in_pages(PAGE_PATHS), position="hidden").run()
    else:
        signed_in(user)


if __name__ == "__main__":  # Streamlit runs this file as __main__; a worker process re-importing it runs nothing
    main()
