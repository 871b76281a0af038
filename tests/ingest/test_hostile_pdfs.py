"""Malformed, encrypted, looping and image-only PDFs: a clear error or text in the time bound, never a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ingest.loaders import load_document
from tests.ingest.documents import make_image_only_pdf, make_slow_pdf, make_visible_pdf
from vetting.kernel.errors import (
    DocumentError,
    EncryptedDocument,
    NoExtractableText,
    ParseTimeout,
    UnreadableDocument,
    VettingError,
)
from vetting.kernel.settings import Settings

BOUND_S = 5.0  # a short parse bound for these tests; the default is 30 s
SLACK_S = 3.0  # process start-up and clean-up on a busy machine

# What each file in ../shared/data/hostile_pdfs really is, checked by hand.
EXPECTED: dict[str, type[DocumentError] | str] = {
    # An OCR'd scan: page images with an invisible (render mode 3) text layer over them. The layer is the scan's
    # real text, so it is read, not flagged as hidden.
    "Seige_of_Vicksburg_Sample_OCR.pdf": "THE SIEGE OF VICKSBURG",
    "damaged-stream.pdf": "Potato",  # a damaged stream pypdf recovers from
    "xref-errors.pdf": "Potato",  # a broken cross-reference table, rebuilt by scanning the file
    "bad-encryption-length.pdf": EncryptedDocument,
    "libreoffice-writer-password.pdf": EncryptedDocument,
    "r4-aes-user-password.pdf": EncryptedDocument,
    "r6-user-password.pdf": EncryptedDocument,  # opens with the empty *owner* password only: still not ours to open
    "bad-direct-root.pdf": UnreadableDocument,
    "bad-xref.pdf": UnreadableDocument,
    "bad1.pdf": UnreadableDocument,  # five bytes, "oops": named .pdf but not a PDF
    "bad2.pdf": UnreadableDocument,
    "broken-lzw.pdf": UnreadableDocument,
    "deep-pages.pdf": UnreadableDocument,  # a page tree deeper than the reader allows
    "issue-141a.pdf": UnreadableDocument,
    "issue-335b.pdf": UnreadableDocument,
}


@pytest.fixture
def bounded(settings: Settings) -> Settings:
    return settings.model_copy(update={"parse_timeout_s": BOUND_S})


def _load_timed(path: Path, settings: Settings) -> tuple[object, float]:
    started = time.perf_counter()
    try:
        outcome: object = load_document(path, settings)
    except VettingError as exc:
        outcome = exc
    return outcome, time.perf_counter() - started


def test_every_hostile_pdf_is_rejected_clearly_or_read_within_the_bound(shared_data: Path, bounded: Settings) -> None:
    files = sorted((shared_data / "hostile_pdfs").glob("*.pdf"))
    assert len(files) >= 15
    for path in files:
        outcome, elapsed = _load_timed(path, bounded)  # any other exception fails the test right here
        assert elapsed < BOUND_S + SLACK_S, path.name
        if isinstance(outcome, VettingError):
            message = str(outcome)
            assert path.name in message and "Traceback" not in message
        else:
            assert outcome.text.strip(), path.name  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_pdf_outcome(name: str, shared_data: Path, bounded: Settings) -> None:
    expected = EXPECTED[name]
    path = shared_data / "hostile_pdfs" / name
    if isinstance(expected, str):
        document = load_document(path, bounded)
        assert expected in document.text
        assert document.flags == ()
        return
    with pytest.raises(expected) as caught:
        load_document(path, bounded)
    if expected is EncryptedDocument:
        assert f"{name} is encrypted — ask for an unprotected copy" in str(caught.value)
    else:
        assert "damaged" in str(caught.value) or "not a readable PDF" in str(caught.value)


def test_a_scanned_pdf_without_a_text_layer_says_so(tmp_path: Path, bounded: Settings) -> None:
    with pytest.raises(NoExtractableText, match=r"scanned .* no extractable text"):
        load_document(make_image_only_pdf(tmp_path / "scan.pdf"), bounded, filename="Scan of CV.pdf")


def test_a_slow_pdf_is_stopped_at_the_time_bound(tmp_path: Path, settings: Settings) -> None:
    """10 KB that takes minutes to parse: the worker is killed at the bound and the next document loads normally."""
    slow = make_slow_pdf(tmp_path / "slow.pdf")
    assert slow.stat().st_size < 50_000
    quick = settings.model_copy(update={"parse_timeout_s": 1.0})
    started = time.perf_counter()
    with pytest.raises(ParseTimeout, match=r"cv\.pdf took longer than 1 seconds"):
        load_document(slow, quick, filename="cv.pdf")
    elapsed = time.perf_counter() - started
    assert 1.0 <= elapsed < 1.0 + SLACK_S

    fine = make_visible_pdf(tmp_path / "fine.pdf", ["Grace Example", "Staff engineer"])
    assert "Staff engineer" in load_document(fine, quick).text


def test_a_pdf_over_the_page_limit_is_refused(tmp_path: Path, settings: Settings) -> None:
    from tests.ingest.documents import make_raw_pdf
    from vetting.kernel.errors import DocumentTooLarge

    path = make_raw_pdf(tmp_path / "long.pdf", b"BT /F1 11 Tf 72 760 Td (page) Tj ET", pages=4)
    with pytest.raises(DocumentTooLarge, match="4 pages; the limit is 3"):
        load_document(path, settings.model_copy(update={"max_pages": 3}))
