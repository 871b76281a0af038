"""Interview page (interviewer, live): start a session, see the case, plan, go question by question, score, finish."""

from __future__ import annotations

import streamlit as st

from ui import components, interview_views, plan_views, resources, state
from ui.answer_views import autosave_while_typing
from ui.session_setup import choose_session
from vetting.consent import ConsentRegistry

services = resources.services()
st.header("Interview")
with components.guard("loading the rubrics and cases", stop=True):
    rubrics, cases = resources.rubrics(), resources.cases()
session = choose_session(services, rubrics, cases)  # stops the page until a session is open
rubric, case = rubrics.get(session.rubric_id), cases.get(session.case_id)
if rubric is None:
    st.error(f"This session's rubric '{session.rubric_id}' is no longer available (was its folder removed?).")
    st.stop()
read_only = session.finished

top, clock = st.columns([4, 1])
top.subheader(f"{components.md(session.candidate.name)} — {case.title if case else session.case_id}")
top.caption(
    f"Case rubric: {rubric.title} v{session.rubric_version} · interviewer: {components.md(session.interviewer or '—')}"
)
with clock:
    interview_views.timer(session)
if ConsentRegistry(services.db).of(session.candidate.id).ai_opt_out:
    st.info(
        "This candidate opted out of AI assessment: the plan is the case's questions as written, and no answer gets "
        "an AI score; only your own scores count."
    )
if case is not None:
    with st.expander("Case one-pager", expanded=not session.questions):
        interview_views.case_brief(case)

if not session.questions:
    st.info("Generate the question plan: deep dives on the candidate's own documents, then the case and follow-ups.")
    if st.button("Generate question plan", type="primary", disabled=read_only):
        with st.spinner("Reading the candidate's documents and writing questions…"), components.guard("planning"):
            resources.runner().plan(session.id)
            st.rerun()
    st.stop()

components.engine_caption(session.plan_engine, session.plan_model)
numbers = [f"Q{q.position + 1} · {plan_views.KIND.get(q.kind, q.kind)}" for q in session.questions]
wanted = st.query_params.get(state.QUERY_QUESTION, "1")
current = min(max(int(wanted) - 1 if str(wanted).isdigit() else 0, 0), len(numbers) - 1)
plan_views.overview(services, session, current, rubrics)
picked = st.selectbox("Question", numbers, index=current)
if numbers.index(picked) != current:
    st.query_params[state.QUERY_QUESTION] = str(numbers.index(picked) + 1)
    st.rerun()
question = session.questions[current]
own_rubric = rubrics.get(session.rubric_of(question), rubric)

ask, cite = st.columns([3, 2])
with ask:
    st.markdown(f"##### {components.md(question.text)}")
    st.caption(f"Scored with: {own_rubric.title}")
    interview_views.answer_boxes(services, question, read_only)
    interview_views.signal_boxes(services, question, own_rubric, read_only)
with cite:
    components.citation(question.citation)

st.divider()
if st.button("Score this answer", type="primary", disabled=read_only, icon="🧮"):
    interview_views.save_answer(services, question.id)  # what is in the box is what gets scored
    with st.spinner("Scoring against the rubric…"), components.guard("scoring the answer"):
        resources.runner().score(session.id, question.id)
        st.rerun()
interview_views.score_panel(services, question, own_rubric, read_only)

st.divider()
with st.container():
    interview_views.session_notes(services, session)
    if current + 1 < len(numbers) and st.button("Next question →"):
        st.query_params[state.QUERY_QUESTION] = str(current + 2)
        st.rerun()
    plan_views.finish_controls(services, session)
if not read_only:
    autosave_while_typing()
