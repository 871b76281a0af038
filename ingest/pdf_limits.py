"""Cheap checks before a PDF is parsed or drawn: the visible page area, and how many drawing operations it holds."""

from __future__ import annotations

from typing import Any

from pypdf import PdfReader

from ingest.pdf_state import Box
from vetting.kernel.errors import DocumentTooLarge

__all__ = [
    "MAX_OPERATIONS",
    "TooManyOperations",
    "check_drawing_operations",
    "count_operations",
    "page_box",
    "too_many_message",
]

MAX_OPERATIONS = 1_500_000  # per document; the largest real CV seen draws well under 100,000
MAX_CONTENT_BYTES = 64 * 2**20  # decompressed page and form content per document
# An operator is a bare word (not a /Name, not a number) after white space or a closing delimiter; words inside strings
# are counted too, which only overcounts. Bytes are mapped to classes so one C-speed count does the scan.
_CLASSES = bytearray(b"0" * 256)
for _byte in b" \t\r\n\f\x00])>":
    _CLASSES[_byte] = ord(" ")
for _byte in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'\"":
    _CLASSES[_byte] = ord("a")
_TABLE = bytes(_CLASSES)


class TooManyOperations(Exception):
    """A page draws more operations than the reader inspects."""


def too_many_message(name: str, count: int | None = None) -> str:
    amount = f"about {count:,}" if count is not None else "too many"
    return (
        f"{name} has too many drawing operations ({amount}; the limit is {MAX_OPERATIONS:,}) to be read safely. "
        "Ask for a re-saved or simpler copy."
    )


def count_operations(data: bytes) -> int:
    """About how many operators a content stream holds, without parsing it."""
    return (b" " + data).translate(_TABLE).count(b" a")


def page_box(page: Any) -> Box:
    """The part of the page a reader sees: the crop box (the media box when absent), clipped to the media box."""
    try:
        media = _box(page.mediabox)
    except Exception:
        return (0.0, 0.0, 612.0, 792.0)
    try:
        crop = _box(page.cropbox)
    except Exception:
        return media
    x0, y0, x1, y1 = max(media[0], crop[0]), max(media[1], crop[1]), min(media[2], crop[2]), min(media[3], crop[3])
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else media


def _box(box: Any) -> Box:
    x0, y0, x1, y1 = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def check_drawing_operations(reader: PdfReader, name: str) -> None:
    """Refuse a document whose pages and forms hold more drawing operations than are inspected (counted, not parsed)."""
    total, size = 0, 0
    seen: set[int] = set()
    for page in reader.pages:
        streams = list(_content_streams(page.get("/Contents")))
        streams.extend(_forms(page.get_inherited("/Resources", {}) or {}, seen, 0))
        for stream in streams:
            try:
                data = stream.get_data()
            except Exception:
                continue  # a damaged stream is reported as damaged by the parse itself
            size += len(data)
            total += count_operations(data)
            if size > MAX_CONTENT_BYTES or total > MAX_OPERATIONS:
                raise DocumentTooLarge(too_many_message(name, None if size > MAX_CONTENT_BYTES else total))


def _content_streams(contents: Any) -> list[Any]:
    if contents is None:
        return []
    contents = contents.get_object()
    if isinstance(contents, list):
        return [c.get_object() for c in contents]
    return [contents]


def _forms(resources: Any, seen: set[int], depth: int) -> list[Any]:
    """Form XObjects reachable from these resources, each once."""
    out: list[Any] = []
    if depth > 12:
        return out
    try:
        xobjects = resources.get_object().get("/XObject")
        items = list(xobjects.get_object().values()) if xobjects is not None else []
    except Exception:
        return out
    for ref in items:
        key = getattr(ref, "idnum", None) or id(ref)
        if key in seen:
            continue
        seen.add(key)
        try:
            form = ref.get_object()
            if form.get("/Subtype") != "/Form":
                continue
        except Exception:
            continue
        out.append(form)
        out.extend(_forms(form.get("/Resources") or {}, seen, depth + 1))
    return out
