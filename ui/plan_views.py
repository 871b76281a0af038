"""Interview page pieces for the plan: an overview of every question, edits, own questions, and finishing."""

from __future__ import annotations

import streamlit as st

from rubrics import Rubric
from ui import components, state
from vetting.authz import Right
from vetting.kernel.domain import SessionQuestion, StoredSession
from vetting.services import Services

KIND = {"deep_dive": "deep dive", "case": "case", "follow_up": "follow-up", "own": "your question"}


def go_to(number: int) -> None:
    st.query_params[state.QUERY_QUESTION] = str(number)


def _status(q: SessionQuestion) -> str:
    if q.ai_scores or q.interviewer_scores:
        return "✅ scored"
    return "✍️ answered" if q.answer.strip() else "○ not answered"


def _edit(services: Services, question_id: int) -> None:
    text = st.session_state.get(state.edit_text_key(question_id), "")
    with components.guard("saving the question"):
        services.sessions.edit_question(question_id, text)
        st.session_state.pop(state.EDITING, None)


def _remove(services: Services, question_id: int) -> None:
    with components.guard("removing the question"):
        services.sessions.remove_question(question_id)
    st.session_state.pop(state.CONFIRM_REMOVE, None)
    go_to(1)


def _move(services: Services, question_id: int, offset: int, number: int) -> None:
    with components.guard("moving the question"):
        services.sessions.move_question(question_id, offset)
        go_to(number + offset)


def _add(services: Services, session_id: str, after: int | None, rubrics: dict[str, str]) -> None:
    text = st.session_state.get(state.NEW_QUESTION, "")
    rubric = rubrics.get(st.session_state.get(state.NEW_QUESTION_RUBRIC, ""))
    with components.guard("adding the question"):
        services.sessions.add_question(session_id, text, rubric_id=rubric, after=after)
        st.session_state[state.NEW_QUESTION] = ""


def overview(services: Services, session: StoredSession, current: int, rubrics: dict[str, Rubric]) -> None:
    """Every question at a glance, with its state; open, reorder, reword or remove any of them."""
    read_only = session.finished
    count = len(session.questions)
    with st.expander(f"Plan overview — {count} questions", expanded=True):
        for n, q in enumerate(session.questions, start=1):
            where = "▶ " if n - 1 == current else ""
            text, open_, up, down, edit, drop = st.columns([8, 1, 1, 1, 1, 1], vertical_alignment="center")
            edited = " · ✏️ edited" if q.edited else ""
            text.markdown(
                f"{where}**Q{n}** · {KIND.get(q.kind, q.kind)} · {_status(q)}{edited}  \n{components.md(q.text[:160])}"
            )
            open_.button("Open", key=f"open-{q.id}", on_click=go_to, args=(n,), help=f"Go to Q{n}")
            up.button("↑", key=f"up-{q.id}", disabled=read_only or n == 1, on_click=_move, args=(services, q.id, -1, n))
            down.button(
                "↓", key=f"down-{q.id}", disabled=read_only or n == count, on_click=_move, args=(services, q.id, 1, n)
            )
            edit.button("Edit", key=f"edit-{q.id}", disabled=read_only, on_click=_start_edit, args=(q,))
            drop.button("Remove", key=f"remove-{q.id}", disabled=read_only, on_click=_ask_remove, args=(services, q))
            if st.session_state.get(state.EDITING) == q.id:
                st.text_area(f"Wording of Q{n}", key=state.edit_text_key(q.id), height=90)
                save, cancel = st.columns(2)
                save.button("Save wording", key=f"save-{q.id}", type="primary", on_click=_edit, args=(services, q.id))
                cancel.button("Cancel", key=f"cancel-{q.id}", on_click=st.session_state.pop, args=(state.EDITING,))
            if q.edited:
                st.caption(f"Planner's original: {components.md(q.original_text or '')}")
            if st.session_state.get(state.CONFIRM_REMOVE) == q.id:
                st.warning(f"Remove Q{n}? Its answer, notes and scores are removed with it.")
                yes, no = st.columns(2)
                yes.button("Yes, remove it", key=f"yes-{q.id}", on_click=_remove, args=(services, q.id))
                no.button("Keep it", key=f"no-{q.id}", on_click=st.session_state.pop, args=(state.CONFIRM_REMOVE,))
        if not read_only:
            _add_form(services, session, current, rubrics)


def _start_edit(q: SessionQuestion) -> None:
    st.session_state[state.EDITING] = q.id
    st.session_state[state.edit_text_key(q.id)] = q.text


def _ask_remove(services: Services, q: SessionQuestion) -> None:
    if q.answer.strip() or q.notes.strip() or q.ai_scores or q.interviewer_scores:
        st.session_state[state.CONFIRM_REMOVE] = q.id
    else:
        _remove(services, q.id)


def _add_form(services: Services, session: StoredSession, current: int, rubrics: dict[str, Rubric]) -> None:
    st.markdown("**Add your own question**")
    choices = {f"{r.title}": r.id for r in rubrics.values()}
    default = session.rubric_id
    names = list(choices)
    index = next((i for i, name in enumerate(names) if choices[name] == default), 0)
    st.text_area("Your question", key=state.NEW_QUESTION, height=70, placeholder="What would you like to ask?")
    st.selectbox("Scored with the rubric", names, index=index, key=state.NEW_QUESTION_RUBRIC)
    after = session.questions[current].id if session.questions else None
    st.button("Add after the current question", on_click=_add, args=(services, session.id, after, choices), icon="➕")


def _finish(services: Services, session_id: str) -> None:
    st.session_state.pop(state.CONFIRM_FINISH, None)
    with components.guard("finishing the session"):
        services.sessions.finish(session_id)


def finish_controls(services: Services, session: StoredSession) -> None:
    """Finish asks first when questions are unanswered or unscored, and lists them."""
    from ui.interview_views import reopen
    from ui.session_setup import close_session

    finish, leave, scorecard = st.columns(3)
    if session.finished:
        st.success(f"Session finished after {components.duration(session.elapsed_s())}. Everything is saved.")
        finish.button("Reopen session", on_click=reopen, args=(services, session.id))
    elif st.session_state.get(state.CONFIRM_FINISH) == session.id:
        unanswered = [n for n, q in enumerate(session.questions, start=1) if not q.answer.strip()]
        unscored = [
            n
            for n, q in enumerate(session.questions, start=1)
            if q.answer.strip() and not (q.ai_scores or q.interviewer_scores)
        ]
        lines = []
        if unanswered:
            lines.append(f"Not answered: {', '.join(f'Q{n}' for n in unanswered)}.")
        if unscored:
            lines.append(f"Answered but not scored: {', '.join(f'Q{n}' for n in unscored)}.")
        st.warning("Finish this session? " + (" ".join(lines) or "Every question is answered and scored."))
        yes, no = st.columns(2)
        yes.button("Finish anyway" if lines else "Yes, finish", on_click=_finish, args=(services, session.id))
        no.button("Keep interviewing", on_click=st.session_state.pop, args=(state.CONFIRM_FINISH,))
    else:
        finish.button(
            "Finish session",
            type="primary",
            icon="🏁",
            on_click=st.session_state.__setitem__,
            args=(state.CONFIRM_FINISH, session.id),
        )
    leave.button("Start or resume another session", on_click=close_session)
    if services.actor.can(Right.REVIEW):  # the Scorecards page is the reviewer's (and the administrator's)
        scorecard.page_link(
            "ui/pages/scorecards.py",
            label="Open the scorecard",
            icon="📊",
            query_params={state.QUERY_SESSION: session.id},
        )
