"""Embeddings for scoring: each distinct text embedded once per run, with its token vectors when asked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np

from vetting.embeddings import TokenEmbeddings


class TokenEncoder(Protocol):
    """What the features need from the embedding model: sentence vectors with their token vectors."""

    def embed_tokens(self, texts: Sequence[str]) -> list[TokenEmbeddings]: ...


class EmbeddingMemo:
    """Embeds each distinct text once per run, in batches; token vectors are kept for whole texts until forgotten."""

    def __init__(self, encoder: TokenEncoder) -> None:
        self.encoder = encoder
        self.vectors: dict[str, np.ndarray] = {}
        self.tokens: dict[str, TokenEmbeddings] = {}

    def prime(self, whole: Iterable[str], parts: Iterable[str] = ()) -> None:
        """Embed the texts not seen yet in one call (the encoder packs them); `whole` texts also keep their tokens."""
        whole_set = {t for t in whole if t.strip()}
        wanted = [t for t in whole_set if t not in self.tokens] + [t for t in parts if t.strip()]
        missing = [
            t for t in dict.fromkeys(wanted) if t not in self.vectors or (t in whole_set and t not in self.tokens)
        ]
        for text, encoded in zip(missing, self.encoder.embed_tokens(missing), strict=True):  # one call: it packs
            self.vectors[text] = encoded.vector
            if text in whole_set:
                self.tokens[text] = encoded

    def forget_tokens(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.tokens.pop(text, None)

    def forget(self, texts: Iterable[str]) -> None:
        """Drop everything kept for `texts` (an answer scored once need not stay in memory)."""
        for text in texts:
            self.tokens.pop(text, None)
            self.vectors.pop(text, None)

    def matrix(self, texts: Sequence[str]) -> np.ndarray:
        self.prime((), texts)
        return np.stack([self.vectors[t] for t in texts])
