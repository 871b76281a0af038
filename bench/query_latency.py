"""Query latency benchmark: one candidate's index at 1k, 10k and 100k chunks, embedded store vs Chroma server.

Run with `python -m bench.query_latency [--sizes 1000 10000 100000] [--queries 200] [--json FILE]`. Vectors are
synthetic 384-d unit vectors (as all-MiniLM-L6-v2) clustered by document, queries are drawn around one document's
topic, chunks carry realistic text and metadata, and every query goes
through the app's own `CandidateIndex.query` (locks, metadata, documents). The baseline, measured in the same run on the
same vectors, is an exact numpy brute-force search; recall@5 of the index against it is reported too, and the memory
the store process gained (this process for the embedded store, the server process otherwise). Without
`VETTING_CHROMA_HOST` a throwaway `chroma run` server is started from this environment and stopped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import numpy as np
from threadpoolctl import threadpool_limits

from vetting.kernel.domain import Chunk
from vetting.kernel.settings import Settings
from vetting.store import CandidateIndex, make_vector_store

DIM = 384
K = 5
CHUNKS_PER_DOC = 40
SPREAD = 0.8  # noise norm around a document's centre
BATCH = 1000
CANDIDATE = "bench000000000001"
FILLER = (
    "Designed and ran the data platform: ingestion with Kafka, batch jobs in Spark, a warehouse in BigQuery, "
    "dashboards for the finance team, and the on-call rotation that kept it all up. "
) * 5  # ~170 words, about one 200-token chunk


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    vectors = rng.standard_normal((n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _normalised(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def synthetic_chunks(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Chunk vectors clustered by document (40 chunks each, cosine ~0.6 within one), as real embeddings cluster.

    Returns the vectors and the document centres (topics that queries are drawn around).
    """
    centres = _unit(rng, -(-n // CHUNKS_PER_DOC))
    owners = np.arange(n) // CHUNKS_PER_DOC
    return _normalised(centres[owners] + SPREAD * _unit(rng, n)), centres


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _timed(action: Callable[[], Any], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        out.append((time.perf_counter() - start) * 1000)
    return out


def rss_mb(pid: int | None = None) -> float:
    """Resident memory now of this process, or of another one (Linux /proc)."""
    for line in Path(f"/proc/{pid or 'self'}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def chroma_server(path: Path) -> Iterator[tuple[str, int, int | None]]:
    """The configured Chroma server, or a throwaway one started from this environment."""
    if os.environ.get("VETTING_CHROMA_HOST"):
        yield os.environ["VETTING_CHROMA_HOST"], int(os.environ.get("VETTING_CHROMA_PORT", "8000")), None
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    chroma = Path(sys.executable).with_name("chroma")
    command = [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the Chroma server did not start")
        yield "127.0.0.1", port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def _fill(index: CandidateIndex, vectors: np.ndarray, start: int) -> float:
    """Add vectors[start:] as chunks; returns vectors added per second."""
    began = time.perf_counter()
    for lo in range(start, len(vectors), BATCH):
        hi = min(lo + BATCH, len(vectors))
        chunks = [
            Chunk(
                f"c{i:07d}", CANDIDATE, f"d{i // CHUNKS_PER_DOC}", f"d{i // CHUNKS_PER_DOC}.pdf", f"{i} {FILLER}", i, 1
            )
            for i in range(lo, hi)
        ]
        index.add(chunks, vectors[lo:hi])
    return (len(vectors) - start) / max(time.perf_counter() - began, 1e-9)


def measure(index: CandidateIndex, vectors: np.ndarray, queries: np.ndarray) -> dict[str, float]:
    """p50/p95 of the store and of numpy brute force on the same vectors, and the store's recall@5."""
    matrix = vectors  # unit rows: cosine = dot product

    def brute(q: np.ndarray) -> np.ndarray:
        scores = matrix @ q
        top = np.argpartition(-scores, K)[:K]
        return top[np.argsort(-scores[top])]

    for q in queries[:10]:  # warm caches (the index is loaded lazily)
        index.query(q, K)
    store_ms, hits = [], 0
    for q in queries:
        start = time.perf_counter()
        got = index.query(q, K)
        store_ms.append((time.perf_counter() - start) * 1000)
        hits += len({int(h.chunk.id[1:]) for h in got} & set(brute(q).tolist()))
    with threadpool_limits(1):  # one BLAS thread: steadier than threads woken per query on a busy machine
        numpy_ms = [_timed(partial(brute, q), 1)[0] for q in queries]
    s50, s95 = percentiles(store_ms)
    n50, n95 = percentiles(numpy_ms)
    return {
        "p50_ms": s50,
        "p95_ms": s95,
        "numpy_p50_ms": n50,
        "numpy_p95_ms": n95,
        "recall_at_5": hits / (K * len(queries)),
    }


def run(sizes: list[int], n_queries: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    vectors, centres = synthetic_chunks(rng, max(sizes))
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp, chroma_server(Path(tmp) / "server") as (host, port, server_pid):
        backends = {
            "embedded": Settings(_env_file=None, data_dir=Path(tmp) / "embedded"),
            "server": Settings(_env_file=None, data_dir=Path(tmp) / "client", chroma_host=host, chroma_port=port),
        }
        for backend, settings in backends.items():
            store = make_vector_store(settings)
            store.delete_candidate(CANDIDATE)
            base_rss = rss_mb(server_pid if backend == "server" else None)
            index = store.for_candidate(CANDIDATE)
            filled = 0
            for size in sorted(sizes):
                rate = _fill(index, vectors[:size], filled)
                filled = size
                topics = centres[rng.integers(0, -(-size // CHUNKS_PER_DOC), n_queries)]
                queries = _normalised(topics + SPREAD * _unit(rng, n_queries))  # a question about one document
                row = {"backend": backend, "chunks": size, "add_per_s": rate} | measure(index, vectors[:size], queries)
                row["rss_mb"] = rss_mb(server_pid if backend == "server" else None) - base_rss
                rows.append(row)
                print(_line(row), flush=True)
            store.delete_candidate(CANDIDATE)
    return rows


def _line(r: dict[str, Any]) -> str:
    return (
        f"{r['backend']:>8} {r['chunks']:>7}: p50 {r['p50_ms']:6.2f} ms  p95 {r['p95_ms']:6.2f} ms  "
        f"(numpy {r['numpy_p50_ms']:5.2f}/{r['numpy_p95_ms']:5.2f} ms, "
        f"ratio p50 {r['p50_ms'] / r['numpy_p50_ms']:5.1f})  "
        f"recall@5 {r['recall_at_5']:.3f}  add {r['add_per_s']:.0f}/s  memory +{r['rss_mb']:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the throwaway server on the way out
    rows = run(args.sizes, args.queries)
    embedded = {r["chunks"]: r for r in rows if r["backend"] == "embedded"}
    top = embedded[max(embedded)]
    print(f"target: embedded p50 < 20 ms at {max(embedded)} chunks -> {top['p50_ms']:.2f} ms")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
