"""Retrieval per rubric criterion over one candidate's chunks, with maximal marginal relevance for diversity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rubrics import Criterion
from vetting.domain import Chunk
from vetting.embeddings import Embedder
from vetting.store import CandidateIndex


def criterion_query(criterion: Criterion) -> str:
    """The text a criterion is searched with: what it is about and what a strong candidate shows."""
    signals = "; ".join(criterion.positive_signals[:2])
    return f"{criterion.name}. {criterion.description} {signals}".strip()


_query_cache: dict[tuple[str, str], np.ndarray] = {}
_QUERY_CACHE_SIZE = 512


def embed_queries(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Vectors of criterion queries; rubric texts rarely change, so each is embedded once per process."""
    missing = [t for t in dict.fromkeys(texts) if (embedder.name, t) not in _query_cache]
    if missing:
        if len(_query_cache) + len(missing) > _QUERY_CACHE_SIZE:
            _query_cache.clear()
        for text, vector in zip(missing, embedder.embed(missing), strict=True):
            _query_cache[(embedder.name, text)] = vector
    return np.stack([_query_cache[(embedder.name, t)] for t in texts])


def mmr(query: np.ndarray, candidates: np.ndarray, k: int, diversity: float = 0.3) -> list[int]:
    """Indices of `k` candidates balancing closeness to the query against closeness to those already picked."""
    if len(candidates) == 0:
        return []
    relevance = candidates @ query
    picked: list[int] = [int(np.argmax(relevance))]
    while len(picked) < min(k, len(candidates)):
        redundancy = (candidates @ candidates[picked].T).max(axis=1)
        score = (1 - diversity) * relevance - diversity * redundancy
        score[picked] = -np.inf
        picked.append(int(np.argmax(score)))
    return picked


@dataclass(frozen=True)
class Retrieved:
    """For one criterion: the diverse chunks picked, and the similarity of every fetched chunk to the criterion."""

    criterion: Criterion
    chunks: tuple[Chunk, ...]
    similarity: dict[str, float]


def retrieve_for_criteria(
    index: CandidateIndex, embedder: Embedder, criteria: Sequence[Criterion], *, k: int = 6, fetch: int = 20
) -> list[Retrieved]:
    """Nearest chunks of this candidate for each criterion (one batched query), re-ranked by MMR."""
    if not criteria:
        return []
    queries = embed_queries(embedder, [criterion_query(c) for c in criteria])
    hits = index.query_many(queries, k=fetch)
    ids = sorted({hit.chunk.id for per in hits for hit in per})
    vectors = dict(zip(ids, index.vectors(ids), strict=True)) if ids else {}
    results: list[Retrieved] = []
    for criterion, query, per in zip(criteria, queries, hits, strict=True):
        if not per:
            results.append(Retrieved(criterion, (), {}))
            continue
        matrix = np.stack([vectors[hit.chunk.id] for hit in per])
        order = mmr(query, matrix, k)
        similarity = {hit.chunk.id: hit.score for hit in per}
        results.append(Retrieved(criterion, tuple(per[i].chunk for i in order), similarity))
    return results
