"""Uploads read ahead: each file is parsed in a background thread while the ones before it are screened and embedded."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from ingest.budget import IngestBudget, check_token_count
from ingest.loaders import check_size, load_document
from vetting.kernel.domain import Chunk, DocumentResult, ExtractedDocument, Upload
from vetting.kernel.errors import DocumentError, DocumentTooLarge
from vetting.kernel.settings import Settings

__all__ = ["READ_AHEAD", "Prepared", "ReadAhead", "content_id", "rejected"]

READ_AHEAD = 16  # files parsed beyond the one being processed, so the parser keeps busy through an embedding batch
Unchanged = Callable[[Upload, str], DocumentResult | None]  # (upload, content id) → its result when already stored
_Started = DocumentResult | tuple[Upload, str, "Future[tuple[ExtractedDocument, IngestBudget]]"]


@dataclass(frozen=True)
class Prepared:
    """A loaded document waiting for the meaning check, then (chunked) for its embeddings; both shared by a batch."""

    upload: Upload
    doc_id: str
    document: ExtractedDocument
    budget: IngestBudget
    tokens: int
    chunks: list[Chunk] = field(default_factory=list)
    warnings: tuple[str, ...] = ()


def content_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:24]


def rejected(upload: Upload, doc_id: str | None, error: str) -> DocumentResult:
    return DocumentResult(upload.filename, doc_id, "rejected", error=error)


class ReadAhead:
    """Checks each upload in the caller's thread and parses it in one background thread, a few files ahead.

    The parse itself runs in a worker process (see ingest.isolation), so it overlaps the caller's embedding work.
    Each document's clock runs only while it is parsed or handled, never while it waits in line.
    """

    def __init__(self, settings: Settings, tokenize: Callable[[str], list[int]], unchanged: Unchanged) -> None:
        self.settings, self.tokenize, self.unchanged = settings, tokenize, unchanged
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="document-reader")
        self._waiting: deque[_Started] = deque()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)  # at most the parse in progress is waited for

    def read(self, uploads: Sequence[Upload]) -> Iterator[DocumentResult | Prepared]:
        """Per upload, in order: its final result (rejected or unchanged), or the loaded document."""
        waiting = self._waiting
        ahead = iter(uploads)
        for _ in uploads:
            while len(waiting) <= READ_AHEAD and (upload := next(ahead, None)) is not None:
                waiting.append(self._start(upload))
            yield self._collect(waiting.popleft())

    def next_ready(self) -> bool:
        """Whether the next upload's outcome is there without waiting (idle time then goes to embedding instead)."""
        if not self._waiting:
            return True
        started = self._waiting[0]
        return isinstance(started, DocumentResult) or started[2].done()

    def _start(self, upload: Upload) -> _Started:
        """The checks that need no parse; then the parse, queued."""
        try:
            size = upload.path.stat().st_size
            check_size(upload.filename, size, self.settings)
            doc_id = content_id(upload.path.read_bytes())
        except OSError:
            return rejected(upload, None, f"{upload.filename}: file not found or not readable.")
        except DocumentTooLarge as exc:
            return rejected(upload, None, str(exc))
        done = self.unchanged(upload, doc_id)
        return done if done is not None else (upload, doc_id, self._pool.submit(self._parse, upload))

    def _parse(self, upload: Upload) -> tuple[ExtractedDocument, IngestBudget]:
        budget = IngestBudget.start(self.settings, upload.filename)  # one deadline for load, chunk and embed
        try:
            return load_document(upload.path, self.settings, filename=upload.filename, budget=budget), budget
        finally:
            budget.pause()

    def _collect(self, started: _Started) -> DocumentResult | Prepared:
        """The parsed document with its token count checked, or why it is refused."""
        if isinstance(started, DocumentResult):
            return started
        upload, doc_id, future = started
        try:
            document, budget = future.result()
            budget.resume()
            count = budget.counting(self.tokenize)
            tokens = check_token_count([page.text for page in document.pages], count, upload.filename, self.settings)
        except DocumentError as exc:
            return rejected(upload, doc_id, str(exc))
        budget.pause()
        return Prepared(upload, doc_id, document, budget, tokens)
