"""The ingestion service for one candidate: load → sanitise → chunk → embed → store, file by file, never half-done."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ingest.budget import check_chunk_count, embed_within, screen_within
from ingest.chunking import Tokenizer, chunk_document
from ingest.identity import name_mismatch
from ingest.loaders import load_document
from ingest.paraphrase import screen_documents
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
from vetting.kernel.errors import DocumentError, StoreBusy
from vetting.kernel.settings import Settings
from vetting.reading import Prepared, ReadAhead, rejected
from vetting.recovery import recover_interrupted_writes
from vetting.store import CandidateIndex

log = logging.getLogger(__name__)

EMBED_BATCH = 128  # chunks embedded together across documents, so batches pad like a bare encode
EMBED_EARLY = 16  # chunks embedded sooner when the next file is still being parsed, rather than wait idle for it
Progress = Callable[[int, int, str], None]  # (files done, files total, current file name)


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
        self,
        files: Sequence[Upload | Path | str],
        candidate_name: str,
        on_progress: Progress | None = None,
        *,
        new_person: bool = False,
    ) -> IngestReport:
        """Ingest files for the named candidate; a near-duplicate new name is refused unless `new_person` says so."""
        uploads = [f if isinstance(f, Upload) else Upload.of(f) for f in files]
        if not new_person:
            self.candidates.check_new_name(candidate_name)
        # a crashed earlier run leaves nothing half-done
        recover_interrupted_writes(self.candidates, self.journal, self.reindex)
        candidate, created = self.journal.open_candidate(candidate_name)
        index = self.candidates.store.for_candidate(candidate.id)
        results: dict[int, DocumentResult] = {}
        waiting: list[tuple[int, Prepared]] = []
        reader = ReadAhead(self.settings, self.embedder.tokenize, partial(self._unchanged_result, candidate, index))
        try:
            outcomes = reader.read(uploads)
            for position, upload in enumerate(uploads):
                if on_progress:
                    on_progress(position, len(uploads), upload.filename)
                outcome = next(outcomes)
                if isinstance(outcome, DocumentResult):
                    results[position] = outcome
                else:
                    waiting.append((position, outcome))
                if waiting and self._batch_due(waiting, reader, last=position == len(uploads) - 1):
                    results.update(self._finish(candidate, index, waiting))
                    waiting = []
            if on_progress:
                on_progress(len(uploads), len(uploads), "")
        finally:
            reader.close()
            self._settle_new_candidate(candidate, created)
        return IngestReport(candidate, tuple(results[i] for i in range(len(uploads))))

    def _batch_due(self, waiting: list[tuple[int, Prepared]], reader: ReadAhead, *, last: bool) -> bool:
        """Embed now: at the end, at a full batch, or when the next file is not parsed yet and some chunks wait."""
        chunks = sum(self._chunks_about(w.tokens) for _, w in waiting)
        return last or chunks >= EMBED_BATCH or (chunks >= EMBED_EARLY and not reader.next_ready())

    def _settle_new_candidate(self, candidate: Candidate, created: int | None) -> None:
        """A candidate this run created but gave no document is removed again: no empty candidate is left behind."""
        if created is None:
            return
        others = [i for i in self.journal.pending(candidate.id) if i.id != created]
        if not self.candidates.documents(candidate.id) and not others:
            try:
                self.candidates.erase(candidate.id, by="id")
            except StoreBusy:
                return  # the intent stays, so recovery removes the empty candidate once this process is gone
        self.journal.end(created)

    def _unchanged_result(
        self, candidate: Candidate, index: CandidateIndex, upload: Upload, doc_id: str
    ) -> DocumentResult | None:
        """The upload's result when the very same content is already stored in full under its name, else None."""
        previous = self._document(candidate.id, upload.filename)
        if previous is not None and previous.doc_id == doc_id and self._complete(index, previous):
            return self._unchanged(upload, previous)
        return None

    def _chunks_about(self, tokens: int) -> int:
        """About how many chunks a document of `tokens` tokens makes (to size the shared batches)."""
        return tokens // max(self.settings.chunk_tokens - self.settings.chunk_overlap, 1) + 1

    def _finish(
        self, candidate: Candidate, index: CandidateIndex, waiting: list[tuple[int, Prepared]]
    ) -> dict[int, DocumentResult]:
        """The meaning check of several documents in one encode, then chunk each, embed them together and write."""
        results: dict[int, DocumentResult] = {}
        prepared: list[tuple[int, Prepared]] = []
        groups = [(w.document, w.upload.filename, w.budget) for _, w in waiting]
        screen = partial(screen_documents, embedder=self.embedder)  # instructions reworded past the phrase rules
        for (position, loaded), screened in zip(waiting, screen_within(screen, groups), strict=True):
            outcome = screened if isinstance(screened, DocumentError) else self._chunk(candidate, loaded, screened)
            if isinstance(outcome, DocumentError):
                results[position] = rejected(loaded.upload, loaded.doc_id, str(outcome))
            else:
                prepared.append((position, outcome))
        if prepared:
            results.update(self._embed_and_write(candidate, index, prepared))
        return results

    def _chunk(self, candidate: Candidate, loaded: Prepared, document: ExtractedDocument) -> Prepared | DocumentError:
        """Cut one screened document into chunks, on its own clock."""
        budget, name = loaded.budget, loaded.upload.filename
        budget.resume()
        try:
            chunks = self._cut(document, candidate.id, loaded.doc_id, name, budget.counting(self.embedder.tokenize))
            check_chunk_count(len(chunks), name, self.settings)
        except DocumentError as exc:
            return exc
        finally:
            budget.pause()
        warnings = self._warnings(candidate, loaded.doc_id, document)
        return replace(loaded, document=document, chunks=chunks, warnings=warnings)

    def _cut(
        self, document: ExtractedDocument, candidate_id: str, doc_id: str, filename: str, count: Tokenizer
    ) -> list[Chunk]:
        """The document's chunks as the settings size them (at ingest, and when recovery indexes it again)."""
        size, overlap = self.settings.chunk_tokens, self.settings.chunk_overlap
        return chunk_document(
            document, candidate_id=candidate_id, doc_id=doc_id, filename=filename, count=count, size=size,
            overlap=overlap,
        )  # fmt: skip

    def _warnings(self, candidate: Candidate, doc_id: str, document: ExtractedDocument) -> tuple[str, ...]:
        """The same file already filed under someone else, or a CV that seems to name another person."""
        warnings = []
        holders = self.candidates.holders_of(doc_id, other_than=candidate.id)
        if holders:
            names = ", ".join(f"'{c.name}' ({c.id})" for c in holders)
            warnings.append(f"the very same file is already a document of {names}.")
        if (mismatch := name_mismatch(document, candidate.name)) is not None:
            warnings.append(mismatch)
        return tuple(warnings)

    def _embed_and_write(
        self, candidate: Candidate, index: CandidateIndex, waiting: list[tuple[int, Prepared]]
    ) -> dict[int, DocumentResult]:
        """Embed several documents' chunks in one batch (as a bare encode would), then write each document."""
        groups = [([c.text for c in p.chunks], p.budget) for _, p in waiting]
        results: dict[int, DocumentResult] = {}
        for (position, prepared), vectors in zip(waiting, embed_within(self.embedder.embed, groups), strict=True):
            if isinstance(vectors, DocumentError):  # past its deadline: refused before anything is written
                results[position] = rejected(prepared.upload, prepared.doc_id, str(vectors))
            else:
                results[position] = self._write(candidate, index, prepared, vectors)
        return results

    def _write(self, candidate: Candidate, index: CandidateIndex, prepared: Prepared, vectors: Any) -> DocumentResult:
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
                return rejected(upload, doc_id, f"{upload.filename}: the candidate was erased meanwhile.")
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
        return DocumentResult(
            upload.filename,
            doc_id,
            "ingested",
            len(document.pages),
            len(chunks),
            document.flags,
            None,
            prepared.warnings,
        )

    def reindex(self, candidate_id: str) -> int:
        """Index again, from their stored copies, the candidate's committed documents that miss chunks (recovery calls
        this under the write lock after a crash cut the vector index short). Returns the documents indexed again; one
        that cannot be read again is logged and left without chunks, and shows as incomplete."""
        index = self.candidates.store.for_candidate(candidate_id)
        rows = {row.doc_id: row for row in self.candidates.documents(candidate_id)}
        done = 0
        for doc_id, row in rows.items():
            if self._complete(index, row):
                continue
            try:
                (screened,) = screen_documents([(self.extract(row), row.filename)], self.embedder)
                if isinstance(screened, DocumentError):
                    raise screened
                chunks = self._cut(screened, candidate_id, doc_id, row.filename, self.embedder.tokenize)
                index.add(chunks, self.embedder.embed([c.text for c in chunks]))
            except (DocumentError, OSError) as exc:
                log.error("candidate %s: %s could not be indexed again: %s", candidate_id, row.filename, exc)
                continue
            if len(chunks) != row.chunks:  # chunked under other settings than at ingest: the records follow
                with self.candidates.db.session() as s:
                    s.execute(
                        update(DocumentRow)
                        .where(DocumentRow.candidate_id == candidate_id, DocumentRow.doc_id == doc_id)
                        .values(chunks=len(chunks))
                    )
            done += 1
        return done

    def extract(self, document: StoredDocument) -> ExtractedDocument:
        """The clean text and flags of a stored document, read again from its stored copy (for display)."""
        return load_document(Path(document.stored_path), self.settings, filename=document.filename)

    @staticmethod
    def _complete(index: CandidateIndex, row: DocumentRow | StoredDocument) -> bool:
        """All of a stored document's chunks are in the index."""
        return index.holds(row.doc_id, row.chunks)

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
