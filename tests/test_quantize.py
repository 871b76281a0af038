"""The int8 embedding backend: exported and quantised locally, close to fp32, cached, and usable end to end."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from vetting.embeddings import SentenceTransformerEmbedder, packaged_model_path
from vetting.kernel.settings import Settings
from vetting.quantize import MIN_COSINE, export_int8, load_int8_model
from vetting.services import Services

pytestmark = pytest.mark.slow

SENTENCES = [
    "Built a Kafka and Spark pipeline processing four billion events a day for the fraud team.",
    "Led the migration of a monolith to Kubernetes services with zero downtime.",
    "Designed the payments ledger and cut reconciliation breaks by seventy percent.",
    "Mentored five junior engineers and ran the on-call rotation.",
    "Wrote a compiler for a teaching language in OCaml.",
    "Trained gradient boosted models to forecast demand for 3,000 stores.",
    "Reduced p95 search latency from 900 ms to 120 ms with a cache in front of the index.",
    "Maintained the Android app in Kotlin, adding offline sync with conflict resolution.",
    "Skills: Python, Go, PostgreSQL, Terraform, AWS",
    "Education: MSc Computer Science, University of Edinburgh",
    "Published two papers on approximate nearest neighbour search.",
    "Organised the company's first accessibility audit of the web checkout.",
]
QUERIES = ["stream processing at scale", "mobile development", "search performance", "team leadership", "education"]


@pytest.fixture(scope="module")
def int8_folder() -> Path:
    return export_int8(packaged_model_path())


def test_the_export_is_local_checked_and_cached(int8_folder: Path) -> None:
    assert (int8_folder / "model.int8.onnx").is_file() and (int8_folder / "tokenizer.json").is_file()
    meta = (int8_folder / "meta.json").read_text(encoding="utf-8")
    assert '"dimension": 384' in meta
    stamp = (int8_folder / "model.int8.onnx").stat().st_mtime_ns
    started = time.perf_counter()
    assert export_int8(packaged_model_path()) == int8_folder  # second call reuses the cached export
    assert time.perf_counter() - started < 2 and (int8_folder / "model.int8.onnx").stat().st_mtime_ns == stamp


def test_int8_vectors_stay_close_to_fp32_and_rank_alike(int8_folder: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    int8 = load_int8_model(packaged_model_path())
    fp32_docs = embedder.embed(SENTENCES)
    int8_docs = int8.encode(SENTENCES, normalize_embeddings=True)
    cosines = np.sum(fp32_docs * int8_docs, axis=1)
    assert cosines.min() >= MIN_COSINE, cosines
    fp32_rank = np.argsort(-(embedder.embed(QUERIES) @ fp32_docs.T), axis=1)[:, :3]
    int8_rank = np.argsort(-(int8.encode(QUERIES, normalize_embeddings=True) @ int8_docs.T), axis=1)[:, :3]
    assert all(f[0] == i[0] for f, i in zip(fp32_rank, int8_rank, strict=True))  # same best match for every query
    overlap = np.mean([len(set(f) & set(i)) / 3 for f, i in zip(fp32_rank, int8_rank, strict=True)])
    assert overlap >= 0.8


def test_the_int8_setting_ingests_and_retrieves(int8_folder: Path, settings: Settings, tmp_path: Path) -> None:
    settings = settings.model_copy(update={"embedding_precision": "int8"})
    services = Services(settings)
    embedder = services.embedder
    assert isinstance(embedder, SentenceTransformerEmbedder) and embedder.name.endswith("int8")
    note = tmp_path / "work.md"
    note.write_text("\n\n".join(f"# Item {i}\n\n{s}" for i, s in enumerate(SENTENCES)), encoding="utf-8")
    report = services.ingestor.ingest([note], "Ada")
    assert report.documents[0].status == "ingested"
    hit = services.store.for_candidate(report.candidate.id).query(embedder.embed(["Android Kotlin app"])[0], k=1)[0]
    assert "Kotlin" in hit.chunk.text
