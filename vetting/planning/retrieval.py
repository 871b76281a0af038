"""Retrieval per rubric criterion over one candidate's chunks, with maximal marginal relevance for diversity."""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rubrics import Criterion
from vetting.embeddings import Embedder
from vetting.kernel.domain import Chunk
from vetting.store import CandidateIndex


def criterion_query(criterion: Criterion) -> str:
    """The text a criterion is searched with: what it is about and what a strong candidate shows."""
    signals = "; ".join(criterion.positive_signals[:2])
    return f"{criterion.name}. {criterion.description} {signals}".strip()


class QueryCache:
    """Criterion-query vectors by model and text, in memory and optionally in one small file shared across runs.

    Rubric texts rarely change, so a criterion is embedded once; with a file, a new `vet plan` process need not
    embed it again. An unreadable or unwritable file only costs the embedding, never the plan.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._vectors: dict[str, np.ndarray] | None = None

    @staticmethod
    def key(model: str, text: str) -> str:
        return "k" + hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()[:24]

    def _load(self) -> dict[str, np.ndarray]:
        if self._vectors is None:
            self._vectors = {}
            if self.path is not None and self.path.is_file():
                try:
                    with np.load(self.path) as stored:
                        self._vectors = {k: stored[k] for k in stored.files}
                except (OSError, ValueError, zipfile.BadZipFile):
                    self._vectors = {}
        return self._vectors

    def vectors(self, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
        """One vector per text, embedding only those never seen with this model."""
        known = self._load()
        keys = [self.key(embedder.name, t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in known}
        if missing:
            if len(known) + len(missing) > _QUERY_CACHE_SIZE:
                known.clear()
            known.update(zip(missing, embedder.embed(list(missing.values())), strict=True))
            self._save(known)
        return np.stack([known[k] for k in keys])

    def _save(self, known: dict[str, np.ndarray]) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(f"{self.path.stem}.{os.getpid()}.partial.npz")
            np.savez(partial, **known)  # type: ignore[arg-type]
            os.replace(partial, self.path)
        except OSError:
            pass

    def clear(self) -> None:
        """Forget every cached vector, on disk too (a benchmark measuring a cold plan)."""
        self._vectors = {}
        if self.path is not None:
            self.path.unlink(missing_ok=True)


_QUERY_CACHE_SIZE = 512
_process_cache = QueryCache()


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
    index: CandidateIndex,
    embedder: Embedder,
    criteria: Sequence[Criterion],
    *,
    k: int = 6,
    fetch: int = 20,
    cache: QueryCache | None = None,
) -> list[Retrieved]:
    """Nearest chunks of this candidate for each criterion (one batched query), re-ranked by MMR."""
    if not criteria:
        return []
    queries = (cache or _process_cache).vectors(embedder, [criterion_query(c) for c in criteria])
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
