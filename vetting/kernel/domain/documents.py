"""Documents as they cross module boundaries: uploads, extracted pages, chunks, flags and ingest results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True)
class Upload:
    """One file to ingest: where its bytes are, and the name the user knows it by."""

    path: Path
    filename: str

    @classmethod
    def of(cls, path: Path | str) -> Upload:
        p = Path(path)
        return cls(p, p.name)


FlagKind = Literal[
    "invisible_text",  # PDF text render mode 3
    "white_text",  # white or near-white fill
    "tiny_text",  # font size under 1 pt
    "off_page_text",  # placed outside the page box
    "injection",  # instruction-like text aimed at an AI
    "control_characters",  # zero-width / bidi controls removed
]


@dataclass(frozen=True)
class Flag:
    """Something suspicious found in a document; the flagged text never reaches chunks."""

    kind: FlagKind
    text: str
    page: int | None = None
    where: str = "body"  # "body" or "metadata"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Page:
    """Clean visible text of one page (or the whole document for formats without pages)."""

    number: int | None
    text: str


@dataclass(frozen=True)
class ExtractedDocument:
    """What a loader returns: clean visible text per page, plus flags for everything that was removed."""

    kind: Literal["pdf", "docx", "markdown", "text", "json_resume"]
    pages: tuple[Page, ...]
    flags: tuple[Flag, ...] = ()
    title: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)


@dataclass(frozen=True)
class Chunk:
    """A piece of one candidate's document, as stored and retrieved."""

    id: str
    candidate_id: str
    doc_id: str
    document: str
    text: str
    index: int
    page: int | None = None
    section: str | None = None

    def metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "candidate_id": self.candidate_id,
            "doc_id": self.doc_id,
            "document": self.document,
            "index": self.index,
        }
        if self.page is not None:
            meta["page"] = self.page
        if self.section:
            meta["section"] = self.section
        return meta


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


DocStatus = Literal["ingested", "unchanged", "rejected"]


@dataclass(frozen=True)
class DocumentResult:
    """Outcome of ingesting one file (shape fixed by `vet ingest --json`)."""

    path: str
    doc_id: str | None
    status: DocStatus
    pages: int = 0
    chunks: int = 0
    flags: tuple[Flag, ...] = ()
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "doc_id": self.doc_id,
            "status": self.status,
            "pages": self.pages,
            "chunks": self.chunks,
            "flags": [f.to_dict() for f in self.flags],
            "error": self.error,
        }


@dataclass(frozen=True)
class IngestReport:
    candidate: Candidate
    documents: tuple[DocumentResult, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(d.status != "rejected" for d in self.documents)

    def to_dict(self) -> dict[str, Any]:
        return {"candidate": self.candidate.to_dict(), "documents": [d.to_dict() for d in self.documents]}


@dataclass(frozen=True)
class StoredDocument:
    """One ingested document of a candidate as recorded: its name, content id, kind, sizes, flags and stored copy."""

    filename: str
    doc_id: str
    kind: str
    pages: int
    chunks: int
    flags: tuple[Flag, ...]
    stored_path: str


@dataclass(frozen=True)
class RetrievedChunk:
    chunk: Chunk
    score: float  # cosine similarity, higher is closer
