"""Chunking keeps pages and sections, respects the token budget, overlaps, and derives ids from content."""

from __future__ import annotations

import itertools

from ingest.chunking import chunk_document, heading_of
from vetting.kernel.domain import Chunk, ExtractedDocument, Page


def words(text: str) -> list[int]:
    """A stand-in tokenizer for pure chunking logic: one token per word."""
    return list(range(len(text.split())))


def _chunks(doc: ExtractedDocument, size: int = 20, overlap: int = 5) -> list[Chunk]:
    return chunk_document(
        doc, candidate_id="c1", doc_id="d1", filename="cv.pdf", count=words, size=size, overlap=overlap
    )


def test_headings_are_recognised() -> None:
    assert heading_of("## Projects") == "Projects"
    assert heading_of("EXPERIENCE") == "Experience"
    assert heading_of("Work Experience:") == "Work Experience"
    assert heading_of("I built a search engine used by 2,000 people.") is None
    assert heading_of("Python, SQL") is None


def test_chunks_keep_page_and_section() -> None:
    doc = ExtractedDocument(
        "pdf",
        (
            Page(1, "Jane Doe\nEXPERIENCE\nBuilt a fraud model that cut losses by 12%."),
            Page(2, "PROJECTS\nWrote a Rust tokenizer used in production."),
        ),
    )
    chunks = _chunks(doc)
    assert [(c.page, c.section) for c in chunks] == [(1, None), (2, "Projects")]
    assert "fraud model" in chunks[0].text and "Rust tokenizer" in chunks[1].text


def test_budget_and_overlap() -> None:
    lines = "\n".join(f"sentence {i} has exactly six words" for i in range(30))
    chunks = _chunks(ExtractedDocument("text", (Page(None, lines),)), size=20, overlap=6)
    assert len(chunks) > 5
    assert all(len(words(c.text)) <= 20 for c in chunks)
    for previous, current in itertools.pairwise(chunks):
        assert previous.text.splitlines()[-1] == current.text.splitlines()[0]  # one shared line of overlap


def test_a_giant_line_is_split_between_words_without_loss() -> None:
    giant = " ".join(f"w{i}" for i in range(95))
    chunks = _chunks(ExtractedDocument("text", (Page(None, giant),)), size=20, overlap=0)
    assert all(len(words(c.text)) <= 20 for c in chunks)
    assert " ".join(c.text for c in chunks).split() == giant.split()


def test_ids_derive_from_content() -> None:
    doc = ExtractedDocument("text", (Page(None, "One line about a project."),))
    first, second = _chunks(doc), _chunks(doc)
    assert [c.id for c in first] == [c.id for c in second]
    changed = _chunks(ExtractedDocument("text", (Page(None, "One line about another project."),)))
    assert changed[0].id != first[0].id
