"""Ingest benchmark: the shared CV corpus end to end, against a bare `encode()` of the same chunks in the same run.

Run with `make bench` or `python -m bench.ingest_throughput [--repeat N]`. Prints pages/s, chunks/s, peak memory and the
ratio of end-to-end ingest throughput to the bare encoder (target ≥ 0.75), with every PDF page rendered for the
hidden-text check.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from vetting.kernel.settings import Settings
from vetting.services import Services

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def corpus() -> list[Path]:
    """Every CV (PDF, DOCX, JSON Resume, Markdown) and the system-design write-ups."""
    resumes = SHARED / "resumes"
    files = sorted((resumes / "pdf").glob("*.pdf")) + sorted((resumes / "docx").glob("*.docx"))
    files += sorted((resumes / "json_md").glob("*.resume.json")) + sorted((resumes / "json_md").glob("*.md"))
    files += sorted((SHARED / "interview_qa" / "system_design_primer").glob("*.md"))
    return files


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render_seconds(files: list[Path]) -> float:
    """Time PDFium spends drawing every PDF page twice (with and without its text), as the hidden-text check does."""
    from ingest.pdf_render import PageRenderer

    started = time.perf_counter()
    for path in files:
        if path.suffix.lower() != ".pdf":
            continue
        with PageRenderer(path.read_bytes()) as renderer:
            for index in range(len(renderer)):
                renderer.unseen(index, [(0.0, 0.0, 1.0, 1.0)])
    return time.perf_counter() - started


def run(repeat: int) -> dict[str, float]:
    files = corpus()
    if not files:
        sys.exit(f"No corpus found under {SHARED}: this benchmark needs ../shared/data beside the checkout.")
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(Settings(_env_file=None, data_dir=Path(tmp)))  # type: ignore[call-arg]
        embedder = services.embedder
        embedder.embed(["warm-up sentence for the model"] * 8)
        e2e, bare, pages, chunks = [], [], 0, 0
        for i in range(repeat):
            start = time.perf_counter()
            report = services.ingestor.ingest(files, f"Benchmark {i}")
            e2e.append(time.perf_counter() - start)
            rejected = [d for d in report.documents if d.status == "rejected"]
            if rejected:
                print(f"warning: {len(rejected)} file(s) rejected: {[d.error for d in rejected]}", file=sys.stderr)
            pages = sum(d.pages for d in report.documents)
            texts = [c.text for c in services.store.for_candidate(report.candidate.id).chunks()]
            chunks = len(texts)
            start = time.perf_counter()
            embedder.embed(texts)
            bare.append(time.perf_counter() - start)
            print(f"run {i + 1}: ingest {e2e[-1]:.2f} s, bare encode {bare[-1]:.2f} s", file=sys.stderr)
        t_e2e, t_bare = min(e2e), min(bare)
        return {
            "files": len(files),
            "pages": pages,
            "chunks": chunks,
            "ingest_s": t_e2e,
            "encode_s": t_bare,
            "pages_per_s": pages / t_e2e,
            "chunks_per_s": chunks / t_e2e,
            "bare_chunks_per_s": chunks / t_bare,
            "ratio": t_bare / t_e2e,
            "peak_rss_mb": peak_rss_mb(),
            "render_s": render_seconds(files),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the fastest is reported")
    r = run(parser.parse_args().repeat)
    print(f"corpus: {r['files']:.0f} files, {r['pages']:.0f} pages, {r['chunks']:.0f} chunks")
    print(
        f"end-to-end ingest: {r['ingest_s']:.2f} s  ({r['pages_per_s']:.1f} pages/s, {r['chunks_per_s']:.1f} chunks/s)"
    )
    print(f"bare encode():     {r['encode_s']:.2f} s  ({r['bare_chunks_per_s']:.1f} chunks/s)")
    print(f"ratio ingest / bare encoder throughput: {r['ratio']:.2f}  (target >= 0.75)")
    print(f"PDF rendering (inside the ingest above): {r['render_s']:.2f} s, {r['render_s'] / r['ingest_s']:.0%} of it")
    print(f"peak memory (RSS): {r['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
