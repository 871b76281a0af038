"""Graphics-state values for the PDF visibility walk: matrices, colours, fonts and the `q`/`Q` state record."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

from pypdf.generic import DictionaryObject, NameObject

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in device space
Colour = tuple[str, tuple[float, ...]]  # ("gray" | "rgb" | "cmyk" | "tint" | "other", components)

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
WHITE_LEVEL = 0.95  # every RGB/gray component at least this → white; CMYK/tint components at most 1 - this
ICON_FONT_NAME = re.compile(
    r"awesome|academicons|simpleicons|simple-icons|materialicons|material-?design|ionicons|octicons|devicon|"
    r"glyphicons|wingdings|webdings|zapfdingbats|dingbats|marvosym|bootstrap-?icons|lineicons|feather|tabler|remixicon|"
    r"icomoon|entypo|typicons|foundation-icons|fontello|lucide",
    re.IGNORECASE,
)


def mult(m: Matrix, n: Matrix) -> Matrix:
    """The matrix product m × n (apply m, then n)."""
    return (
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def numbers(operands: list[Any], count: int) -> list[float] | None:
    try:
        values = [float(v) for v in operands[:count]]
    except (TypeError, ValueError):
        return None
    return values if len(values) == count and all(math.isfinite(v) for v in values) else None


def bbox(points: list[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def is_white(colour: Colour) -> bool:
    family, comps = colour
    if not comps:
        return False
    if family == "other":
        return False
    if family in ("cmyk", "tint") or (family not in ("gray", "rgb") and len(comps) == 4):
        return all(c <= 1 - WHITE_LEVEL for c in comps)
    return all(c >= WHITE_LEVEL for c in comps)


@dataclass(frozen=True)
class FontInfo:
    """What the walk needs of a font: is it an icon font, how wide are its glyphs, one or two bytes per code."""

    icon: bool
    two_byte: bool
    widths: dict[int, float]
    default_width: float
    glyph_scale: float = 1.0  # a Type 3 font's glyph size relative to the usual 1/1000 text-space unit


@dataclass(frozen=True)
class GState:
    """The graphics and text state saved by `q` and restored by `Q`."""

    ctm: Matrix = IDENTITY
    fill: Colour = ("gray", (0.0,))
    stroke: Colour = ("gray", (0.0,))
    fill_alpha: float = 1.0
    stroke_alpha: float = 1.0
    render: int = 0
    font: FontInfo | None = None
    size: float = 12.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    hscale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0


def raw_bytes(part: bytes | str) -> bytes:
    original = getattr(part, "original_bytes", None)
    if isinstance(original, bytes):
        return original
    if isinstance(part, bytes):
        return bytes(part)
    return part.encode("latin-1", "replace")


def glyph_codes(raw: bytes, font: FontInfo | None) -> list[int]:
    if font is not None and font.two_byte:
        return [raw[i] << 8 | raw[i + 1] for i in range(0, len(raw) - 1, 2)]
    return list(raw)


def font_info(font: DictionaryObject) -> FontInfo:
    """Icon-font test and glyph widths from a font dictionary (simple fonts: /Widths; Type0: /W of the descendant)."""
    base = str(font.get("/BaseFont", ""))
    descriptor_name = ""
    widths: dict[int, float] = {}
    if font.get("/Subtype") == "/Type0":
        descendant: Any = font["/DescendantFonts"][0].get_object()  # type: ignore[index]
        descriptor_name = str(descendant.get("/FontDescriptor", {}).get("/FontName", "")) if descendant else ""
        default = float(descendant.get("/DW", 1000))
        w = descendant.get("/W", [])
        w = w.get_object() if w is not None else []
        i = 0
        while i < len(w) - 1:
            first = int(w[i])
            nxt = w[i + 1].get_object() if hasattr(w[i + 1], "get_object") else w[i + 1]
            if isinstance(nxt, list):
                for offset, value in enumerate(nxt):
                    widths[first + offset] = float(value)
                i += 2
            elif i + 2 < len(w):
                for code in range(first, min(int(nxt), first + 65536) + 1):
                    widths[code] = float(w[i + 2])
                i += 3
            else:
                break
        return FontInfo(bool(ICON_FONT_NAME.search(base + descriptor_name)), True, widths, default)
    first_char = int(font.get("/FirstChar", 0))
    scale = 1.0
    if font.get("/Subtype") == "/Type3":
        matrix = numbers(list(font.get("/FontMatrix", [0.001])), 1)
        scale = matrix[0] * 1000.0 if matrix else 1.0
    for offset, value in enumerate(font.get("/Widths", []) or []):
        widths[first_char + offset] = float(value) * scale
    descriptor = font.get("/FontDescriptor")
    missing = float(descriptor.get_object().get("/MissingWidth", 500)) if descriptor is not None else 500.0
    return FontInfo(bool(ICON_FONT_NAME.search(base)), False, widths, missing or 500.0, abs(scale) or 1.0)


def colour_space_family(name: Any, resources: Any) -> str:
    """Family of a colour space named by `cs`/`CS`: a device space, a named resource, or "other"."""
    direct = {"/DeviceGray": "gray", "/G": "gray", "/DeviceRGB": "rgb", "/RGB": "rgb", "/DeviceCMYK": "cmyk"}
    if name in direct:
        return direct[name]
    if name == "/Pattern":
        return "other"
    try:
        space = resources["/ColorSpace"][name].get_object()
    except (KeyError, TypeError, AttributeError):
        return "other"
    if isinstance(space, NameObject):
        return direct.get(space, "other")
    try:
        kind = space[0]
        if kind == "/ICCBased":
            return {1: "gray", 3: "rgb", 4: "cmyk"}.get(int(space[1].get_object().get("/N", 0)), "other")
        if kind in ("/Separation", "/DeviceN"):
            return "tint"
        if kind == "/CalRGB":
            return "rgb"
        if kind == "/CalGray":
            return "gray"
    except (IndexError, TypeError, AttributeError, ValueError):
        pass
    return "other"


def initial_colour(family: str) -> Colour:
    """The colour a space starts with after `cs` (black, or full tint)."""
    return {
        "gray": ("gray", (0.0,)),
        "rgb": ("rgb", (0.0, 0.0, 0.0)),
        "cmyk": ("cmyk", (0.0, 0.0, 0.0, 1.0)),
        "tint": ("tint", (1.0,)),
    }.get(family, ("other", ()))


def text_param(op: bytes, operands: list[Any], state: GState) -> GState:
    """The state after a text-state operator (Tr, Tc, Tw, Tz, TL, Ts)."""
    nums = numbers(operands, 1)
    if nums is None:
        return state
    value = nums[0]
    if op == b"Tr":
        return replace(state, render=int(value))
    if op == b"Tc":
        return replace(state, char_spacing=value)
    if op == b"Tw":
        return replace(state, word_spacing=value)
    if op == b"Tz":
        return replace(state, hscale=value / 100.0)
    if op == b"TL":
        return replace(state, leading=value)
    return replace(state, rise=value)


def set_colour(op: bytes, operands: list[Any], state: GState, resources: Any) -> GState:
    """The state after a colour operator (g/rg/k, cs and sc/scn, and their stroking twins)."""
    stroke = op in (b"G", b"RG", b"K", b"SC", b"SCN", b"CS")
    base = op.lower()
    colour: Colour | None = None
    if base == b"cs":
        colour = initial_colour(colour_space_family(operands[0] if operands else None, resources))
    elif base in (b"g", b"rg", b"k"):
        count = {b"g": 1, b"rg": 3, b"k": 4}[base]
        nums = numbers(operands, count)
        family = {b"g": "gray", b"rg": "rgb", b"k": "cmyk"}[base]
        colour = (family, tuple(nums)) if nums else None
    else:  # sc / scn: components in the current colour space; a trailing name means a pattern
        current = state.stroke if stroke else state.fill
        if operands and isinstance(operands[-1], NameObject):
            colour = ("other", ())
        else:
            nums = numbers(operands, len(operands))
            family = current[0]
            if nums and family in ("gray", "rgb", "cmyk") and len(nums) != len(current[1]):
                family = {1: "gray", 3: "rgb", 4: "cmyk"}.get(len(nums), "other")
            colour = (family, tuple(nums)) if nums else None
    if colour is None:
        return state
    return replace(state, stroke=colour) if stroke else replace(state, fill=colour)


def ext_gstate(operands: list[Any], state: GState, resources: Any) -> GState:
    """The state after `gs`: only the fill and stroke opacity matter here."""
    try:
        gs = resources["/ExtGState"][operands[0]].get_object()
    except (KeyError, IndexError, TypeError, AttributeError):
        return state
    fill_alpha, stroke_alpha = state.fill_alpha, state.stroke_alpha
    if (ca := numbers([gs.get("/ca")], 1)) is not None:
        fill_alpha = ca[0]
    if (ca := numbers([gs.get("/CA")], 1)) is not None:
        stroke_alpha = ca[0]
    return replace(state, fill_alpha=fill_alpha, stroke_alpha=stroke_alpha)
