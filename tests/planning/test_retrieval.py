"""Retrieval helpers: MMR prefers diverse chunks, and criterion vectors are embedded once, even across processes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from vetting.planning.retrieval import QueryCache, mmr


class CountingEmbedder:
    """A deterministic stand-in for the embedding model that counts the texts it was asked to embed."""

    name = "counting"
    dimension = 4

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.embedded += list(texts)
        rows = [[len(t), t.count("a"), t.count("e"), 1.0] for t in texts]
        vectors = np.asarray(rows, dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def tokenize(self, text: str) -> list[int]:
        return [ord(c) for c in text]

    def detokenize(self, ids: Sequence[int]) -> str:
        return "".join(chr(i) for i in ids)


def test_mmr_skips_a_near_duplicate_for_a_different_relevant_chunk() -> None:
    query = np.array([1.0, 0.0, 0.0])
    chunks = np.array([[0.99, 0.14, 0.0], [0.985, 0.17, 0.0], [0.95, -0.31, 0.0]])  # 0 and 1 say the same thing
    chunks /= np.linalg.norm(chunks, axis=1, keepdims=True)
    assert mmr(query, chunks, 2) == [0, 2]  # by relevance alone it would be [0, 1], the same text twice
    assert mmr(query, chunks, 2, diversity=0.0) == [0, 1]
    assert mmr(query, chunks[:0], 2) == []


def test_criterion_vectors_are_embedded_once_and_survive_a_new_process(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "criterion-vectors.npz"
    embedder = CountingEmbedder()
    first = QueryCache(path).vectors(embedder, ["data quality", "measurement"])
    again = QueryCache(path).vectors(embedder, ["measurement", "data quality", "ownership"])
    assert embedder.embedded == ["data quality", "measurement", "ownership"]
    assert np.allclose(again[1], first[0]) and np.allclose(again[0], first[1])


def test_a_corrupt_cache_file_only_costs_an_embedding(tmp_path: Path) -> None:
    path = tmp_path / "criterion-vectors.npz"
    path.write_bytes(b"not a zip file")
    embedder = CountingEmbedder()
    vectors = QueryCache(path).vectors(embedder, ["trade-offs"])
    assert vectors.shape == (1, 4) and embedder.embedded == ["trade-offs"]
    QueryCache(path).vectors(embedder, ["trade-offs"])
    assert embedder.embedded == ["trade-offs"]  # the file was rewritten and is readable now
