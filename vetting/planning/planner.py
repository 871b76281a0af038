"""Builds a question plan for one candidate and one case: retrieve, propose, verify every quote, then add the case."""

from __future__ import annotations

from typing import Any

from cases import Case, get_case
from rubrics import Rubric, get_rubric, load_rubrics
from vetting.embeddings import Embedder
from vetting.kernel.domain import Candidate, Citation, Plan, Question
from vetting.kernel.errors import NoDocuments
from vetting.kernel.settings import Settings
from vetting.llm import LanguageModel
from vetting.planning.engine import DeepDiveRequest, Proposal, verified
from vetting.planning.llm_engine import LLMEngine
from vetting.planning.offline import OfflineEngine
from vetting.planning.retrieval import QueryCache, retrieve_for_criteria
from vetting.store import VectorStore

DEEP_DIVES = 5
MIN_DEEP_DIVES = 3
DEEP_DIVE_RUBRIC = "project-deep-dive"


class Planner:
    """Question plans grounded in one candidate's own chunks; the engine is the LLM when configured, else offline."""

    def __init__(
        self,
        settings: Settings,
        store: VectorStore,
        embedder: Embedder,
        llm: LanguageModel | None = None,
        *,
        deep_dives: int = DEEP_DIVES,
    ) -> None:
        """`llm` is the configured language model (None: the offline engine only)."""
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.offline = OfflineEngine()
        self.llm = llm
        self.deep_dives = deep_dives
        self.queries = QueryCache(settings.data_dir / "cache" / "criterion-vectors.npz")

    def plan(self, candidate: Candidate, case_id: str, rubric_id: str | None = None) -> Plan:
        """The plan for a candidate and a case: deep dives scored by `rubric_id` (default: project-deep-dive)."""
        case = get_case(self.settings, case_id)
        rubric = get_rubric(self.settings, rubric_id or deep_dive_rubric(self.settings, case))
        return self.build(candidate, case, rubric)

    def build(self, candidate: Candidate, case: Case, rubric: Rubric) -> Plan:
        """Deep dives on the candidate's top claims scored by `rubric`; the case and follow-ups by the case's rubric."""
        index = self.store.for_candidate(candidate.id)
        chunks = index.chunks()
        if not chunks:
            raise NoDocuments(
                f"{candidate.name} has no ingested documents, so there is nothing to plan questions from. "
                "Add a CV or project write-up with `vet ingest`."
            )
        retrieved = retrieve_for_criteria(index, self.embedder, rubric.criteria, cache=self.queries)
        stack = tuple(case.brief.technical_stack)
        request = DeepDiveRequest(candidate, rubric, retrieved, chunks, self.deep_dives, stack)
        notes: list[str] = []
        engine, model = self.offline.name, None
        if self.llm is None:
            result = self.offline.propose(request)
        else:
            outcome = self.llm.with_fallback(
                lambda llm: LLMEngine(llm).propose(request),
                lambda: self.offline.propose(request),
                task="question planning",
            )
            result = outcome.value
            if outcome.fallback_reason:
                notes.append(f"{outcome.fallback_reason} The deep dives below come from the offline engine instead.")
            else:
                engine, model = LLMEngine.name, self.llm.model_name
        notes += result.notes
        by_id = {c.id: c for c in chunks}
        criteria = [c.id for c in rubric.criteria]
        kept, failed = verified(result.proposals, by_id, criteria)
        dropped = result.dropped + failed
        if engine == LLMEngine.name and len(kept) < min(MIN_DEEP_DIVES, self.deep_dives):
            kept, added = _top_up(kept, self.offline.propose(request).proposals, by_id, criteria, self.deep_dives)
            if added:
                notes.append(f"{added} deep dive(s) came from the offline engine to complete the plan.")
        if dropped:
            notes.append(f"{dropped} proposed question(s) were dropped because their quote could not be verified.")
        notes += _coverage_notes(candidate, chunks, len(kept))
        case_rubric = rubric if rubric.id == case.rubric else get_rubric(self.settings, case.rubric)
        questions = _deep_dives(kept, by_id, rubric.id) + _case_questions(case, case_rubric, start=len(kept) + 1)
        return Plan(
            candidate=candidate,
            case=case_summary(case),
            rubric=rubric_summary(rubric),
            questions=tuple(questions),
            engine=engine,
            model=model,
            dropped=dropped,
            notes=tuple(notes),
            case_rubric=rubric_summary(case_rubric),
        )


def _top_up(
    kept: list[Proposal], extra: tuple[Proposal, ...], by_id: dict[str, Any], criteria: list[str], target: int
) -> tuple[list[Proposal], int]:
    quotes = {p.quote for p in kept}
    more, _ = verified([p for p in extra if p.quote not in quotes], by_id, criteria)
    added = more[: max(0, target - len(kept))]
    return kept + added, len(added)


def _coverage_notes(candidate: Candidate, chunks: list[Any], found: int) -> list[str]:
    documents = len({c.doc_id for c in chunks})
    if found == 0:
        return [
            f"No project descriptions (what was built, with what, with what result) were found in {candidate.name}'s "
            f"{documents} document(s), so the plan has no deep dives: none were invented. Ask the candidate to walk "
            "you through a recent project, or add a project write-up and plan again."
        ]
    if found < MIN_DEEP_DIVES:
        return [
            f"Only {found} project claim(s) could be cited from {candidate.name}'s documents; "
            "the plan does not invent more."
        ]
    return []


def deep_dive_rubric(settings: Settings, case: Case) -> str:
    """The rubric that scores deep dives unless the interviewer picks another: project-deep-dive when installed."""
    return DEEP_DIVE_RUBRIC if DEEP_DIVE_RUBRIC in load_rubrics(settings) else case.rubric


def _deep_dives(kept: list[Proposal], by_id: dict[str, Any], rubric_id: str) -> list[Question]:
    questions = []
    for n, p in enumerate(kept, start=1):
        chunk = by_id[p.chunk_id]
        citation = Citation(p.quote, chunk.id, chunk.document, chunk.page)
        questions.append(Question(f"q{n}", "deep_dive", p.text, p.criterion, citation, rubric_id))
    return questions


def _case_questions(case: Case, rubric: Rubric, *, start: int) -> list[Question]:
    """The case question (scored on every criterion of the case's rubric), then its follow-ups."""
    questions = [Question(f"q{start}", "case", case.prompt, None, rubric=rubric.id)]
    for n, follow_up in enumerate(case.follow_ups, start=start + 1):
        questions.append(Question(f"q{n}", "follow_up", follow_up.text, follow_up.criterion, rubric=rubric.id))
    return questions


def case_summary(case: Case) -> dict[str, Any]:
    """The case as shown in a plan: its brief, prompt and rubric."""
    return {
        "id": case.id,
        "title": case.title,
        "rubric": case.rubric,
        "brief": case.brief.model_dump(),
        "prompt": case.prompt,
    }


def rubric_summary(rubric: Rubric) -> dict[str, Any]:
    """The rubric as shown in a plan: criteria with their weights (anchors live in the rubric file)."""
    return {
        "id": rubric.id,
        "title": rubric.title,
        "version": rubric.version,
        "scale": {"min": rubric.scale.min, "max": rubric.scale.max},
        "criteria": [{"id": c.id, "name": c.name, "weight": c.weight} for c in rubric.criteria],
    }
