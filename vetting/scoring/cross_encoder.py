"""A cross-encoder (written by cross_train.py, not shipped: too weak so far) scoring reference vs answer 0-1.

It runs on ONNX Runtime with the packaged MiniLM tokenizer: no torch at run time, nothing downloaded.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from vetting.scoring.model import ARTIFACT_DIR, ArtifactMissing

CROSS_MODEL = ARTIFACT_DIR / "cross_encoder.onnx"
CROSS_META = ARTIFACT_DIR / "cross_encoder.json"
MAX_TOKENS = 128
BATCH = 32


def _tokenizer_path(model_path: Path | None) -> Path:
    if model_path is None:
        from vetting.embeddings import packaged_model_path

        model_path = packaged_model_path()
    return Path(model_path) / "tokenizer.json"


class CrossEncoder:
    """0-1 scores of (reference, answer) pairs; identical pairs are scored once per process."""

    def __init__(self, path: Path = CROSS_MODEL, model_path: Path | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if not path.is_file():
            raise ArtifactMissing(f"The scoring model file {path.name} is missing; reinstall the package or retrain.")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(_tokenizer_path(model_path)))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="longest_first")
        self.tokenizer.no_padding()
        self.memo: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Scores in 0-1 of each (reference, answer) pair, in order."""
        missing = list(dict.fromkeys(p for p in pairs if p not in self.memo))
        order = sorted(range(len(missing)), key=lambda i: len(missing[i][0]) + len(missing[i][1]))
        for start in range(0, len(order), BATCH):
            chunk = [missing[i] for i in order[start : start + BATCH]]
            scores = self._run(chunk)
            with self._lock:
                self.memo.update(zip(chunk, scores.tolist(), strict=True))
        return np.array([self.memo[p] for p in pairs], dtype=np.float32)

    def forget(self, answers: Sequence[str]) -> None:
        """Drop the scores kept for these answers."""
        drop = set(answers)
        with self._lock:
            for key in [k for k in self.memo if k[1] in drop]:
                del self.memo[key]

    def _run(self, chunk: Sequence[tuple[str, str]]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch([(a or " ", b or " ") for a, b in chunk])
        width = max(len(e.ids) for e in encoded)
        feeds = {
            "input_ids": np.zeros((len(encoded), width), dtype=np.int64),
            "attention_mask": np.zeros((len(encoded), width), dtype=np.int64),
            "token_type_ids": np.zeros((len(encoded), width), dtype=np.int64),
        }
        for row, e in enumerate(encoded):
            n = len(e.ids)
            feeds["input_ids"][row, :n] = e.ids
            feeds["attention_mask"][row, :n] = 1
            feeds["token_type_ids"][row, :n] = e.type_ids
        logits = self.session.run(None, {k: v for k, v in feeds.items() if k in self.inputs})[0].reshape(-1)
        return (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)


_loaded: dict[Path, CrossEncoder] = {}


def load_cross_encoder(path: Path = CROSS_MODEL) -> CrossEncoder:
    """The shipped cross-encoder, loaded once per process."""
    if path not in _loaded:
        _loaded[path] = CrossEncoder(path)
    return _loaded[path]
