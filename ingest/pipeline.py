"""The ingest path for one candidate: load → sanitise → chunk → embed → store, file by file, never half-done."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ingest.chunking import chunk_document
from ingest.loaders import load_document
from vetting.candidates import CandidateRegistry
from vetting.db.models import DocumentRow
from vetting.domain import Candidate, DocumentResult, Flag, IngestReport
from vetting.embeddings import Embedder
from vetting.errors import DocumentError, DocumentTooLarge, VettingError
from vetting.settings import Settings

Progress = Callable[[int, int, str], None]  # (files done, files total, current file name)


@dataclass(frozen=True)
class Upload:
    """One file to ingest: where its bytes are, and the name the user knows it by."""

    path: Path
    filename: str

    @classmethod
    def of(cls, path: Path | str) -> Upload:
        p = Path(path)
        return cls(p, p.name)


def content_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:24]


class Ingestor:
    """Ingests a candidate's files; each file is ingested, unchanged or rejected on its own, the rest go on."""

    def __init__(self, settings: Settings, candidates: CandidateRegistry, embedder: Embedder) -> None:
        self.settings = settings
        self.candidates = candidates
        self.embedder = embedder

    def ingest(
        self, files: Sequence[Upload | Path | str], candidate_name: str, on_progress: Progress | None = None
    ) -> IngestReport:
        uploads = [f if isinstance(f, Upload) else Upload.of(f) for f in files]
        existed = self._exists(candidate_name)
        candidate = self.candidates.get_or_create(candidate_name)
        results: list[DocumentResult] = []
        for done, upload in enumerate(uploads):
            if on_progress:
                on_progress(done, len(uploads), upload.filename)
            results.append(self._ingest_one(candidate, upload))
        if on_progress:
            on_progress(len(uploads), len(uploads), "")
        if not existed and not any(r.status == "ingested" for r in results):
            self.candidates.delete(candidate.id)  # nothing was taken in: leave no empty candidate behind
        return IngestReport(candidate, tuple(results))

    def _exists(self, name: str) -> bool:
        try:
            self.candidates.find(name)
        except VettingError:
            return False
        return True

    def _ingest_one(self, candidate: Candidate, upload: Upload) -> DocumentResult:
        try:
            size = upload.path.stat().st_size
        except OSError:
            return DocumentResult(upload.filename, None, "rejected", error=f"{upload.filename}: file not found.")
        if size > self.settings.max_upload_bytes:
            error = DocumentTooLarge(
                f"{upload.filename}: {size / 1_048_576:.1f} MB is over the {self.settings.max_upload_mb:g} MB limit."
            )
            return DocumentResult(upload.filename, None, "rejected", error=str(error))
        data = upload.path.read_bytes()
        doc_id = content_id(data)
        previous = self._document(candidate.id, upload.filename)
        index = self.candidates.store.for_candidate(candidate.id)
        if previous is not None and previous.doc_id == doc_id and index.chunk_ids(doc_id):
            return DocumentResult(
                upload.filename, doc_id, "unchanged", previous.pages, previous.chunks, self._flags(previous)
            )
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
        stored = self._store_file(candidate.id, doc_id, upload)
        index.add(chunks, self.embedder.embed([c.text for c in chunks]))
        if previous is not None and previous.doc_id != doc_id:
            index.delete_document(previous.doc_id)  # a changed file replaces its old chunks
            Path(previous.stored_path).unlink(missing_ok=True)
        flags = [f.to_dict() for f in document.flags]
        with self.candidates.db.session() as s:
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
        return DocumentResult(upload.filename, doc_id, "ingested", len(document.pages), len(chunks), document.flags)

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
