"""Undo writes cut short by a crash, and check that store, files and database agree with each other.

The database is the commit point of an ingest: a document exists once its row is committed. A writer records an
intent before touching the store; if it dies, the chunks and stored file it added for an uncommitted document (or the
old ones it had not yet removed after committing) are orphans, and a candidate it created is a husk. Recovery removes
exactly those, so a re-run of the same ingest completes it with nothing duplicated.

A writer killed while the embedded store persisted a vector index can leave that index's files cut short; Chroma can
then apply no further write to it. Such a candidate's collection is deleted before anything reads it, and its
committed documents are indexed again from their stored copies (`reindex`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from vetting.candidates import CandidateRegistry
from vetting.db.models import CandidateRow, WriteIntentRow
from vetting.journal import WriteJournal

log = logging.getLogger(__name__)

Reindex = Callable[[str], object]  # indexes a candidate's committed documents again from their stored copies


def _doc_ids(registry: CandidateRegistry, candidate_id: str) -> set[str]:
    return {row.doc_id for row in registry.documents(candidate_id)}


def _stored_files(folder: Path, doc_id: str) -> list[Path]:
    return [p for p in folder.glob(f"{doc_id}*") if p.stem == doc_id]


def _misses_chunks(registry: CandidateRegistry, candidate_id: str) -> bool:
    """Some committed document of the candidate has fewer chunks in the index than its row records."""
    index = registry.store.for_candidate(candidate_id)
    return not all(index.holds(row.doc_id, row.chunks) for row in registry.documents(candidate_id))


def _undo(registry: CandidateRegistry, journal: WriteJournal, intent: WriteIntentRow) -> None:
    candidate_id = intent.candidate_id
    committed = _doc_ids(registry, candidate_id)
    live = {i.doc_id for i in journal.pending(candidate_id) if i.id != intent.id and not journal.is_abandoned(i)}
    index = registry.store.for_candidate(candidate_id)
    for doc_id in {intent.doc_id, intent.previous_doc_id} - {None} - committed - live:
        assert doc_id is not None
        index.delete_document(doc_id)
        for path in _stored_files(registry.files_of(candidate_id), doc_id):
            path.unlink(missing_ok=True)


def recover_interrupted_writes(
    registry: CandidateRegistry, journal: WriteJournal, reindex: Reindex | None = None
) -> int:
    """Undo what dead writers left half-done; returns the number of intents resolved.

    `reindex` is called for each candidate a dead writer touched whose committed documents miss chunks, and indexes
    them again. Without it, a candidate whose vector index was cut short keeps its documents without chunks (each
    shows as incomplete, and uploading it again indexes it).
    """
    abandoned = journal.abandoned()
    if not abandoned:
        return 0
    from chromadb.errors import InternalError

    with registry.store.writing():  # embedded store: no other process writes meanwhile
        created: set[str] = set()
        dropped: set[str] = set()
        abandoned = journal.abandoned()  # read again under the lock
        for intent in abandoned:
            log.warning(
                "recovering an interrupted write: candidate %s, file %s", intent.candidate_id, intent.filename or "-"
            )
            if intent.candidate_id not in dropped and registry.store.drop_damaged(intent.candidate_id):
                log.warning("candidate %s: the crash cut the vector index short; it is rebuilt", intent.candidate_id)
                dropped.add(intent.candidate_id)
            try:
                _undo(registry, journal, intent)
            except InternalError:  # the store cannot apply writes to this index although its files look whole
                if registry.store.path is None:  # a server's collection may hold a live writer's chunks: not dropped
                    raise
                log.warning(
                    "candidate %s: the store cannot apply writes to its index; it is rebuilt", intent.candidate_id
                )
                registry.store.drop_index(intent.candidate_id)
                dropped.add(intent.candidate_id)
                _undo(registry, journal, intent)
            if intent.created_candidate:
                created.add(intent.candidate_id)
        if reindex is not None:  # before the intents end: a crash in here is recovered again next time
            for candidate_id in sorted({i.candidate_id for i in abandoned}):
                if _misses_chunks(registry, candidate_id):
                    reindex(candidate_id)
        for intent in abandoned:
            journal.end(intent.id)
        for candidate_id in created:  # created by a dead writer and never given a document: no husk stays
            if not registry.documents(candidate_id) and not journal.pending(candidate_id):
                registry.delete(candidate_id, by="id")
        for owner in {i.owner for i in abandoned}:
            journal.forget_owner(owner)
    return len(abandoned)


def consistency_problems(registry: CandidateRegistry, *, whole_store: bool = True) -> list[str]:
    """Every disagreement between database, vector store and stored files (an empty list when all agree).

    `whole_store=False` skips looking for collections of unknown candidates (a Chroma server shared with others).
    """
    problems: list[str] = []
    with registry.db.session() as s:
        candidates = {row.id: row.name for row in s.scalars(select(CandidateRow)).all()}
        intents = s.scalars(select(WriteIntentRow)).all()
        problems += [f"unfinished write: candidate {i.candidate_id}, file {i.filename}" for i in intents]
    for candidate_id in sorted(candidates):
        rows = registry.documents(candidate_id)
        if not rows:
            problems.append(f"candidate {candidate_id} has no documents")
        index = registry.store.for_candidate(candidate_id)
        by_doc: dict[str, int] = {}
        for chunk in index.chunks():
            by_doc[chunk.doc_id] = by_doc.get(chunk.doc_id, 0) + 1
        expected = {row.doc_id: row.chunks for row in rows}
        for doc_id, count in sorted(by_doc.items()):
            if doc_id not in expected:
                problems.append(f"candidate {candidate_id}: {count} orphan chunks of document {doc_id}")
            elif count != expected[doc_id]:
                problems.append(
                    f"candidate {candidate_id}: document {doc_id} has {count} chunks, expected {expected[doc_id]}"
                )
        for row in rows:
            if row.doc_id not in by_doc:
                problems.append(f"candidate {candidate_id}: document {row.filename} has no chunks")
            if not Path(row.stored_path).is_file():
                problems.append(f"candidate {candidate_id}: stored file of {row.filename} is missing")
        referenced = {Path(row.stored_path).name for row in rows}
        folder = registry.files_of(candidate_id)
        if folder.is_dir():
            problems += [
                f"candidate {candidate_id}: unreferenced stored file {p.name}"
                for p in sorted(folder.iterdir())
                if p.name not in referenced
            ]
    if whole_store:
        known = {registry.store.collection_name(c) for c in candidates}
        problems += [
            f"collection {name} has no candidate"
            for name in registry.store.candidate_collections()
            if name not in known
        ]
    if registry.files_dir.is_dir():
        problems += [
            f"stored files of unknown candidate {p.name}"
            for p in sorted(registry.files_dir.iterdir())
            if p.is_dir() and p.name not in candidates
        ]
    return problems
