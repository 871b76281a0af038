"""Form read against the reference: negation, word order, word pairs kept (answers that only look right)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from vetting.scoring.text import words

_NEGATIONS = frozenset({"not", "no", "never", "cannot", "none", "nothing", "neither", "nor", "nobody", "nowhere"})


def ratio(part: float, whole: float) -> float:
    """part / whole, 0 when there is no whole."""
    return part / whole if whole else 0.0


def negations(text: str) -> int:
    """Negation words in a text ("not", "never", any "n't" contraction)."""
    return sum(w in _NEGATIONS or w.endswith("n't") for w in words(text))


def order_agreement(answer_stems: Sequence[str], reference_stems: Sequence[str]) -> float:
    """Longest run of shared words in the same order in both texts, as a share of the shared words (1 below three)."""
    shared = set(answer_stems) & set(reference_stems)
    a = list(dict.fromkeys(s for s in answer_stems if s in shared))
    r = list(dict.fromkeys(s for s in reference_stems if s in shared))
    if len(shared) < 3:
        return 1.0
    previous = [0] * (len(r) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(r):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1] / len(shared)


def polarity_mismatch(answer_sents: Sequence[str], ref_units: Sequence[str], sims: np.ndarray) -> float:
    """Highest closeness of an answer sentence to the reference sentence it matches when one is negated, one not."""
    worst = 0.0
    for i, sentence in enumerate(answer_sents):
        j = int(sims[i].argmax())
        if negations(sentence) % 2 != negations(ref_units[j]) % 2:
            worst = max(worst, float(sims[i, j]))
    return worst


def pair_recall(answer: Sequence[str], reference: Sequence[str]) -> float:
    """Share of the reference's word pairs in the answer over the share of its words there (0 with no word shared)."""
    word_recall = ratio(len(set(answer) & set(reference)), len(set(reference)))
    pairs, answer_pairs = set(pairwise(reference)), set(pairwise(answer))
    return ratio(ratio(len(pairs & answer_pairs), len(pairs)), word_recall)
