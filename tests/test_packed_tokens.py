"""Token vectors from packed rows: the same as embedding each text alone, whatever the mix of lengths."""

from __future__ import annotations

import numpy as np
import pytest

from vetting.embeddings import PACK_ROWS, PACK_TOKENS, SentenceTransformerEmbedder, pack_rows


def test_rows_hold_every_text_once_within_capacity() -> None:
    lengths = [300, 7, 512, 45, 45, 1, 260, 99, 3, 511, 2]
    rows = pack_rows(lengths, 512)
    assert sorted(i for row in rows for i in row) == list(range(len(lengths)))
    assert all(sum(lengths[i] for i in row) <= 512 for row in rows)
    assert rows == [[2], [9, 5], [0, 7, 3, 4, 1, 8, 10], [6]]  # first fit, longest first
    assert pack_rows([], 512) == []


@pytest.mark.slow
def test_packed_vectors_equal_texts_embedded_alone(embedder: SentenceTransformerEmbedder) -> None:
    long_text = " ".join(f"Sentence {i} says the cache is warmed before traffic arrives." for i in range(60))
    texts = [
        "ok",
        "A leaf is a node with no children.",
        long_text,  # past the model's limit: truncated as when embedded alone
        "Binary search halves the interval each step, so it runs in logarithmic time.",
        "é… ﬁne — ＡＢＣ",
        *[f"Short clause number {i}." for i in range(40)],
        *[f"Text {i}: " + long_text for i in range(16)],  # more rows than one forward pass takes
    ]
    lengths = [len(i) for i in embedder.tokenizer(texts, truncation=True, max_length=embedder.max_tokens)["input_ids"]]
    assert len(pack_rows(lengths, PACK_TOKENS)) > PACK_ROWS  # the case the test is for: two passes or more
    packed = embedder.embed_tokens(texts)
    assert len(packed) == len(texts)
    for text, got in zip(texts, packed, strict=True):
        alone = embedder._model.encode([text], output_value=None, show_progress_bar=False)[0]
        mask = alone["attention_mask"].bool()
        tokens = alone["token_embeddings"][mask][1:-1].float().numpy()
        tokens /= np.maximum(np.linalg.norm(tokens, axis=1, keepdims=True), 1e-12)
        vector = alone["sentence_embedding"].float().numpy()
        vector /= np.linalg.norm(vector)
        assert got.token_vectors.shape == tokens.shape, text[:30]
        assert np.abs(got.token_vectors - tokens).max() < 1e-4, text[:30]
        assert np.abs(got.vector - vector).max() < 1e-4, text[:30]
        assert got.tokens == embedder.tokenizer.convert_ids_to_tokens(alone["input_ids"][mask].tolist()[1:-1])
