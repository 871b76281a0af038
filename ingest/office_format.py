"""Effective Word formatting of a run (direct, character style, paragraph style, defaults, theme) and what hides it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

from ingest.colour import MIN_CONTRAST, contrast

__all__ = ["Formatting", "contrast"]

_W_VAL = qn("w:val")
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_THEME_NAMES = {
    "background1": "lt1", "text1": "dk1", "background2": "lt2", "text2": "dk2", "light1": "lt1", "dark1": "dk1",
    "light2": "lt2", "dark2": "dk2", "hyperlink": "hlink", "followedhyperlink": "folHlink",
}  # fmt: skip
_DEFAULT_THEME = {"dk1": "000000", "lt1": "FFFFFF", "dk2": "44546A", "lt2": "E7E6E6", "accent1": "4472C4",
                  "accent2": "ED7D31", "accent3": "A5A5A5", "accent4": "FFC000", "accent5": "5B9BD5",
                  "accent6": "70AD47", "hlink": "0563C1", "folHlink": "954F72"}  # fmt: skip
_HIGHLIGHT = {
    "black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00", "magenta": "FF00FF", "red": "FF0000",
    "yellow": "FFFF00", "white": "FFFFFF", "darkBlue": "000080", "darkCyan": "008080", "darkGreen": "008000",
    "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000", "darkGray": "808080", "lightGray": "C0C0C0",
}  # fmt: skip
MIN_HALF_POINTS = 4  # text under 2 pt is not read
MIN_SCALE_PERCENT = 20  # characters squeezed to under a fifth of their width (`w:w`) are not read either
SQUEEZE = 0.35  # condensed spacing (`w:spacing`) pulling each character back by this share of its size piles them up


def _hex(value: str | None) -> str | None:
    if value and len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value):
        return value.upper()
    return None


def _adjust(rgb: str, tint: str | None, shade: str | None) -> str:
    """A theme colour with its tint (towards white) and shade (towards black) applied."""
    out = []
    for i in (0, 2, 4):
        c = int(rgb[i : i + 2], 16)
        if tint and _hex("0000" + tint):
            c = round(c * int(tint, 16) / 255 + 255 * (1 - int(tint, 16) / 255))
        if shade and _hex("0000" + shade):
            c = round(c * int(shade, 16) / 255)
        out.append(f"{max(0, min(255, c)):02X}")
    return "".join(out)


@dataclass(frozen=True)
class Hidden:
    """Why a run is not seen: the flag kind and the rule (which property, set where)."""

    kind: str
    rule: str


class Formatting:
    """Resolves run and paragraph properties through styles (with basedOn chains), document defaults and the theme."""

    def __init__(self, document: Any) -> None:
        root = document.styles.element
        self.styles: dict[str, Any] = {s.get(qn("w:styleId")): s for s in root.iterchildren(qn("w:style"))}
        self.default_paragraph = self._default(root, "paragraph")
        self.default_character = self._default(root, "character")
        self.defaults_rpr = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.theme = dict(_DEFAULT_THEME)
        self.theme.update(_theme_colours(document))
        background = document.element.find(qn("w:background"))
        page = self.colour_of(background, "color") if background is not None else None
        self.page: str = page or "FFFFFF"

    @staticmethod
    def _default(root: Any, kind: str) -> str | None:
        for style in root.iterchildren(qn("w:style")):
            if style.get(qn("w:type")) == kind and style.get(qn("w:default")) in ("1", "true", "on"):
                return str(style.get(qn("w:styleId")))
        return None

    def _chain(self, style_id: str | None) -> list[tuple[str, Any]]:
        """A style and the styles it is based on, nearest first (cycles cut)."""
        chain: list[tuple[str, Any]] = []
        while style_id and style_id in self.styles and all(style_id != s for s, _ in chain) and len(chain) < 20:
            style = self.styles[style_id]
            chain.append((style_id, style))
            based = style.find(qn("w:basedOn"))
            style_id = based.get(_W_VAL) if based is not None else None
        return chain

    def _sources(self, run: Any, p: Any) -> list[tuple[str, Any]]:
        """Run-property containers that apply to `run`, strongest first, each with where it was set."""
        sources: list[tuple[str, Any]] = [("direct formatting", run.find(qn("w:rPr")))]
        rstyle = run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        for sid, style in self._chain(rstyle.get(_W_VAL) if rstyle is not None else self.default_character):
            sources.append((f"character style '{sid}'", style.find(qn("w:rPr"))))
        for sid, style in self._chain(self._paragraph_style(p)):
            sources.append((f"paragraph style '{sid}'", style.find(qn("w:rPr"))))
        sources.append(("document defaults", self.defaults_rpr))
        return [(where, props) for where, props in sources if props is not None]

    def _paragraph_style(self, p: Any) -> str | None:
        pstyle = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if p is not None else None
        return pstyle.get(_W_VAL) if pstyle is not None else self.default_paragraph

    def _property(self, run: Any, p: Any, tag: str) -> tuple[str, Any] | None:
        for where, props in self._sources(run, p):
            found = props.find(qn(tag))
            if found is not None:
                return where, found
        return None

    def colour_of(self, element: Any, attribute: str) -> str | None:
        """An RGB hex colour from a colour attribute (`val`, `color`, `fill`) or its theme colour, tint and shade."""
        theme_attr = "themeFill" if attribute == "fill" else "themeColor"
        theme = element.get(qn(f"w:{theme_attr}"))
        if theme:
            base = self.theme.get(_THEME_NAMES.get(theme.lower(), theme), None)
            if base:
                prefix = "themeFill" if attribute == "fill" else "theme"  # themeTint, but themeFillTint
                tint = element.get(qn(f"w:{prefix}Tint"))
                shade = element.get(qn(f"w:{prefix}Shade"))
                return _adjust(base, tint, shade)
        return _hex(element.get(qn(f"w:{attribute}")))

    def _shading(self, shd: Any) -> str | None:
        if shd is None:
            return None
        if shd.get(_W_VAL) == "solid":  # a solid pattern paints the pattern colour
            return self.colour_of(shd, "color") or "000000"
        return self.colour_of(shd, "fill")

    def background(self, run: Any, p: Any, cells: list[Any]) -> tuple[str, str]:
        """The colour behind a run and where it comes from: highlight, run, paragraph or cell shading, or the page."""
        highlight = self._property(run, p, "w:highlight")
        if highlight is not None and highlight[1].get(_W_VAL) in _HIGHLIGHT:
            return _HIGHLIGHT[highlight[1].get(_W_VAL)], f"highlight ({highlight[0]})"
        shading = self._property(run, p, "w:shd")
        if shading is not None and self._shading(shading[1]):
            return str(self._shading(shading[1])), f"run shading ({shading[0]})"
        sources = [("paragraph", p.find(qn("w:pPr")) if p is not None else None)]
        sources += [
            (f"paragraph style '{sid}'", s.find(qn("w:pPr"))) for sid, s in self._chain(self._paragraph_style(p))
        ]
        for where, props in sources:
            colour = self._shading(props.find(qn("w:shd"))) if props is not None else None
            if colour:
                return colour, f"{where} shading"
        for cell in cells:
            colour = self._shading(cell.find(f"{qn('w:tcPr')}/{qn('w:shd')}"))
            if colour:
                return colour, "table cell shading"
        return self.page, "page"

    def _squeezed(self, run: Any, p: Any, points: float) -> Hidden | None:
        """Characters scaled (`w:w`) or condensed (`w:spacing`) into a smudge no reader can make out."""
        scale, scaled_by = _number(self._property(run, p, "w:w"), 100.0)
        if scale < MIN_SCALE_PERCENT:
            return Hidden("tiny_text", f"characters scaled to {scale:g}% by {scaled_by}")
        spacing, spaced_by = _number(self._property(run, p, "w:spacing"), 0.0)  # twentieths of a point
        if spacing / 20 < -SQUEEZE * points * scale / 100:
            return Hidden("tiny_text", f"characters condensed by {-spacing / 20:g} pt by {spaced_by}")
        return None

    def hidden(self, run: Any, p: Any, cells: list[Any]) -> Hidden | None:
        """Why this run is not seen by a reader, or None when it is visible."""
        for tag in ("w:vanish", "w:specVanish"):
            found = self._property(run, p, tag)
            if found is not None and _on(found[1]):
                return Hidden("invisible_text", f"{tag[2:]} set by {found[0]}")
        size = self._property(run, p, "w:sz")
        half_points = 20  # 10 pt: the size the format prescribes when nothing in the style hierarchy sets one
        if size is not None:
            try:
                half_points = int(size[1].get(_W_VAL, "24"))
                if half_points < MIN_HALF_POINTS:
                    return Hidden("tiny_text", f"{half_points / 2:g} pt set by {size[0]}")
            except ValueError:
                pass
        squeezed = self._squeezed(run, p, half_points / 2)
        if squeezed is not None:
            return squeezed
        colour = self._property(run, p, "w:color")
        rgb = self.colour_of(colour[1], "val") if colour is not None else None
        if colour is None or rgb is None:
            return None  # automatic colour always contrasts with its background
        back, behind = self.background(run, p, cells)
        ratio = contrast(rgb, back)
        if ratio < MIN_CONTRAST:
            theme = colour[1].get(qn("w:themeColor"))
            named = f"theme {theme} = {rgb}" if theme else rgb
            return Hidden("white_text", f"colour {named} ({colour[0]}) on {back} ({behind}), contrast {ratio:.2f}")
        return None


def _number(found: tuple[str, Any] | None, default: float) -> tuple[float, str]:
    if found is None:
        return default, ""
    try:
        return float(found[1].get(_W_VAL, default)), found[0]
    except (TypeError, ValueError):
        return default, ""


def _on(element: Any) -> bool:
    """A toggle property is on unless its value says otherwise."""
    return element is not None and element.get(_W_VAL, "true").lower() not in ("false", "0", "off", "none")


def _theme_colours(document: Any) -> dict[str, str]:
    """The colour scheme of the document's theme part (dk1, lt1, accent1 …), when there is one."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    try:
        part = document.part.part_related_by(RT.THEME)
        root = parse_xml(part.blob)
    except (KeyError, ValueError, AttributeError, SyntaxError):
        return {}
    colours: dict[str, str] = {}
    scheme = root.find(f".//{_A}clrScheme")
    if scheme is None:
        return colours
    for entry in scheme:
        name = entry.tag.rsplit("}", 1)[-1]
        for value in entry:
            rgb = _hex(value.get("val")) or _hex(value.get("lastClr"))
            if rgb:
                colours[name] = rgb
    return colours
