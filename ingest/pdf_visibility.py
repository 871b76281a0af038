"""Which text in a PDF a reader cannot see: a graphics-state walk over pypdf's parsed content-stream operators."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject

from ingest.pdf_content import content_operations
from ingest.pdf_limits import TooManyOperations
from ingest.pdf_state import (
    IDENTITY,
    Box,
    FontInfo,
    GState,
    Matrix,
    apply,
    bbox,
    ext_gstate,
    font_info,
    glyph_codes,
    is_white,
    mult,
    numbers,
    raw_bytes,
    set_colour,
    text_param,
)

ICON_FONT = "icon_font"  # glyphs of an icon font: dropped silently, never flagged
IMAGE_LAYER = "image_layer"  # invisible text over a small picture: hidden, unless the pictures are all there is
TEXT_SHOW = frozenset([b"Tj", b"TJ", b"'", b'"'])
TINY_PT = 3.0  # points: smaller text cannot be read at 100 % zoom; 6 pt footnotes are well above it
NEAR_EDGE_PT = 72.0
SQUEEZED = 0.3  # a run whose pen moves less than this share of its glyphs' own widths piles them into a smudge
SQUEEZED_MIN_GLYPHS = 4
SCAN_SHARE = 0.1  # a picture covering at least this share of the page can be a scan under an OCR text layer
_FILL_OPS = frozenset([b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"])
_PATH_END_OPS = frozenset([b"S", b"s", b"n"])


@dataclass
class FormSlot:
    """A form XObject walked on this page: where it sits in its resources, so a filtered copy can stand in for it."""

    parent: DictionaryObject
    name: str
    original: Any
    form: DictionaryObject
    operations: list[tuple[Any, bytes]]


@dataclass
class Region:
    """An area painted on the page (device space): a dark fill or a picture makes white text on it readable."""

    box: Box
    dark: bool
    image: bool


@dataclass(frozen=True)
class Run:
    """A text-showing operator the walk found visible, and where it draws (device space), for the rendering check."""

    key: int
    index: int
    box: Box


@dataclass
class PageMarks:
    """Result of walking one page: a hidden kind per text-showing operator, per content stream (0 = the page's own)."""

    operations: list[tuple[Any, bytes]]
    marks: dict[int, dict[int, str]] = field(default_factory=dict)
    forms: dict[int, FormSlot] = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)

    def kinds(self) -> set[str]:
        return {kind for per_stream in self.marks.values() for kind in per_stream.values()}


class VisibilityWalker:
    """Walks a page's operators tracking CTM, colours, text state and painted areas; marks text nobody can see."""

    def __init__(self, reader: Any, page_box: Box, max_operations: int = 3_000_000) -> None:
        self.reader = reader
        self.page_box = page_box
        self.regions: list[Region] = []
        self.budget = max_operations
        self._fonts: dict[int, FontInfo | None] = {}
        self._active_forms: set[int] = set()

    def walk_page(self, operations: list[tuple[Any, bytes]], resources: DictionaryObject) -> PageMarks:
        result = PageMarks(operations)
        self._walk(operations, resources, GState(), 0, result, 0)
        return result

    # --- the walk --------------------------------------------------------------------------------------------------
    def _walk(
        self, ops: list[tuple[Any, bytes]], resources: Any, state: GState, key: int, result: PageMarks, depth: int
    ) -> None:
        self.budget -= len(ops)
        if self.budget < 0:
            raise TooManyOperations("content stream too large to inspect")
        stack: list[GState] = []
        tm: Matrix = IDENTITY
        tlm: Matrix = IDENTITY
        path: list[tuple[float, float]] = []
        marks = result.marks.setdefault(key, {})
        for index, (operands, op) in enumerate(ops):
            if op in TEXT_SHOW:
                if op == b"'" or op == b'"':
                    if op == b'"' and (nums := numbers(operands, 2)):
                        state = replace(state, word_spacing=nums[0], char_spacing=nums[1])
                    tlm = mult((1.0, 0.0, 0.0, 1.0, 0.0, -state.leading), tlm)
                    tm = tlm
                    parts = operands[-1:]
                elif op == b"TJ":
                    parts = list(operands[0]) if operands and isinstance(operands[0], ArrayObject) else []
                else:
                    parts = operands[:1]
                kind, advance, box = self._judge_text(parts, state, tm)
                if kind:
                    marks[index] = kind
                elif box is not None:
                    result.runs.append(Run(key, index, box))
                tm = mult((1.0, 0.0, 0.0, 1.0, advance, 0.0), tm)
            elif op == b"Td" or op == b"TD":
                if nums := numbers(operands, 2):
                    if op == b"TD":
                        state = replace(state, leading=-nums[1])
                    tlm = mult((1.0, 0.0, 0.0, 1.0, nums[0], nums[1]), tlm)
                    tm = tlm
            elif op == b"Tm":
                if nums := numbers(operands, 6):
                    tm = tlm = (nums[0], nums[1], nums[2], nums[3], nums[4], nums[5])
            elif op == b"T*":
                tlm = mult((1.0, 0.0, 0.0, 1.0, 0.0, -state.leading), tlm)
                tm = tlm
            elif op == b"BT":
                tm = tlm = IDENTITY
            elif op == b"Tf":
                size = numbers(operands[1:], 1)
                state = replace(
                    state, font=self._font(resources, operands[0] if operands else None), size=size[0] if size else 12.0
                )
            elif op == b"q":
                stack.append(state)
            elif op == b"Q":
                if stack:
                    state = stack.pop()
            elif op == b"cm":
                if nums := numbers(operands, 6):
                    state = replace(state, ctm=mult((nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]), state.ctm))
            elif op in (b"Tr", b"Tc", b"Tw", b"Tz", b"TL", b"Ts"):
                state = text_param(op, operands, state)
            elif op in (b"g", b"rg", b"k", b"sc", b"scn", b"cs", b"G", b"RG", b"K", b"SC", b"SCN", b"CS"):
                state = set_colour(op, operands, state, resources)
            elif op == b"gs":
                state = ext_gstate(operands, state, resources)
            elif op == b"re":
                if nums := numbers(operands, 4):
                    x, y, w, h = nums
                    path.extend([(x, y), (x + w, y + h)])
            elif op in (b"m", b"l"):
                if nums := numbers(operands, 2):
                    path.append((nums[0], nums[1]))
            elif op in (b"c", b"v", b"y"):
                count = 6 if op == b"c" else 4
                if nums := numbers(operands, count):
                    path.extend(zip(nums[0::2], nums[1::2], strict=True))
            elif op in _FILL_OPS:
                if path and state.fill_alpha > 0.05:
                    corners = [apply(state.ctm, x, y) for x, y in _bbox_corners(path)]
                    self.regions.append(Region(bbox(corners), not is_white(state.fill), False))
                path = []
            elif op in _PATH_END_OPS:
                path = []
            elif op == b"Do":
                self._do(operands, resources, state, result, depth)
            elif op == b"INLINE IMAGE":
                self._paint_image(state)
            elif op == b"sh":
                x0, y0, x1, y1 = self.page_box
                self.regions.append(Region((x0, y0, x1, y1), True, False))

    # --- text ------------------------------------------------------------------------------------------------------
    def _judge_text(self, parts: list[Any], state: GState, tm: Matrix) -> tuple[str | None, float, Box | None]:
        """The hidden kind of one text-showing operator (None when visible), how far it moves the pen, and its box.

        The box is None when nothing more is to be checked: no glyphs, an icon font, or an OCR layer over a scan.
        """
        font = state.font
        advance = 0.0
        natural = 0.0  # how far the glyphs' own widths alone would move the pen
        glyphs = 0
        for part in parts:
            if isinstance(part, (bytes, str)):
                raw = raw_bytes(part)
                codes = glyph_codes(raw, font)
                glyphs += len(codes)
                width = sum(font.widths.get(c, font.default_width) for c in codes) if font else 500.0 * len(codes)
                spaces = 0 if (font and font.two_byte) else raw.count(b" ")
                spacing = state.char_spacing * len(codes) + state.word_spacing * spaces
                advance += (width / 1000.0 * state.size + spacing) * state.hscale
                natural += width / 1000.0 * state.size * state.hscale
            else:
                try:
                    advance -= float(part) / 1000.0 * state.size * state.hscale
                except (TypeError, ValueError):
                    continue
        if glyphs == 0:
            return None, advance, None
        if font is not None and font.icon:
            return ICON_FONT, advance, None
        trm = mult(tm, state.ctm)
        low, high = state.rise - 0.25 * state.size, state.rise + 0.8 * state.size
        corners = [apply(trm, x, y) for x in (0.0, advance) for y in (low, high)]
        box = bbox(corners)
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        render = state.render
        alpha = state.stroke_alpha if render in (1, 5) else state.fill_alpha
        if render in (3, 7) or alpha <= 0.05:
            if self._over_image(centre):
                return None, advance, None
            return (IMAGE_LAYER if self._over_image(centre, share=0.0) else "invisible_text"), advance, None
        if not self._on_page(box):
            # a page number or footer pushed just past the edge by the layout is not an attempt to hide anything
            stray = glyphs <= 6 and self._on_page(box, tolerance=NEAR_EDGE_PT)
            return (None if stray else "off_page_text"), advance, None
        glyph_scale = font.glyph_scale if font is not None else 1.0
        vertical = abs(state.size * glyph_scale) * math.hypot(trm[2], trm[3])
        horizontal = abs(state.size * glyph_scale * state.hscale) * math.hypot(trm[0], trm[1])
        if min(vertical, horizontal) < TINY_PT:
            return "tiny_text", advance, None
        if glyphs >= SQUEEZED_MIN_GLYPHS and font is not None and natural > 0 and advance < SQUEEZED * natural:
            return "tiny_text", advance, None  # negative spacing or kerning piles the glyphs on top of each other
        colour = state.stroke if render in (1, 5) else state.fill
        if render in (2, 6) and not is_white(state.stroke):
            return None, advance, box
        if is_white(colour) and not self._dark_behind(centre):
            return "white_text", advance, None
        return None, advance, box

    def _on_page(self, box: Box, tolerance: float = 1.0) -> bool:
        x0, y0, x1, y1 = self.page_box
        return not (
            box[2] < x0 - tolerance or box[0] > x1 + tolerance or box[3] < y0 - tolerance or box[1] > y1 + tolerance
        )

    def _dark_behind(self, point: tuple[float, float]) -> bool:
        """Whether the last thing painted under `point` is dark (so white text on it is readable)."""
        x, y = point
        for region in reversed(self.regions):
            x0, y0, x1, y1 = region.box
            if x0 <= x <= x1 and y0 <= y <= y1:
                return region.dark or region.image
        return False

    def _over_image(self, point: tuple[float, float], share: float = SCAN_SHARE) -> bool:
        """Invisible text over a scanned page image is its OCR layer: the picture shows the same words."""
        x, y = point
        x0, y0, x1, y1 = self.page_box
        page_area = max((x1 - x0) * (y1 - y0), 1.0)
        return any(
            r.image
            and r.box[0] <= x <= r.box[2]
            and r.box[1] <= y <= r.box[3]
            and (r.box[2] - r.box[0]) * (r.box[3] - r.box[1]) >= share * page_area
            for r in self.regions
        )

    def _do(self, operands: list[Any], resources: Any, state: GState, result: PageMarks, depth: int) -> None:
        try:
            xobjects = resources["/XObject"].get_object()
            name = operands[0]
            xobject = xobjects[name].get_object()
            subtype = xobject.get("/Subtype")
        except (KeyError, IndexError, TypeError, AttributeError):
            return
        if subtype == "/Image":
            self._paint_image(state)
            return
        if subtype != "/Form" or depth >= 12 or id(xobject) in self._active_forms:
            return
        key = id(xobject)
        slot = result.forms.get(key)
        if slot is None:
            operations = content_operations(xobject, self.reader)
            slot = FormSlot(xobjects, str(name), xobjects.raw_get(name), xobject, operations)
            result.forms[key] = slot
        matrix = numbers(list(xobject.get("/Matrix", [])), 6)
        form_state = replace(state, ctm=mult(tuple(matrix), state.ctm)) if matrix else state  # type: ignore[arg-type]
        form_resources = xobject.get("/Resources")
        self._active_forms.add(key)
        try:
            self._walk(
                slot.operations,
                form_resources.get_object() if form_resources is not None else resources,
                form_state,
                key,
                result,
                depth + 1,
            )
        finally:
            self._active_forms.discard(key)

    def _paint_image(self, state: GState) -> None:
        corners = [apply(state.ctm, x, y) for x in (0.0, 1.0) for y in (0.0, 1.0)]
        self.regions.append(Region(bbox(corners), True, True))

    # --- fonts -----------------------------------------------------------------------------------------------------
    def _font(self, resources: Any, name: Any) -> FontInfo | None:
        try:
            font = resources["/Font"][name].get_object()
        except (KeyError, TypeError, AttributeError):
            return None
        key = id(font)
        if key not in self._fonts:
            try:
                self._fonts[key] = font_info(font)
            except Exception:  # a malformed font dictionary only costs us width estimates
                self._fonts[key] = None
        return self._fonts[key]


def _bbox_corners(path: list[tuple[float, float]]) -> list[tuple[float, float]]:
    x0, y0, x1, y1 = bbox(path)
    return [(x0, y0), (x0, y1), (x1, y0), (x1, y1)]
