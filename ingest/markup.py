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
_WHITE_STYLE = re.compile(
    r"(?<![-\w])color\s*:\s*(?:white|transparent|#fff(?:fff)?\b|rgba?\(\s*255\s*,\s*255\s*,\s*255\s*[,)])",
    re.IGNORECASE,
)
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
        white = _WHITE_STYLE.search(style)
        if white:
            return "white_text", f"style {white.group()}"
    return None


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
