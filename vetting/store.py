"""The one seam to ChromaDB: one collection per candidate, so no read can return another candidate's chunks."""

from __future__ import annotations

import re
import shutil
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from vetting.chroma import HNSW_CONFIGURATION, close_embedded, make_chroma_client, persistent_client
from vetting.erasure import collection_segment, zero_unused_slots_of
from vetting.hnsw_files import is_sound
from vetting.kernel.domain import Chunk, RetrievedChunk
from vetting.kernel.settings import Settings
from vetting.locks import StoreLock

_COLLECTION_PREFIX = "candidate-"
MAX_OPEN_COLLECTIONS = 64  # candidates' indexes one process keeps open in the embedded store
_ID_PATTERN = re.compile(r"^[a-z0-9]{6,64}$")


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
    """The chunks of exactly one candidate; every method is scoped to that candidate's own collection.

    Reads never create the collection (a candidate without chunks simply has none); writes create it on first use.
    """

    def __init__(self, store: VectorStore, candidate_id: str) -> None:
        self._store = store
        self.candidate_id = candidate_id
        self.name = store.collection_name(candidate_id)

    def add(self, chunks: Sequence[Chunk], embeddings: np.ndarray) -> None:
        if not chunks:
            return
        if any(c.candidate_id != self.candidate_id for c in chunks):
            raise ValueError("chunk of another candidate offered to this candidate's index")
        with self._store.writing():
            collection = self._store.create_collection(self.name)
            collection.upsert(
                ids=[c.id for c in chunks],
                embeddings=np.asarray(embeddings, dtype=np.float32),
                documents=[c.text for c in chunks],
                metadatas=[c.metadata() for c in chunks],
            )
            if self._store.path is not None:  # embedded: what Chroma wrote from this process's memory is zeroed
                zero_unused_slots_of(self._store.path, str(collection.id))

    def count(self) -> int:
        with self._store.reading():
            collection = self._store.collection(self.name)
            return int(collection.count()) if collection is not None else 0

    def chunk_ids(self, doc_id: str | None = None) -> set[str]:
        where = {"doc_id": doc_id} if doc_id else None
        with self._store.reading():
            collection = self._store.collection(self.name)
            return set(collection.get(where=where, include=[])["ids"]) if collection is not None else set()

    def holds(self, doc_id: str, chunks: int) -> bool:
        """Whether all `chunks` chunks of the document (at least one) are in the index."""
        return len(self.chunk_ids(doc_id)) >= max(chunks, 1)

    def delete_chunks(self, ids: Sequence[str]) -> None:
        if ids:
            with self._store.writing():
                collection = self._store.collection(self.name)
                if collection is not None:
                    collection.delete(ids=list(ids))

    def delete_document(self, doc_id: str) -> None:
        with self._store.writing():
            collection = self._store.collection(self.name)
            if collection is not None:
                collection.delete(where={"doc_id": doc_id})

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        """All chunks (optionally of one document), in document and reading order."""
        where = {"doc_id": doc_id} if doc_id else None
        with self._store.reading():
            collection = self._store.collection(self.name)
            if collection is None:
                return []
            got = collection.get(where=where, include=["documents", "metadatas"])
        chunks = [_to_chunk(i, t, m) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]
        return sorted(chunks, key=lambda c: (c.document, c.doc_id, c.index))

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        """Stored embeddings for the given chunk ids, in the given order."""
        if not ids:
            return np.zeros((0, 0), dtype=np.float32)
        with self._store.reading():
            collection = self._store.collection(self.name)
            if collection is None:
                raise KeyError(ids[0])
            got = collection.get(ids=list(ids), include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
        return np.asarray([by_id[i] for i in ids], dtype=np.float32)

    def query(self, embedding: np.ndarray, k: int = 5) -> list[RetrievedChunk]:
        return self.query_many(np.asarray(embedding, dtype=np.float32).reshape(1, -1), k)[0]

    def query_many(self, embeddings: np.ndarray, k: int = 5) -> list[list[RetrievedChunk]]:
        """Nearest chunks for each query vector (cosine similarity, higher is closer)."""
        with self._store.reading():
            collection = self._store.collection(self.name)
            if collection is None or k < 1 or len(embeddings) == 0:
                return [[] for _ in range(len(embeddings))]
            got = collection.query(  # fewer than k chunks: Chroma returns what there is (no count() round trip)
                query_embeddings=np.asarray(embeddings, dtype=np.float32),
                n_results=k,
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
    """Chroma behind a small API that only ever hands out one candidate's index at a time.

    With the embedded store, `lock` makes reads share and writes exclude across processes (Chroma's embedded mode is
    not safe for concurrent writers), and `connect` reopens the store when another process has written meanwhile.
    A Chroma server needs neither: it serialises writes itself.
    """

    def __init__(
        self,
        client: Any = None,
        *,
        connect: Callable[[], Any] | None = None,
        lock: StoreLock | None = None,
        path: Path | None = None,
    ) -> None:
        if client is None and connect is None:
            raise ValueError("a client or a way to connect is needed")
        self.path = path  # the embedded store's folder (None with a Chroma server)
        self._connect = connect
        self._client = client
        self._collections: dict[str, Any] = {}
        self.lock = lock
        if lock is not None and connect is not None:
            lock.on_stale = self._reopen

    @property
    def client(self) -> Any:
        if self._client is None:
            assert self._connect is not None
            self._client = self._connect()
        return self._client

    def _reopen(self) -> None:
        """Forget every cached collection and reconnect: another process changed the store on disk."""
        self._collections.clear()
        if self._client is not None and self._connect is not None:
            close_embedded(self._client)
            self._client = None

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the store for a read (a no-op with a Chroma server)."""
        if self.lock is None:
            yield
        else:
            with self.lock.shared():
                yield

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store for a write; with the embedded store other processes wait, or get `StoreBusy` in time."""
        if self.lock is None:
            yield
        else:
            with self.lock.exclusive():
                yield

    def collection(self, name: str) -> Any | None:
        """The named collection (cached), or None when it does not exist."""
        from chromadb.errors import NotFoundError

        cached = self._collections.get(name)
        if cached is None:
            self._make_room()
            try:
                cached = self.client.get_collection(name, embedding_function=None)
            except NotFoundError:
                return None
            self._remember(name, cached)
        return cached

    def create_collection(self, name: str) -> Any:
        """The named collection, created (cosine space, our own embeddings) when missing."""
        cached = self._collections.get(name)
        if cached is None:
            self._make_room()
            cached = self.client.get_or_create_collection(
                name, configuration={"hnsw": dict(HNSW_CONFIGURATION)}, embedding_function=None
            )
            self._remember(name, cached)
        return cached

    def _make_room(self) -> None:
        """Bound the memory of an embedded store: Chroma keeps each opened collection's index (~2.5 MB even when
        small) until the client closes, so after MAX_OPEN_COLLECTIONS the store is reopened and they load again
        on demand."""
        if self._connect is not None and len(self._collections) >= MAX_OPEN_COLLECTIONS:
            self._reopen()

    def _remember(self, name: str, collection: Any) -> None:
        # Only the embedded store knows when a cached handle went stale (`_reopen`); a server's collection may be
        # erased by another client at any time, so it is looked up afresh on each use.
        if self.lock is not None:
            self._collections[name] = collection

    @staticmethod
    def collection_name(candidate_id: str) -> str:
        if not _ID_PATTERN.match(candidate_id):
            raise ValueError(f"invalid candidate id {candidate_id!r}")
        return _COLLECTION_PREFIX + candidate_id

    def for_candidate(self, candidate_id: str) -> CandidateIndex:
        return CandidateIndex(self, candidate_id)

    def delete_candidate(self, candidate_id: str) -> None:
        name = self.collection_name(candidate_id)
        with self.writing():
            self._collections.pop(name, None)
            if name in self.candidate_collections():
                self.client.delete_collection(name)

    def damaged(self, candidate_id: str) -> bool:
        """Whether the candidate's vector segment in the embedded store was left cut short (never with a server)."""
        if self.path is None:
            return False
        segment = collection_segment(self.path, self.collection_name(candidate_id))
        return segment is not None and not is_sound(segment)

    def drop_damaged(self, candidate_id: str) -> bool:
        """Delete the candidate's collection if its vector segment is damaged (the caller holds the write lock).

        Chroma cannot apply further writes to such a segment and may crash trying, so it is deleted before anything
        reads it, and its folder with it; the caller rebuilds the chunks from the stored documents. True if dropped.
        """
        if not self.damaged(candidate_id):
            return False
        self.drop_index(candidate_id)
        return True

    def drop_index(self, candidate_id: str) -> None:
        """Delete the candidate's collection, and its segment folder in the embedded store (write lock held)."""
        name = self.collection_name(candidate_id)
        segment = collection_segment(self.path, name) if self.path is not None else None
        self._collections.pop(name, None)
        if name in self.candidate_collections():
            self.client.delete_collection(name)
        if segment is not None:
            shutil.rmtree(segment, ignore_errors=True)
        self._reopen()

    def purge_erased(self) -> bool:
        """Leave no byte of erased chunks on disk (embedded store): clean the vector segments (see `purge_segments`),
        then compact Chroma's SQLite. Returns False with a Chroma server, whose operator must compact its storage."""
        if self.path is None or self._connect is None:
            return False
        from vetting.erasure import compact_chroma_folder
        from vetting.store_rebuild import purge_segments

        with self.writing():
            self._reopen()  # this process lets go of the files before they are rewritten or replaced
            purge_segments(self.path)
            compact_chroma_folder(self.path)
        return True

    def candidate_collections(self) -> list[str]:
        with self.reading():
            return [c.name for c in self.client.list_collections() if c.name.startswith(_COLLECTION_PREFIX)]


_embedded_stores: weakref.WeakValueDictionary[Path, VectorStore] = weakref.WeakValueDictionary()
_embedded_guard = threading.Lock()


def make_vector_store(settings: Settings) -> VectorStore:
    """The store the settings name: a Chroma server as is, or the embedded store behind its inter-process lock.

    A process has one embedded store object per directory (Chroma shares its state per path within a process, and
    reopening it for one user would pull it from under another).
    """
    if settings.chroma_host:
        return VectorStore(make_chroma_client(settings))
    path = (settings.data_dir / "chroma").resolve()
    with _embedded_guard:
        store = _embedded_stores.get(path)
        if store is None:
            store = VectorStore(
                connect=lambda: persistent_client(path),
                path=path,
                lock=StoreLock(settings.data_dir / "chroma.lock", settings.store_lock_timeout_s),
            )
            _embedded_stores[path] = store
        elif store.lock is not None:
            store.lock.timeout_s = settings.store_lock_timeout_s
        return store
