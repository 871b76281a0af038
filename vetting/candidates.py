"""Candidates and their documents: records in the database, files on disk, chunks in the vector store."""

from __future__ import annotations

import logging
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ingest.identity import folded
from vetting.db import Database
from vetting.db.models import CandidateRow, DocumentRow
from vetting.erasure import clean_abandoned_uploads, compact_database, remove_reports_naming
from vetting.kernel.domain import Candidate, Flag, StoredDocument
from vetting.kernel.errors import CandidateNotFound, VettingError
from vetting.store import VectorStore
from vetting.store_rebuild import owe_purge, purge_done, purge_owed

log = logging.getLogger(__name__)


class AmbiguousCandidate(VettingError):
    """A key that names one candidate and is the id of another: nothing is done until the user says which."""


class SimilarCandidateExists(VettingError):
    """A new name that matches an existing candidate's ignoring case and accents."""

    def __init__(self, message: str, existing: list[Candidate]) -> None:
        super().__init__(message)
        self.existing = existing


def clean_name(name: str) -> str:
    """A candidate name with its whitespace normalised; an empty or overlong name is refused."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise VettingError("A candidate needs a name.")
    if len(cleaned) > 200:
        raise VettingError("A candidate name may be at most 200 characters.")
    return cleaned


@dataclass(frozen=True)
class Erasure:
    """What an erasure removed, and what still needs an operator (a server store or database keeps its own copies)."""

    candidate: Candidate
    store_compacted: bool
    database_compacted: bool
    reports_removed: list[Path] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.store_compacted and self.database_compacted


def stored_document(row: DocumentRow) -> StoredDocument:
    """The domain value of a document row."""
    flags = tuple(Flag(**f) for f in row.flags or [])
    return StoredDocument(row.filename, row.doc_id, row.kind, row.pages, row.chunks, flags, row.stored_path)


class CandidateRegistry:
    """Create, find, list and erase candidates; erasure removes records, stored files and every chunk."""

    def __init__(self, db: Database, store: VectorStore, files_dir: Path, data_dir: Path | None = None) -> None:
        self.db = db
        self.store = store
        self.files_dir = files_dir
        self.data_dir = data_dir or files_dir.parent

    def files_of(self, candidate_id: str) -> Path:
        return self.files_dir / candidate_id

    def get_or_create(self, name: str) -> Candidate:
        name = clean_name(name)
        with self.db.session() as s:
            row = s.scalar(select(CandidateRow).where(CandidateRow.name == name))
            if row is None:
                row = CandidateRow(id=secrets.token_hex(8), name=name)
                s.add(row)
            return Candidate(row.id, row.name)

    def by_id(self, candidate_id: str) -> Candidate | None:
        with self.db.session() as s:
            row = s.get(CandidateRow, candidate_id)
            return Candidate(row.id, row.name) if row is not None else None

    def by_name(self, name: str) -> Candidate | None:
        with self.db.session() as s:
            row = s.scalar(select(CandidateRow).where(CandidateRow.name == " ".join(name.split())))
            return Candidate(row.id, row.name) if row is not None else None

    def find(self, key: str, *, by: str = "any") -> Candidate:
        """A candidate by id (`by="id"`), by exact name (`by="name"`), or either when only one of them matches."""
        with_id = self.by_id(key) if by in ("any", "id") else None
        with_name = self.by_name(key) if by in ("any", "name") else None
        if with_id is not None and with_name is not None and with_id.id != with_name.id:
            raise AmbiguousCandidate(
                f"'{key}' is the name of {with_name.name} ({with_name.id}) and the id of {with_id.name} "
                f"({with_id.id}); say which with --id ID."
            )
        found = with_id or with_name
        if found is None:
            raise CandidateNotFound(f"No candidate '{key}'. `vet candidates` lists them.")
        return found

    def similar(self, name: str) -> list[Candidate]:
        """Existing candidates whose name equals `name` ignoring case and accents (the exact name excluded)."""
        wanted, exact = folded(name), " ".join(name.split())
        with self.db.session() as s:
            rows = s.scalars(select(CandidateRow).order_by(CandidateRow.name)).all()
            return [Candidate(r.id, r.name) for r in rows if r.name != exact and folded(r.name) == wanted]

    def check_new_name(self, name: str) -> None:
        """Refuse a name that would create a near-duplicate of an existing candidate (say so, naming them)."""
        name = clean_name(name)
        if self.by_name(name) is not None:
            return
        existing = self.similar(name)
        if existing:
            listed = ", ".join(f"'{c.name}' ({c.id})" for c in existing)
            raise SimilarCandidateExists(
                f"A candidate with nearly the same name already exists: {listed}. Add the documents to them under "
                "that exact name, or confirm that this is a different person to create a new candidate.",
                existing,
            )

    def holders_of(self, doc_id: str, other_than: str) -> list[Candidate]:
        """Other candidates that already have a document with this very content."""
        with self.db.session() as s:
            rows = s.execute(
                select(CandidateRow.id, CandidateRow.name)
                .join(DocumentRow, DocumentRow.candidate_id == CandidateRow.id)
                .where(DocumentRow.doc_id == doc_id, CandidateRow.id != other_than)
                .distinct()
            ).all()
            return [Candidate(i, n) for i, n in rows]

    def overview(self) -> list[tuple[Candidate, int, int]]:
        """Every candidate with its number of documents and chunks, by name."""
        with self.db.session() as s:
            rows = s.scalars(select(CandidateRow).order_by(CandidateRow.name)).all()
            return [(Candidate(r.id, r.name), len(r.documents), sum(d.chunks for d in r.documents)) for r in rows]

    def documents(self, candidate_id: str) -> list[StoredDocument]:
        """The candidate's ingested documents, by file name."""
        with self.db.session() as s:
            rows = s.scalars(
                select(DocumentRow).where(DocumentRow.candidate_id == candidate_id).order_by(DocumentRow.filename)
            ).all()
            return [stored_document(row) for row in rows]

    def delete(self, key: str, *, by: str = "any") -> Candidate:
        """Erase a candidate: chunks first, then stored files, then records (re-runnable if interrupted)."""
        return self.erase(key, by=by).candidate

    def erase(self, key: str, *, by: str = "any", physical: bool = True) -> Erasure:
        """Erase a candidate, then (`physical`) rewrite the store and database so no byte of them is left on disk."""
        candidate = self.find(key, by=by)
        if physical and self.store.path is not None:  # the embedded store's folder carries the mark
            owe_purge(self.store.path)  # from here on, a killed process leaves the physical steps to start-up
        self.store.delete_candidate(candidate.id)
        shutil.rmtree(self.files_of(candidate.id), ignore_errors=True)
        with self.db.session() as s:
            row = s.get(CandidateRow, candidate.id)
            if row is not None:
                s.delete(row)
        if not physical:
            return Erasure(candidate, False, False)
        return self.purge(candidate)

    def purge(self, candidate: Candidate) -> Erasure:
        """Remove what a logical delete leaves: deleted pages and logs, orphan folders, reports, stale uploads."""
        reports = remove_reports_naming(self.data_dir / "reports", [candidate.name, candidate.id])
        store_done, database_done = self._purge_store_and_database()
        if not (store_done and database_done):
            log.warning("erasure of %s: a server store or database must be compacted by its operator", candidate.id)
        return Erasure(candidate, store_done, database_done, reports)

    def resume_erasure(self) -> bool:
        """Finish the physical steps of an erasure that a killed process left owed; False when none was."""
        if self.store.path is None or not purge_owed(self.store.path):
            return False
        log.warning("finishing an interrupted erasure: rewriting the document store and compacting the database")
        self._purge_store_and_database()
        return True

    def _purge_store_and_database(self) -> tuple[bool, bool]:
        clean_abandoned_uploads(self.data_dir)
        store_done = self.store.purge_erased()
        database_done = compact_database(self.db.engine)
        if self.store.path is not None:
            purge_done(self.store.path)
        return store_done, database_done
