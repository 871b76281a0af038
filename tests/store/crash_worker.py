"""A writer that gets killed: ingests files in its own process, printing each file as it starts it.

    python -m tests.store.crash_worker DATA_DIR CANDIDATE FILE... [--die-at POINT | --pause-at POINT]
        [--chroma HOST:PORT]

Without `--die-at` the parent SIGKILLs it at a moment of its choosing. With it, the worker SIGKILLs itself at one exact
point of the write: `after-upsert` (chunks stored, document not committed), `after-commit` (a changed document
committed, its old chunks not yet removed), `before-first-document` (candidate created, nothing written yet).
`--pause-at` stops there instead, alive, after printing "paused" (a live writer that recovery must leave alone).

Embeddings come from `HashEmbedder`: a deterministic stand-in with the packaged model's real tokenizer, so the child
starts in a second instead of loading torch; what is tested here is the write path, not the model.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vetting.kernel.domain import Chunk
from vetting.kernel.settings import Settings
from vetting.services import Services
from vetting.store import CandidateIndex, VectorStore, make_vector_store


class HashEmbedder:
    """Unit vectors derived from a hash of the text, and the real all-MiniLM-L6-v2 tokenizer for chunking."""

    name = "hash"
    dimension = 384

    def __init__(self, die_on_embed: bool = False) -> None:
        from tokenizers import Tokenizer

        from vetting.embeddings import packaged_model_path

        self._tokenizer = Tokenizer.from_file(str(packaged_model_path() / "tokenizer.json"))
        self._die = die_on_embed

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self._die:
            _die()
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            vector = np.random.default_rng(seed).standard_normal(self.dimension)
            rows.append(vector / np.linalg.norm(vector))
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dimension)

    def tokenize(self, text: str) -> list[int]:
        return list(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def detokenize(self, ids: Sequence[int]) -> str:
        return str(self._tokenizer.decode(list(ids)))


PAUSE = False


def _die() -> None:
    sys.stdout.flush()
    if PAUSE:
        print("paused", flush=True)
        time.sleep(600)
    os.kill(os.getpid(), signal.SIGKILL)


class _DyingIndex(CandidateIndex):
    def __init__(self, store: VectorStore, candidate_id: str, point: str) -> None:
        super().__init__(store, candidate_id)
        self._point = point

    def add(self, chunks: Sequence[Chunk], embeddings: np.ndarray) -> None:
        super().add(chunks, embeddings)
        if self._point == "after-upsert":
            _die()

    def delete_document(self, doc_id: str) -> None:
        if self._point == "after-commit":
            _die()
        super().delete_document(doc_id)


class _DyingStore(VectorStore):
    def __init__(self, inner: VectorStore, point: str) -> None:
        super().__init__(inner._client, connect=inner._connect, lock=inner.lock)
        self._point = point

    def for_candidate(self, candidate_id: str) -> CandidateIndex:
        return _DyingIndex(self, candidate_id, self._point)


def build(settings: Settings, die_at: str | None = None) -> Services:
    """Services with the stand-in embedder and, when asked, a store that dies at one point of the write."""
    embedder = HashEmbedder(die_on_embed=die_at == "before-first-document")
    dying = die_at in ("after-upsert", "after-commit")
    return Services(
        settings, embedder=embedder, store=_DyingStore(make_vector_store(settings), die_at) if dying else None
    )


def _option(argv: list[str], name: str) -> tuple[str | None, list[str]]:
    if name not in argv:
        return None, argv
    at = argv.index(name)
    return argv[at + 1], argv[:at] + argv[at + 2 :]


def main(argv: list[str]) -> None:
    global PAUSE
    die_at, argv = _option(argv, "--die-at")
    pause_at, argv = _option(argv, "--pause-at")
    chroma, argv = _option(argv, "--chroma")
    if pause_at:
        die_at, PAUSE = pause_at, True
    data_dir, candidate, *files = argv
    settings = Settings(_env_file=None, data_dir=Path(data_dir))  # type: ignore[call-arg]
    if chroma:
        host, port = chroma.rsplit(":", 1)
        settings = settings.model_copy(update={"chroma_host": host, "chroma_port": int(port)})
    services = build(settings, die_at)

    def progress(done: int, total: int, name: Any) -> None:
        print(f"{done}/{total} {name}", flush=True)

    print("ready", flush=True)
    services.ingestor.ingest([Path(f) for f in files], candidate, on_progress=progress)
    print("finished", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
