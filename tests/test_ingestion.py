"""The ingest path end to end on the real store and database: idempotency, replacement, isolation, erasure, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vetting.cli import main
from vetting.kernel.domain import Upload
from vetting.kernel.settings import Settings
from vetting.services import Services

PROJECT_NOTE = """# Search relevance project

I built a hybrid retrieval service in Python that combined BM25 and dense embeddings for the support team.
It cut median ticket resolution time by 18% across 40,000 tickets in the first quarter.

## Lessons

We learned that cleaning duplicated knowledge-base articles mattered more than the choice of embedding model.
"""


@pytest.fixture
def services(settings: Settings, embedder) -> Services:  # type: ignore[no-untyped-def]
    return Services(settings, embedder=embedder)  # share the one loaded model across tests


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ingest_stores_chunks_with_page_section_and_text(services: Services, tmp_path: Path) -> None:
    report = services.ingestor.ingest([_write(tmp_path, "project.md", PROJECT_NOTE)], "Ada Lovelace")
    (result,) = report.documents
    assert result.status == "ingested" and result.chunks >= 1 and result.error is None
    chunks = services.store.for_candidate(report.candidate.id).chunks()
    assert len(chunks) == result.chunks
    text = "\n".join(c.text for c in chunks)
    assert "hybrid retrieval service" in text and "18%" in text
    assert all(c.document == "project.md" and c.candidate_id == report.candidate.id for c in chunks)
    assert {c.section for c in chunks} <= {"Search relevance project", "Lessons"}


def test_reingesting_the_same_file_is_unchanged_and_adds_nothing(services: Services, tmp_path: Path) -> None:
    path = _write(tmp_path, "project.md", PROJECT_NOTE)
    first = services.ingestor.ingest([path], "Ada")
    index = services.store.for_candidate(first.candidate.id)
    ids_before = index.chunk_ids()
    second = services.ingestor.ingest([path], "Ada")
    assert second.documents[0].status == "unchanged"
    assert second.documents[0].doc_id == first.documents[0].doc_id
    assert index.chunk_ids() == ids_before


def test_a_changed_file_replaces_its_old_chunks(services: Services, tmp_path: Path) -> None:
    path = _write(tmp_path, "project.md", PROJECT_NOTE)
    first = services.ingestor.ingest([path], "Ada")
    path.write_text(PROJECT_NOTE.replace("18%", "23%"), encoding="utf-8")
    second = services.ingestor.ingest([path], "Ada")
    assert second.documents[0].status == "ingested"
    assert second.documents[0].doc_id != first.documents[0].doc_id
    texts = " ".join(c.text for c in services.store.for_candidate(first.candidate.id).chunks())
    assert "23%" in texts and "18%" not in texts
    assert len(services.candidates.documents(first.candidate.id)) == 1


def test_chunks_respect_the_token_budget(services: Services, tmp_path: Path) -> None:
    long_text = "\n".join(f"Line {i}: I designed and shipped component number {i} of the platform." for i in range(300))
    report = services.ingestor.ingest([_write(tmp_path, "long.txt", long_text)], "Ada")
    chunks = services.store.for_candidate(report.candidate.id).chunks()
    size = services.settings.chunk_tokens
    assert len(chunks) > 5
    assert all(len(services.embedder.tokenize(c.text)) <= size for c in chunks)
    joined = "\n".join(c.text for c in chunks)
    assert all(f"component number {i} " in joined for i in range(300))  # nothing lost between chunks


def test_candidates_are_isolated(services: Services, tmp_path: Path) -> None:
    ada = services.ingestor.ingest([_write(tmp_path, "a.md", PROJECT_NOTE)], "Ada")
    other = _write(
        tmp_path, "b.md", "# Payments\n\nI migrated the payments ledger from MySQL to PostgreSQL with zero downtime."
    )
    bob = services.ingestor.ingest([other], "Bob")
    query = services.embedder.embed(["hybrid retrieval BM25 ticket resolution"])[0]
    bob_hits = services.store.for_candidate(bob.candidate.id).query(query, k=10)
    assert bob_hits and all(h.chunk.candidate_id == bob.candidate.id for h in bob_hits)
    assert all("BM25" not in h.chunk.text for h in bob_hits)
    ada_hits = services.store.for_candidate(ada.candidate.id).query(query, k=10)
    assert all(h.chunk.candidate_id == ada.candidate.id for h in ada_hits)


def test_delete_erases_chunks_files_and_records(services: Services, tmp_path: Path) -> None:
    report = services.ingestor.ingest([_write(tmp_path, "a.md", PROJECT_NOTE)], "Ada")
    keep = services.ingestor.ingest(
        [_write(tmp_path, "b.md", "# Other\n\nI built a compiler for a toy language.")], "Bob"
    )
    cid = report.candidate.id
    assert services.candidates.files_of(cid).exists()
    services.candidates.delete("Ada")
    assert f"candidate-{cid}" not in services.store.candidate_collections()
    assert not services.candidates.files_of(cid).exists()
    assert [c.name for c, _, _ in services.candidates.overview()] == ["Bob"]
    assert services.store.for_candidate(keep.candidate.id).count() > 0


def test_a_rejected_file_does_not_stop_the_good_ones(services: Services, tmp_path: Path) -> None:
    good = _write(tmp_path, "good.md", PROJECT_NOTE)
    empty = _write(tmp_path, "empty.txt", "   \n")
    report = services.ingestor.ingest([Upload(empty, "empty.txt"), Upload(good, "good.md")], "Ada")
    statuses = {d.path: d.status for d in report.documents}
    assert statuses == {"empty.txt": "rejected", "good.md": "ingested"}
    assert report.documents[0].error and "empty.txt" in report.documents[0].error
    assert not report.ok


def test_a_new_candidate_with_only_rejected_files_leaves_nothing_behind(services: Services, tmp_path: Path) -> None:
    report = services.ingestor.ingest([_write(tmp_path, "empty.txt", "")], "Nobody")
    assert report.documents[0].status == "rejected"
    assert services.candidates.overview() == []
    assert services.store.candidate_collections() == []


def test_oversize_file_is_rejected_before_reading(settings: Settings, embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    small = Services(settings.model_copy(update={"max_upload_mb": 0.001}), embedder=embedder)
    report = small.ingestor.ingest([_write(tmp_path, "big.md", PROJECT_NOTE * 20)], "Ada")
    assert report.documents[0].status == "rejected"
    assert "limit" in (report.documents[0].error or "")


def _cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path, *args: str
) -> tuple[int, str]:
    from vetting.cli import common

    monkeypatch.setenv("VETTING_DATA_DIR", str(data))
    common.services.cache_clear()
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    common.services.cache_clear()
    return int(exit_info.value.code or 0), capsys.readouterr().out


def test_cli_json_contract_and_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    good = _write(tmp_path, "good.md", PROJECT_NOTE)
    bad = _write(tmp_path, "bad.txt", "")
    code, out = _cli(capsys, monkeypatch, data, "ingest", str(good), str(bad), "--candidate", "Ada", "--json")
    payload = json.loads(out)
    assert code == 1
    assert set(payload) == {"candidate", "documents"} and set(payload["candidate"]) == {"id", "name"}
    keys = {"path", "doc_id", "status", "pages", "chunks", "flags", "error"}
    assert all(set(d) == keys for d in payload["documents"])
    assert [d["status"] for d in payload["documents"]] == ["ingested", "rejected"]

    code, out = _cli(capsys, monkeypatch, data, "ingest", str(good), "--candidate", "Ada", "--json")
    assert code == 0 and json.loads(out)["documents"][0]["status"] == "unchanged"

    code, out = _cli(capsys, monkeypatch, data, "candidates", "--json")
    assert code == 0 and [c["name"] for c in json.loads(out)["candidates"]] == ["Ada"]

    code, out = _cli(capsys, monkeypatch, data, "delete", "Ada", "--json")
    assert code == 0 and json.loads(out)["deleted"]["name"] == "Ada"

    code, _ = _cli(capsys, monkeypatch, data, "delete", "Ada")
    assert code == 1  # unknown candidate: a message, not a traceback
    code, _ = _cli(capsys, monkeypatch, data, "ingest", str(good))
    assert code == 2  # missing --candidate is a usage error
