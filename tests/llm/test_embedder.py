"""`VETTING_EMBEDDING_BACKEND=openai`: vectors from a real `/embeddings` wire, normalised; tokens counted locally."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.llm.conftest import llm_settings
from tests.llm.stub import StubServer
from vetting.kernel.errors import LLMError
from vetting.llm import OpenAIEmbedder
from vetting.llm.embedder import WordTokenizer


def test_vectors_are_batched_ordered_and_normalised(stub: StubServer, tmp_path: Path) -> None:
    settings = llm_settings(tmp_path, stub.url, embedding_backend="openai", embedding_batch_size=2)
    embedder = OpenAIEmbedder(settings)
    texts = ["alpha", "beta", "gamma", "delta", "epsilon"]
    vectors = embedder.embed(texts)
    assert vectors.shape == (5, 8) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert [len(r["body"]["input"]) for r in stub.requests] == [2, 2, 1]
    assert embedder.dimension == 8 and embedder.name == settings.embedding_model
    again = embedder.embed(["gamma"])
    assert np.allclose(again[0], vectors[2])  # same text, same vector, whatever the batch


def test_an_unreachable_embeddings_endpoint_is_a_clear_error(stub: StubServer, tmp_path: Path) -> None:
    stub.stop()
    embedder = OpenAIEmbedder(llm_settings(tmp_path, stub.url, embedding_backend="openai"))
    with pytest.raises(LLMError, match="could not be reached"):
        embedder.embed(["alpha"])


def test_tokens_round_trip_exactly(stub: StubServer, tmp_path: Path) -> None:
    embedder = OpenAIEmbedder(llm_settings(tmp_path, stub.url, embedding_backend="openai"))
    text = "Built  a Kafka pipeline;\n\tcut p99 latency by 35% — twice. <|endoftext|>"
    ids = embedder.tokenize(text)
    assert embedder.detokenize(ids) == text
    assert embedder.detokenize(ids[:3]) == text[: len(embedder.detokenize(ids[:3]))]
    assert stub.requests == []  # counting tokens never calls the endpoint


def test_the_word_tokenizer_counts_words_with_their_spacing() -> None:
    tok = WordTokenizer()
    ids = tok.encode("one two  two\nthree")
    assert len(ids) == 4 and ids[1] != ids[2]  # "two " and "two  " differ, so spacing survives
    assert tok.decode(ids) == "one two  two\nthree"


def test_a_reply_missing_vectors_is_reported(stub: StubServer, tmp_path: Path) -> None:
    embedder = OpenAIEmbedder(llm_settings(tmp_path, stub.url, embedding_backend="openai"))
    stub.embedding_limit = 1
    with pytest.raises(LLMError, match="returned 1 vectors for 2 texts"):
        embedder.embed(["a", "b"])
