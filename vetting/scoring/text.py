"""Text helpers for scoring: words, content-word stems, question demoting (sentences come from the kernel)."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"ll", "ve", "re", "don", "doesn", "isn", "aren", "s", "t", "d", "m"}
_stemmer = snowballstemmer.stemmer("english")


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
