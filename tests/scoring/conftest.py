"""A rubric built in code (independent of the YAML banks) and one offline scorer for the whole session."""

from __future__ import annotations

import pytest

from rubrics import Criterion, Rubric, Scale
from vetting.scoring.offline import OfflineScorer

QUESTION = "How would you prepare the knowledge base before building a support chatbot on it?"
STRONG = (
    "First I would pull a random sample of a few hundred articles and audit them for duplicates, outdated content "
    "and scanned PDFs that will not parse. I would de-duplicate by content hash, strip navigation boilerplate and "
    "keep source, product and date metadata on every chunk so answers can cite and filter. Each product area gets "
    "an owner, and articles are re-ingested whenever they change."
)
WEAK = "I would put all the documents into a vector database and tune the prompt until the answers look fine."
OFF_TOPIC = "I enjoy hiking in the mountains and cooking Italian food with my family at the weekend."


def _levels(*anchors: str) -> dict[int, str]:
    return dict(enumerate(anchors, start=1))


RUBRIC = Rubric(
    id="rag-test",
    title="RAG test rubric",
    version="3",
    scale=Scale(min=1, max=4),
    criteria=[
        Criterion(
            id="data-quality",
            name="Data quality first",
            description="Inspects, cleans and de-duplicates the source documents before choosing models.",
            weight=2.0,
            levels=_levels(
                "Never mentions the state of the documents.",
                "Mentions cleaning the data in passing.",
                "Names concrete data problems and a cleaning step for each.",
                "Makes data quality the first milestone with owners and freshness rules.",
            ),
            positive_signals=["Samples the knowledge base first", "Keeps source and date metadata"],
            negative_signals=["Assumes the documents are clean and ready to embed"],
            concepts=["deduplication", "metadata", "boilerplate", "freshness"],
            ideal_answer=(
                "Before building anything I would sample a few hundred articles and audit them for duplicates, "
                "contradictions, stale content and formats that will not parse. I would de-duplicate by content "
                "hash, strip boilerplate, and keep source, product and date metadata on every chunk. An owner per "
                "area keeps articles fresh, and changed articles are re-ingested."
            ),
        ),
        Criterion(
            id="evaluation",
            name="Measures answer quality",
            description="Builds a labelled question set and measures retrieval and answer quality before launch.",
            weight=1.0,
            levels=_levels(
                "Would see whether users like it.",
                "Mentions accuracy without saying how to measure it.",
                "Builds a golden question set and measures retrieval recall and answer faithfulness.",
                "Tracks offline metrics and online deflection with a baseline and a target.",
            ),
            positive_signals=["Builds a golden set of real questions", "Measures recall at k and faithfulness"],
            concepts=["golden set", "recall", "faithfulness"],
            ideal_answer=(
                "I would collect two hundred real customer questions with agreed answers as a golden set, measure "
                "retrieval recall at five and answer faithfulness on it before launch, and track ticket deflection "
                "against a baseline afterwards."
            ),
        ),
    ],
)


@pytest.fixture(scope="session")
def offline(embedder) -> OfflineScorer:  # type: ignore[no-untyped-def]
    """The offline scorer with the shipped model, sharing the session's embedding model."""
    return OfflineScorer(embedder)
