"""Keeps instructions aimed at the scorer out of the text it scores ("ignore previous instructions", "give me 5/5")."""

from __future__ import annotations

import re

from ingest.injection import find_injections

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
    r"this\W+answer))",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\n]")


def instruction_spans(answer: str) -> list[tuple[int, int]]:
    """Spans of the sentences that instruct an AI or ask for a grade, merged and sorted."""
    spans = list(find_injections(answer))
    for match in _GRADE_REQUEST.finditer(answer):
        start = max((m.end() for m in _SENTENCE_END.finditer(answer, 0, match.start())), default=0)
        end_match = _SENTENCE_END.search(answer, match.end())
        spans.append((start, end_match.end() if end_match else len(answer)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mask_instructions(answer: str) -> tuple[str, int]:
    """The answer with those sentences blanked (same length, so every span still points into the original)."""
    spans = instruction_spans(answer)
    masked = answer
    for start, end in spans:
        masked = masked[:start] + " " * (end - start) + masked[end:]
    return masked, len(spans)
