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


def find_span(quote: str, source: str) -> tuple[int, int] | None:
    """Character span of `quote` in the original `source` (whitespace-tolerant), or None when it is not there."""
    q = normalize(quote)
    if not q:
        return None
    pattern = r"\s+".join(re.escape(part) for part in q.split(" "))
    match = re.search(pattern, unicodedata.normalize("NFKC", source).translate(_QUOTE_CHARS))
    return (match.start(), match.end()) if match else None
