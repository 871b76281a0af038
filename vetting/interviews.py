"""A live interview: plan a stored session with the planner and score its answers with the scorer, storing both."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases import get_case
from rubrics import get_rubric
from vetting.ai_outputs import output_versions
from vetting.consent import AIOptedOut, ConsentRegistry
from vetting.kernel.errors import VettingError
from vetting.kernel.settings import Settings
from vetting.sessions import Evidence, KeyPoint, PlannedQuestion, SessionService

if TYPE_CHECKING:
    from vetting.planning.planner import Planner
    from vetting.scoring.scorer import Scorer


CASE_AS_WRITTEN = "case as written (AI opted out)"  # the plan engine of an opted-out candidate's session


def model_of(engine: str) -> str | None:
    """The model named by an engine label such as `llm:gpt-4o-mini` (None for the offline engine)."""
    return engine.split(":", 1)[1] if engine.startswith("llm:") else None


class InterviewRunner:
    """The steps of the Interview page, on top of the same planner and scorer the `vet` CLI uses."""

    def __init__(self, settings: Settings, sessions: SessionService, planner: Planner, scorer: Scorer) -> None:
        self.settings = settings
        self.sessions = sessions
        self.planner = planner
        self.scorer = scorer

    def plan(self, session_id: str) -> int:
        """Plan the session's questions (deep dives citing verified quotes, then the case); returns how many.

        A candidate who opted out of AI assessment gets the case's own questions as written, and no AI plan.
        """
        session = self.sessions.get(session_id)
        try:
            ConsentRegistry(self.sessions.db).require_ai_allowed(session.candidate)
        except AIOptedOut:
            case = get_case(self.settings, session.case_id)
            written = [PlannedQuestion("q1", "case", case.prompt)]
            written += [
                PlannedQuestion(f"q{n}", "follow_up", f.text, f.criterion) for n, f in enumerate(case.follow_ups, 2)
            ]
            versions = output_versions(self.settings, kind="plan", engine=CASE_AS_WRITTEN, case=case)
            self.sessions.store_plan(session_id, written, engine=CASE_AS_WRITTEN, model=None, versions=versions)
            return len(written)
        plan = self.planner.plan(session.candidate, session.case_id, session.deep_dive_rubric_id)
        questions = [
            PlannedQuestion(
                key=q.id,
                kind=q.kind,
                text=q.text,
                criterion_id=q.criterion,
                citation=q.citation.to_dict() if q.citation else None,
                rubric_id=q.rubric if q.kind == "deep_dive" else session.rubric_id,
            )
            for q in plan.questions
        ]
        case = get_case(self.settings, session.case_id)
        versions = output_versions(self.settings, kind="plan", engine=plan.engine, case=case)
        self.sessions.store_plan(session_id, questions, engine=plan.engine, model=plan.model, versions=versions)
        return len(questions)

    def score(self, session_id: str, question_id: int) -> int:
        """Score the stored answer with the question's own rubric: on its criterion, or every criterion (case, own).

        Stores one AI score per criterion with its evidence located in the answer and its key points (met or not, each
        met one with the answer's sentence that states it); returns how many were scored.
        The interviewer's own scores are left exactly as they are.
        """
        session = self.sessions.get(session_id)
        ConsentRegistry(self.sessions.db).require_ai_allowed(session.candidate)
        question = session.question(question_id)
        if not question.answer.strip():
            raise VettingError("Type or paste the candidate's answer before scoring it.")
        rubric = get_rubric(self.settings, session.rubric_of(question))
        own = question.criterion_id if question.criterion_id in {c.id for c in rubric.criteria} else None
        result = self.scorer.score(
            rubric,
            question.text,
            question.answer,
            criterion_id=own,
            names=[session.candidate.name],
            candidate_id=session.candidate.id,
        )
        rows = []
        for criterion in result.criteria:  # evidence was verified and located by the scorer, once
            spans = zip(criterion.evidence, criterion.evidence_spans, strict=True)
            evidence = [Evidence(quote, True, start, end) for quote, (start, end) in spans]
            points = [KeyPoint.from_dict(k) for k in criterion.key_points]
            rows.append((criterion.criterion_id, criterion.score, criterion.rationale, evidence, points))
        versions = output_versions(
            self.settings, kind="score", engine=result.engine, case=get_case(self.settings, session.case_id)
        )
        self.sessions.store_ai_scores(
            question_id,
            rows,
            engine=result.engine,
            model=model_of(result.engine),
            versions=versions,
            rubric_id=rubric.id,
            rubric_version=rubric.version,
        )
        return sum(1 for c in result.criteria if c.score is not None)
