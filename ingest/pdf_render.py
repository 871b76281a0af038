"""Visibility judged from the page as PDFium draws it: a text run whose glyphs change no pixels is hidden."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.pdf_state import Box

__all__ = ["MIN_CONTRAST", "PageRenderer"]

SCALE = 1.5  # pixels per point: 108 dpi, enough for 6 pt footnotes to draw whole strokes
MIN_CONTRAST = 40  # of 255: a run whose strongest pixel change is weaker than this cannot be read (0.94 grey is 15)
OWN_SHARE = 0.25  # a run sharing more than this of its box with other runs is judged with them (never flagged alone)
MAX_PIXELS = 12_000_000  # a page larger than this (about 2.3 m square at this scale) is drawn at a lower scale


class PageRenderer:
    """One PDFium document opened from the same bytes pypdf reads; renders pages with and without their text."""

    def __init__(self, data: bytes) -> None:
        self._pdf = pdfium.PdfDocument(data)

    def __enter__(self) -> PageRenderer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._pdf.close()

    def __len__(self) -> int:
        return len(self._pdf)

    def unseen(self, page_index: int, boxes: Sequence[Box]) -> list[bool]:
        """For each text box (page space), whether drawing the page's text changed no readable pixel inside it."""
        if not boxes:
            return []
        page = self._pdf[page_index]
        try:
            page.set_rotation(0)  # boxes are in unrotated page space
            left, bottom, right, top = page.get_cropbox()
            scale = min(SCALE, (MAX_PIXELS / max((right - left) * (top - bottom), 1.0)) ** 0.5)
            with_text = _render(page, scale)
            _remove_text(page)
            without_text = _render(page, scale)
        finally:
            page.close()
        change = _strongest_change(with_text, without_text)
        height, width = change.shape
        slices = [_pixels(box, left, top, scale, width, height) for box in boxes]
        owners = np.zeros(change.shape, dtype=np.int16)
        for ys, xs in slices:
            owners[ys, xs] += 1
        verdicts = []
        for ys, xs in slices:
            area = change[ys, xs]
            if area.size == 0:  # entirely outside the visible page (the crop box)
                verdicts.append(True)
                continue
            own = owners[ys, xs] == 1
            if own.sum() >= OWN_SHARE * area.size:
                area = area[own]
            verdicts.append(int(area.max()) < MIN_CONTRAST)
        return verdicts


def _strongest_change(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Per pixel, the largest change of any colour channel (0-255), in byte arithmetic: no wider copies are made."""
    change = np.maximum(before, after)
    change -= np.minimum(before, after)
    return np.maximum(np.maximum(change[:, :, 0], change[:, :, 1]), change[:, :, 2])


def _render(page: pdfium.PdfPage, scale: float) -> np.ndarray:
    bitmap = page.render(scale=scale, draw_annots=False, may_draw_forms=False)
    try:
        array = bitmap.to_numpy()
        return array[:, :, :3].copy() if array.ndim == 3 else np.repeat(array[:, :, None], 3, axis=2)
    finally:
        bitmap.close()


def _remove_text(page: pdfium.PdfPage) -> None:
    """Take every text object off the page, also inside form XObjects, so the page renders without any text."""
    found: list[tuple[object, object]] = []
    _collect(page.raw, None, found, depth=0)
    for form, obj in found:
        if form:
            removed = pdfium_c.FPDFFormObj_RemoveObject(form, obj)
        else:
            removed = pdfium_c.FPDFPage_RemoveObject(page.raw, obj)
        if removed:
            pdfium_c.FPDFPageObj_Destroy(obj)


def _collect(page: object, form: object, found: list[tuple[object, object]], depth: int) -> None:
    count = pdfium_c.FPDFFormObj_CountObjects(form) if form else pdfium_c.FPDFPage_CountObjects(page)
    for i in range(count):
        obj = pdfium_c.FPDFFormObj_GetObject(form, i) if form else pdfium_c.FPDFPage_GetObject(page, i)
        if not obj:
            continue
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            found.append((form, obj))
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 12:
            _collect(page, obj, found, depth + 1)


def _pixels(box: Box, left: float, top: float, scale: float, width: int, height: int) -> tuple[slice, slice]:
    x0, y0, x1, y1 = box
    px0, px1 = int(max((x0 - left) * scale, 0)), int(min((x1 - left) * scale + 1, width))
    py0, py1 = int(max((top - y1) * scale, 0)), int(min((top - y0) * scale + 1, height))
    return slice(py0, max(py0, py1)), slice(px0, max(px0, px1))
