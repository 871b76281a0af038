"""Interview page: start a session, see the case, plan with citations, answers that survive reruns and refreshes."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import CV, app_services, assert_no_exception, click, open_page, seed_candidate
from tests.ui.hostile import plain
from ui import state
from vetting.kernel.quotes import is_verbatim
from vetting.literal import escape_markdown
from vetting.sessions import PlannedQuestion

CASE_TITLE = "Internal Q&A over a messy support knowledge base"
ANSWER = "I would first audit a sample of the articles for duplicates and stale versions, and keep source metadata."


def _start_planned_session(data_dir: Path) -> tuple[AppTest, str]:
    seed_candidate(data_dir)
    at = open_page("interview")
    assert any("Start a session" in s.value for s in at.subheader)
    next(s for s in at.selectbox if s.label == "Case study").set_value(CASE_TITLE)
    assert next(s for s in at.selectbox if s.label == "Interviewer").value == "admin-user"  # an admin may run it
    at = click(at, "Start session")
    session_id = _query(at, "session")
    assert any("Ada Lovelace" in s.value and CASE_TITLE in s.value for s in at.subheader)
    assert any("8,000 articles" in m.value for m in at.markdown)  # the case one-pager is shown
    at = click(at, "Generate question plan")
    return at, str(session_id)


def _query(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return str(value[0] if isinstance(value, list) else value)


@pytest.mark.slow
def test_plan_is_shown_with_the_citation_beside_each_deep_dive(data_dir: Path) -> None:
    at, session_id = _start_planned_session(data_dir)
    session = app_services(data_dir).sessions.get(session_id)
    assert session.questions and session.plan_engine == "offline"
    first = session.questions[0]
    assert first.kind == "deep_dive" and first.citation is not None
    assert is_verbatim(first.citation["quote"], CV)  # the quote really is the candidate's own words
    shown = plain(" ".join([*(m.value for m in at.markdown), *(h.value for h in at.html)]))  # as the reader sees it
    assert first.text in shown and first.citation["quote"] in shown
    assert any("offline" in c.value for c in at.caption)  # the page says which engine wrote the plan
    # the case question comes later in the plan, with its own number
    numbers = next(s for s in at.selectbox if s.label == "Question").options
    assert len(numbers) == len(session.questions) and any("case" in n for n in numbers)


@pytest.mark.slow
def test_typed_answer_survives_rerun_page_switch_and_refresh(data_dir: Path) -> None:
    at, session_id = _start_planned_session(data_dir)
    qid = app_services(data_dir).sessions.get(session_id).questions[0].id
    at.text_area(key=state.answer_key(qid)).input(ANSWER)
    at.text_area(key=state.notes_key(qid)).input("calm, concrete")
    at.run()
    assert_no_exception(at)
    stored = app_services(data_dir).sessions.get(session_id).questions[0]
    assert (stored.answer, stored.notes) == (ANSWER, "calm, concrete")  # autosaved, no button needed

    at = open_page("candidates", at)
    at = open_page("interview", at)
    assert at.text_area(key=state.answer_key(qid)).value == ANSWER  # back after a page switch

    refreshed = open_page("interview", session=session_id, q="1")  # a browser refresh: new session state, same URL
    assert refreshed.text_area(key=state.answer_key(qid)).value == ANSWER
    assert refreshed.text_area(key=state.notes_key(qid)).value == "calm, concrete"


@pytest.mark.slow
def test_a_session_resumed_from_the_list_stays_open_when_its_answer_is_scored(data_dir: Path) -> None:
    at, session_id = _start_planned_session(data_dir)
    qid = app_services(data_dir).sessions.get(session_id).questions[0].id
    at.text_area(key=state.answer_key(qid)).input(ANSWER)
    at.run()

    visit = open_page("interview")  # a new visit: signed in again, no session in the address
    assert any("1/" in m.value and "answered" in m.value for m in visit.markdown)
    assert [b.label for b in visit.button if b.key == f"resume-{session_id}"] == ["Resume"]
    at = click(visit, "Resume")
    assert _query(at, "session") == session_id and at.session_state[state.SESSION_ID] == session_id
    assert at.text_area(key=state.answer_key(qid)).value == ANSWER
    at = click(at, "Score this answer")
    assert any("AI score:" in m.value for m in at.markdown)  # the scores, not the session choice
    assert not any(s.value == "Resume a session" for s in at.subheader)
    assert app_services(data_dir).sessions.get(session_id).questions[0].ai_scores


@pytest.mark.slow
def test_signals_and_interviewer_scores_are_kept(data_dir: Path) -> None:
    at, session_id = _start_planned_session(data_dir)
    qid = app_services(data_dir).sessions.get(session_id).questions[0].id
    next(c for c in at.checkbox if c.label == "Asked clarifying questions").check()
    at.run()
    radio = at.radio[0]
    radio.set_value(3)
    at.run()
    at.text_input(key=radio.key.replace("human_score", "human_comment")).input("good depth")
    at.run()
    assert_no_exception(at)
    q = app_services(data_dir).sessions.get(session_id).question(qid)
    assert q.signals == ("Asked clarifying questions",)
    assert len(q.interviewer_scores) == 1
    assert (q.interviewer_scores[0].score, q.interviewer_scores[0].comment) == (3, "good depth")

    refreshed = open_page("interview", session=session_id)
    assert next(c for c in refreshed.checkbox if c.label == "Asked clarifying questions").value is True
    assert refreshed.radio[0].value == 3


@pytest.mark.slow
def test_two_tabs_on_one_session_never_silently_overwrite(data_dir: Path) -> None:
    at, session_id = _start_planned_session(data_dir)
    qid = app_services(data_dir).sessions.get(session_id).questions[0].id
    other_tab = open_page("interview", session=session_id)
    at.text_area(key=state.answer_key(qid)).input("typed in tab A")
    at.run()
    other_tab.text_area(key=state.answer_key(qid)).input("typed in tab B")
    other_tab.run()
    assert any("another tab" in w.value for w in other_tab.warning)
    assert other_tab.text_area(key=state.answer_key(qid)).value == "typed in tab B"  # nothing typed is lost
    assert app_services(data_dir).sessions.get(session_id).question(qid).answer == "typed in tab A"
    other_tab = click(other_tab, "Keep my text")
    assert app_services(data_dir).sessions.get(session_id).question(qid).answer == "typed in tab B"


@pytest.mark.slow
def test_two_sessions_in_two_tabs_stay_apart(data_dir: Path) -> None:
    first, first_id = _start_planned_session(data_dir)
    second = open_page("interview")
    second = click(second, "Start session")
    second_id = _query(second, "session")
    assert second_id != first_id
    second = click(second, "Generate question plan")
    services = app_services(data_dir)
    q1, q2 = services.sessions.get(first_id).questions[0].id, services.sessions.get(second_id).questions[0].id
    first.text_area(key=state.answer_key(q1)).input("answer in session one")
    second.text_area(key=state.answer_key(q2)).input("answer in session two")
    first.run()
    second.run()
    assert services.sessions.get(first_id).question(q1).answer == "answer in session one"
    assert services.sessions.get(second_id).question(q2).answer == "answer in session two"


@pytest.mark.slow
def test_finishing_a_session_locks_it_and_links_the_scorecard(data_dir: Path) -> None:
    at, session_id = _start_planned_session(data_dir)
    first = app_services(data_dir).sessions.get(session_id).questions[0]
    at.text_area(key=state.answer_key(first.id)).input(ANSWER)
    at.run()
    at = click(at, "Finish session")
    asked = " ".join(w.value for w in at.warning)
    count = len(app_services(data_dir).sessions.get(session_id).questions)
    assert "Finish this session?" in asked and "Answered but not scored: Q1." in asked
    assert f"Not answered: {', '.join(f'Q{n}' for n in range(2, count + 1))}." in asked
    assert not app_services(data_dir).sessions.get(session_id).finished  # nothing happens before confirming
    at = click(at, "Keep interviewing")
    assert not at.warning
    at = click(at, "Finish session")
    at = click(at, "Finish anyway")
    assert any("Session finished" in s.value for s in at.success)
    assert app_services(data_dir).sessions.get(session_id).finished
    qid = app_services(data_dir).sessions.get(session_id).questions[0].id
    assert at.text_area(key=state.answer_key(qid)).disabled
    at = click(at, "Reopen session")
    assert not app_services(data_dir).sessions.get(session_id).finished


@pytest.mark.slow
def test_no_candidates_yet_says_where_to_start(data_dir: Path) -> None:
    at = open_page("interview")
    assert any("Candidates" in i.value for i in at.info)


@pytest.mark.slow
def test_the_page_says_which_engine_and_model_produced_each_output(data_dir: Path) -> None:
    candidate = seed_candidate(data_dir)
    services = app_services(data_dir)
    session_id = services.sessions.create(candidate.id, "rag-customer-support", "rag-case-study", "1.0")
    services.sessions.store_plan(
        session_id,
        [PlannedQuestion("c1", "case", "Walk me through it.", None, None)],
        engine="llm:m-large",
        model="m-large",
    )
    qid = services.sessions.get(session_id).questions[0].id
    services.sessions.store_ai_scores(qid, [("data-quality", 2.0, "thin", [])], engine="offline", model=None)
    at = open_page("interview", session=session_id)
    captions = plain(" ".join(c.value for c in at.caption))
    assert "language model **m-large**" in captions  # the plan came from the language model
    assert "**offline** engine" in captions  # the score from the offline engine


@pytest.mark.slow
def test_score_shows_ai_scores_with_evidence_and_a_rescore_keeps_the_interviewers(data_dir: Path) -> None:
    at, session_id = _start_planned_session(data_dir)
    services = app_services(data_dir)
    case_question = next(q for q in services.sessions.get(session_id).questions if q.kind == "case")
    at.query_params["q"] = str(case_question.position + 1)
    at.run()
    at.text_area(key=state.answer_key(case_question.id)).input(ANSWER)
    at = click(at, "Score this answer")

    stored = app_services(data_dir).sessions.get(session_id).question(case_question.id)
    assert len(stored.ai_scores) == 6  # the case question is scored on every criterion of the rubric
    shown = " ".join(m.value for m in at.markdown)
    assert "AI score:" in shown
    evidence = [e for s in stored.ai_scores for e in s.evidence]
    assert evidence and all(e.verified and e.quote in ANSWER for e in evidence)
    marked = " ".join(h.value for h in at.html)
    assert "<mark" in marked and evidence[0].quote.split()[0] in marked  # verified evidence highlighted in the answer

    radio = next(r for r in at.radio if r.key == state.human_score_key(case_question.id, "data-quality"))
    radio.set_value(1)
    at.run()
    at = click(at, "Score this answer")  # the AI scores again; the interviewer's own score must stay
    mine = app_services(data_dir).sessions.get(session_id).question(case_question.id).interviewer_score("data-quality")
    assert mine is not None and mine.score == 1
    assert next(r for r in at.radio if r.key == state.human_score_key(case_question.id, "data-quality")).value == 1
    assert len(app_services(data_dir).sessions.audit_log(session_id)) == 3  # plan, score, rescore


@pytest.mark.slow
def test_scoring_an_empty_answer_says_what_to_do(data_dir: Path) -> None:
    at, session_id = _start_planned_session(data_dir)
    at = click(at, "Score this answer")
    assert any("answer before scoring" in e.value for e in at.error)
    assert not app_services(data_dir).sessions.get(session_id).questions[0].ai_scores


@pytest.mark.slow
def test_plan_overview_edit_reorder_add_and_remove(data_dir: Path) -> None:
    at, session_id = _start_planned_session(data_dir)
    services = app_services(data_dir)
    before = services.sessions.get(session_id).questions
    assert any(f"Plan overview — {len(before)} questions" in e.label for e in at.expander)
    shown = " ".join(m.value for m in at.markdown)
    assert all(f"**Q{n}**" in shown for n in range(1, len(before) + 1))  # every question at a glance

    first = before[0]
    next(b for b in at.button if b.key == f"edit-{first.id}").click()
    at.run()
    at.text_area(key=state.edit_text_key(first.id)).input("Which trade-off there would you make differently now?")
    at = click(at, "Save wording")
    edited = app_services(data_dir).sessions.get(session_id).questions[0]
    assert edited.text == "Which trade-off there would you make differently now?"
    assert edited.original_text == first.text
    assert any(escape_markdown(first.text) in c.value for c in at.caption)  # the planner's original, as text

    next(b for b in at.button if b.key == f"down-{first.id}").click()
    at.run()
    assert [q.id for q in app_services(data_dir).sessions.get(session_id).questions][:2] == [before[1].id, first.id]

    at.text_area(key=state.NEW_QUESTION).input("How would you explain this design to a new hire?")
    at = click(at, "Add after the current question")
    texts = [q.text for q in app_services(data_dir).sessions.get(session_id).questions]
    assert "How would you explain this design to a new hire?" in texts and len(texts) == len(before) + 1

    own = next(q for q in app_services(data_dir).sessions.get(session_id).questions if q.kind == "own")
    next(b for b in at.button if b.key == f"remove-{own.id}").click()  # unanswered: removed without asking
    at.run()
    assert len(app_services(data_dir).sessions.get(session_id).questions) == len(before)


@pytest.mark.slow
def test_a_scored_answer_is_shown_once_and_signals_are_grouped_and_collapsed(data_dir: Path) -> None:
    at, session_id = _start_planned_session(data_dir)
    services = app_services(data_dir)
    case_question = next(q for q in services.sessions.get(session_id).questions if q.kind == "case")
    at.query_params["q"] = str(case_question.position + 1)
    at.run()
    at.text_area(key=state.answer_key(case_question.id)).input(ANSWER)
    at = click(at, "Score this answer")
    answers_shown = [h.value for h in at.html if "<mark" in h.value]
    assert len(answers_shown) == 1  # the answer once, not once per criterion
    groups = [e for e in at.expander if e.label.startswith(("General", "Thinks about"))]
    assert groups and all(not getattr(e.proto, "expanded", False) for e in groups)
