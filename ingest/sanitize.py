"""Clean-up applied to every format: Unicode normalisation, invisible controls, whitespace, hyphenation, injections."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.injection import find_injections, remove_injections
from vetting.kernel.domain import Flag

__all__ = [
    "ControlReport",
    "clean_text",
    "control_flag",
    "find_injections",
    "normalize_text",
    "remove_injections",
    "sanitize_pages",
]

# Zero-width, joiner, bidi embedding/override/isolate and other invisible format characters a reader never sees.
_INVISIBLE = frozenset(
    [
        *[0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F],
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2070),
        *[0x3164, 0xFEFF, 0xFFA0, 0xFFF9, 0xFFFA, 0xFFFB],
        *range(0xFE00, 0xFE0E),  # variation selectors 1-14 (VS15/16 after emoji are harmless, see below)
        *range(0xE0100, 0xE01F0),  # variation selectors supplement (can smuggle bytes)
    ]
)
_TAG_FIRST, _TAG_LAST = 0xE0000, 0xE007F  # Unicode "tag" characters: invisible copies of ASCII
_SILENT = frozenset([0x00AD, 0xFFFD, 0xFE0E, 0xFE0F])  # soft hyphen, replacement char, emoji presentation selectors


def _ranges(codes: frozenset[int]) -> list[str]:
    """Code points as compact regex class ranges (a long list of single characters makes `re` slow)."""
    ordered, out = sorted(codes), []
    start = previous = ordered[0]
    for code in [*ordered[1:], -1]:
        if code == previous + 1:
            previous = code
            continue
        out.append(re.escape(chr(start)) + (f"-{re.escape(chr(previous))}" if previous > start else ""))
        start = previous = code
    return out


# Everything the sanitiser removes: the sets above, C0/C1 controls (bar tab and newline), private-use glyphs and every
# Unicode format (Cf) character — soft hyphen, Arabic number signs, bidi and zero-width marks, tags, shorthand controls.
_REMOVABLE = re.compile(
    "[\U000e0000-\U000e007f]+|["
    + "".join(_ranges(_INVISIBLE | _SILENT))
    + "\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff\U000f0000-\U0010ffff"
    + "\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    + "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a]"
)
_SPACE_RUN = re.compile(r"[ \t]+")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n[ \t]*")
_HYPHEN_BREAK = re.compile(r"([^\W\d_]+)-[ \t]*\n[ \t]*([^\W\d_]+)")
# Second halves that usually belong to a real compound ("cloud-native", "front-end"), so the hyphen is kept.
_COMPOUND_TAILS = frozenset(
    re.findall(
        r"\w+",
        "based native end side level time scale driven oriented source stack facing term world class edge first free "
        "friendly aware ready focused centric related specific wide making solving service services tier party house "
        "ups up down out in on off over hand made run",
    )
)
_COMPOUND_HEADS = frozenset(
    re.findall(
        r"\w+",
        "self cross full multi non co well high low real open long short part front back state cutting large small "
        "third first second top end pre post re sub semi inter intra anti ex e",
    )
)


@dataclass
class ControlReport:
    """Invisible characters removed from some text: counts per code point and any message hidden in tag characters."""

    counts: Counter[int] = field(default_factory=Counter)
    smuggled: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def merge(self, other: ControlReport) -> None:
        self.counts.update(other.counts)
        self.smuggled.extend(other.smuggled)

    def describe(self) -> str:
        """A recruiter-readable summary: how many characters, which ones, and a decoded hidden message if any."""
        parts = []
        for code, n in self.counts.most_common(4):
            name = unicodedata.name(chr(code), "CONTROL CHARACTER").lower()
            parts.append(f"U+{code:04X} {name} ×{n}")
        text = f"Removed {self.total} invisible control character{'s' if self.total != 1 else ''} ({', '.join(parts)})"
        hidden = " ".join(s for s in self.smuggled if s.strip())
        if hidden:
            text += f"; they spelled out hidden text: {hidden[:200]!r}"
        return text


def _is_pictographic(ch: str) -> bool:
    return bool(ch) and (unicodedata.category(ch) == "So" or ord(ch) >= 0x1F000)


def _strip_controls(text: str, report: ControlReport) -> str:
    """Drop invisible/format/control characters, counting the suspicious ones and decoding tag-character messages."""
    if not _REMOVABLE.search(text):
        return text

    def drop(match: re.Match[str]) -> str:
        found = match.group()
        code = ord(found[0])
        if _TAG_FIRST <= code <= _TAG_LAST:
            report.counts.update(ord(c) for c in found)
            report.smuggled.append("".join(chr(ord(c) - _TAG_FIRST) for c in found if 0xE0020 <= ord(c) <= 0xE007E))
            return ""
        if code in _SILENT or 0xE000 <= code <= 0xF8FF or code >= 0xF0000:  # private use: icon-font glyphs
            return ""
        if code == 0x200D:
            before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
            if _is_pictographic(before) or _is_pictographic(after):
                return ""  # a zero-width joiner inside an emoji sequence
        report.counts[code] += 1
        return ""

    return _REMOVABLE.sub(drop, text)


def _normalize_whitespace(text: str) -> str:
    """Collapse runs of spaces inside lines, keep indentation and paragraph breaks, drop blank-line runs."""
    lines = []
    for line in text.split("\n"):
        stripped = line.lstrip(" \t")
        indent = line[: len(line) - len(stripped)].replace("\t", "    ")
        indent = indent if len(indent) >= 2 else ""  # one stray space (e.g. where an icon was) is not indentation
        body = _SPACE_RUN.sub(" ", stripped).rstrip()
        lines.append(indent + body if body else "")
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def _join_hyphenated(text: str) -> str:
    """Join words split across lines ("experi-\\nence" → "experience"; "cloud-\\nnative" keeps its hyphen)."""
    if "-\n" not in text and "- \n" not in text:
        return text
    vocabulary = text.lower()

    def join(match: re.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        if not tail[0].islower():
            return match.group(0)
        hyphenated, joined = f"{head}-{tail}".lower(), f"{head}{tail}".lower()
        if hyphenated in vocabulary:
            return f"{head}-{tail}"
        if re.search(rf"\b{re.escape(joined)}\b", vocabulary):
            return head + tail
        if tail.lower() in _COMPOUND_TAILS or head.lower() in _COMPOUND_HEADS:
            return f"{head}-{tail}"
        return head + tail

    return _HYPHEN_BREAK.sub(join, text)


def normalize_text(text: str, report: ControlReport | None = None) -> str:
    """NFKC, invisible characters out (counted in `report`), newlines unified, whitespace tidied, hyphenation joined."""
    report = report if report is not None else ControlReport()
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").replace("\v", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFKC", text)
    text = _SOFT_HYPHEN_BREAK.sub("", text)
    text = _strip_controls(text, report)
    text = _normalize_whitespace(text)
    return _join_hyphenated(text)


def control_flag(report: ControlReport, page: int | None = None, where: str = "body") -> Flag | None:
    """One `control_characters` flag summarising a report, or None when nothing suspicious was removed."""
    if not report.total:
        return None
    return Flag(kind="control_characters", text=report.describe(), page=page, where=where)


def clean_text(text: str, *, page: int | None = None, where: str = "body") -> tuple[str, list[Flag]]:
    """Normalise `text` and cut out instruction-like sentences; flags say what was removed and why."""
    report = ControlReport()
    normalized = normalize_text(text, report)
    cleaned, removed = remove_injections(normalized)
    flags = [Flag(kind="injection", text=r, page=page, where=where) for r in removed]
    flags.extend(_smuggled_injections(report, page, where))
    flag = control_flag(report, page, where)
    if flag is not None:
        flags.insert(0, flag)
    return (_normalize_whitespace(cleaned) if removed else cleaned), flags


def _smuggled_injections(report: ControlReport, page: int | None, where: str) -> list[Flag]:
    """Instructions spelled out in invisible tag characters are injections too (the text itself is already gone)."""
    flags = []
    for message in report.smuggled:
        for start, end in find_injections(message):
            flags.append(Flag(kind="injection", text=message[start:end].strip()[:300], page=page, where=where))
    return flags


def sanitize_pages(pages: Iterable[tuple[int | None, str]]) -> tuple[list[tuple[int | None, str]], list[Flag]]:
    """Clean every page; control characters are reported once for the whole document (on the first page seen)."""
    report = ControlReport()
    first_page: int | None = None
    cleaned_pages: list[tuple[int | None, str]] = []
    flags: list[Flag] = []
    for number, text in pages:
        page_report = ControlReport()
        normalized = normalize_text(text, page_report)
        if page_report.total and not report.total:
            first_page = number
        report.merge(page_report)
        cleaned, removed = remove_injections(normalized)
        flags.extend(Flag(kind="injection", text=r, page=number) for r in removed)
        flags.extend(_smuggled_injections(page_report, number, "body"))
        cleaned_pages.append((number, _normalize_whitespace(cleaned) if removed else cleaned))
    flag = control_flag(report, first_page)
    if flag is not None:
        flags.insert(0, flag)
    return cleaned_pages, flags
