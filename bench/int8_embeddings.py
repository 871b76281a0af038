"""int8 vs fp32 embeddings: encode throughput on real chunks, and retrieval on the evaluation's labelled set.

Run with `python -m bench.int8_embeddings [--repeat N] [--candidates N] [--json FILE]` (needs ../shared/data). Both
models run in the same process on the same chunk texts (the shared CVs and write-ups, chunked as ingest does); the
fastest of N runs each is kept. Retrieval: the evaluation's planted-fact set is built once per precision, and for each
query the top 5 chunks are compared: recall@5 against the labels for each, and agreement (share of the fp32 top 5 that
int8 also returns). Target: int8 >= 2x fp32 throughput with recall@5 kept.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from eval.corpus import Corpus, CorpusMissing
from eval.retrieval import build_retrieval_set, run_queries
from ingest.chunking import chunk_document
from ingest.loaders import load_document
from vetting.kernel.errors import DocumentError
from vetting.kernel.settings import Settings
from vetting.metrics import mean, recall_at_k
from vetting.services import Services

K = 5


def chunk_texts(services: Services, corpus: Corpus) -> list[str]:
    """The corpus's chunks exactly as ingest would cut them."""
    texts: list[str] = []
    for path in [*corpus.cvs(), *corpus.writeups()]:
        try:
            document = load_document(path, services.settings, filename=path.name)
        except DocumentError:
            continue
        chunks = chunk_document(
            document,
            candidate_id="bench",
            doc_id="bench",
            filename=path.name,
            count=services.embedder.tokenize,
            size=services.settings.chunk_tokens,
            overlap=services.settings.chunk_overlap,
        )
        texts += [c.text for c in chunks]
    return texts


def throughput(by_precision: dict[str, Services], texts: list[str], repeat: int) -> dict[str, float]:
    """Chunks per second of each embedder, best of `repeat` runs, runs interleaved so both see the same machine."""
    for services in by_precision.values():
        services.embedder.embed(texts[:16])  # load and warm
    best = {name: float("inf") for name in by_precision}
    for _ in range(repeat):
        for name, services in by_precision.items():
            start = time.perf_counter()
            services.embedder.embed(texts)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: len(texts) / seconds for name, seconds in best.items()}


def retrieval(services: Services, corpus: Corpus, work: Path, candidates: int | None) -> dict[str, Any]:
    """Top-5 chunk keys (document, position) per query, and recall@5 against the planted-fact labels."""
    labelled = build_retrieval_set(services, corpus, work, seed=13, candidates=candidates)
    ranked = run_queries(services, labelled.queries, K)
    keys: dict[str, tuple[str, int]] = {}
    for candidate_id in {q.candidate_id for q in labelled.queries}:
        keys |= {c.id: (c.document, c.index) for c in services.store.for_candidate(candidate_id).chunks()}
    return {
        "top": {q.id: [keys[i] for i in r[:K]] for q, r in zip(labelled.queries, ranked, strict=True)},
        "recall": {q.id: recall_at_k(r, q.relevant, K) for q, r in zip(labelled.queries, ranked, strict=True)},
    }


def run(repeat: int, candidates: int | None) -> dict[str, Any]:
    try:
        corpus = Corpus.locate()
    except CorpusMissing as exc:
        sys.exit(str(exc))
    with tempfile.TemporaryDirectory() as tmp:
        by_precision = {
            p: Services(Settings(_env_file=None, data_dir=Path(tmp) / p, embedding_precision=p))
            for p in ("fp32", "int8")
        }
        texts = chunk_texts(by_precision["fp32"], corpus)
        rates = throughput(by_precision, texts, repeat)
        found = {p: retrieval(s, corpus, Path(tmp) / f"set-{p}", candidates) for p, s in by_precision.items()}
    common = sorted(set(found["fp32"]["top"]) & set(found["int8"]["top"]))
    agreement = mean(
        len(set(found["fp32"]["top"][q]) & set(found["int8"]["top"][q])) / max(len(found["fp32"]["top"][q]), 1)
        for q in common
    )
    return {
        "chunks": len(texts),
        "fp32_chunks_per_s": rates["fp32"],
        "int8_chunks_per_s": rates["int8"],
        "speedup": rates["int8"] / rates["fp32"],
        "queries": len(common),
        "fp32_recall_at_5": mean(found["fp32"]["recall"][q] for q in common),
        "int8_recall_at_5": mean(found["int8"]["recall"][q] for q in common),
        "top5_agreement": agreement,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="encode runs of each precision; the fastest counts")
    parser.add_argument("--candidates", type=int, default=None, help="limit the labelled set to this many CVs")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    r = run(args.repeat, args.candidates)
    print(f"{r['chunks']} chunks of the shared corpus; {r['queries']} labelled queries")
    print(f"fp32 encode: {r['fp32_chunks_per_s']:.1f} chunks/s")
    print(f"int8 encode: {r['int8_chunks_per_s']:.1f} chunks/s  speed-up {r['speedup']:.2f}x  (target >= 2)")
    print(f"recall@5: fp32 {r['fp32_recall_at_5']:.3f}  int8 {r['int8_recall_at_5']:.3f}")
    print(f"top-5 agreement int8 vs fp32: {r['top5_agreement']:.3f}")
    if args.json:
        args.json.write_text(json.dumps(r, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
