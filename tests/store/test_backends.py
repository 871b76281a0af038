"""The store suite on every backend pairing: embedded Chroma or a real Chroma server, SQLite or a real PostgreSQL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from vetting.kernel.settings import Settings
from vetting.recovery import consistency_problems
from vetting.services import Services
from vetting.store import MAX_OPEN_COLLECTIONS, make_vector_store

# The environment `make run` gives the app (glibc hands freed memory back to the system only with few malloc arenas).
RUNTIME_ENV = dict(re.findall(r"^export (\w+) := (\S+)$", (REPO / "Makefile").read_text(), flags=re.MULTILINE))
NOTE = """# Payments ledger

I designed the double-entry ledger for card payments in Go, reconciling 2 million transactions a day.
We moved settlement from nightly batches to streaming, which cut reconciliation breaks by 70%.

## Team

I mentored three engineers and ran the on-call rotation for the ledger service.
"""
OTHER = """# Mobile app

I rewrote the Android client in Kotlin and shipped offline sync with conflict resolution.
Crash-free sessions went from 97.1% to 99.6% over two releases.
"""


@pytest.fixture
def services(backend_settings: Settings, embedder) -> Iterator[Services]:  # type: ignore[no-untyped-def]
    built = Services(backend_settings, embedder=embedder)
    yield built
    built.db.engine.dispose()


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _consistent(services: Services) -> list[str]:
    return consistency_problems(services.candidates, whole_store=not services.settings.chroma_host)


def test_ingest_stores_chunks_and_records(services: Services, tmp_path: Path) -> None:
    report = services.ingestor.ingest([_file(tmp_path, "ledger.md", NOTE)], "Grace Hopper")
    (result,) = report.documents
    assert result.status == "ingested" and result.chunks >= 1
    chunks = services.store.for_candidate(report.candidate.id).chunks()
    assert len(chunks) == result.chunks
    assert "double-entry ledger" in " ".join(c.text for c in chunks)
    (row,) = services.candidates.documents(report.candidate.id)
    assert (row.filename, row.chunks, row.doc_id) == ("ledger.md", result.chunks, result.doc_id)
    assert _consistent(services) == []


def test_candidates_are_isolated(services: Services, tmp_path: Path) -> None:
    grace = services.ingestor.ingest([_file(tmp_path, "ledger.md", NOTE)], "Grace")
    alan = services.ingestor.ingest([_file(tmp_path, "mobile.md", OTHER)], "Alan")
    query = services.embedder.embed(["double-entry ledger reconciliation"])[0]
    alan_hits = services.store.for_candidate(alan.candidate.id).query(query, k=10)
    assert alan_hits and all(h.chunk.candidate_id == alan.candidate.id for h in alan_hits)
    assert not any("ledger" in h.chunk.text for h in alan_hits)
    grace_hits = services.store.for_candidate(grace.candidate.id).query(query, k=1)
    assert "ledger" in grace_hits[0].chunk.text.lower()


def test_reingesting_is_idempotent_and_a_change_replaces(services: Services, tmp_path: Path) -> None:
    path = _file(tmp_path, "ledger.md", NOTE)
    first = services.ingestor.ingest([path], "Grace")
    index = services.store.for_candidate(first.candidate.id)
    ids = index.chunk_ids()
    again = services.ingestor.ingest([path], "Grace")
    assert again.documents[0].status == "unchanged" and index.chunk_ids() == ids
    path.write_text(NOTE.replace("70%", "85%"), encoding="utf-8")
    changed = services.ingestor.ingest([path], "Grace")
    assert changed.documents[0].status == "ingested"
    text = " ".join(c.text for c in index.chunks())
    assert "85%" in text and "70%" not in text
    assert len(services.candidates.documents(first.candidate.id)) == 1
    assert _consistent(services) == []


def test_the_same_content_under_two_names_survives_a_change_to_one(services: Services, tmp_path: Path) -> None:
    a, b = _file(tmp_path, "a.md", NOTE), _file(tmp_path, "b.md", NOTE)
    report = services.ingestor.ingest([a, b], "Grace")
    a.write_text(OTHER, encoding="utf-8")
    services.ingestor.ingest([a], "Grace")
    chunks = services.store.for_candidate(report.candidate.id).chunks()
    assert any("double-entry" in c.text for c in chunks)  # still b.md's content
    assert any("Kotlin" in c.text for c in chunks)
    assert _consistent(services) == []


def test_erasure_removes_chunks_files_and_records_of_that_candidate_only(services: Services, tmp_path: Path) -> None:
    gone = services.ingestor.ingest([_file(tmp_path, "ledger.md", NOTE)], "Grace")
    kept = services.ingestor.ingest([_file(tmp_path, "mobile.md", OTHER)], "Alan")
    services.candidates.delete("Grace")
    cid = gone.candidate.id
    assert services.store.collection_name(cid) not in services.store.candidate_collections()
    assert services.store.for_candidate(cid).count() == 0
    assert not services.candidates.files_of(cid).exists()
    assert services.candidates.documents(cid) == []
    assert [c.name for c, _, _ in services.candidates.overview()] == ["Alan"]
    assert services.store.for_candidate(kept.candidate.id).count() == kept.documents[0].chunks
    assert _consistent(services) == []


def test_a_reader_sees_what_another_process_wrote(store_backend: Settings) -> None:
    """An open store notices another process's writes (the embedded store reopens itself when it has to)."""
    index = make_vector_store(store_backend).for_candidate("feedc0de01")
    assert index.count() == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("VETTING_")}
    if store_backend.chroma_host:
        env |= {"VETTING_CHROMA_HOST": store_backend.chroma_host, "VETTING_CHROMA_PORT": str(store_backend.chroma_port)}
    for seed, expected in ((1, 40), (2, 80)):
        command = [sys.executable, "-m", "tests.store.store_worker", str(store_backend.data_dir), "upsert"]
        done = subprocess.run(
            [*command, "feedc0de01", "2", str(seed)], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert index.count() == expected
        probe = index.vectors([f"{seed}-1-7"])
        assert index.query(probe[0], k=1)[0].chunk.id == f"{seed}-1-7"
    make_vector_store(store_backend).delete_candidate("feedc0de01")


@pytest.mark.slow
def test_touching_many_candidates_keeps_memory_bounded_and_data_whole(settings: Settings) -> None:
    """The embedded store holds each opened index in memory; past a bound it reopens, so memory stays flat.

    Runs as the app does: `make run` sets glibc's MALLOC_* variables, so memory the closed store frees goes back.
    """
    malloc = {k: v for k, v in RUNTIME_ENV.items() if k.startswith("MALLOC_")}
    assert "MALLOC_ARENA_MAX" in malloc
    env = {**os.environ, "PYTHONPATH": str(REPO), **malloc}
    run = subprocess.run(
        [sys.executable, "-m", "tests.store.memory_worker", str(settings.data_dir), str(3 * MAX_OPEN_COLLECTIONS)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    grown = float(run.stdout.strip().splitlines()[-1])
    assert grown < 2.5 * MAX_OPEN_COLLECTIONS * 1.5, f"{grown:.0f} MB for {3 * MAX_OPEN_COLLECTIONS} candidates"
    store = make_vector_store(settings)
    for n in range(0, 3 * MAX_OPEN_COLLECTIONS, 5):  # everything written is still there after the reopenings
        index = store.for_candidate(f"many{n:06d}")
        assert index.count() == 8
        assert index.query(index.vectors([f"many{n:06d}-5"])[0], k=1)[0].chunk.id == f"many{n:06d}-5"
