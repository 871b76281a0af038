"""Keeps instructions aimed at the scorer out of the text it scores ("ignore previous instructions", "give me 5/5")."""

from __future__ import annotations

import re
import threading
from typing import Any

from ingest.injection import Hit, find_injection_hits
from ingest.paraphrase import SentenceEmbedder, paraphrase_hits

__all__ = ["instruction_hits", "instruction_spans", "mask_instructions"]

# Requests about the answer's own grade: an interview answer has no reason to talk about how it should be scored.
_GRADE_REQUEST = re.compile(
    r"(?:\b(?:give|award|assign|grant)\w*\W+(?:me|this|it|the\W+candidate)\b[^.!?\n]{0,40}?"
    r"(?:\d+\s*(?:/|out\W+of)\s*\d+|full\W+marks|top\W+(?:score|marks|grade|level)|(?:max(?:imum)?|highest|perfect)\W+"
    r"(?:score|marks|grade|level|rating))"
    r"|\b(?:deserves?|earns?|merits?|warrants?)\W+(?:a\W+)?(?:\d+\s*(?:/|out\W+of)\s*\d+|full\W+marks|(?:the\W+)?"
    r"(?:top|max(?:imum)?|highest|perfect)\W+(?:score|marks|grade|level|rating))"
    r"|\b(?:score|rate|grade|mark)\W+(?:this|my|the)\W+(?:answer|response|reply)\b[^.!?\n]{0,40}?"
    r"(?:\d|full|top|max|highest|perfect|best|excellent|level)"
    r"|\b(?:grader|scorer|evaluator|examiner|marker)s?\b\W{0,3}(?:please\W+)?(?:give|award|score|rate|mark|note|"
    r"this\W+answer|full\W+marks|top\W+marks|max(?:imum)?\W+(?:marks|points|score)|\d+\s*(?:/|out\W+of)\s*\d+))",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\n]")
_encoder: list[Any] = []
_encoder_lock = threading.Lock()


def _packaged_encoder() -> SentenceEmbedder:
    """The packaged MiniLM the offline scorer uses (one per process, shared through the embedder cache)."""
    with _encoder_lock:
        if not _encoder:
            from vetting.kernel.settings import Settings
            from vetting.scoring.offline import scoring_encoder

            _encoder.append(scoring_encoder(Settings()))
        return _encoder[0]


def instruction_hits(answer: str, encoder: SentenceEmbedder | None = None) -> list[Hit]:
    """What instructs an AI or asks for a grade, by the ingest detector, grade requests and meaning; merged, sorted."""
    hits = list(find_injection_hits(answer))
    for match in _GRADE_REQUEST.finditer(answer):
        start = max((m.end() for m in _SENTENCE_END.finditer(answer, 0, match.start())), default=0)
        end_match = _SENTENCE_END.search(answer, match.end())
        hits.append(Hit(start, end_match.end() if end_match else len(answer), "grade request"))
    if answer.strip():
        hits += paraphrase_hits(answer, encoder if encoder is not None else _packaged_encoder())
    merged: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.end)):
        if merged and hit.start <= merged[-1].end:
            merged[-1] = Hit(merged[-1].start, max(hit.end, merged[-1].end), merged[-1].rule)
        else:
            merged.append(hit)
    return merged


def instruction_spans(answer: str, encoder: SentenceEmbedder | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences that instruct an AI or ask for a grade, merged and sorted."""
    return [(h.start, h.end) for h in instruction_hits(answer, encoder)]


def mask_instructions(answer: str, encoder: SentenceEmbedder | None = None) -> tuple[str, int]:
    """The answer with those sentences blanked (same length, so every span still points into the original)."""
    spans = instruction_spans(answer, encoder)
    masked = answer
    for start, end in spans:
        masked = masked[:start] + " " * (end - start) + masked[end:]
    return masked, len(spans)
