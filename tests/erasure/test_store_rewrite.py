"""Erasure on a store whose segments cannot just be zeroed, and erasures cut short: nothing of the candidate stays."""

from __future__ import annotations

from pathlib import Path

from tests.erasure.test_physical_erasure import EMAIL, KEPT, NAME, PHRASE, _fill, _services, kept_answers
from tests.store.crash_worker import HashEmbedder
from vetting.erasure import find_bytes, vector_segment
from vetting.kernel.settings import Settings
from vetting.services import Services
from vetting.store_rebuild import build_in_fresh_process, export_collections, owe_purge, purge_owed, work_folder

NEEDLES = [NAME, "Quibbleworth", EMAIL, PHRASE]


def _two_candidates(settings: Settings, tmp_path: Path) -> Services:
    services = _services(settings, HashEmbedder())
    _fill(services, tmp_path / "in", NAME, EMAIL, PHRASE)
    _fill(services, tmp_path / "in", KEPT, "mo@example.org", "Hydraulic spreadsheet gardening")
    return services


def _make_legacy(services: Services, name: str) -> Path:
    """Write a candidate's collection as earlier versions did (Chroma's default: the index synced every 1,000)."""
    store = services.vector_store
    index = store.for_candidate(services.candidates.find(name).id)
    chunks = index.chunks()
    vectors = index.vectors([c.id for c in chunks])
    with store.writing():
        store.client.delete_collection(index.name)
        store._reopen()
        legacy = store.client.create_collection(
            index.name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )
        legacy.add(
            ids=[c.id for c in chunks],
            embeddings=vectors,
            documents=[c.text for c in chunks],
            metadatas=[c.metadata() for c in chunks],
        )
        store._reopen()
    assert store.path is not None
    segment = vector_segment(store.path, str(legacy.id))
    assert segment is not None and not (segment / "index_metadata.pickle").exists(), "a segment never persisted"
    return segment


def _segments(settings: Settings) -> list[Path]:
    return [p for p in (settings.data_dir / "chroma").iterdir() if p.is_dir()]


def test_a_store_of_an_earlier_version_is_rewritten_by_a_fresh_process(settings: Settings, tmp_path: Path) -> None:
    services = _two_candidates(settings, tmp_path)
    legacy = _make_legacy(services, KEPT)
    answers = kept_answers(services, KEPT)

    erasure = services.candidates.erase(NAME)

    assert erasure.complete
    assert find_bytes([settings.data_dir], NEEDLES) == []
    assert kept_answers(services, KEPT) == answers, "the same chunks and nearest neighbours after the rewrite"
    [segment] = _segments(settings)
    assert segment != legacy and (segment / "index_metadata.pickle").is_file(), "a new, persisted segment"
    assert list(work_folder(settings.data_dir / "chroma").glob("*")) == []


def test_an_erasure_killed_after_the_delete_is_finished_at_start_up(settings: Settings, tmp_path: Path) -> None:
    services = _two_candidates(settings, tmp_path)
    answers = kept_answers(services, KEPT)
    chroma = settings.data_dir / "chroma"
    owe_purge(chroma)  # what `erase` marks first; the process then dies after the logical delete
    services.registry.erase(NAME, physical=False)
    assert find_bytes([settings.data_dir], NEEDLES), "a logical delete leaves the bytes behind"

    assert Services(settings).registry is not None  # start-up

    assert not purge_owed(chroma)
    assert find_bytes([settings.data_dir], NEEDLES) == []
    assert kept_answers(services, KEPT) == answers


def test_a_rewrite_killed_between_its_renames_is_completed(settings: Settings, tmp_path: Path) -> None:
    services = _two_candidates(settings, tmp_path)
    _make_legacy(services, KEPT)
    answers = kept_answers(services, KEPT)
    chroma = settings.data_dir / "chroma"
    folder = work_folder(chroma)
    owe_purge(chroma)
    services.registry.erase(NAME, physical=False)
    services.vector_store._reopen()
    export_collections(chroma, folder / "export")
    build_in_fresh_process(folder / "export", folder / "building")
    (folder / "building").rename(folder / "next")
    chroma.rename(folder / "old")  # killed here: no store under its name until the next one opens it

    assert Services(settings).registry is not None  # start-up

    assert kept_answers(services, KEPT) == answers
    assert find_bytes([settings.data_dir], NEEDLES) == []
    assert not purge_owed(chroma) and list(folder.glob("*")) == []
