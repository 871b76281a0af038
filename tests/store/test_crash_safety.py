"""A writer killed with SIGKILL mid-ingest leaves store, files and database consistent; re-running completes it."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.backends import chroma_server_settings
from tests.conftest import REPO
from tests.store.crash_worker import build
from vetting.erasure import collection_segment
from vetting.hnsw_files import is_sound
from vetting.kernel.settings import Settings
from vetting.recovery import consistency_problems
from vetting.store import CandidateIndex


def _corpus(folder: Path, count: int, version: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        lines = [f"# Project {i}"] + [
            f"Step {j} (v{version}): I built and ran subsystem {i}-{j}, measured it, and fixed what broke."
            for j in range(12 + i % 7)
        ]
        path = folder / f"project-{i:02d}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def _worker(data_dir: Path, files: list[Path], *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_worker", str(data_dir), "Ada", *map(str, files), *extra],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


Stored = dict[str, list[tuple[int, str]]]


def _state(settings: Settings) -> tuple[list[str], Stored]:
    """Problems found after recovery (it runs as services start), and every stored chunk, by document."""
    services = build(settings)
    problems = consistency_problems(services.candidates, whole_store=not settings.chroma_host)
    chunks: Stored = {}
    for candidate, _, _ in services.candidates.overview():
        for chunk in services.store.for_candidate(candidate.id).chunks():
            chunks.setdefault(chunk.document, []).append((chunk.index, chunk.text))
    services.db.engine.dispose()
    return problems, chunks


def _complete_run(settings: Settings, files: list[Path]) -> Stored:
    report = build(settings).ingestor.ingest(files, "Ada")
    assert all(r.status in ("ingested", "unchanged") for r in report.documents)
    problems, chunks = _state(settings)
    assert problems == []
    return chunks


@pytest.mark.parametrize("point", ["after-upsert", "after-commit", "before-first-document"])
def test_a_writer_killed_at_each_point_of_a_write_is_recovered(settings: Settings, tmp_path: Path, point: str) -> None:
    files = _corpus(tmp_path / "docs", 3)
    if point == "after-commit":  # the old version must exist for a commit to replace it
        _complete_run(settings, files)
        _corpus(tmp_path / "docs", 3, version=2)
    worker = _worker(settings.data_dir, files, "--die-at", point)
    out, err = worker.communicate(timeout=300)
    assert worker.returncode == -9, err[-2000:]  # it really was killed, at that point
    assert "finished" not in out
    problems, _ = _state(settings)
    assert problems == []
    reference = _complete_run(settings.model_copy(update={"data_dir": tmp_path / "reference"}), files)
    assert _complete_run(settings, files) == reference  # nothing duplicated, nothing missing


def _killed_replacing(settings: Settings, tmp_path: Path) -> tuple[list[Path], Stored]:
    """Three documents committed (the files and their chunks returned), then a writer killed with a changed one's
    chunks stored but not committed."""
    files = _corpus(tmp_path / "docs", 3)
    before = _complete_run(settings, files)
    _corpus(tmp_path / "docs", 3, version=2)
    worker = _worker(settings.data_dir, files, "--die-at", "after-upsert")
    _, err = worker.communicate(timeout=300)
    assert worker.returncode == -9, err[-2000:]
    return files, before


def _cut_short_vector_index(data_dir: Path) -> None:
    """Leave the one candidate's vector index as a writer killed while Chroma persisted it can: its files cut short."""
    store = data_dir / "chroma"
    connection = sqlite3.connect(f"{(store / 'chroma.sqlite3').as_uri()}?mode=ro", uri=True)
    try:
        [(name,)] = connection.execute("SELECT name FROM collections WHERE name LIKE 'candidate_%'").fetchall()
    finally:
        connection.close()
    segment = collection_segment(store, name)
    assert segment is not None and is_sound(segment)
    level0 = segment / "data_level0.bin"
    with open(level0, "r+b") as handle:
        handle.truncate(level0.stat().st_size // 3)
    assert not is_sound(segment)


def test_a_vector_index_cut_short_by_the_kill_is_rebuilt_from_the_stored_documents(
    settings: Settings, tmp_path: Path
) -> None:
    """Chroma can apply no write to an index cut short (and may crash trying): recovery drops it and indexes every
    committed document again from its stored copy, before anything reads it."""
    files, before = _killed_replacing(settings, tmp_path)
    _cut_short_vector_index(settings.data_dir)
    problems, chunks = _state(settings)  # recovery runs as services start
    assert problems == []
    assert chunks == before  # the committed first versions, whole; nothing of the uncommitted one
    reference = _complete_run(settings.model_copy(update={"data_dir": tmp_path / "reference"}), files)
    assert _complete_run(settings, files) == reference


def test_an_index_rebuilt_under_other_chunk_settings_keeps_its_records_true(settings: Settings, tmp_path: Path) -> None:
    """The stored copies are chunked as the settings say now; each document's record follows its new chunk count."""
    _, before = _killed_replacing(settings, tmp_path)
    _cut_short_vector_index(settings.data_dir)
    finer = settings.model_copy(update={"chunk_tokens": 48, "chunk_overlap": 8})
    problems, chunks = _state(finer)
    assert problems == []
    assert set(chunks) == set(before) and sum(map(len, chunks.values())) > sum(map(len, before.values()))


def test_an_index_the_store_refuses_to_write_is_rebuilt_too(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files that look whole do not prove Chroma can apply its log: its InternalError on the undo also rebuilds."""
    from chromadb.errors import InternalError

    _, before = _killed_replacing(settings, tmp_path)
    refusals = []

    def refuse(self: CandidateIndex, doc_id: str) -> None:
        if self._store.collection(self.name) is None:  # dropped: nothing left to refuse
            return
        refusals.append(doc_id)
        raise InternalError("Error in compaction: Failed to apply logs to the hnsw segment writer")

    with monkeypatch.context() as patched:
        patched.setattr(CandidateIndex, "delete_document", refuse)
        problems, chunks = _state(settings)
    assert refusals and problems == [] and chunks == before


@pytest.mark.slow
@pytest.mark.parametrize("seed", [20240611, 3, 4])  # more kill moments: repeated kills once found a start-up crash
def test_writers_killed_at_random_moments_lose_nothing(settings: Settings, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    files = _corpus(tmp_path / "docs", 24)
    kills = 0
    for attempt in range(6):
        if attempt == 3:
            _corpus(tmp_path / "docs", 24, version=2)  # from now on, killed while replacing older versions
        worker = _worker(settings.data_dir, files)
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready", worker.stderr.read() if worker.stderr else ""
        for _ in range(rng.randint(1, len(files) - 1)):  # into the middle of a random file ...
            if not worker.stdout.readline():
                break
        time.sleep(rng.uniform(0, 0.15))  # ... and a random moment within it
        worker.kill()
        worker.wait(timeout=60)
        kills += worker.returncode == -9
        problems, _ = _state(settings)
        assert problems == [], f"after kill {attempt}: {problems}"
    assert kills >= 4  # most runs really were cut short
    reference = _complete_run(settings.model_copy(update={"data_dir": tmp_path / "reference"}), files)
    assert _complete_run(settings, files) == reference


def _paused_writer_is_left_alone(settings: Settings, tmp_path: Path, point: str) -> None:
    files = _corpus(tmp_path / "docs", 2)
    extra = ["--pause-at", point]
    if settings.chroma_host:
        extra += ["--chroma", f"{settings.chroma_host}:{settings.chroma_port}"]
    worker = _worker(settings.data_dir, files, *extra)
    try:
        assert worker.stdout is not None
        lines = [worker.stdout.readline().strip()]
        while lines[-1] and lines[-1] != "paused":
            lines.append(worker.stdout.readline().strip())
        assert lines[-1] == "paused", (lines, worker.stderr.read() if worker.stderr else "")
        services = build(settings)
        (candidate, _, _), *_ = services.candidates.overview()  # recovery ran: the live writer's candidate stays
        assert services.journal.pending(candidate.id)
        stored = services.store.for_candidate(candidate.id).count()
        assert (stored > 0) == (point == "after-upsert")
    finally:
        worker.kill()
        worker.wait(timeout=60)
    problems, chunks = _state(settings)  # now it is dead: its half-done write is undone
    assert problems == [] and chunks == {}


def test_recovery_leaves_a_live_writers_new_candidate_alone(store_backend: Settings, tmp_path: Path) -> None:
    """Only a dead writer's intents are undone: a slow but alive ingest keeps the candidate it just created."""
    _paused_writer_is_left_alone(store_backend, tmp_path, "before-first-document")


@pytest.mark.chroma_server
def test_recovery_leaves_a_live_writers_chunks_alone_on_a_server(settings: Settings, tmp_path: Path) -> None:
    """With a server there is no store lock, so liveness alone keeps recovery off a write under way."""
    _paused_writer_is_left_alone(chroma_server_settings(settings), tmp_path, "after-upsert")
