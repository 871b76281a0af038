"""Assign an interview (recruiter, administrator): a session on a case for a candidate, given to an interviewer."""

from __future__ import annotations

import streamlit as st

from ui import components, resources
from ui.session_setup import interviewer_choice
from vetting.authz import Right
from vetting.services import Services


def assign_interview(services: Services, candidate_id: str) -> None:
    """A small form; the interviewer then finds the session under **Resume a session** on their Interview page."""
    if not services.actor.can(Right.ASSIGN):
        return
    cases, rubrics = resources.cases(), resources.rubrics()
    with st.expander("Assign an interview"), st.form(f"assign-{candidate_id}"):
        titles = {case.title: case.id for case in cases.values()}
        case_title = st.selectbox("Case study", list(titles))
        interviewer = interviewer_choice(services)
        if st.form_submit_button("Assign"):
            case = cases[titles[case_title]]
            rubric = rubrics.get(case.rubric)
            with components.guard("assigning the interview"):
                if rubric is None:
                    st.error(f"The rubric '{case.rubric}' of this case is not available.")
                    return
                services.sessions.create(candidate_id, case.id, rubric.id, rubric.version, interviewer)
                st.success(f"Assigned to {components.md(interviewer)}: it is on their Interview page.")
