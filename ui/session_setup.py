"""Which interview session the Interview page shows: the one in the URL, a resumed one, or a new one."""

from __future__ import annotations

import streamlit as st

from cases import Case
from rubrics import Rubric
from ui import components, state
from vetting.authz import PermissionDenied, Right
from vetting.kernel.domain import StoredSession
from vetting.kernel.errors import SessionNotFound
from vetting.services import Services


def open_session(session_id: str) -> None:
    """Put the session in the URL, so a browser refresh or a shared link opens it again."""
    st.query_params[state.QUERY_SESSION] = session_id
    st.query_params[state.QUERY_QUESTION] = "1"
    st.session_state[state.SESSION_ID] = session_id


def close_session() -> None:
    st.query_params.pop(state.QUERY_SESSION, None)
    st.query_params.pop(state.QUERY_QUESTION, None)
    st.session_state.pop(state.SESSION_ID, None)


def choose_session(services: Services, rubrics: dict[str, Rubric], cases: dict[str, Case]) -> StoredSession:
    """The open session; without one, draw the start/resume forms and stop the page."""
    session_id = st.query_params.get(state.QUERY_SESSION) or st.session_state.get(state.SESSION_ID)
    if session_id:
        try:
            session = services.sessions.get(session_id)
            st.session_state[state.SESSION_ID] = session.id
            if st.query_params.get(state.QUERY_SESSION) != session.id:
                st.query_params[state.QUERY_SESSION] = session.id
            return session
        except (SessionNotFound, PermissionDenied) as exc:  # erased, or not this user's session
            close_session()
            st.warning(str(exc))
    _new_session_form(services, rubrics, cases)
    _resume_list(services, cases)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _new_session_form(services: Services, rubrics: dict[str, Rubric], cases: dict[str, Case]) -> None:
    rows = services.candidates.overview()
    st.subheader("Start a session")
    if not rows:
        if services.actor.can(Right.MANAGE_CANDIDATES):
            st.info("No candidates yet. Upload a candidate's documents on the **Candidates** page first.")
        else:
            st.info("No candidate is assigned to you yet: a recruiter or an administrator assigns interviews.")
        return
    people = components.candidate_options(rows)
    case_titles = {case.title: case.id for case in cases.values()}
    with st.form("new-session"):
        who = st.selectbox("Candidate", list(people))
        case_title = st.selectbox("Case study", list(case_titles))
        rubric_titles = {"(project deep dive, the default)": "", **{r.title: r.id for r in rubrics.values()}}
        rubric_title = st.selectbox(
            "Rubric for the deep dives", list(rubric_titles), help="The case and its follow-ups use the case's rubric."
        )
        interviewer = interviewer_choice(services)
        start = st.form_submit_button("Start session", type="primary")
    if start:
        case = cases[case_titles[case_title]]
        rubric = rubrics.get(case.rubric)
        deep_dives = rubric_titles[rubric_title] or None
        with components.guard("starting the session"):
            if rubric is None:
                st.error(f"The rubric '{case.rubric}' of this case is not available.")
                return
            session_id = services.sessions.create(
                people[who], case.id, rubric.id, rubric.version, interviewer, deep_dive_rubric_id=deep_dives
            )
            open_session(session_id)
            st.rerun()


def interviewer_choice(services: Services) -> str:
    """Whom the new session is assigned to: chosen by those who assign interviews, else the signed-in user."""
    if not services.actor.can(Right.ASSIGN):
        return services.actor.name
    names = [n for n in services.users.names() if n in set(services.users.names("interviewer"))]
    names += [services.actor.name] if services.actor.can(Right.INTERVIEW) and services.actor.name not in names else []
    chosen = st.selectbox("Interviewer", names, help="The interviewer's account; only they (and admins) open it.")
    return chosen or ""


def _resume_list(services: Services, cases: dict[str, Case]) -> None:
    open_ones = [s for s in services.sessions.list_sessions() if not s.finished]
    if not open_ones:
        return
    st.subheader("Resume a session")
    for s in open_ones[:20]:
        title = cases[s.case_id].title if s.case_id in cases else s.case_id
        answered = sum(1 for q in s.questions if q.answer.strip())
        left, right = st.columns([4, 1])
        left.markdown(
            f"**{components.md(s.candidate.name)}** · {title} · started {s.started_at:%Y-%m-%d %H:%M} UTC · "
            f"{answered}/{len(s.questions)} answered"
        )
        right.button("Resume", key=f"resume-{s.id}", on_click=open_session, args=(s.id,))
