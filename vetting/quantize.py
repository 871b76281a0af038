"""int8 embeddings: the packaged model exported to ONNX and quantised locally, once, then served by ONNX Runtime.

Nothing is downloaded: the export reads the local weights (torch, legacy exporter), fuses the transformer graph
(ONNX Runtime's BERT optimiser), quantises weights to int8 per channel (dynamic quantisation), checks the result
against the fp32 model on probe sentences, and caches it under `$XDG_CACHE_HOME/vetting/int8` (default
`~/.cache/vetting/int8`). A cached export is reused by every later process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vetting.kernel.errors import VettingError
from vetting.locks import StoreLock

RECIPE = "onnx17-eager-bertopt-int8pc-v1"  # change to invalidate every cached export
MIN_COSINE = 0.95  # the export is refused if any probe sentence drifts further than this from fp32
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")
_PROBES = (
    "Senior data engineer with eight years of Spark and Kafka pipelines on AWS.",
    "I led a team of five to rebuild the payments ledger, cutting reconciliation breaks by 70%.",
    "Python, Go, PostgreSQL, Kubernetes",
    "Education",
    "Designed a cache in front of the search index; p95 latency fell from 900 ms to 120 ms.",
    "x",
)


def cache_root() -> Path:
    """Where exports are kept: the user's cache directory."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vetting" / "int8"


def export_dir(model_path: str | Path, root: Path | None = None) -> Path:
    """The cache folder of one model's export, keyed by the weights file and the recipe."""
    source = Path(model_path).resolve()
    weights = next((source / n for n in ("model.safetensors", "pytorch_model.bin") if (source / n).is_file()), source)
    stat = weights.stat()
    key = hashlib.sha256(f"{weights}|{stat.st_size}|{stat.st_mtime_ns}|{RECIPE}".encode()).hexdigest()[:16]
    return (root or cache_root()) / f"{source.name}-{key}"


def _export_fp32(model: Any, target: Path) -> None:
    """Trace transformer + mean pooling to ONNX (eager attention, so ONNX Runtime can fuse it)."""
    import torch

    transformer = model[0].auto_model.eval()
    transformer.set_attn_implementation("eager")

    class Pooled(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    sample = model.tokenizer(["an example", "a slightly longer example sentence"], padding=True, return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in _INPUTS} | {"embedding": {0: "batch"}}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pooled(transformer),
            tuple(sample[name] for name in _INPUTS),
            str(target),
            input_names=list(_INPUTS),
            output_names=["embedding"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )


def _optimise_and_quantise(fp32: Path, target: Path, heads: int, hidden: int) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    fused = fp32.with_suffix(".fused.onnx")
    optimize_model(str(fp32), model_type="bert", num_heads=heads, hidden_size=hidden).save_model_to_file(str(fused))
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser logs advice about static-quantisation preprocessing; not for us
    try:
        quantize_dynamic(
            str(fused),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=True,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        root.setLevel(level)


def export_int8(model_path: str | Path, root: Path | None = None) -> Path:
    """Export and quantise the model into the cache (once; concurrent callers wait for the first)."""
    target = export_dir(model_path, root)
    if (target / "meta.json").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = StoreLock(target.parent / f"{target.name}.lock", timeout_s=900)
    try:
        with lock.exclusive():
            if (target / "meta.json").is_file():
                return target
            _build(Path(model_path), target)
    finally:
        lock.close()
    return target


def _build(source: Path, target: Path) -> None:
    from sentence_transformers import SentenceTransformer

    model: Any = SentenceTransformer(str(source), device="cpu")
    config = model[0].auto_model.config
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        work = Path(scratch)
        _export_fp32(model, work / "model.fp32.onnx")
        _optimise_and_quantise(
            work / "model.fp32.onnx", work / "model.int8.onnx", config.num_attention_heads, config.hidden_size
        )
        staged = work / "export"
        staged.mkdir()
        shutil.move(str(work / "model.int8.onnx"), staged / "model.int8.onnx")
        for name in _TOKENIZER_FILES:
            if (source / name).is_file():
                shutil.copy2(source / name, staged / name)
        int8 = Int8SentenceModel(staged, max_seq_length=int(model.max_seq_length))
        reference = model.encode(list(_PROBES), normalize_embeddings=True)
        cosine = float(np.min(np.sum(int8.encode(list(_PROBES), normalize_embeddings=True) * reference, axis=1)))
        if cosine < MIN_COSINE:
            raise VettingError(
                f"The int8 model drifts too far from the original (cosine {cosine:.3f} < {MIN_COSINE}); "
                "use VETTING_EMBEDDING_PRECISION=fp32."
            )
        meta = {
            "source": str(source),
            "recipe": RECIPE,
            "dimension": int(model.get_embedding_dimension() or 0),
            "max_seq_length": int(model.max_seq_length),
            "min_probe_cosine": round(cosine, 5),
        }
        (staged / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        os.replace(staged, target)


class Int8SentenceModel:
    """The subset of `SentenceTransformer` the embedder uses, over an int8 ONNX Runtime session."""

    def __init__(self, folder: Path, max_seq_length: int | None = None) -> None:
        import onnxruntime as ort
        from transformers import AutoTokenizer

        meta_file = folder / "meta.json"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
        self.max_seq_length = int(max_seq_length or meta.get("max_seq_length", 256))
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(folder / "model.int8.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self._dimension = int(meta.get("dimension") or self._session.get_outputs()[0].shape[-1] or 0)

    def get_embedding_dimension(self) -> int:
        return self._dimension

    def encode(
        self,
        texts: Sequence[str],
        batch_size: int = 32,
        normalize_embeddings: bool = False,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        """Embeddings in input order; batches of similar length, so little is spent on padding."""
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), batch_size):
            picked = order[start : start + batch_size]
            encoded = self.tokenizer(
                [texts[i] for i in picked],
                padding=True,
                truncation=True,
                max_length=self.max_seq_length,
                return_tensors="np",
            )
            feed = {name: np.asarray(encoded[name], dtype=np.int64) for name in _INPUTS if name in encoded}
            if "token_type_ids" not in feed:
                feed["token_type_ids"] = np.zeros_like(feed["input_ids"])
            out[picked] = self._session.run(None, feed)[0]
        if normalize_embeddings:
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out


def load_int8_model(model_path: str | Path, root: Path | None = None) -> Int8SentenceModel:
    """The int8 model for `model_path`, exported and quantised on first use."""
    return Int8SentenceModel(export_int8(model_path, root))
