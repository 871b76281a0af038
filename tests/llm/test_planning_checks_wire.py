"""Over the real local model server: its deep dives meet the same ranking and question checks as the offline ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.llm.test_wire import CV, NAME, wire_settings
from vetting.planning.checks import planned_question_problems
from vetting.planning.llm_engine import CANDIDATES_PER_QUESTION
from vetting.planning.planner import DEEP_DIVES
from vetting.planning.ranking import rank_claims, top_claims
from vetting.services import Services

pytestmark = pytest.mark.llm_server


def test_real_model_deep_dives_are_top_claims_in_well_formed_questions(
    real_server_url: str, tmp_path: Path, embedder: Any
) -> None:
    services = Services(wire_settings(tmp_path, real_server_url, llm_max_attempts=1, llm_max_tokens=400))
    source = tmp_path / "cv.md"
    source.write_text(CV, encoding="utf-8")
    candidate = services.ingestor.ingest([source], NAME).candidate
    plan = services.planner.plan(candidate, "rag-customer-support")

    chunks = {c.id: c for c in services.store.for_candidate(candidate.id).chunks()}
    top = {r.claim.quote for r in top_claims(rank_claims(list(chunks.values())), CANDIDATES_PER_QUESTION * DEEP_DIVES)}
    assert plan.deep_dives, plan.notes  # from the model or, where it fell short, from the offline engine
    for q in plan.deep_dives:
        assert q.citation is not None and q.citation.quote in top, q.citation
        problems = planned_question_problems(q.text, q.citation.quote, chunks[q.citation.chunk_id].text)
        assert problems == [], (q.text, problems)
