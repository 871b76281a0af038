"""Concurrent writers: real processes on one embedded store wait for each other (or hear 'busy'), never corrupt it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from vetting.kernel.errors import StoreBusy
from vetting.kernel.settings import Settings
from vetting.locks import StoreLock
from vetting.recovery import consistency_problems
from vetting.services import Services
from vetting.store import make_vector_store


def _worker(data_dir: Path, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.store_worker", str(data_dir), *map(str, args)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VETTING_")}
    env["VETTING_DATA_DIR"] = str(settings.data_dir)
    if settings.chroma_host:
        env["VETTING_CHROMA_HOST"], env["VETTING_CHROMA_PORT"] = settings.chroma_host, str(settings.chroma_port)
    if settings.database_url:
        env["VETTING_DATABASE_URL"] = settings.database_url
    return env | extra


def _vet(settings: Settings, *args: str, **extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", "from vetting.cli import main; main()", *args]
    return subprocess.Popen(
        command, cwd=REPO, env=_env(settings, **extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_readers_share_and_a_writer_excludes(tmp_path: Path) -> None:
    first, second = StoreLock(tmp_path / "s.lock", 0.3), StoreLock(tmp_path / "s.lock", 0.3)
    with first.shared(), second.shared():
        pass  # two readers at once
    with first.shared(), pytest.raises(StoreBusy, match="busy"), second.exclusive():
        pass
    with first.exclusive(), pytest.raises(StoreBusy), second.shared():
        pass


def test_a_write_elsewhere_makes_a_reader_reload(tmp_path: Path) -> None:
    stale: list[int] = []
    reader = StoreLock(tmp_path / "s.lock", 1, on_stale=lambda: stale.append(1))
    writer = StoreLock(tmp_path / "s.lock", 1)
    with reader.shared():
        pass
    with reader.shared():
        pass
    assert stale == []  # nobody wrote
    with writer.exclusive():
        pass
    with reader.shared():
        pass
    assert stale == [1]


def test_two_processes_writing_one_embedded_store_lose_nothing(settings: Settings) -> None:
    """Without the lock this corrupts Chroma's index ('Error finding id'); with it, every vector is there."""
    rounds = 60
    jobs = [("aaaaaa01", 1), ("aaaaaa01", 2), ("bbbbbb02", 3)]  # two writers on one candidate, one on another
    workers = [_worker(settings.data_dir, "upsert", cid, rounds, seed) for cid, seed in jobs]
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0 and out.strip() == "done", err[-2000:]
    store = make_vector_store(settings)
    shared, single = store.for_candidate("aaaaaa01"), store.for_candidate("bbbbbb02")
    assert shared.count() == 2 * rounds * 20 and single.count() == rounds * 20
    ids = sorted(shared.chunk_ids())[::97]
    vectors = shared.vectors(ids)
    hits = shared.query_many(vectors, k=1)
    assert [h[0].chunk.id for h in hits] == ids  # every stored vector finds itself: the index is whole


def test_a_second_writer_waits_for_the_first(settings: Settings) -> None:
    holder = _worker(settings.data_dir, "hold", 2)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    store = make_vector_store(settings.model_copy(update={"store_lock_timeout_s": 60.0}))
    with store.writing():
        acquired = time.time()
    released = float(holder.stdout.readline().split()[1])
    holder.wait(timeout=30)
    assert acquired > released  # it got in only once the first writer had let go


def test_a_writer_that_cannot_get_in_is_told_the_store_is_busy(settings: Settings, tmp_path: Path) -> None:
    holder = _worker(settings.data_dir, "hold", 600)  # killed below; long enough for a slow `vet` start
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        note = tmp_path / "note.md"
        note.write_text("# Note\n\nI wrote a compiler for a teaching language in OCaml.\n", encoding="utf-8")
        started = time.monotonic()
        vet = _vet(settings, "ingest", str(note), "--candidate", "Ada", VETTING_STORE_LOCK_TIMEOUT_S="1")
        _, err = vet.communicate(timeout=300)
        assert vet.returncode == 1, err
        assert "store is busy" in err and "Traceback" not in err
        assert time.monotonic() - started < 120  # a clear answer, not a hang
    finally:
        holder.kill()
        holder.wait()
    services = Services(settings)
    assert consistency_problems(services.candidates) == []  # the refused ingest left no trace
    assert services.candidates.overview() == []


@pytest.mark.slow
def test_two_ingests_at_once_both_succeed(store_backend: Settings, tmp_path: Path) -> None:
    folders = []
    for who in ("ada", "alan"):
        folder = tmp_path / who
        folder.mkdir()
        for i in range(4):
            lines = [f"# Project {i} of {who}"] + [f"Line {j}: {who} built part {i}.{j} in Rust." for j in range(40)]
            (folder / f"{who}-project{i}.md").write_text("\n".join(lines), encoding="utf-8")
        folders.append(folder)
    runs = [
        _vet(store_backend, "ingest", str(folders[0]), "--candidate", "Ada", "--json"),
        _vet(store_backend, "ingest", str(folders[1]), "--candidate", "Alan", "--json"),
        _vet(store_backend, "ingest", str(folders[1]), "--candidate", "Ada", "--json"),
    ]
    for run in runs:
        _, err = run.communicate(timeout=900)
        assert run.returncode == 0, err[-2000:]
    services = Services(store_backend)
    overview = {c.name: (docs, chunks) for c, docs, chunks in services.candidates.overview()}
    assert overview["Ada"][0] == 8 and overview["Alan"][0] == 4
    assert consistency_problems(services.candidates, whole_store=not store_backend.chroma_host) == []


def test_several_sessions_in_one_process_do_not_interfere(store_backend: Settings, embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    services = Services(store_backend, embedder=embedder)
    errors: list[BaseException] = []
    found: dict[str, list[str]] = {}

    def session(name: str, topic: str) -> None:
        try:
            note = tmp_path / f"{name}.md"
            note.write_text(f"# Work\n\n{name} designed {topic} for a large retailer.\n", encoding="utf-8")
            report = services.ingestor.ingest([note], name)
            vector = embedder.embed([topic])[0]
            for _ in range(5):
                hits = services.store.for_candidate(report.candidate.id).query(vector, k=3)
                found[name] = [h.chunk.text for h in hits]
        except BaseException as exc:
            errors.append(exc)

    topics = {"Ada": "a pricing engine", "Alan": "a search index", "Grace": "a fraud model", "Edsger": "a CDN"}
    threads = [threading.Thread(target=session, args=item) for item in topics.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert errors == []
    for name, topic in topics.items():
        assert found[name] and all(name in text and topic in text for text in found[name])
    assert {c.name for c, _, _ in services.candidates.overview()} == set(topics)
