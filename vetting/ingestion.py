"""The ingestion service for one candidate: load → sanitise → chunk → embed → store, file by file, never half-done."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ingest.chunking import chunk_document
from ingest.loaders import check_size, load_document
from vetting.candidates import CandidateRegistry
from vetting.db.models import DocumentRow
from vetting.embeddings import Embedder
from vetting.journal import WriteJournal
from vetting.kernel.domain import (
    Candidate,
    Chunk,
    DocumentResult,
    ExtractedDocument,
    Flag,
    IngestReport,
    StoredDocument,
    Upload,
)
from vetting.kernel.errors import DocumentError, DocumentTooLarge, StoreBusy
from vetting.kernel.settings import Settings
from vetting.recovery import recover_interrupted_writes
from vetting.store import CandidateIndex

EMBED_BATCH = 256  # chunks embedded together across documents, so batches pad like a bare encode
Progress = Callable[[int, int, str], None]  # (files done, files total, current file name)


@dataclass(frozen=True)
class _Prepared:
    """A loaded and chunked document waiting for its embeddings."""

    upload: Upload
    doc_id: str
    document: ExtractedDocument
    chunks: list[Chunk]


def content_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:24]


class Ingestor:
    """Ingests a candidate's files; each file is ingested, unchanged or rejected on its own, the rest go on."""

    def __init__(
        self,
        settings: Settings,
        candidates: CandidateRegistry,
        embedder: Embedder,
        journal: WriteJournal | None = None,
    ) -> None:
        self.settings = settings
        self.candidates = candidates
        self.embedder = embedder
        self.journal = journal or WriteJournal(candidates.db, settings.data_dir / "run")

    def ingest(
        self, files: Sequence[Upload | Path | str], candidate_name: str, on_progress: Progress | None = None
    ) -> IngestReport:
        uploads = [f if isinstance(f, Upload) else Upload.of(f) for f in files]
        recover_interrupted_writes(self.candidates, self.journal)  # a crashed earlier run leaves nothing half-done
        candidate, created = self.journal.open_candidate(candidate_name)
        index = self.candidates.store.for_candidate(candidate.id)
        results: dict[int, DocumentResult] = {}
        waiting: list[tuple[int, _Prepared]] = []
        try:
            for position, upload in enumerate(uploads):
                if on_progress:
                    on_progress(position, len(uploads), upload.filename)
                outcome = self._prepare(candidate, index, upload)
                if isinstance(outcome, DocumentResult):
                    results[position] = outcome
                else:
                    waiting.append((position, outcome))
                last = position == len(uploads) - 1
                if waiting and (last or sum(len(p.chunks) for _, p in waiting) >= EMBED_BATCH):
                    results.update(self._embed_and_write(candidate, index, waiting))
                    waiting = []
            if on_progress:
                on_progress(len(uploads), len(uploads), "")
        finally:
            self._settle_new_candidate(candidate, created)
        return IngestReport(candidate, tuple(results[i] for i in range(len(uploads))))

    def _settle_new_candidate(self, candidate: Candidate, created: int | None) -> None:
        """A candidate this run created but gave no document is removed again: no empty candidate is left behind."""
        if created is None:
            return
        others = [i for i in self.journal.pending(candidate.id) if i.id != created]
        if not self.candidates.documents(candidate.id) and not others:
            try:
                self.candidates.delete(candidate.id)
            except StoreBusy:
                return  # the intent stays, so recovery removes the empty candidate once this process is gone
        self.journal.end(created)

    def _prepare(self, candidate: Candidate, index: CandidateIndex, upload: Upload) -> DocumentResult | _Prepared:
        """Check, load and chunk one file: a final result when it is rejected or unchanged, else chunks to embed."""
        try:
            size = upload.path.stat().st_size
        except OSError:
            return DocumentResult(
                upload.filename, None, "rejected", error=f"{upload.filename}: file not found or not readable."
            )
        try:
            check_size(upload.filename, size, self.settings)
        except DocumentTooLarge as exc:
            return DocumentResult(upload.filename, None, "rejected", error=str(exc))
        data = upload.path.read_bytes()
        doc_id = content_id(data)
        previous = self._document(candidate.id, upload.filename)
        if previous is not None and previous.doc_id == doc_id and self._complete(index, previous):
            return self._unchanged(upload, previous)
        try:
            document = load_document(upload.path, self.settings, filename=upload.filename)
        except DocumentError as exc:
            return DocumentResult(upload.filename, doc_id, "rejected", error=str(exc))
        chunks = chunk_document(
            document,
            candidate_id=candidate.id,
            doc_id=doc_id,
            filename=upload.filename,
            count=self.embedder.tokenize,
            size=self.settings.chunk_tokens,
            overlap=self.settings.chunk_overlap,
        )
        return _Prepared(upload, doc_id, document, chunks)

    def _embed_and_write(
        self, candidate: Candidate, index: CandidateIndex, waiting: list[tuple[int, _Prepared]]
    ) -> dict[int, DocumentResult]:
        """Embed several documents' chunks in one batch (as a bare encode would), then write each document."""
        vectors = self.embedder.embed([c.text for _, p in waiting for c in p.chunks])
        results: dict[int, DocumentResult] = {}
        start = 0
        for position, prepared in waiting:
            end = start + len(prepared.chunks)
            results[position] = self._write(candidate, index, prepared, vectors[start:end])
            start = end
        return results

    def _write(self, candidate: Candidate, index: CandidateIndex, prepared: _Prepared, vectors: Any) -> DocumentResult:
        """Store one embedded document; the database row is the commit point."""
        upload, doc_id, document, chunks = prepared.upload, prepared.doc_id, prepared.document, prepared.chunks
        with self.candidates.store.writing():  # the embedded store takes one writer at a time; a server, any number
            previous = self._document(candidate.id, upload.filename)  # another process may have written it meanwhile
            if previous is not None and previous.doc_id == doc_id and self._complete(index, previous):
                return self._unchanged(upload, previous)
            replaced = previous.doc_id if previous is not None and previous.doc_id != doc_id else None
            try:
                intent = self.journal.begin(candidate.id, upload.filename, doc_id, replaced)
            except IntegrityError:
                return DocumentResult(
                    upload.filename,
                    doc_id,
                    "rejected",
                    error=f"{upload.filename}: the candidate was erased meanwhile.",
                )
            stored = self._store_file(candidate.id, doc_id, upload)
            index.add(chunks, vectors)
            flags = [f.to_dict() for f in document.flags]
            with self.candidates.db.session() as s:  # the commit point: from here on the new version is the document
                row = s.scalar(
                    select(DocumentRow).where(
                        DocumentRow.candidate_id == candidate.id, DocumentRow.filename == upload.filename
                    )
                )
                if row is None:
                    row = DocumentRow(candidate_id=candidate.id, filename=upload.filename)
                    s.add(row)
                row.doc_id, row.kind, row.pages, row.chunks = doc_id, document.kind, len(document.pages), len(chunks)
                row.flags, row.stored_path = flags, str(stored)
            if replaced is not None and previous is not None and not self._in_use(candidate.id, replaced):
                index.delete_document(replaced)  # a changed file replaces its old chunks
                Path(previous.stored_path).unlink(missing_ok=True)
            self.journal.end(intent)
        return DocumentResult(upload.filename, doc_id, "ingested", len(document.pages), len(chunks), document.flags)

    def extract(self, document: StoredDocument) -> ExtractedDocument:
        """The clean text and flags of a stored document, read again from its stored copy (for display)."""
        return load_document(Path(document.stored_path), self.settings, filename=document.filename)

    @staticmethod
    def _complete(index: CandidateIndex, row: DocumentRow) -> bool:
        """All of a stored document's chunks are in the index."""
        return len(index.chunk_ids(row.doc_id)) >= max(row.chunks, 1)

    def _unchanged(self, upload: Upload, row: DocumentRow) -> DocumentResult:
        return DocumentResult(upload.filename, row.doc_id, "unchanged", row.pages, row.chunks, self._flags(row))

    def _in_use(self, candidate_id: str, doc_id: str) -> bool:
        """Another of the candidate's files has the very same content (and so shares its chunks)."""
        with self.candidates.db.session() as s:
            return (
                s.scalar(
                    select(DocumentRow.id)
                    .where(DocumentRow.candidate_id == candidate_id, DocumentRow.doc_id == doc_id)
                    .limit(1)
                )
                is not None
            )

    def _document(self, candidate_id: str, filename: str) -> DocumentRow | None:
        with self.candidates.db.session() as s:
            return s.scalar(
                select(DocumentRow).where(DocumentRow.candidate_id == candidate_id, DocumentRow.filename == filename)
            )

    @staticmethod
    def _flags(row: DocumentRow) -> tuple[Flag, ...]:
        return tuple(Flag(**f) for f in row.flags or [])

    def _store_file(self, candidate_id: str, doc_id: str, upload: Upload) -> Path:
        folder = self.candidates.files_of(candidate_id)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{doc_id}{Path(upload.filename).suffix.lower()[:10]}"
        if not target.exists():
            shutil.copyfile(upload.path, target)
        return target
