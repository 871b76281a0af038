"""The one sentence splitter: verbatim sentence spans, cut at clause ends (default) or at prose sentence ends."""

from __future__ import annotations

import re

# Clauses (scoring): a sentence ends at . ! ? ; followed by space, or at a line break; bullets and numbering start one.
_CLAUSE_END = re.compile(r"(?<=[.!?;])\s+|\s*\n+\s*(?:[-*•]\s+|\d+[.)]\s+)?")
_BULLET = re.compile(r"\s*(?:[-*•]|\d+[.)])\s+")
# Prose (chunking, claims): . ! ? then space and a capital, digit, quote, bracket or emphasis; not after "e.g.".
_PROSE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(*])")
ABBREVIATIONS = (
    "e.g.", "i.e.", "etc.", "inc.", "vs.", "mr.", "dr.", "st.", "no.", "co.", "ltd.", "jr.", "sr.", "approx.",
)  # fmt: skip


def _trimmed(text: str, start: int, end: int, min_chars: int) -> tuple[int, int] | None:
    piece = text[start:end]
    stripped = piece.strip()
    if len(stripped) < min_chars:
        return None
    offset = start + (len(piece) - len(piece.lstrip()))
    return offset, offset + len(stripped)


def _clause_spans(text: str, min_chars: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*_CLAUSE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        bullet = _BULLET.match(text, start, end)
        span = _trimmed(text, bullet.end() if bullet else start, end, min_chars)
        if span:
            spans.append(span)
        if match:
            start = match.end()
    return spans


def _prose_spans(text: str, min_chars: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    start = 0
    for match in [*_PROSE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        if pieces and text[pieces[-1][0] : pieces[-1][1]].lower().endswith(ABBREVIATIONS):
            pieces[-1] = (pieces[-1][0], end)  # a split after a known abbreviation is undone
        else:
            pieces.append((start, end))
        if match:
            start = match.end()
    return [span for a, b in pieces if (span := _trimmed(text, a, b, min_chars))]


def sentence_spans(text: str, *, min_chars: int = 1, prose: bool = False) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, trimmed of surrounding space, so each is a verbatim slice.

    By default a sentence also ends at `;` and at a line break (answers, notes); `prose=True` cuts only where a new
    sentence visibly starts (document text, where lines are wrapped).
    """
    return _prose_spans(text, min_chars) if prose else _clause_spans(text, min_chars)


def sentences(text: str, *, min_chars: int = 1, prose: bool = False) -> list[str]:
    """The sentences of `text`, each a verbatim slice of it."""
    return [text[a:b] for a, b in sentence_spans(text, min_chars=min_chars, prose=prose)]
