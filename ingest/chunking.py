"""Chunking by the embedding model's own tokens, keeping page and section heading; chunk texts are verbatim spans."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from vetting.kernel.domain import Chunk, ExtractedDocument
from vetting.kernel.text import sentences

Tokenizer = Callable[[str], list[int]]

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
_CV_HEADINGS = {
    "summary", "profile", "about", "about me", "objective", "experience", "work experience", "professional experience",
    "employment", "employment history", "work history", "projects", "personal projects", "selected projects",
    "education", "skills", "technical skills", "skills & expertise", "publications", "awards", "honors",
    "honors & awards",
    "certifications", "certificates", "languages", "interests", "volunteer", "volunteering", "leadership",
    "activities", "references", "research", "research experience", "teaching", "achievements", "courses",
    "coursework", "relevant coursework", "extracurricular activities", "open source", "patents", "talks",
}  # fmt: skip


def heading_of(line: str) -> str | None:
    """The section title if `line` is a heading (Markdown `#`, a known CV section, or a short all-caps line)."""
    match = _MD_HEADING.match(line)
    if match:
        return match.group("title").strip()
    stripped = line.strip().rstrip(":").strip()
    if not stripped or len(stripped) > 40 or len(stripped.split()) > 5:
        return None
    if stripped.lower() in _CV_HEADINGS:
        return stripped.title() if stripped.isupper() else stripped
    letters = [c for c in stripped if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters) and not stripped.endswith((".", ",")):
        return stripped.title()
    return None


@dataclass(frozen=True)
class _Unit:
    """A line or sentence of a page: the smallest piece a chunk is packed from."""

    text: str
    tokens: int
    page: int | None
    section: str | None


def _units(document: ExtractedDocument, count: Tokenizer, max_tokens: int) -> Iterator[_Unit]:
    section: str | None = None
    for page in document.pages:
        for line in page.text.splitlines():
            line = line.strip()
            if not line:
                continue
            title = heading_of(line)
            if title:
                section = title
            tokens = len(count(line))
            if tokens <= max_tokens:  # the usual case: the line is one unit, counted once
                yield _Unit(line, tokens, page.number, section)
                continue
            for piece in sentences(line, prose=True):
                n = len(count(piece))
                if n <= max_tokens:
                    yield _Unit(piece, n, page.number, section)
                else:  # one enormous sentence: cut between words
                    yield from _split_words(piece, count, max_tokens, page.number, section)


def _split_words(
    text: str, count: Tokenizer, max_tokens: int, page: int | None, section: str | None
) -> Iterator[_Unit]:
    words = text.split(" ")
    current: list[str] = []
    for word in words:
        trial = " ".join([*current, word])
        if current and len(count(trial)) > max_tokens:
            piece = " ".join(current)
            yield _Unit(piece, len(count(piece)), page, section)
            current = [word]
        else:
            current.append(word)
    if current:
        piece = " ".join(current)
        yield _Unit(piece, len(count(piece)), page, section)


def chunk_id(candidate_id: str, doc_id: str, index: int, text: str) -> str:
    """Content-derived id: the same document always yields the same ids, so re-ingesting adds nothing."""
    return hashlib.sha256(f"{candidate_id}\x00{doc_id}\x00{index}\x00{text}".encode()).hexdigest()[:32]


def chunk_document(
    document: ExtractedDocument,
    *,
    candidate_id: str,
    doc_id: str,
    filename: str,
    count: Tokenizer,
    size: int,
    overlap: int,
) -> list[Chunk]:
    """Pack lines into chunks of at most `size` tokens, sharing about `overlap` tokens with the previous chunk.

    A chunk never crosses a page; its section is the heading in force where it starts.
    """
    overlap = min(overlap, size // 2)
    chunks: list[Chunk] = []
    window: list[_Unit] = []

    def flush() -> None:
        text = "\n".join(u.text for u in window)
        index = len(chunks)
        chunks.append(
            Chunk(
                id=chunk_id(candidate_id, doc_id, index, text),
                candidate_id=candidate_id,
                doc_id=doc_id,
                document=filename,
                text=text,
                index=index,
                page=window[0].page,
                section=window[0].section,
            )
        )

    for unit in _units(document, count, size):
        total = sum(u.tokens for u in window)
        if window and (unit.page != window[-1].page or total + unit.tokens > size):
            flush()
            keep: list[_Unit] = []
            if unit.page == window[-1].page:
                for previous in reversed(window):
                    if sum(u.tokens for u in keep) + previous.tokens > overlap:
                        break
                    keep.insert(0, previous)
            if sum(u.tokens for u in keep) + unit.tokens > size:
                keep = []
            window = keep
        window.append(unit)
    if window:
        flush()
    return chunks
