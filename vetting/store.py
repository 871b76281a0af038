"""The one seam to ChromaDB: one collection per candidate, so no read can return another candidate's chunks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from vetting.domain import Chunk, RetrievedChunk
from vetting.settings import Settings

_COLLECTION_PREFIX = "candidate-"
_ID_PATTERN = re.compile(r"^[a-z0-9]{6,64}$")


def make_chroma_client(settings: Settings) -> Any:
    """Embedded `PersistentClient` under the data directory, or `HttpClient` when a Chroma server is configured."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def _to_chunk(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        candidate_id=str(meta["candidate_id"]),
        doc_id=str(meta["doc_id"]),
        document=str(meta["document"]),
        text=text,
        index=int(meta["index"]),
        page=int(meta["page"]) if meta.get("page") is not None else None,
        section=str(meta["section"]) if meta.get("section") else None,
    )


class CandidateIndex:
    """The chunks of exactly one candidate; every method is scoped to that candidate's own collection."""

    def __init__(self, collection: Any, candidate_id: str) -> None:
        self._collection = collection
        self.candidate_id = candidate_id

    def add(self, chunks: Sequence[Chunk], embeddings: np.ndarray) -> None:
        if not chunks:
            return
        if any(c.candidate_id != self.candidate_id for c in chunks):
            raise ValueError("chunk of another candidate offered to this candidate's index")
        self._collection.upsert(
            ids=[c.id for c in chunks],
            embeddings=np.asarray(embeddings, dtype=np.float32),
            documents=[c.text for c in chunks],
            metadatas=[c.metadata() for c in chunks],
        )

    def count(self) -> int:
        return int(self._collection.count())

    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        where = {"doc_id": doc_id} if doc_id else None
        return set(self._collection.get(where=where, include=[])["ids"])

    def delete_chunks(self, ids: Sequence[str]) -> None:
        if ids:
            self._collection.delete(ids=list(ids))

    def delete_document(self, doc_id: str) -> None:
        self._collection.delete(where={"doc_id": doc_id})

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        """All chunks (optionally of one document), in document and reading order."""
        where = {"doc_id": doc_id} if doc_id else None
        got = self._collection.get(where=where, include=["documents", "metadatas"])
        chunks = [_to_chunk(i, t, m) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]
        return sorted(chunks, key=lambda c: (c.document, c.doc_id, c.index))

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        """Stored embeddings for the given chunk ids, in the given order."""
        if not ids:
            return np.zeros((0, 0), dtype=np.float32)
        got = self._collection.get(ids=list(ids), include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
        return np.asarray([by_id[i] for i in ids], dtype=np.float32)

    def query(self, embedding: np.ndarray, k: int = 5) -> list[RetrievedChunk]:
        return self.query_many(np.asarray(embedding, dtype=np.float32).reshape(1, -1), k)[0]

    def query_many(self, embeddings: np.ndarray, k: int = 5) -> list[list[RetrievedChunk]]:
        """Nearest chunks for each query vector (cosine similarity, higher is closer)."""
        total = self.count()
        if total == 0:
            return [[] for _ in range(len(embeddings))]
        got = self._collection.query(
            query_embeddings=np.asarray(embeddings, dtype=np.float32),
            n_results=min(k, total),
            include=["documents", "metadatas", "distances"],
        )
        results: list[list[RetrievedChunk]] = []
        for ids, texts, metas, dists in zip(
            got["ids"], got["documents"], got["metadatas"], got["distances"], strict=True
        ):
            results.append(
                [
                    RetrievedChunk(_to_chunk(i, t, m), 1.0 - float(d))
                    for i, t, m, d in zip(ids, texts, metas, dists, strict=True)
                ]
            )
        return results


class VectorStore:
    """Chroma behind a small API that only ever hands out one candidate's index at a time."""

    def __init__(self, client: Any) -> None:
        self._client = client

    @staticmethod
    def collection_name(candidate_id: str) -> str:
        if not _ID_PATTERN.match(candidate_id):
            raise ValueError(f"invalid candidate id {candidate_id!r}")
        return _COLLECTION_PREFIX + candidate_id

    def for_candidate(self, candidate_id: str) -> CandidateIndex:
        collection = self._client.get_or_create_collection(
            self.collection_name(candidate_id),
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )
        return CandidateIndex(collection, candidate_id)

    def delete_candidate(self, candidate_id: str) -> None:
        name = self.collection_name(candidate_id)
        if name in self.candidate_collections():
            self._client.delete_collection(name)

    def candidate_collections(self) -> list[str]:
        return [c.name for c in self._client.list_collections() if c.name.startswith(_COLLECTION_PREFIX)]


def make_vector_store(settings: Settings) -> VectorStore:
    return VectorStore(make_chroma_client(settings))
