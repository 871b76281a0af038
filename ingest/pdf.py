"""PDF loading with pypdf: visible text per page (hidden spans and icon-font junk cut out), metadata, clear errors."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, FloatObject, NameObject

from ingest.pdf_content import content_operations
from ingest.pdf_limits import TooManyOperations, check_drawing_operations, page_box, too_many_message
from ingest.pdf_render import PageRenderer
from ingest.pdf_visibility import ICON_FONT, IMAGE_LAYER, TEXT_SHOW, PageMarks, VisibilityWalker
from ingest.raw import RawDocument
from vetting.kernel.domain import Flag
from vetting.kernel.errors import DocumentTooLarge, EncryptedDocument, NoExtractableText, UnreadableDocument

try:  # pypdf's copy of the Adobe Glyph List: glyph names such as "four" or "Udieresis" → characters
    from pypdf._codecs.adobe_glyphs import adobe_glyphs as _ADOBE_GLYPHS
except ImportError:  # pragma: no cover - a pypdf without it: only single letters and digits are resolved
    _ADOBE_GLYPHS = {}

__all__ = ["load_pdf"]

WORD_GAP = 100  # a TJ offset this wide (thousandths of an em) separates words; kerning stays well under it
_FLAG_KINDS = {IMAGE_LAYER: "invisible_text"}
_METADATA_FIELDS = {"/Title": "title", "/Subject": "subject", "/Keywords": "keywords", "/Author": "author"}
_METADATA_FIELDS["/Creator"] = "creator"
_GLYPH_NAME = re.compile(r"/([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*(?:\.[A-Za-z0-9]+)*)")
_MIDLINE_SOFT_HYPHEN = re.compile(r"\u00ad(?![ \t]*\n)")
_DIGITS = {
    name: str(i)
    for i, name in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
}

logging.getLogger("pypdf").setLevel(logging.ERROR)


def load_pdf(data: bytes, name: str, max_pages: int) -> RawDocument:
    """Open, decrypt with the empty password only, check the page limit, then extract every page's visible text."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:
        raise UnreadableDocument(f"{name} is not a readable PDF: the file is damaged or incomplete.") from exc
    if encrypted:
        try:
            # the empty *user* password is how owner-password-only PDFs open; nothing else is ever tried
            opened = reader.decrypt("") == PasswordType.USER_PASSWORD
        except Exception:
            opened = False
        if not opened:
            raise EncryptedDocument(f"{name} is encrypted — ask for an unprotected copy.")
    try:
        count = len(reader.pages)
    except Exception as exc:
        raise UnreadableDocument(f"{name} is not a readable PDF: its page structure is damaged.") from exc
    if count == 0:
        raise NoExtractableText(f"{name} has no pages, so there is no text to read.")
    if count > max_pages:
        raise DocumentTooLarge(f"{name} has {count} pages; the limit is {max_pages}. Ask for a shorter document.")
    check_drawing_operations(reader, name)
    try:
        renderer = PageRenderer(data)
    except Exception as exc:  # what the renderer cannot draw, nobody can be shown: it is not read either
        raise UnreadableDocument(f"{name} is not a readable PDF: the file is damaged or incomplete.") from exc
    with renderer:
        pages, flags, has_images = _extract_pages(reader, renderer, name, count, frozenset())
        if flags and not any(re.search(r"\w", text) for _, text in pages) and all(f[1] == IMAGE_LAYER for f in flags):
            # every word is an invisible layer over pictures, as OCR tools write it for the words the pictures show
            pages, flags, has_images = _extract_pages(reader, renderer, name, count, frozenset([IMAGE_LAYER]))
    metadata = _metadata(reader)
    found = [Flag(kind=_FLAG_KINDS.get(kind, kind), text=text, page=page) for page, kind, text in flags]  # type: ignore[arg-type]
    return RawDocument("pdf", pages, found, metadata, _title(metadata.get("title")), has_images)


def _extract_pages(
    reader: PdfReader, renderer: PageRenderer, name: str, count: int, keep: frozenset[str]
) -> tuple[list[tuple[int | None, str]], list[tuple[int, str, str]], bool]:
    """Every page's visible text, the hidden texts (page, kind, text) and whether any page shows a picture."""
    pages: list[tuple[int | None, str]] = []
    flags: list[tuple[int, str, str]] = []
    has_images = False
    for number in range(1, count + 1):
        try:
            text, hidden, images = _extract_page(reader, reader.pages[number - 1], renderer, number - 1, keep)
        except TooManyOperations as exc:
            raise DocumentTooLarge(too_many_message(name)) from exc
        except RecursionError as exc:
            raise UnreadableDocument(f"{name} is too deeply nested to read (page {number}).") from exc
        except (MemoryError, DocumentTooLarge):
            raise
        except Exception as exc:
            raise UnreadableDocument(f"{name} is not a readable PDF: page {number} is damaged.") from exc
        pages.append((number, text))
        flags.extend((number, kind, hidden_text) for kind, hidden_text in hidden)
        has_images = has_images or images
    return pages, flags, has_images


def _extract_page(
    reader: PdfReader, page: Any, renderer: PageRenderer, index: int, keep: frozenset[str]
) -> tuple[str, list[tuple[str, str]], bool]:
    """Visible text of one page, the hidden texts found on it (kind, text), and whether the page shows images."""
    if page.get("/Contents") is None:
        return "", [], False
    # strings stay raw bytes, as pypdf's own text extraction parses them, so fonts decode them later
    operations = content_operations(page["/Contents"], reader)
    walker = VisibilityWalker(reader, page_box(page))
    marks = walker.walk_page(operations, page.get_inherited("/Resources", DictionaryObject()) or DictionaryObject())
    has_images = any(region.image for region in walker.regions)
    # what the operators cannot tell (layers, clipping, covering shapes, faint or same-colour text), the pixels do
    for run, unseen in zip(marks.runs, renderer.unseen(index, [r.box for r in marks.runs]), strict=True):
        if unseen:
            marks.marks.setdefault(run.key, {})[run.index] = "invisible_text"
    hidden: list[tuple[str, str]] = []
    drop = {ICON_FONT}
    for kind in sorted(marks.kinds() - {ICON_FONT} - keep):
        hidden_text = " ".join(_tidy(_extract(reader, page, marks, keep_only=kind)).split())
        if hidden_text:  # hidden whitespace is harmless: leave it where it is
            hidden.append((kind, hidden_text[:300]))
            drop.add(kind)
    return _tidy(_extract(reader, page, marks, drop=drop, widen_gaps=True)), hidden, has_images


def _extract(
    reader: PdfReader,
    page: Any,
    marks: PageMarks,
    *,
    drop: Iterable[str] = (),
    keep_only: str | None = None,
    widen_gaps: bool = False,
) -> str:
    """pypdf's own text extraction over filtered copies of the page's (and its forms') operators."""
    dropped = frozenset(drop)
    installed = []
    original_contents = page.raw_get("/Contents")
    try:
        for key, slot in marks.forms.items():
            stand_in = ContentStream(None, reader)
            stand_in.operations = _filtered(slot.operations, marks.marks.get(key, {}), dropped, keep_only, widen_gaps)
            for entry, value in slot.form.items():
                if entry not in ("/Filter", "/DecodeParms", "/Length", "/DL"):
                    stand_in[NameObject(entry)] = value
            slot.parent[NameObject(slot.name)] = stand_in
            installed.append(slot)
        contents = ContentStream(None, reader)
        contents.operations = _filtered(marks.operations, marks.marks.get(0, {}), dropped, keep_only, widen_gaps)
        page[NameObject("/Contents")] = contents
        # a visitor makes pypdf use our operators as they are instead of re-serialising them to look for text
        return str(page.extract_text(visitor_operand_before=_ignore))
    finally:
        page[NameObject("/Contents")] = original_contents
        for slot in installed:
            slot.parent[NameObject(slot.name)] = slot.original


def _ignore(*_: Any) -> None:
    return None


def _filtered(
    operations: list[tuple[Any, bytes]],
    marks: dict[int, str],
    drop: frozenset[str],
    keep_only: str | None,
    widen_gaps: bool,
) -> list[tuple[Any, bytes]]:
    """Operators minus unwanted text-showing ones (their line moves kept), word gaps optionally widened."""
    out: list[tuple[Any, bytes]] = []
    for index, (operands, op) in enumerate(operations):
        if op in TEXT_SHOW:
            kind = marks.get(index)
            remove = kind != keep_only if keep_only is not None else kind in drop
            if remove:
                if op == b"'":
                    out.append(([], b"T*"))
                elif op == b'"' and len(operands) >= 2:
                    out.extend([([operands[0]], b"Tw"), ([operands[1]], b"Tc"), ([], b"T*")])
                continue
            if widen_gaps and op == b"TJ" and operands and isinstance(operands[0], ArrayObject):
                operands = [_widen_word_gaps(operands[0])]
        out.append((operands, op))
    return out


def _widen_word_gaps(array: ArrayObject) -> ArrayObject:
    """Make a word-sized TJ gap unmistakable to pypdf's space detection, without moving any later glyph."""
    out = ArrayObject()
    for item in array:
        if isinstance(item, (int, float)) and not isinstance(item, bool) and -1000 < item <= -WORD_GAP:
            out.extend([FloatObject(-1000), FloatObject(float(item) + 1000)])
        else:
            out.append(item)
    return out


def _tidy(text: str) -> str:
    """PDF extraction quirks: tabs/CRs used as spacing, doubled hyphen glyphs, unmapped glyph names like /four.lnum."""
    text = text.replace("\t", " ").replace("\r", " ")
    text = text.replace("-\u00ad\u2010", "-").replace("\u00ad\u2010", "-")
    if "\u00ad" in text:  # a soft hyphen drawn mid-line is a visible hyphen; at a line end it marks hyphenation
        text = _MIDLINE_SOFT_HYPHEN.sub("-", text)
    return _GLYPH_NAME.sub(_resolve_glyph_name, text) if "/" in text else text


def _resolve_glyph_name(match: re.Match[str]) -> str:
    name = match.group(1)
    for end in range(len(name), 0, -1):
        if name[end - 1] in "._":
            continue
        resolved = _glyph(name[:end])
        if resolved is not None:
            return resolved + name[end:]
    return match.group(0)


def _glyph(name: str) -> str | None:
    """Characters for a suffixed or ligature glyph name ("A.sc" → "A", "f_i" → "fi"); None for anything else."""
    base, dot, _ = name.partition(".")
    components = base.split("_")
    if not dot and len(components) < 2:
        return None  # a bare word after a slash is ordinary text ("CI/CD", "and/or")
    chars = []
    for component in components:
        value = _ADOBE_GLYPHS.get(f"/{component}") or _DIGITS.get(component)
        if value is None and len(component) == 1 and component.isalpha():
            value = component
        if value is None and re.fullmatch(r"uni[0-9A-F]{4}", component):
            value = chr(int(component[3:], 16))
        if value is None:
            return None
        chars.append(value)
    return "".join(chars)


def _metadata(reader: PdfReader) -> dict[str, str]:
    """Document-information fields worth scanning for injected instructions."""
    try:
        info = reader.metadata
    except Exception:
        return {}
    if info is None:
        return {}
    out: dict[str, str] = {}
    for key, label in _METADATA_FIELDS.items():
        try:
            value: Any = info.get(key)
            value = value.get_object() if hasattr(value, "get_object") else value
        except Exception:
            continue
        if value is not None and str(value).strip():
            out[label] = str(value).strip()
    return out


def _title(title: str | None) -> str | None:
    if not title:
        return None
    title = re.sub(r"^Microsoft Word - |\.(?:docx?|pdf|odt|rtf|txt)$", "", title.strip(), flags=re.IGNORECASE).strip()
    return title if re.search(r"[^\W\d_]", title) else None
