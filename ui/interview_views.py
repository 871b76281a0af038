"""Interview page pieces: start or resume a session, the case brief, the timer, and one question with autosave."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from cases import Case
from rubrics import Criterion, Rubric
from ui import components, state
from ui.answer_views import key_points, scored_answer
from vetting.kernel.domain import SessionQuestion, StoredSession
from vetting.kernel.errors import SessionConflict, VettingError
from vetting.services import Services

GENERIC_SIGNALS = (
    "Asked clarifying questions",
    "Stated assumptions out loud",
    "Gave concrete examples from their own work",
    "Discussed trade-offs",
    "Said what they did not know",
)


def _flash(question_id: int | str, message: str, conflict: bool = False) -> None:
    st.session_state[state.FLASH] = {"id": question_id, "message": message, "conflict": conflict}


def _safely(target: int | str, action: Callable[[], None]) -> None:
    """Run a save from a widget callback; a failure becomes a message on the page, the typed text stays."""
    try:
        action()
    except SessionConflict as exc:
        _flash(target, str(exc), conflict=True)
    except VettingError as exc:
        _flash(target, str(exc))
    except Exception as exc:
        components.log.exception("autosave failed")
        _flash(target, f"Could not save ({exc.__class__.__name__}); your text is still in the box, try again.")


def save_answer(services: Services, question_id: int) -> None:
    """Autosave the answer and notes boxes of one question, guarded by the version they were loaded from."""

    def save() -> None:
        ss = st.session_state
        text, notes = ss.get(state.answer_key(question_id), ""), ss.get(state.notes_key(question_id), "")
        version = services.sessions.save_answer(
            question_id, text=text, notes=notes, expected_version=ss[state.answer_version_key(question_id)]
        )
        ss[state.answer_version_key(question_id)] = version
        ss[state.answer_saved_key(question_id)] = (text, notes)

    _safely(question_id, save)


def overwrite_answer(services: Services, question_id: int) -> None:
    """After a conflict: keep what this tab typed, over the other tab's save."""
    current = services.sessions.answer_version(question_id)
    st.session_state[state.answer_version_key(question_id)] = current
    st.session_state.pop(state.FLASH, None)
    save_answer(services, question_id)


def reload_answer(question_id: int) -> None:
    """After a conflict: drop this tab's copy and show the stored text."""
    for key in (
        state.answer_key(question_id),
        state.notes_key(question_id),
        state.answer_version_key(question_id),
        state.answer_saved_key(question_id),
    ):
        st.session_state.pop(key, None)
    st.session_state.pop(state.FLASH, None)


def _save_signal(services: Services, question_id: int, option: str, key: str) -> None:
    """Store the one checkbox that changed: a tick never depends on the other boxes' state in this tab."""
    observed = bool(st.session_state.get(key))
    _safely(question_id, lambda: services.sessions.mark_signal(question_id, option, observed))


def _save_human(services: Services, question_id: int, criterion_id: str) -> None:
    score = st.session_state.get(state.human_score_key(question_id, criterion_id))
    comment = st.session_state.get(state.human_comment_key(question_id, criterion_id), "")
    value = score if isinstance(score, int) else None
    _safely(question_id, lambda: services.sessions.set_interviewer_score(question_id, criterion_id, value, comment))


def _init(key: str, value: object) -> None:
    """Fill a widget from the database the first time it is drawn (after a page switch or a refresh too)."""
    if key not in st.session_state:
        st.session_state[key] = value


def case_brief(case: Case) -> None:
    brief = case.brief
    st.markdown(f"**Context.** {brief.context}")
    st.markdown(f"**Business goal.** {brief.business_goal}  \n**Success metric.** {brief.success_metric}")
    st.markdown("**Technical stack.** " + ", ".join(brief.technical_stack))
    if brief.constraints:
        st.markdown("**Constraints.**\n" + "\n".join(f"- {c}" for c in brief.constraints))
    if brief.key_contacts:
        st.markdown("**Key contacts.**\n" + "\n".join(f"- {c.role}: {c.cares_about}" for c in brief.key_contacts))
    st.markdown(f"**First milestone.** {brief.first_milestone}")
    st.info(f"**The question put to the candidate:** {case.prompt}")


_CLOCK = """
<div style="font-family:'Source Sans Pro',sans-serif;color:#31333F">
  <div style="font-size:14px">Session time</div>
  <div id="clock" style="font-size:2.25rem;line-height:1.4">{shown}</div>
</div>
<script>
  const base = {elapsed}, loaded = Date.now(), running = {running};
  const pad = (n) => String(n).padStart(2, "0");
  function tick() {{
    let s = Math.floor(base + (running ? (Date.now() - loaded) / 1000 : 0));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    s = s % 60;
    document.getElementById("clock").textContent = (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(s);
  }}
  tick();
  if (running) setInterval(tick, 1000);
</script>
"""


def timer(session: StoredSession) -> None:
    """A clock ticking in the browser from the session's elapsed time: no server rerun per second."""
    elapsed = session.elapsed_s()
    clock = _CLOCK.format(
        shown=components.duration(elapsed), elapsed=int(elapsed), running="false" if session.finished else "true"
    )
    st.iframe(clock, height=80)  # our own markup with numbers only: nothing from a user goes into it


def criteria_of(question: SessionQuestion, rubric: Rubric) -> list[Criterion]:
    """The criteria an answer is scored on (in the question's own rubric): its criterion, or all of them."""
    scored = {s.criterion_id for s in question.ai_scores}
    own = [c for c in rubric.criteria if c.id == question.criterion_id or c.id in scored]
    return own or list(rubric.criteria)


def answer_boxes(services: Services, question: SessionQuestion, read_only: bool) -> None:
    qid = question.id
    _init(state.answer_key(qid), question.answer)
    _init(state.notes_key(qid), question.notes)
    _init(state.answer_version_key(qid), question.answer_version)
    _init(state.answer_saved_key(qid), (question.answer, question.notes))
    flash = st.session_state.get(state.FLASH)
    typed = (st.session_state[state.answer_key(qid)], st.session_state[state.notes_key(qid)])
    if not read_only and typed != st.session_state[state.answer_saved_key(qid)] and not (flash and flash["id"] == qid):
        save_answer(services, qid)  # typing whose change event was lost (e.g. cut short by another rerun) is saved now
        flash = st.session_state.get(state.FLASH)
    if flash and flash["id"] == qid:
        st.warning(flash["message"])
        if flash["conflict"]:
            keep, load = st.columns(2)
            keep.button("Keep my text", on_click=overwrite_answer, args=(services, qid), key=f"keep-{qid}")
            load.button("Load the saved text", on_click=reload_answer, args=(qid,), key=f"load-{qid}")
        else:
            st.session_state.pop(state.FLASH, None)
    args = (services, qid)
    st.text_area(
        "Answer (type or paste)",
        key=state.answer_key(qid),
        height=180,
        disabled=read_only,
        on_change=save_answer,
        args=args,
        help="Saved automatically while you type.",
    )
    st.text_area(
        "Interviewer notes", key=state.notes_key(qid), height=90, disabled=read_only, on_change=save_answer, args=args
    )


def signal_boxes(services: Services, question: SessionQuestion, rubric: Rubric, read_only: bool) -> None:
    """Signals grouped by criterion, each group collapsed; a ticked signal's group says how many are ticked."""
    groups = [("General", list(GENERIC_SIGNALS))]
    groups += [(c.name, list(c.positive_signals)) for c in criteria_of(question, rubric) if c.positive_signals]
    known = {s for _, signals in groups for s in signals}
    extra = [s for s in question.signals if s not in known]
    if extra:
        groups.append(("Other", extra))
    st.markdown("**Signals observed**")
    for name, signals in groups:
        ticked = sum(1 for s in signals if s in question.signals)
        with st.expander(f"{name}" + (f" · {ticked} ticked" if ticked else ""), expanded=False):
            for option in dict.fromkeys(signals):
                key = state.signal_key(question.id, option)  # by label: the boxes may come and go as criteria change
                _init(key, option in question.signals)
                args = (services, question.id, option, key)
                st.checkbox(option, key=key, disabled=read_only, on_change=_save_signal, args=args)


def score_panel(services: Services, question: SessionQuestion, rubric: Rubric, read_only: bool) -> None:
    """The answer once with all evidence marked; per criterion the AI's score and reason, and the interviewer's."""
    low, high = rubric.scale.min, rubric.scale.max
    if question.ai_scores:
        scored_answer(question, criteria_of(question, rubric))
    for criterion in criteria_of(question, rubric):
        st.markdown(f"##### {criterion.name}")
        ai = question.ai_score(criterion.id)
        if ai is None:
            st.caption("No AI score yet.")
        elif ai.score is None:
            st.markdown("**AI score: none** (the answer gives no evidence for this criterion)")
            components.literal(ai.rationale)
            key_points(ai)
            components.engine_caption(ai.engine, ai.model)
        else:
            label = rubric.scale.labels.get(round(ai.score), "")
            st.markdown(f"**AI score: {ai.score:g} / {high}** {label}")
            components.literal(ai.rationale)
            key_points(ai)
            components.engine_caption(ai.engine, ai.model)
            for e in ai.evidence:
                if not e.verified:
                    st.caption(f"Ignored evidence (not found verbatim in the answer): “{components.md(e.quote)}”")
        score_key, comment_key = (
            state.human_score_key(question.id, criterion.id),
            state.human_comment_key(question.id, criterion.id),
        )
        mine = question.interviewer_score(criterion.id)
        _init(score_key, mine.score if mine and mine.score is not None else "—")
        _init(comment_key, mine.comment if mine else "")
        levels: list[int | str] = ["—", *range(low, high + 1)]
        args = (services, question.id, criterion.id)
        st.radio(
            "Your score",
            levels,
            key=score_key,
            horizontal=True,
            disabled=read_only,
            format_func=lambda v: str(v) if v == "—" else f"{v} {rubric.scale.labels.get(int(v), '')}".strip(),
            on_change=_save_human,
            args=args,
        )
        st.text_input("Your comment", key=comment_key, disabled=read_only, on_change=_save_human, args=args)


def _save_notes(services: Services, session_id: str) -> None:
    def save() -> None:
        ss = st.session_state
        version = services.sessions.save_notes(
            session_id, ss.get(state.session_notes_key(session_id), ""), ss[state.session_notes_version_key(session_id)]
        )
        ss[state.session_notes_version_key(session_id)] = version

    _safely(session_id, save)


def session_notes(services: Services, session: StoredSession) -> None:
    key, version_key = state.session_notes_key(session.id), state.session_notes_version_key(session.id)
    _init(key, session.notes)
    _init(version_key, session.version)
    flash = st.session_state.get(state.FLASH)
    if flash and flash["id"] == session.id:
        st.warning(flash["message"])
        st.session_state.pop(state.FLASH, None)
        st.session_state[version_key] = session.version  # saving again keeps this tab's text
    st.text_area(
        "Session notes (overall impression)",
        key=key,
        height=90,
        disabled=session.finished,
        on_change=_save_notes,
        args=(services, session.id),
    )


def reopen(services: Services, session_id: str) -> None:
    st.session_state.pop(state.session_notes_version_key(session_id), None)
    _safely(session_id, lambda: services.sessions.reopen(session_id))
