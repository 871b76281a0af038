"""The offline scorer: key points read with the answer by the cross-encoder, or the grading model over a reference."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rubrics import Criterion, Rubric
from vetting.quotes import find_span, is_verbatim
from vetting.scoring.cross_encoder import CrossEncoder, load_cross_encoder
from vetting.scoring.evaluation import cross_scores
from vetting.scoring.features import EmbeddingMemo, GradingItem, TokenEncoder, extract, units
from vetting.scoring.guard import mask_instructions
from vetting.scoring.keypoints import KEY_POINT_MET, NEGATIVE_MET, Check, check, windows
from vetting.scoring.model import GradingModel, load_model
from vetting.scoring.names import mask_person_names
from vetting.scoring.relevance import MIN_WORDS, is_non_answer
from vetting.scoring.result import CriterionScore
from vetting.scoring.text import content_stems, words
from vetting.settings import Settings

MAX_EVIDENCE = 3
EVIDENCE_MIN_CHARS = 8
NO_REFERENCE_CONFIDENCE = 0.6  # without key points or a reference the model reads the top anchor and signals instead


def scoring_encoder(settings: Settings) -> TokenEncoder:
    """The packaged all-MiniLM-L6-v2 the model was trained with, whichever embedding model retrieval is set to use."""
    from vetting.embeddings import PACKAGED_MODEL, make_embedder

    local = settings.model_copy(
        update={
            "embedding_backend": "sentence-transformers",
            "embedding_model": PACKAGED_MODEL,
            "embedding_precision": "fp32",
        }
    )
    return make_embedder(local)  # type: ignore[return-value]


@dataclass(frozen=True)
class _Target:
    """What one criterion is scored against."""

    references: tuple[str, ...]
    has_reference: bool
    aims: tuple[str, ...]  # what shows the criterion is addressed: its own texts and the per-question reference


def _target(criterion: Criterion, scale_max: int, reference: str | None) -> _Target:
    """Key points, when the criterion has them, replace its ideal answer in grading; a per-question reference counts."""
    ideal = None if criterion.key_points else criterion.ideal_answer
    refs = tuple(r for r in (reference, ideal) if r and r.strip())
    has_reference = bool(refs)
    if not refs:
        fallback = " ".join([criterion.levels[scale_max], *criterion.positive_signals]).strip()
        refs = (fallback or criterion.description,)
    own = units(reference or "") + units(criterion.ideal_answer or "") + list(criterion.key_points)
    extra = (criterion.name, criterion.description, *criterion.positive_signals, *criterion.levels.values())
    return _Target(refs, has_reference, tuple(dict.fromkeys(t for t in [*own, *extra] if t.strip())))


@dataclass
class _Answer:
    """An answer as the scorer reads it: verbatim sentences (evidence) and the same with names masked (read)."""

    original: str
    sentences: list[str]
    read: list[str]
    whole: str
    question: str


class OfflineScorer:
    """Scores an answer on each rubric criterion with the shipped models; no network, no language model."""

    engine = "offline"

    def __init__(
        self, encoder: TokenEncoder, model: GradingModel | None = None, cross: CrossEncoder | None = None
    ) -> None:
        self.memo = EmbeddingMemo(encoder)
        self.model = model if model is not None else load_model()
        self.cross = cross if cross is not None else load_cross_encoder()

    def score(
        self,
        rubric: Rubric,
        question: str,
        answer: str,
        *,
        reference: str | None = None,
        criteria: Sequence[Criterion] = (),
        names: Sequence[str] = (),
    ) -> list[CriterionScore]:
        """One CriterionScore per criterion (all of the rubric's by default), evidence verified against `answer`.

        Person names (`names` and any found in the text) are masked before any feature or model reads the answer.
        """
        chosen = list(criteria) or list(rubric.criteria)
        masked, hidden = mask_instructions(answer)
        flags = ["instructions_ignored"] if hidden else []
        if is_non_answer(masked) or len(words(masked)) < MIN_WORDS:
            why = "the answer is empty." if not masked.strip() else "the answer gives no content to judge."
            return [_insufficient(c, why, flags, 0.95) for c in chosen]
        sentences = units(masked)
        read = [mask_person_names(s, names) for s in sentences]
        seen = _Answer(answer, sentences, read, mask_person_names(masked, names), mask_person_names(question, names))
        targets = {c.id: _target(c, rubric.scale.max, reference) for c in chosen}
        parts = [*read, *{a for t in targets.values() for a in t.aims}]
        parts += [x for c in chosen for x in (*c.negative_signals, *c.concepts, *c.key_points)]
        self.memo.prime([seen.whole, seen.question], parts)
        try:
            return [self._criterion(rubric, c, targets[c.id], seen, flags) for c in chosen]
        finally:
            self.memo.forget([seen.whole, *read])
            self.cross.forget([seen.whole, *(" ".join(read[a:b]) for a, b in windows(read))])

    def _criterion(
        self, rubric: Rubric, c: Criterion, target: _Target, seen: _Answer, flags: list[str]
    ) -> CriterionScore:
        low, high = rubric.scale.min, rubric.scale.max
        vectors = self.memo.matrix(seen.read)
        closeness = (vectors @ self.memo.matrix(list(target.aims)).T).max(axis=1)
        named = [k for k in c.concepts if _mentions(seen.whole, k)]
        points = self._checks(c.key_points, seen, vectors, KEY_POINT_MET)
        warnings = self._checks(tuple(c.negative_signals), seen, vectors, NEGATIVE_MET)
        met = [p for p in points if p.met]
        warned = [w for w in warnings if w.met]
        addressed = float(closeness.max()) >= self.model.coverage_threshold or named or met or warned
        if not addressed:
            return _insufficient(c, f'nothing in the answer addresses "{c.name}".', flags, 0.8)
        own_flags = list(flags)
        rationale: list[str] = []
        grades: list[tuple[float, float]] = []  # (0-1 grade, confidence) from each way the criterion is checked
        if points:
            share = len(met) / len(points)
            margin = float(np.mean([abs(p.score - KEY_POINT_MET) for p in points])) * 2
            grades.append((share, min(0.95, 0.5 + margin)))
            rationale.append(
                f"{len(met)} of {len(points)} key points stated"
                + (f" ({'; '.join(_short(p.text, 60) for p in met)})." if met else ".")
            )
        if target.has_reference or not points:
            grade, confidence = self._reference_grade(target, seen, c)
            if not target.has_reference:
                own_flags.append("no_reference_answer")
                confidence *= NO_REFERENCE_CONFIDENCE
            grades.append((grade, confidence))
            rationale.append(
                ("The reference answer" if target.has_reference else "The top anchor and signals")
                + f" read against the answer give a grade of {grade:.2f} of 1."
            )
        grade, confidence = max(grades)
        level = round(low + grade * (high - low))
        if warned:
            level = min(level, low + (high - low) // 2)
            own_flags.append("negative_signal")
            sign = _short(warned[0].text)
            rationale.append(f'Matches a warning sign ("{sign}"), so the score is capped at mid-scale.')
        if c.concepts:
            rationale.append(
                f"Concepts used: {len(named)} of {len(c.concepts)}" + (f" ({', '.join(named)})." if named else ".")
            )
        quotes = [p.evidence for p in met if p.evidence] or _evidence(seen, closeness, tuple(c.concepts), self.model)
        quotes = list(dict.fromkeys(quotes))[:MAX_EVIDENCE]
        verified = [q for q in quotes if is_verbatim(q, seen.original, min_chars=EVIDENCE_MIN_CHARS)]
        return CriterionScore(
            criterion_id=c.id,
            score=float(level),
            status="scored",
            confidence=confidence,
            rationale=f"Level {level}: " + " ".join(rationale),
            evidence=verified,
            evidence_removed=len(quotes) - len(verified),
            flags=own_flags,
            engine=self.engine,
            weight=c.weight,
            normalized=grade,
            evidence_spans=[s for q in verified if (s := find_span(q, seen.original)) is not None],
            key_points=[_verified(p, seen.original) for p in points],
        )

    def _checks(self, statements: Sequence[str], seen: _Answer, vectors: np.ndarray, threshold: float) -> list[Check]:
        if not statements:
            return []
        closeness = vectors @ self.memo.matrix(list(statements)).T
        return check(statements, seen.sentences, seen.read, closeness, self.cross, threshold)

    def _reference_grade(self, target: _Target, seen: _Answer, c: Criterion) -> tuple[float, float]:
        """The grading model over each reference (features and the cross-encoder's joint reading); the best counts."""
        items = [GradingItem(seen.question, (ref,), seen.whole, tuple(c.concepts)) for ref in target.references]
        self.memo.prime([seen.whole, seen.question, *target.references], [])
        rows = [extract(item, self.memo).vector for item in items]
        joint = cross_scores(items, self.cross)
        grades, confidences = self.model.predict(np.column_stack([np.stack(rows), joint]))
        best = int(np.argmax(grades))
        return float(grades[best]), float(confidences[best])


def _verified(point: Check, answer: str) -> dict[str, object]:
    """A key point's JSON; evidence that is not a verbatim span of the answer is dropped."""
    out = point.to_dict()
    if point.evidence is not None and not is_verbatim(point.evidence, answer, min_chars=EVIDENCE_MIN_CHARS):
        out["evidence"] = None
    return out


def _mentions(text: str, concept: str) -> bool:
    stems = set(content_stems(concept))
    return bool(stems) and stems <= set(content_stems(text))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _evidence(seen: _Answer, closeness: np.ndarray, concepts: tuple[str, ...], model: GradingModel) -> list[str]:
    """The answer sentences closest to what the criterion asks for (a named concept counts)."""
    ranked = []
    for position, (sentence, text, close) in enumerate(zip(seen.sentences, seen.read, closeness.tolist(), strict=True)):
        if len(sentence.strip()) < EVIDENCE_MIN_CHARS:
            continue
        named = any(_mentions(text, k) for k in concepts)
        if close >= model.coverage_threshold or named:
            ranked.append((close + (0.1 if named else 0.0), position, sentence))
    if not ranked:
        return []
    top = max(r[0] for r in ranked)
    chosen = sorted((r for r in ranked if r[0] >= top - 0.15), reverse=True)[:MAX_EVIDENCE]
    return [sentence for _, _, sentence in sorted(chosen, key=lambda r: r[1])]


def _insufficient(c: Criterion, why: str, flags: list[str], confidence: float) -> CriterionScore:
    return CriterionScore(
        criterion_id=c.id,
        score=None,
        status="insufficient_evidence",
        confidence=confidence,
        rationale=f"Insufficient evidence: {why}",
        flags=list(flags),
        engine=OfflineScorer.engine,
        weight=c.weight,
    )
