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


_IGNORANCE = re.compile(
    r"\bi\W+(?:really\W+|honestly\W+|just\W+)?(?:(?:do|did|does)\W*n[o']?t|dont|don't|cannot|can\W*not|can't|couldn't|could\W+not)\W+(?:really\W+)?"
    r"(?:know|recall|remember|say|tell|answer)\b|\b(?:not|n't)\W+(?:really\W+)?(?:sure|certain)\b|\bunsure\b"
    r"|\bno\W+(?:idea|clue|answer|response)\b|\bnot\W+a\W+clue\b|\bclueless\b|\bforg[eo]t(?:ten)?\b|\bidk\b"
    r"|^\W*(?:pass|skip(?:ped)?|n\W?a|unknown|\?+)\W*$",
    re.IGNORECASE,
)
HEDGE = re.compile(  # words that go on to answer after a doubt ("I'm not sure, but …")
    r"\b(?:but|however|though|think|believe|guess|probably|maybe|perhaps|might|because|so|since)\b", re.I
)
# "I don't know" reported, not said: "the bot should answer 'I don't know' when nothing is found"
_REPORTED = re.compile(
    r"(?:\b(?:say|says|said|saying|answer|answers|answering|reply|replies|respond|responds|admit|admits|return|returns)"
    r"\W+(?:with\W+)?|[\"“‘'])\s*i\W",
    re.IGNORECASE,
)
NON_ANSWER_MAX_WORDS = 14  # longer sentences that mention not knowing usually go on to answer


def says_no_answer(sentence: str) -> bool:
    """True for a sentence that only says the writer does not know ("Honestly, I can't recall this one.")."""
    return (
        len(words(sentence)) <= NON_ANSWER_MAX_WORDS
        and bool(_IGNORANCE.search(sentence))
        and not HEDGE.search(sentence)
        and not _REPORTED.search(sentence)
    )
