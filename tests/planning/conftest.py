"""Planning fixtures: services on a fresh data directory that share the one loaded embedding model."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetting.kernel.domain import Candidate, Chunk
from vetting.kernel.quotes import is_verbatim
from vetting.kernel.settings import Settings
from vetting.services import Services


def make_services(settings: Settings, embedder) -> Services:  # type: ignore[no-untyped-def]
    return Services(settings, embedder=embedder)  # share the one loaded model across tests


@pytest.fixture
def services(settings: Settings, embedder) -> Services:  # type: ignore[no-untyped-def]
    return make_services(settings, embedder)


def ingest(services: Services, name: str, *paths: Path) -> Candidate:
    """Ingest files for a candidate; every file must be taken in (a rejected file would make the test meaningless)."""
    report = services.ingestor.ingest(list(paths), name)
    assert all(d.status == "ingested" for d in report.documents), [d.error for d in report.documents]
    return report.candidate


def own_chunks(services: Services, candidate: Candidate) -> dict[str, Chunk]:
    return {c.id: c for c in services.store.for_candidate(candidate.id).chunks()}


def assert_grounded(plan_questions, chunks: dict[str, Chunk]) -> None:  # type: ignore[no-untyped-def]
    """Every deep dive cites a chunk of this candidate, and its quote is a verbatim span of that chunk."""
    for q in plan_questions:
        if q.kind != "deep_dive":
            assert q.citation is None
            continue
        assert q.citation is not None, q
        assert q.citation.chunk_id in chunks, f"cites a chunk that is not the candidate's: {q.citation}"
        assert is_verbatim(q.citation.quote, chunks[q.citation.chunk_id].text), q.citation.quote
        assert q.citation.document == chunks[q.citation.chunk_id].document
