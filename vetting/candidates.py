"""Candidates and their documents: records in the database, files on disk, chunks in the vector store."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from sqlalchemy import select

from vetting.db import Database
from vetting.db.models import CandidateRow, DocumentRow
from vetting.kernel.domain import Candidate, Flag, StoredDocument
from vetting.kernel.errors import CandidateNotFound, VettingError
from vetting.store import VectorStore


def clean_name(name: str) -> str:
    """A candidate name with its whitespace normalised; an empty or overlong name is refused."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise VettingError("A candidate needs a name.")
    if len(cleaned) > 200:
        raise VettingError("A candidate name may be at most 200 characters.")
    return cleaned


def stored_document(row: DocumentRow) -> StoredDocument:
    """The domain value of a document row."""
    flags = tuple(Flag(**f) for f in row.flags or [])
    return StoredDocument(row.filename, row.doc_id, row.kind, row.pages, row.chunks, flags, row.stored_path)


class CandidateRegistry:
    """Create, find, list and erase candidates; erasure removes records, stored files and every chunk."""

    def __init__(self, db: Database, store: VectorStore, files_dir: Path) -> None:
        self.db = db
        self.store = store
        self.files_dir = files_dir

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

    def find(self, key: str) -> Candidate:
        """A candidate by id or by exact name."""
        with self.db.session() as s:
            row = s.get(CandidateRow, key) or s.scalar(
                select(CandidateRow).where(CandidateRow.name == " ".join(key.split()))
            )
            if row is None:
                raise CandidateNotFound(f"No candidate '{key}'. `vet candidates` lists them.")
            return Candidate(row.id, row.name)

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

    def delete(self, key: str) -> Candidate:
        """Erase a candidate: chunks first, then stored files, then records (re-runnable if interrupted)."""
        candidate = self.find(key)
        self.store.delete_candidate(candidate.id)
        shutil.rmtree(self.files_of(candidate.id), ignore_errors=True)
        with self.db.session() as s:
            row = s.get(CandidateRow, candidate.id)
            if row is not None:
                s.delete(row)
        return candidate
