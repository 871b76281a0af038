"""Quote verification: a quote counts only if it is a verbatim span of its source, after whitespace normalisation."""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def normalize(text: str) -> str:
    """NFKC, straight quotes and dashes, single spaces: the form in which quotes and sources are compared."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).translate(_QUOTE_CHARS)).strip()


def is_verbatim(quote: str, source: str, *, min_chars: int = 8) -> bool:
    """True when `quote` (at least `min_chars` long once normalised) appears verbatim in `source`."""
    q = normalize(quote)
    return len(q) >= min_chars and q in normalize(source)


def _normalized_with_origins(text: str) -> tuple[str, list[tuple[int, int]]]:
    """NFKC with straight quotes and dashes, and for each resulting character the span of `text` it came from."""
    chars: list[str] = []
    origins: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1  # a base character and its combining marks normalise together
        piece = unicodedata.normalize("NFKC", text[i:j]).translate(_QUOTE_CHARS)
        chars.append(piece)
        origins += [(i, j)] * len(piece)
        i = j
    return "".join(chars), origins


def find_span(quote: str, source: str) -> tuple[int, int] | None:
    """Character span of `quote` in the original `source` (whitespace-tolerant), or None when it is not there.

    The match is made on the normalised forms, and its ends are mapped back to the characters of `source` they came
    from, so ligatures, "…", full-width and other characters NFKC rewrites keep the highlight in place.
    """
    q = normalize(quote)
    if not q:
        return None
    pattern = r"\s+".join(re.escape(part) for part in q.split(" "))
    normalized, origins = _normalized_with_origins(source)
    match = re.search(pattern, normalized)
    if match is None or match.end() == match.start():
        return None
    return origins[match.start()][0], origins[match.end() - 1][1]
