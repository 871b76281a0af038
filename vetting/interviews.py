"""A live interview: plan a stored session with the planner and score its answers with the scorer, storing both."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vetting.sessions import PlannedQuestion, SessionService

if TYPE_CHECKING:
    from vetting.planning.planner import Planner


class InterviewRunner:
    """The steps of the Interview page, on top of the same planner and scorer the `vet` CLI uses."""

    def __init__(self, sessions: SessionService, planner: Planner, scorer: Any | None = None) -> None:
        self.sessions = sessions
        self.planner = planner
        self.scorer = scorer

    def plan(self, session_id: str) -> int:
        """Plan the session's questions (deep dives citing verified quotes, then the case); returns how many."""
        session = self.sessions.get(session_id)
        plan = self.planner.plan(session.candidate, session.case_id, session.rubric_id)
        questions = [
            PlannedQuestion(
                key=q.id,
                kind=q.kind,
                text=q.text,
                criterion_id=q.criterion,
                citation=q.citation.to_dict() if q.citation else None,
            )
            for q in plan.questions
        ]
        self.sessions.store_plan(session_id, questions, engine=plan.engine, model=plan.model)
        return len(questions)
