"""Key points and warning signs checked against an answer: each needs a sentence that states it, in meaning and form.

A statement counts as made when one answer sentence comes close to it in meaning (sentence embeddings) AND reads as a
statement of it: the same polarity (a negated key point, or one with a word turned to its opposite, is a
contradiction, not a match), a sentence with function words (not a bag of keywords), its shared words in a sensible
order (not shuffled), not a question, not the question copied back and not a sentence that only says the writer does
not know.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vetting.scoring.form import flips_polarity, order_agreement
from vetting.scoring.text import STOP_WORDS, content_stems, says_no_answer, words

STATEMENT_MET = 0.5  # closeness (cosine) from which a sentence can state a key point or warning sign
# A sentence turned around against a key point is reported as contradicting it only from this closeness: at 0.5 a
# clause merely near it ("remove duplicate and outdated articles" against "Articles get an owner or a freshness process,
# not a one-off clean-up", 0.51) differs in polarity without denying it. Either way it does not meet the point.
CONTRADICTS = 0.6
MIN_FUNCTION_WORDS = 0.15  # share of function words a sentence of MIN_SENTENCE_WORDS or more must have
MIN_SENTENCE_WORDS = 4
MIN_ORDER = 0.5  # shared words in the same order, as a share of those shared (see `order_agreement`)
QUESTION_COPY = 0.9  # a sentence this close to the question is the question given back


@dataclass(frozen=True)
class Check:
    """One key point (or warning sign): whether the answer states it, how closely, and the sentence that does."""

    text: str
    met: bool
    closeness: float
    evidence: str | None = None  # the answer's own sentence, verbatim (names unmasked)
    contradicted: bool = False  # the closest sentence says the opposite
    part: int | None = None  # index of the sentence or clause that states it

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "met": self.met, "evidence": self.evidence}


# Only strong breaks: a key point's clause keeps its "and" ("source and date metadata"); form_checks splits finer.
_CLAUSE_BREAK = re.compile(r"\s*(?:[,;:]|\s[-–—]\s|\bthen\b|\bwhich\b|\bso that\b)\s*", re.IGNORECASE)
MIN_CLAUSE_WORDS = 3
CLAUSE_SENTENCE_WORDS = 12  # shorter sentences are read whole


def clauses(sentence: str) -> list[str]:
    """The clauses of a sentence that holds more than one ("sample the articles, then keep their metadata")."""
    if len(words(sentence)) < CLAUSE_SENTENCE_WORDS:
        return []
    parts = [p.strip() for p in _CLAUSE_BREAK.split(sentence) if p and len(words(p)) >= MIN_CLAUSE_WORDS]
    if len(parts) < 2:
        return []
    return [p for p in parts if any(w in STOP_WORDS for w in words(p))]  # a list of keywords holds no clause


def reads_as_statement(sentence: str) -> bool:
    """A sentence that could state a claim: not a question, not a bag of keywords, not a plain "I don't know"."""
    tokens = words(sentence)
    if not tokens or sentence.rstrip().endswith("?") or says_no_answer(sentence):
        return False
    if len(tokens) < MIN_SENTENCE_WORDS:
        return True
    return sum(t in STOP_WORDS for t in tokens) / len(tokens) >= MIN_FUNCTION_WORDS


def check(
    statements: Sequence[str],
    read: Sequence[str],
    shown: Sequence[str],
    closeness: np.ndarray,
    question_closeness: np.ndarray,
    *,
    threshold: float = STATEMENT_MET,
) -> list[Check]:
    """Each statement checked against the answer sentences; `closeness` is sentences x statements (cosine).

    `read` are the sentences as the model reads them (names masked), `shown` the same sentences verbatim (evidence).
    """
    usable = [i for i, s in enumerate(read) if reads_as_statement(s) and float(question_closeness[i]) < QUESTION_COPY]
    out = []
    for j, statement in enumerate(statements):
        best = max((float(closeness[i, j]) for i in range(len(read))), default=0.0)
        found, contradicted = None, False
        for i in sorted(usable, key=lambda i: -float(closeness[i, j])):
            if float(closeness[i, j]) < threshold:
                break
            if flips_polarity(read[i], statement):
                contradicted = contradicted or float(closeness[i, j]) >= CONTRADICTS
                continue
            if order_agreement(content_stems(read[i]), content_stems(statement)) < MIN_ORDER:
                continue
            found = i
            break
        met = found is not None
        evidence = shown[found] if found is not None else None
        closeness_met = float(closeness[found, j]) if found is not None else best
        out.append(Check(statement, met, closeness_met, evidence, contradicted and not met, found))
    return out


def coverage(checks: Sequence[Check]) -> float:
    """Share of the key points met (0 when there are none)."""
    return sum(c.met for c in checks) / len(checks) if checks else 0.0
