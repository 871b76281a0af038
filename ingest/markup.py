"""What a Markdown reader never sees: HTML comments, reference-style comments, hidden HTML elements, scripts, styles."""

from __future__ import annotations

import colorsys
import re

from ingest.colour import MIN_CONTRAST, contrast
from vetting.kernel.domain import Flag

__all__ = ["strip_hidden_markup"]

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)  # an unclosed comment hides everything after it
# A link reference definition renders as nothing: `[//]: # (note)`, `[comment]: <> (note)`, `[x]: url "title"`.
_REFERENCE = re.compile(
    r"^ {0,3}\[(?P<label>[^\]\n]{1,999})\]:[ \t]*(?P<dest><[^>\n]*>|\S+)?"
    r"(?:[ \t]*(?:\((?P<p>[^)\n]*)\)|\"(?P<q>[^\"\n]*)\"|'(?P<s>[^'\n]*)'))?[ \t]*$",
    re.MULTILINE,
)
_LINK_LABEL = re.compile(r"\[([^\]\n]{1,999})\](?!:)")  # `[label]` and the second half of `[text][label]`
_OPEN_TAG = re.compile(r"<(?P<tag>[a-zA-Z][a-zA-Z0-9-]*)\b(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_STYLE = re.compile(r"\bstyle\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|font-size\s*:\s*0*(?:\.0*)?(?:px|pt|em|rem|%)?\s*(?:;|$)|"
    r"font-size\s*:\s*0*\.\d+(?:px|pt)\s*(?:;|$)|opacity\s*:\s*0*(?:\.0\d*)?\s*(?:;|$)|(?:max-)?(?:height|width)\s*:\s*0"
    r"(?:px)?\s*;[^\"']*overflow\s*:\s*hidden|clip(?:-path)?\s*:\s*(?:rect\(\s*0[^)]*\)|inset\(\s*50%)|"
    r"(?:left|top|text-indent)\s*:\s*-\d{3,}",
    re.IGNORECASE,
)
_COLOUR = re.compile(r"(?<![-\w])color\s*:\s*(?P<value>[^;\"']+)", re.IGNORECASE)
_BACKGROUND = re.compile(r"(?<![-\w])background(?:-color)?\s*:\s*(?P<value>[^;\"']+)", re.IGNORECASE)
_FONT_COLOUR = re.compile(r"\bcolor\s*=\s*(?:\"(?P<d>[^\"]*)\"|'(?P<s>[^']*)'|(?P<b>[^\s>]+))", re.IGNORECASE)
# CSS colour names as hex: the near-whites, and the usual dark and bright ones
_NAMED = {
    "white": "ffffff",
    "snow": "fffafa",
    "ghostwhite": "f8f8ff",
    "whitesmoke": "f5f5f5",
    "ivory": "fffff0",
    "mintcream": "f5fffa",
    "azure": "f0ffff",
    "aliceblue": "f0f8ff",
    "seashell": "fff5ee",
    "floralwhite": "fffaf0",
    "honeydew": "f0fff0",
    "lavenderblush": "fff0f5",
    "black": "000000",
    "navy": "000080",
    "darkblue": "00008b",
    "midnightblue": "191970",
    "maroon": "800000",
    "darkgreen": "006400",
    "indigo": "4b0082",
    "purple": "800080",
    "darkred": "8b0000",
    "teal": "008080",
    "green": "008000",
    "blue": "0000ff",
    "red": "ff0000",
    "gray": "808080",
    "grey": "808080",
    "silver": "c0c0c0",
    "yellow": "ffff00",
    "orange": "ffa500",
    "transparent": "ffffff00",
}
_HIDDEN_ATTRIBUTE = re.compile(r"(?:^|\s)hidden(?=[\s=/]|$)", re.IGNORECASE)  # aria-hidden is still seen
_INVISIBLE_ELEMENTS = frozenset(["script", "style", "template", "noscript", "head", "title", "iframe", "object"])
_VOID = frozenset(["br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "base", "col", "embed"])


def _why_hidden(tag: str, attrs: str) -> tuple[str, str] | None:
    """(flag kind, rule) when an element with these attributes is not shown, else None."""
    if tag.lower() in _INVISIBLE_ELEMENTS:
        return "invisible_text", f"<{tag.lower()}> element"
    if _HIDDEN_ATTRIBUTE.search(attrs):
        return "invisible_text", "hidden attribute"
    for match in _STYLE.finditer(attrs):
        style = match.group(1) if match.group(1) is not None else match.group(2)
        hidden = _HIDDEN_STYLE.search(style)
        if hidden:
            return (
                "tiny_text" if "font-size" in hidden.group().lower() else "invisible_text"
            ), f"style {hidden.group()}"
        colour = _COLOUR.search(style)
        background = _BACKGROUND.search(style)
        behind = background.group("value").split()[0] if background and background.group("value").strip() else ""
        if colour and (why := _unseen_colour(colour.group("value"), behind)):
            return "white_text", f"style {colour.group().strip()}{why}"
    if tag.lower() == "font" and (font := _FONT_COLOUR.search(attrs)):
        value = next(v for v in font.group("d", "s", "b") if v is not None)
        if why := _unseen_colour(value, ""):
            return "white_text", f"<font color={value.strip()}>{why}"
    return None


def _channels(value: str) -> tuple[list[float], float] | None:
    """A CSS colour's red, green and blue in 0-1 and its alpha, or None when it is not one this reads."""
    v = value.strip().lower().removesuffix("!important").strip()
    v = f"#{_NAMED[v]}" if v in _NAMED else v
    if m := re.fullmatch(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})", v):
        digits = m.group(1) if len(m.group(1)) > 4 else "".join(c * 2 for c in m.group(1))
        parts = [int(digits[i : i + 2], 16) / 255 for i in range(0, len(digits), 2)]
        return parts[:3], parts[3] if len(parts) == 4 else 1.0
    m = re.fullmatch(r"(rgb|hsl)a?\(([^)]*)\)", v)
    items = [x for x in re.split(r"[\s,/]+", m.group(2)) if x] if m else []
    if len(items) < 3:
        return None
    try:
        alpha = _number(items[3], 1.0) if len(items) > 3 else 1.0
        if m and m.group(1) == "rgb":
            return [_number(x, 255.0) for x in items[:3]], alpha
        hue = float(items[0].removesuffix("deg")) / 360
        return list(colorsys.hls_to_rgb(hue, _number(items[2], 1.0), _number(items[1], 1.0))), alpha
    except ValueError:
        return None


def _number(item: str, full: float) -> float:
    """A CSS number as a share of `full`: a percentage, or a plain number on that scale."""
    return float(item[:-1]) / 100 if item.endswith("%") else float(item) / full


def _unseen_colour(colour: str, background: str) -> str | None:
    """Why text of this CSS colour does not stand out (nearly transparent, or too little contrast with the element's
    own background, else the white page), as a suffix of the flag's rule; None when it is seen."""
    text, behind = _channels(colour), _channels(background) if background else None
    if text is None:
        return None
    if text[1] <= 0.05:
        return ""
    back = behind[0] if behind is not None and behind[1] > 0.05 else [1.0, 1.0, 1.0]  # a picture or none: the page
    ratio = contrast(_hex(text[0]), _hex(back))
    return f" on {_hex(back)}, contrast {ratio:.2f}" if ratio < MIN_CONTRAST else None


def _hex(rgb: list[float]) -> str:
    return "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02X}" for c in rgb)


def _element_end(text: str, tag: str, start: int) -> int:
    """End of the element whose opening tag ends at `start` (same-name tags nest); the text's end if never closed."""
    pattern = re.compile(rf"<(/?){re.escape(tag)}\b[^>]*?(/?)>", re.IGNORECASE)
    depth = 1
    for match in pattern.finditer(text, start):
        if match.group(1):
            depth -= 1
        elif not match.group(2):
            depth += 1
        if depth == 0:
            return match.end()
    return len(text)


def _visible_words(fragment: str) -> str:
    """A removed fragment as plain words, for the flag."""
    return " ".join(re.sub(r"<[^>]*>", " ", fragment.replace("<!--", " ").replace("-->", " ")).split())[:300]


def strip_hidden_markup(text: str) -> tuple[str, list[Flag]]:
    """Markdown with everything a rendering hides cut out, and one flag per piece that held words."""
    found: list[tuple[str, str, str]] = []
    pieces: list[str] = []
    cursor = 0
    position = 0
    comment = _COMMENT.search(text)
    while True:
        if comment is not None and comment.start() < position:
            comment = _COMMENT.search(text, position)  # searched again only once passed: linear, not quadratic
        tag = _OPEN_TAG.search(text, position)
        if tag is not None and (comment is None or tag.start() < comment.start()):
            name, attrs = tag.group("tag").lower(), tag.group("attrs")
            reason = None if name in _VOID else _why_hidden(name, attrs)
            if reason is None:
                position = tag.end()
                continue
            end = tag.end() if attrs.rstrip().endswith("/") else _element_end(text, name, tag.end())
            found.append((*reason, text[tag.end() : end]))
            start = tag.start()
        elif comment is not None:
            found.append(("invisible_text", "HTML comment", comment.group()))
            start, end = comment.start(), comment.end()
        else:
            break
        pieces.append(text[cursor:start])
        cursor = position = end
    pieces.append(text[cursor:])
    cleaned = "".join(pieces)
    used = {m.group(1).lower() for m in _LINK_LABEL.finditer(cleaned)}
    cleaned = _REFERENCE.sub(lambda m: _reference(m, used, found), cleaned)
    flags = [Flag(kind=kind, text=words, rule=rule) for kind, rule, fragment in found  # type: ignore[arg-type]
             if (words := _visible_words(fragment))]  # fmt: skip
    return cleaned, flags


def _reference(match: re.Match[str], labels: set[str], found: list[tuple[str, str, str]]) -> str:
    """A link reference definition: kept when a link uses it and has no title, else cut (and flagged if worded)."""
    label = match.group("label")
    title = match.group("p") or match.group("q") or match.group("s") or ""
    used = label.lower() in labels
    if used and not title.strip():
        return match.group()
    worded = title if title.strip() else (label if not used and not re.fullmatch(r"[/#_\w-]{0,20}", label) else "")
    if worded.strip():
        found.append(("invisible_text", "reference comment", worded))
    return ""
