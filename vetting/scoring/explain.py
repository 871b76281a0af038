"""What the offline scorer says about a level: its rationale, and the answer sentences shown as evidence."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rubrics import Criterion
from vetting.scoring.engine import EVIDENCE_MIN_CHARS
from vetting.scoring.keypoints import Check
from vetting.scoring.text import content_stems

MAX_EVIDENCE = 3


def mentions(text: str, concept: str) -> bool:
    """True when every content word of `concept` occurs in `text` (stems)."""
    stems = set(content_stems(concept))
    return bool(stems) and stems <= set(content_stems(text))


def short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def evidence_sentences(
    shown: Sequence[str], closeness: np.ndarray, concepts: tuple[str, ...], floor: float, read: Sequence[str]
) -> list[str]:
    """The answer sentences (verbatim) closest to what the criterion asks for; a named concept counts."""
    ranked = []
    for position, (sentence, close) in enumerate(zip(shown, closeness.tolist(), strict=True)):
        if len(sentence.strip()) < EVIDENCE_MIN_CHARS:
            continue
        named = any(mentions(read[position], k) for k in concepts)
        if close >= floor or named:
            ranked.append((close + (0.1 if named else 0.0), position, sentence.strip()))
    if not ranked:
        return []
    top = max(r[0] for r in ranked)
    chosen = sorted((r for r in ranked if r[0] >= top - 0.15), reverse=True)[:MAX_EVIDENCE]
    return [sentence for _, _, sentence in sorted(chosen, key=lambda r: r[1])]


def rationale(
    level: int,
    c: Criterion,
    checks: Sequence[Check],
    grade: float,
    named: Sequence[str],
    addressed: bool,
    references: Sequence[str],
    warning: Check | None,
    grade_request: bool,
    examples_level: float | None = None,
) -> str:
    """One short paragraph: what set the level, in the order a reader checks it."""
    parts = [f"Level {level}."]
    if not addressed:
        parts.append(f'The answer is on the question but says nothing about "{c.name}", so it gets the bottom level.')
    if checks:
        met = [k for k in checks if k.met]
        graded = "" if examples_level is None else " (shown; the examples set the level)"
        parts.append(f"States {len(met)} of {len(checks)} key points{graded}" + (":" if met else "."))
        parts += [f'"{short(k.text, 60)}";' for k in met]
        against = [k for k in checks if k.contradicted]
        if against:
            parts.append(f'Contradicts: "{short(against[0].text, 60)}".')
    if examples_level is not None:
        parts.append(
            f"Set beside the {len(c.examples)} answers the rubric's author graded, it reads as level "
            f"{examples_level:.1f}."
        )
    if references:
        parts.append(f"Against the reference answer the grading model gives {grade:.2f} of 1.")
    if c.concepts:
        parts.append(
            f"Concepts used: {len(named)} of {len(c.concepts)}" + (f" ({', '.join(named)})." if named else ".")
        )
    if warning is not None:
        parts.append(f'Matches a warning sign ("{short(warning.text)}"), so the level is capped at mid-scale.')
    if grade_request:
        parts.append(
            "The answer asks the grader for a score; that is an attempt to game it, so the level is the bottom."
        )
    return " ".join(parts)
