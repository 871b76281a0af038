"""Scaling report: how ingest, planning, queries and memory grow with the corpus; prints the README's tables.

Run with `python -m bench.scaling [--copies N] [--query-json FILE] [--int8-json FILE]` (needs ../shared/data). Each
copy of the corpus is ingested as new candidates (one per CV or write-up) into the same store, so the store grows copy
by copy; for each copy it measures end-to-end ingest against a bare `encode()` of the same chunks (each ingest followed
at once by its encode, so both see the same machine load), a warm plan for one of the new candidates against a bare
retrieval of the rubric's criteria with their vectors already computed (what a warm plan starts from), and peak
memory. Query latency and int8 results come from `bench.query_latency` and `bench.int8_embeddings` (run here unless
their JSON is given).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from cases import get_case
from eval.corpus import Corpus, CorpusMissing
from rubrics import get_rubric
from vetting.kernel.domain import Upload
from vetting.kernel.settings import Settings
from vetting.planning import retrieval
from vetting.services import Services

CASE = "rag-customer-support"


def _median_ms(action: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def growth(copies: int) -> list[dict[str, Any]]:
    """One row per corpus copy ingested into the same, growing store."""
    try:
        corpus = Corpus.locate()
    except CorpusMissing as exc:
        sys.exit(str(exc))
    files = [*corpus.cvs(), *corpus.writeups()]  # one candidate per file
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(Settings(_env_file=None, data_dir=Path(tmp)))
        embedder, planner = services.embedder, services.planner
        embedder.embed(["warm-up sentence for the model"] * 8)
        rubric = get_rubric(services.settings, get_case(services.settings, CASE).rubric)
        criteria = [retrieval.criterion_query(c) for c in rubric.criteria]
        stored = 0
        for copy in range(1, copies + 1):
            ingest_s = encode_s = 0.0
            people, texts = [], []
            for f in files:  # each ingest is followed at once by a bare encode of its chunks: same load on both
                started = time.perf_counter()
                report = services.ingestor.ingest([Upload.of(f)], f"{f.stem} #{copy}")
                ingest_s += time.perf_counter() - started
                if not any(d.status == "ingested" for d in report.documents):
                    continue
                people.append(report.candidate)
                mine = [c.text for c in services.store.for_candidate(report.candidate.id).chunks()]
                started = time.perf_counter()
                embedder.embed(mine)
                encode_s += time.perf_counter() - started
                texts += mine
            person = people[0]
            index = services.store.for_candidate(person.id)
            vectors = embedder.embed(criteria)
            planner.plan(person, CASE)  # criterion vectors cached, as in a running app
            rows.append(
                {
                    "copy": copy,
                    "store_chunks_before": stored,
                    "candidates": len(people),
                    "chunks": len(texts),
                    "ingest_chunks_per_s": len(texts) / ingest_s,
                    "encode_chunks_per_s": len(texts) / encode_s,
                    "ingest_vs_encoder": encode_s / ingest_s,
                    "plan_ms": _median_ms(partial(planner.plan, person, CASE)),
                    "retrieve_ms": _median_ms(partial(index.query_many, vectors, k=20)),
                    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                }
            )
            print(json.dumps(rows[-1]), flush=True)
            stored += len(texts)
    return rows


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def markdown(growth_rows: list[dict[str, Any]], query_rows: list[dict[str, Any]], int8: dict[str, Any] | None) -> str:
    """The README's scaling section body, straight from the measurements."""
    out = [
        _row(
            "corpus copy", "chunks already stored", "ingest chunks/s", "bare encode chunks/s", "ingest / encoder",
            "plan p50 ms", "bare retrieval ms", "plan / retrieval", "peak RSS MB",
        ),
        _row(*["---"] * 9),
    ]  # fmt: skip
    out += [
        _row(
            r["copy"], f"{r['store_chunks_before']:,}", f"{r['ingest_chunks_per_s']:.1f}",
            f"{r['encode_chunks_per_s']:.1f}", f"{r['ingest_vs_encoder']:.2f}", f"{r['plan_ms']:.1f}",
            f"{r['retrieve_ms']:.1f}", f"{r['plan_ms'] / r['retrieve_ms']:.2f}", f"{r['peak_rss_mb']:.0f}",
        )
        for r in growth_rows
    ]  # fmt: skip
    out += [
        "",
        _row(
            "store", "chunks in one candidate's index", "query p50 ms", "query p95 ms", "numpy exact p50 ms",
            "p50 / numpy", "recall@5 vs exact", "adds/s", "store memory MB",
        ),
        _row(*["---"] * 9),
    ]  # fmt: skip
    out += [
        _row(
            r["backend"], f"{r['chunks']:,}", f"{r['p50_ms']:.2f}", f"{r['p95_ms']:.2f}", f"{r['numpy_p50_ms']:.2f}",
            f"{r['p50_ms'] / r['numpy_p50_ms']:.1f}", f"{r['recall_at_5']:.3f}", f"{r['add_per_s']:.0f}",
            f"+{r['rss_mb']:.0f}",
        )
        for r in query_rows
    ]  # fmt: skip
    if int8:
        out += [
            "",
            _row("embeddings", "chunks/s", "speed-up", "recall@5 (planted facts)", "top-5 agreement with fp32"),
            _row(*["---"] * 5),
            _row(
                "fp32 (sentence-transformers)", f"{int8['fp32_chunks_per_s']:.1f}", "1.00",
                f"{int8['fp32_recall_at_5']:.3f}", "1.000",
            ),
            _row(
                "int8 (ONNX Runtime)", f"{int8['int8_chunks_per_s']:.1f}", f"{int8['speedup']:.2f}",
                f"{int8['int8_recall_at_5']:.3f}", f"{int8['top5_agreement']:.3f}",
            ),
        ]  # fmt: skip
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3, help="copies of the corpus ingested one after another")
    parser.add_argument("--query-json", type=Path, help="rows written by `bench.query_latency --json`")
    parser.add_argument("--int8-json", type=Path, help="results written by `bench.int8_embeddings --json`")
    parser.add_argument("--json", type=Path, help="also write the growth rows to this file")
    parser.add_argument("--growth-json", type=Path, help="rows written by an earlier `--json`: render, do not measure")
    args = parser.parse_args()
    rows = json.loads(args.growth_json.read_text(encoding="utf-8")) if args.growth_json else growth(args.copies)
    if args.json and not args.growth_json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    if args.query_json:
        queries = json.loads(args.query_json.read_text(encoding="utf-8"))
    else:
        from bench.query_latency import run as run_queries

        queries = run_queries([1_000, 10_000, 100_000], 200)
    if args.int8_json:
        int8 = json.loads(args.int8_json.read_text(encoding="utf-8"))
    else:
        from bench.int8_embeddings import run as run_int8

        int8 = run_int8(3, None)
    print()
    print(markdown(rows, queries, int8))


if __name__ == "__main__":
    main()
