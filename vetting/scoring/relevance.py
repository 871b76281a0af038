"""Whether an answer addresses what it is scored against at all: the line below which there is no evidence to score."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

import numpy as np

from vetting.scoring.features import GradingItem, units
from vetting.scoring.memo import EmbeddingMemo
from vetting.scoring.text import content_stems

MIN_WORDS = 1  # an answer with no word at all ("?", "...") has nothing to score
FALSE_INSUFFICIENT_RATE = 0.001  # at most this share of real answers to their own question is called off-topic
COVERAGE_QUANTILE = 0.95
_NON_ANSWER = re.compile(
    r"^\W*(?:(?:no|empty|blank)\W+(?:answer|response|submission|idea|clue|comment)s?|i\W+(?:do\W*n[o']?t|dont)\W+know"
    r"|(?:not\W+)?sure|not\W+answered|unanswered|n\W?a|pass|skip(?:ped)?|idk|unknown|#name\?|#value!|#ref!|\?+|-+)\W*$",
    re.IGNORECASE,
)


def is_non_answer(text: str) -> bool:
    """True for an empty answer or one that only says there is no answer ("No response.", "I don't know", "#NAME?")."""
    return not text.strip() or bool(_NON_ANSWER.match(text.strip()))


def relevance(item: GradingItem, memo: EmbeddingMemo, extra: Sequence[str] = ()) -> float:
    """Highest similarity between any answer sentence and the question, a reference sentence, a concept or `extra`."""
    answer_units = units(item.answer)
    targets = [u for r in item.references for u in units(r)] + [item.question, *item.key_terms, *extra]
    targets = [t for t in targets if t.strip()]
    if not answer_units or not targets:
        return 0.0
    return float((memo.matrix(answer_units) @ memo.matrix(targets).T).max())


def shares_words(item: GradingItem, extra: Sequence[str] = ()) -> bool:
    """True when the answer uses at least one content word of the question, a reference, a concept or `extra`."""
    target = set(content_stems("\n".join([item.question, *item.references, *item.key_terms, *extra])))
    return bool(target & set(content_stems(item.answer)))


def is_off_topic(item: GradingItem, memo: EmbeddingMemo, threshold: float, extra: Sequence[str] = ()) -> bool:
    """Off-topic: no sentence comes semantically close to anything expected AND not one expected word is used."""
    return relevance(item, memo, extra) < threshold and not shares_words(item, extra)


def fit_relevance_threshold(items: Sequence[GradingItem], memo: EmbeddingMemo) -> float:
    """The relevance below which an answer sharing no expected word is off-topic, set from real answers, no grades.

    It is the highest threshold at which `is_off_topic` would wrongly reject at most FALSE_INSUFFICIENT_RATE of the
    real answers given to their own question.
    """
    real = [i for i in items if not is_non_answer(i.answer)]
    if not real:
        return 0.0
    wordless = sorted(relevance(i, memo) for i in real if not shares_words(i))
    allowed = int(FALSE_INSUFFICIENT_RATE * len(real))
    if allowed >= len(wordless):
        return 1.0 if wordless else 0.0
    return float(wordless[allowed])


def _swapped(items: Sequence[GradingItem], seed: int) -> list[GradingItem]:
    """Each real answer paired with another, random question and its references: answers that address nothing asked."""
    real = [i for i in items if not is_non_answer(i.answer)]
    questions = sorted({(i.question, i.references) for i in real})
    rng = random.Random(seed)
    out = []
    for item in real:
        others = [q for q in questions if q[0] != item.question]
        if others:
            question, references = rng.choice(others)
            out.append(GradingItem(question, references, item.answer))
    return out


def off_topic_catch_rate(
    items: Sequence[GradingItem], memo: EmbeddingMemo, threshold: float, *, seed: int = 0
) -> float:
    """Share of real answers that `is_off_topic` rejects when each is paired with another, random question."""
    swapped = _swapped(items, seed)
    return sum(is_off_topic(i, memo, threshold) for i in swapped) / len(swapped) if swapped else 0.0


def fit_coverage_threshold(items: Sequence[GradingItem], memo: EmbeddingMemo, *, seed: int = 0) -> float:
    """The similarity an answer sentence must reach to count as addressing a rubric criterion at all.

    It is the COVERAGE_QUANTILE of the similarity that real answers reach, by chance, with a question they were not
    answering: below it, closeness to a criterion is no better than chance.
    """
    swapped = _swapped(items, seed)
    if not swapped:
        return 0.0
    return float(np.quantile([relevance(i, memo) for i in swapped], COVERAGE_QUANTILE))
