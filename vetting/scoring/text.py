"""Text helpers for scoring: sentence spans that stay verbatim, content-word stems, question demoting."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
# A sentence ends at . ! ? ; followed by space, or at a line break; bullets and numbering start a new one.
_BOUNDARY = re.compile(r"(?<=[.!?;])\s+|\s*\n+\s*(?:[-*•]\s+|\d+[.)]\s+)?")
_BULLET = re.compile(r"\s*(?:[-*•]|\d+[.)])\s+")
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"ll", "ve", "re", "don", "doesn", "isn", "aren", "s", "t", "d", "m"}
_stemmer = snowballstemmer.stemmer("english")


def sentence_spans(text: str, *, min_chars: int = 1) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, trimmed of surrounding space, so each is a verbatim slice."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*_BOUNDARY.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        bullet = _BULLET.match(piece)
        if bullet:
            start, piece = start + bullet.end(), piece[bullet.end() :]
        stripped = piece.strip()
        if len(stripped) >= min_chars:
            offset = start + (len(piece) - len(piece.lstrip()))
            spans.append((offset, offset + len(stripped)))
        if match:
            start = match.end()
    return spans


def sentences(text: str, *, min_chars: int = 1) -> list[str]:
    """The sentences of `text`, each a verbatim slice of it."""
    return [text[a:b] for a, b in sentence_spans(text, min_chars=min_chars)]


def words(text: str) -> list[str]:
    """Lower-case word tokens (letters and digits, apostrophes inside words kept)."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (stop words dropped), in order."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and not (len(w) == 1 and not w.isdigit())]


def demote(stems: list[str], question_stems: set[str]) -> list[str]:
    """Drop the words the question already contains: repeating the question earns nothing (Mohler, Sultan)."""
    return [s for s in stems if s not in question_stems]


def bigrams(stems: list[str]) -> set[tuple[str, str]]:
    return set(pairwise(stems))
