"""Embeddings from an OpenAI-compatible `/embeddings` endpoint, with personal data redacted before it leaves."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from vetting.kernel.pii import redact
from vetting.kernel.settings import Settings
from vetting.llm.faults import describe_fault

_CL100K_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
_WORD = re.compile(r"\s+|\S+\s*")


class Tokenizer(Protocol):
    def encode(self, text: str) -> list[int]: ...

    def decode(self, ids: Sequence[int]) -> str: ...


class WordTokenizer:
    """Reversible word-level tokens (a word with its trailing space): the fallback when no BPE file is on disk."""

    name = "words"

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._words: list[str] = []
        self._lock = threading.Lock()

    def encode(self, text: str) -> list[int]:
        with self._lock:
            out = []
            for piece in _WORD.findall(text):
                if piece not in self._ids:
                    self._ids[piece] = len(self._words)
                    self._words.append(piece)
                out.append(self._ids[piece])
            return out

    def decode(self, ids: Sequence[int]) -> str:
        return "".join(self._words[i] for i in ids)


class _Tiktoken:
    """cl100k_base that treats special-token text in documents as plain text."""

    name = "cl100k_base"

    def __init__(self, encoding: Any) -> None:
        self._encoding = encoding

    def encode(self, text: str) -> list[int]:
        return list(self._encoding.encode(text, disallowed_special=()))

    def decode(self, ids: Sequence[int]) -> str:
        return str(self._encoding.decode(list(ids)))


def _tiktoken_file_on_disk() -> bool:
    """True when tiktoken's cache already holds cl100k_base (tiktoken ships no BPE files and we never download)."""
    cache = os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR")
    folder = Path(cache) if cache else Path(tempfile.gettempdir()) / "data-gym-cache"
    return (folder / hashlib.sha1(_CL100K_URL.encode()).hexdigest()).is_file()


def local_tokenizer() -> Tokenizer:
    """cl100k_base when its file is already on disk, else the word-level fallback; never touches the network."""
    if _tiktoken_file_on_disk():
        try:
            import tiktoken

            return _Tiktoken(tiktoken.get_encoding("cl100k_base"))
        except Exception:  # a corrupt cache file: the fallback still counts tokens
            pass
    return WordTokenizer()


class OpenAIEmbedder:
    """`VETTING_EMBEDDING_BACKEND=openai`: batched calls to `/embeddings`, L2-normalised float32 rows."""

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        from openai import OpenAI

        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key is not None else "not-needed"
        self._client = client or OpenAI(
            base_url=settings.llm_base_url,
            api_key=key,
            timeout=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
        )
        self.name = settings.embedding_model
        self.batch_size = settings.embedding_batch_size
        self.send_pii = settings.llm_send_pii
        self._settings = settings
        self._dimension: int | None = None
        self._tokenizer = local_tokenizer()

    @property
    def dimension(self) -> int:
        """Vector size, learnt from the endpoint on first use."""
        if self._dimension is None:
            self._dimension = int(self.embed(["dimension probe"]).shape[1])
        return self._dimension

    @dimension.setter
    def dimension(self, value: int) -> None:
        self._dimension = value

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension or 0), dtype=np.float32)
        rows: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = [t if self.send_pii else redact(t)[0] for t in texts[start : start + self.batch_size]]
            try:
                response = self._client.embeddings.create(model=self.name, input=batch)
                rows += [item.embedding for item in sorted(response.data, key=lambda d: d.index)]
            except Exception as exc:
                s = self._settings
                raise describe_fault(
                    exc, url=s.llm_base_url or "", model=self.name, timeout_s=s.llm_timeout_s, retries=s.llm_max_retries
                ) from exc
        vectors = np.asarray(rows, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(texts):
            from vetting.kernel.errors import LLMError

            raise LLMError(f"The embeddings endpoint returned {vectors.shape[0]} vectors for {len(texts)} texts.")
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        self._dimension = int(vectors.shape[1])
        return vectors / np.where(norms == 0, 1.0, norms)

    def tokenize(self, text: str) -> list[int]:
        return list(self._tokenizer.encode(text))

    def detokenize(self, ids: Sequence[int]) -> str:
        return str(self._tokenizer.decode(list(ids)))
