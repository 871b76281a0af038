"""Load one document of any supported type: type decided by content, parsed in a time-bounded child, sanitised."""

from __future__ import annotations

import codecs
import io
import json
import re
import zipfile
from pathlib import Path

from ingest.isolation import run_isolated
from ingest.jsonresume import looks_like_job_description, looks_like_json_resume, render_json_resume
from ingest.office import load_docx
from ingest.pdf import load_pdf
from ingest.raw import RawDocument
from ingest.sanitize import clean_text, sanitize_pages
from vetting.kernel.domain import ExtractedDocument, Flag, Page
from vetting.kernel.errors import (
    DocumentTooLarge,
    EncryptedDocument,
    NoExtractableText,
    UnreadableDocument,
    UnsupportedFormat,
)
from vetting.kernel.settings import Settings

__all__ = ["detect_kind", "load_document"]

_ACCEPTED = "PDF, Word (.docx), Markdown, plain text or JSON Resume"
_MARKDOWN_EXTENSIONS = frozenset([".md", ".markdown", ".mdown", ".mkd", ".mkdn"])
_TEXT_EXTENSIONS = frozenset([".txt", ".text"])
_MARKDOWN_SIGNALS = (
    re.compile(r"^#{1,6}\s+\S", re.MULTILINE),
    re.compile(r"^\S[^\n]*\n(?:=+|-{3,})[ \t]*$", re.MULTILINE),
    re.compile(r"^\s*[-*+]\s+\S", re.MULTILINE),
    re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),
    re.compile(r"^>\s", re.MULTILINE),
    re.compile(r"^```", re.MULTILINE),
    re.compile(r"^\s*\|.*\|\s*$", re.MULTILINE),
)
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a bitmap image"),
    (b"{\\rtf", "a Rich Text (RTF) file"),
    (b"\x1f\x8b", "a compressed (gzip) archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_PDF_HEADER = re.compile(rb"(?:^|[\r\n])%PDF-\d\.\d")
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_UNZIPPED = 200 * 1024 * 1024  # a Word file's parts are mostly XML; more than this is a zip bomb


def check_size(name: str, size: int, settings: Settings) -> None:
    """The one upload size check (the ingestion service runs it before reading a byte, the loader again)."""
    if size > settings.max_upload_bytes:
        raise DocumentTooLarge(f"{name}: {size / 2**20:.1f} MB is over the {settings.max_upload_mb:g} MB limit.")


def load_document(path: Path, settings: Settings, *, filename: str | None = None) -> ExtractedDocument:
    """Clean visible text (per page for PDFs) and flags for everything removed; raises only kernel error types."""
    path = Path(path)
    name = filename or path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableDocument(f"{name} could not be opened: {exc.strerror or 'the file is missing'}.") from exc
    check_size(name, size, settings)
    if size == 0:
        raise NoExtractableText(f"{name} is empty: there is no text to read.")
    return run_isolated(_parse, (str(path), name, settings.max_pages), settings.parse_timeout_s, name)


def _parse(path: str, name: str, max_pages: int) -> ExtractedDocument:
    """The whole load, run inside the child process: read, detect, extract, sanitise."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableDocument(f"{name} could not be opened: {exc.strerror or 'read error'}.") from exc
    kind = detect_kind(data, name)
    if kind == "pdf":
        raw = load_pdf(data, name, max_pages)
    elif kind == "docx":
        raw = load_docx(data, name)
    else:
        raw = _load_text_like(data, name)
    return _finish(raw, name)


def _extension(name: str) -> str:
    return Path(name).suffix.lower()


def detect_kind(data: bytes, name: str) -> str:
    """ "pdf", "docx" or "text" (text, Markdown or JSON, told apart later) from the bytes; the name is only a hint."""
    head = data[:1024]
    ext = _extension(name)
    if _PDF_HEADER.search(head):
        return "pdf"  # readers accept up to 1 KB of junk before the header; a note *about* PDFs is still text
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, name)
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedDocument(f"{name} is encrypted — ask for an unprotected copy.")
        raise UnsupportedFormat(
            f"{name} is an older Microsoft Office file (such as .doc); save it as .docx or PDF and upload that instead."
        )
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise UnsupportedFormat(f"{name} is {what}, not a document we can read ({_ACCEPTED}).")
    if ext == ".pdf":
        return "pdf"  # a damaged header: let the PDF reader try, it reports a clear error if it cannot
    if ext == ".docx":
        raise UnreadableDocument(f"{name} is not a readable Word document: the file is damaged or not really .docx.")
    return "text"


def _zip_kind(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableDocument(f"{name} is a damaged or incomplete archive and could not be opened.") from exc
    if "word/document.xml" in names:
        if unzipped > _MAX_UNZIPPED:
            raise DocumentTooLarge(f"{name} expands to more than {_MAX_UNZIPPED // 2**20} MB and was not opened.")
        return "docx"
    what = "a ZIP archive"
    if "ppt/presentation.xml" in names:
        what = "a PowerPoint presentation"
    elif "xl/workbook.xml" in names:
        what = "an Excel spreadsheet"
    elif "mimetype" in names:
        what = "an OpenDocument file"
    raise UnsupportedFormat(f"{name} is {what}, not a document we can read ({_ACCEPTED}).")


def _decode(data: bytes, name: str) -> str:
    """Text from bytes: BOM-marked UTF-8/16/32, else UTF-8, else Windows-1252 / Latin-1; binary junk is refused."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableDocument(f"{name} says it is {encoding.upper()} text but is not valid.") from exc
    unsupported = UnsupportedFormat(f"{name} is not a document type we can read ({_ACCEPTED}).")
    if b"\x00" in data:
        raise unsupported
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    sample = text[:8192]
    controls = len(_BINARY_CONTROLS.findall(sample))
    if sample and controls / len(sample) > 0.05:
        raise unsupported
    return text


def _load_text_like(data: bytes, name: str) -> RawDocument:
    text = _decode(data, name)
    if not text.strip():
        raise NoExtractableText(f"{name} contains only blank space: there is no text to read.")
    ext = _extension(name)
    stripped = text.lstrip()
    if stripped[:1] in "{[" or ext == ".json":
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            if ext == ".json":
                raise UnreadableDocument(f"{name} is not valid JSON ({exc}).") from exc
        else:
            return _json_document(parsed, name)
    lowered = stripped[:200].lower()
    if lowered.startswith(("<!doctype html", "<html", "<?xml", "<svg")):
        raise UnsupportedFormat(f"{name} is a web page or XML file; save it as PDF and upload that instead.")
    if _is_markdown(text, ext):
        return RawDocument("markdown", [(None, text)], title=_markdown_title(text))
    return RawDocument("text", [(None, text)])


def _json_document(parsed: object, name: str) -> RawDocument:
    if isinstance(parsed, dict) and looks_like_json_resume(parsed):
        text, person = render_json_resume(parsed)
        return RawDocument("json_resume", [(None, text)], title=person)
    if looks_like_job_description(parsed):
        raise UnsupportedFormat(f"{name} describes a job (title, company, responsibilities), not a candidate.")
    raise UnsupportedFormat(f"{name} is JSON but not a JSON Resume (no 'basics', 'work' or 'education' sections).")


def _is_markdown(text: str, ext: str) -> bool:
    if ext in _MARKDOWN_EXTENSIONS:
        return True
    score = sum(1 for signal in _MARKDOWN_SIGNALS if signal.search(text))
    has_heading = bool(_MARKDOWN_SIGNALS[0].search(text) or _MARKDOWN_SIGNALS[1].search(text))
    if ext in _TEXT_EXTENSIONS:
        return score >= 3 and has_heading
    return score >= 2 or has_heading


def _markdown_title(text: str) -> str | None:
    for match in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$|^(\S[^\n]*)\n=+[ \t]*$", text, re.MULTILINE):
        title = (match.group(1) or match.group(2) or "").strip()
        if title:
            return title
    return None


def _finish(raw: RawDocument, name: str) -> ExtractedDocument:
    """Sanitise the pages, scan the metadata, and refuse documents with no visible text."""
    pages, body_flags = sanitize_pages(raw.pages)
    flags: list[Flag] = list(body_flags[:1] if body_flags and body_flags[0].kind == "control_characters" else [])
    flags.extend(raw.flags)
    flags.extend(f for f in body_flags if f.kind != "control_characters")
    title = raw.title
    for field, value in raw.metadata.items():
        found = clean_text(value, where="metadata")[1]
        flags.extend(found)
        if field == "title" and found:
            title = None
    if title is not None:
        title = clean_text(title)[0] or None
    if not any(re.search(r"\w", text) for _, text in pages):
        raise NoExtractableText(_no_text_message(raw, name, any(f.kind == "injection" for f in body_flags)))
    return ExtractedDocument(
        kind=raw.kind,  # type: ignore[arg-type]
        pages=tuple(Page(number, text) for number, text in pages),
        flags=tuple(flags),
        title=title,
    )


def _no_text_message(raw: RawDocument, name: str, removed_injections: bool) -> str:
    if removed_injections:
        return f"{name} has no text left once the instructions aimed at an automated reader are removed."
    if raw.flags:
        return f"{name} has no visible text: everything in it is hidden (white, invisible, tiny or off the page)."
    if raw.kind == "pdf" and raw.has_images:
        return (
            f"{name} appears to be scanned (its pages are images) and has no extractable text. "
            "Ask for a text-based PDF or a Word version."
        )
    if raw.kind == "pdf":
        return f"{name} has no extractable text. Ask for a text-based PDF or a Word version."
    return f"{name} contains no readable text."
