"""What a Markdown reader never sees: HTML comments, reference-style comments, hidden HTML elements, scripts, styles."""

from __future__ import annotations

import re

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
_NAMED_WHITE = frozenset(["white", "snow", "ghostwhite", "whitesmoke", "ivory", "mintcream", "azure", "aliceblue",
                          "seashell", "floralwhite", "honeydew", "lavenderblush", "transparent"])  # fmt: skip
_NAMED_DARK = frozenset(["black", "navy", "darkblue", "midnightblue", "darkslategray", "darkslategrey", "maroon",
                         "darkgreen", "indigo", "purple", "darkred", "dimgray", "dimgrey", "teal", "green",
                         "blue"])  # fmt: skip
WHITE_LEVEL = 0.95  # every channel at least this bright (as for PDF fills), or nearly transparent, reads as white
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
        dark_behind = background is not None and _brightness(background.group("value")) <= 0.5
        if colour and _is_white(colour.group("value")) and not dark_behind:
            return "white_text", f"style {colour.group().strip()}"
    if tag.lower() == "font" and (font := _FONT_COLOUR.search(attrs)):
        value = next(v for v in font.group("d", "s", "b") if v is not None)
        if _is_white(value):
            return "white_text", f"<font color={value.strip()}>"
    return None


def _channels(value: str) -> tuple[list[float], float] | None:
    """A CSS colour's red, green and blue in 0-1 and its alpha, or None when it is not one this reads."""
    v = value.strip().lower().removesuffix("!important").strip()
    if v in _NAMED_WHITE:
        return [1.0, 1.0, 1.0], 0.0 if v == "transparent" else 1.0
    if v in _NAMED_DARK:
        return [0.2, 0.2, 0.2], 1.0
    if m := re.fullmatch(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})", v):
        digits = m.group(1)
        if len(digits) <= 4:
            digits = "".join(c * 2 for c in digits)
        parts = [int(digits[i : i + 2], 16) / 255 for i in range(0, len(digits), 2)]
        return parts[:3], parts[3] if len(parts) == 4 else 1.0
    if m := re.fullmatch(r"rgba?\(([^)]*)\)", v):
        items = [x for x in re.split(r"[\s,/]+", m.group(1)) if x]
        try:
            rgb = [float(x[:-1]) / 100 if x.endswith("%") else float(x) / 255 for x in items[:3]]
            alpha = (
                float(items[3][:-1]) / 100
                if len(items) > 3 and items[3].endswith("%")
                else (float(items[3]) if len(items) > 3 else 1.0)
            )
        except ValueError:
            return None
        return (rgb, alpha) if len(rgb) == 3 else None
    if m := re.fullmatch(r"hsla?\(([^)]*)\)", v):
        items = [x for x in re.split(r"[\s,/]+", m.group(1)) if x]
        try:
            saturation, lightness = (float(x.rstrip("%")) / 100 for x in items[1:3])
        except ValueError:
            return None
        chroma = (1 - abs(2 * lightness - 1)) * saturation  # the channels span lightness ± chroma / 2
        return [lightness - chroma / 2, lightness, lightness + chroma / 2], 1.0
    return None


def _is_white(value: str) -> bool:
    read = _channels(value)
    return read is not None and (read[1] <= 0.05 or min(read[0]) >= WHITE_LEVEL)


def _brightness(value: str) -> float:
    """0 (black) to 1 (white) for a background; an unreadable one (an image, a gradient) counts as light."""
    read = _channels(value.split()[0] if value.strip() else value)
    return 1.0 if read is None or read[1] <= 0.05 else sum(read[0]) / 3


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
