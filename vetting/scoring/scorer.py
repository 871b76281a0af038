"""Rubric scoring for the CLI and the app: the LLM judge when an endpoint is configured, otherwise the offline model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rubrics import Rubric
from vetting.kernel.domain import ScoreResult
from vetting.kernel.errors import InvalidAnswer
from vetting.llm import with_fallback
from vetting.scoring.engine import ScoringEngine, verify_evidence
from vetting.scoring.llm_judge import LLMJudge

if TYPE_CHECKING:
    from vetting.llm import LanguageModel

MAX_ANSWER_CHARS = 20_000


class Scorer:
    """Scores one answer against a rubric; every evidence quote in the result is verified against the answer."""

    def __init__(self, offline: ScoringEngine, llm: LanguageModel | None = None) -> None:
        self.offline = offline
        self.llm = llm

    def score(
        self,
        rubric: Rubric,
        question: str,
        answer: str,
        *,
        reference: str | None = None,
        criterion_id: str | None = None,
        names: Sequence[str] = (),
        candidate_id: str | None = None,
    ) -> ScoreResult:
        """Scores per criterion (or only `criterion_id`) and the rubric's weighted overall; `names` are redacted."""
        if len(answer) > MAX_ANSWER_CHARS:
            raise InvalidAnswer(
                f"The answer is {len(answer):,} characters long; answers up to {MAX_ANSWER_CHARS:,} can be scored."
            )
        criteria = [rubric.criterion(criterion_id)] if criterion_id else list(rubric.criteria)
        reference = reference if reference and reference.strip() else None
        outcome = with_fallback(
            self.llm,
            lambda llm: LLMJudge(llm).score(
                rubric,
                question,
                answer,
                reference=reference,
                criteria=criteria,
                names=names,
                candidate_id=candidate_id,
            ),
            lambda: self.offline.score(rubric, question, answer, reference=reference, criteria=criteria),
            task="answer scoring",
        )
        criteria_scores = verify_evidence(rubric, answer, outcome.value)  # once, for whichever engine answered
        flags = ["llm_fallback"] if outcome.fallback_reason else []
        return ScoreResult(
            rubric.id, rubric.version, (rubric.scale.min, rubric.scale.max), criteria_scores, outcome.engine, flags
        )
