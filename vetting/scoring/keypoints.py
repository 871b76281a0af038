"""Key points and warning signs checked against an answer by the cross-encoder, read together with the answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vetting.scoring.cross_encoder import CrossEncoder

WINDOW_WORDS = 70  # an answer is read in windows of whole consecutive sentences up to this many words
KEY_POINT_MET = 0.3  # cross-encoder score from which a key point counts as stated (with COSINE_MET)
NEGATIVE_MET = 0.3  # the same for a negative signal
COSINE_MET = 0.45  # and some answer sentence must come this close to it (embeddings): the cross-encoder alone is weak
PREFILTER = COSINE_MET  # below it the cross-encoder is not asked
WINDOWS_READ = 1  # windows read per statement: the one holding the sentence closest to it


@dataclass(frozen=True)
class Check:
    """One key point (or warning sign): whether the answer states it, how strongly, and the sentence that does."""

    text: str
    met: bool
    score: float
    evidence: str | None

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "met": self.met, "evidence": self.evidence}


def windows(sentences: Sequence[str]) -> list[tuple[int, int]]:
    """(first, last+1) sentence index ranges of overlapping windows of whole sentences, each up to WINDOW_WORDS."""
    if not sentences:
        return []
    lengths = [len(s.split()) for s in sentences]
    if sum(lengths) <= WINDOW_WORDS:
        return [(0, len(sentences))]
    out: list[tuple[int, int]] = []
    for start in range(len(sentences)):
        end, total = start, 0
        while end < len(sentences) and (end == start or total + lengths[end] <= WINDOW_WORDS):
            total += lengths[end]
            end += 1
        if not out or end > out[-1][1]:
            out.append((start, end))
        if end == len(sentences):
            break
    return out


def check(
    statements: Sequence[str],
    sentences: Sequence[str],
    model_sentences: Sequence[str],
    closeness: np.ndarray,
    encoder: CrossEncoder,
    threshold: float,
) -> list[Check]:
    """Each statement read against the answer windows nearest to it; `closeness` is sentences x statements (cosine).

    `sentences` are verbatim slices of the answer (the evidence); `model_sentences` the same with names masked (read).
    """
    spans = windows(model_sentences)
    if not statements or not spans:
        return [Check(s, False, 0.0, None) for s in statements]
    plan: list[tuple[int, tuple[int, int]]] = []
    for j in range(len(statements)):
        column = closeness[:, j]
        if float(column.max()) < PREFILTER:
            continue
        score_of = [float(column[a:b].max()) for a, b in spans]
        for w in np.argsort(score_of)[::-1][:WINDOWS_READ]:
            plan.append((j, spans[int(w)]))
    scores = encoder.predict([(statements[j], " ".join(model_sentences[a:b])) for j, (a, b) in plan])
    best: dict[int, tuple[float, tuple[int, int]]] = {}
    for (j, span), value in zip(plan, scores.tolist(), strict=True):
        if j not in best or value > best[j][0]:
            best[j] = (value, span)
    out = []
    for j, text in enumerate(statements):
        value, (a, b) = best.get(j, (0.0, (0, 0)))
        met = value >= threshold and b > a and float(closeness[a:b, j].max()) >= COSINE_MET
        evidence = None
        if met and b > a:
            evidence = sentences[a + int(np.argmax(closeness[a:b, j]))]
        out.append(Check(text, met, value, evidence))
    return out
