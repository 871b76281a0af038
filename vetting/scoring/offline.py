"""The offline scorer: the fitted grading model scores each criterion; evidence is the answer's sentences behind it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rubrics import Criterion, Rubric
from vetting.kernel.domain import CriterionScore
from vetting.kernel.settings import Settings
from vetting.scoring.engine import EVIDENCE_MIN_CHARS
from vetting.scoring.features import (
    FEATURE_NAMES,
    EmbeddingMemo,
    GradingItem,
    ItemFeatures,
    TokenEncoder,
    extract,
    units,
)
from vetting.scoring.guard import mask_instructions
from vetting.scoring.model import GradingModel, load_model
from vetting.scoring.relevance import MIN_WORDS, is_non_answer
from vetting.scoring.text import content_stems, words

MAX_EVIDENCE = 3
NEGATIVE_MATCH = (
    0.55  # a sentence this close to a negative signal (and closer to it than to the reference) caps the score
)
NO_REFERENCE_CONFIDENCE = 0.6  # without an ideal or reference answer the model reads the top anchor and signals instead


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
    aims: tuple[str, ...]  # ideal answer, name, description, signals and anchors: what shows it is addressed


def _target(criterion: Criterion, scale_max: int, reference: str | None) -> _Target:
    refs = tuple(r for r in (reference, criterion.ideal_answer) if r and r.strip())
    if not refs:
        fallback = " ".join([criterion.levels[scale_max], *criterion.positive_signals]).strip()
        refs, has_reference = (fallback or criterion.description,), False
    else:
        has_reference = True
    own = units(criterion.ideal_answer or "")
    extra = (criterion.name, criterion.description, *criterion.positive_signals, *criterion.levels.values())
    aims = tuple(dict.fromkeys(own + [t for t in extra if t.strip()]))  # the criterion's own texts, not the reference
    return _Target(refs, has_reference, aims)


class OfflineScorer:
    """Scores an answer on each rubric criterion with the shipped model; no network, no language model."""

    engine = "offline"

    def __init__(self, encoder: TokenEncoder, model: GradingModel | None = None) -> None:
        self.memo = EmbeddingMemo(encoder)
        self.model = model if model is not None else load_model()

    def score(
        self,
        rubric: Rubric,
        question: str,
        answer: str,
        *,
        reference: str | None = None,
        criteria: Sequence[Criterion] = (),
        names: Sequence[str] = (),  # nothing leaves the machine, so there is nothing to redact
        candidate_id: str | None = None,
    ) -> list[CriterionScore]:
        """One CriterionScore per criterion (all of the rubric's by default); evidence is verified by the caller."""
        chosen = list(criteria) or list(rubric.criteria)
        masked, hidden = mask_instructions(answer)
        flags = ["instructions_ignored"] if hidden else []
        if is_non_answer(masked) or len(words(masked)) < MIN_WORDS:
            why = "the answer is empty." if not masked.strip() else "the answer gives no content to judge."
            return [_insufficient(c, why, flags, 0.95) for c in chosen]
        targets = {c.id: _target(c, rubric.scale.max, reference) for c in chosen}
        sentences = units(masked)
        whole = [masked, question, *{r for t in targets.values() for r in t.references}]
        parts = [*sentences, *{a for t in targets.values() for a in t.aims}]
        parts += [x for c in chosen for x in (*c.negative_signals, *c.concepts)]
        self.memo.prime(whole, parts)
        try:
            return self._score_all(rubric, chosen, targets, question, masked, answer, sentences, flags)
        finally:
            self.memo.forget([masked, *sentences, *([reference] if reference else [])])

    def _score_all(
        self,
        rubric: Rubric,
        chosen: list[Criterion],
        targets: dict[str, _Target],
        question: str,
        masked: str,
        answer: str,
        sentences: list[str],
        flags: list[str],
    ) -> list[CriterionScore]:
        sentence_vectors = self.memo.matrix(sentences)
        closeness: dict[str, np.ndarray] = {}
        features: dict[str, list[ItemFeatures]] = {}
        for c in chosen:
            closeness[c.id] = (sentence_vectors @ self.memo.matrix(list(targets[c.id].aims)).T).max(axis=1)
            named = [k for k in c.concepts if _mentions(masked, k)]
            if float(closeness[c.id].max()) >= self.model.coverage_threshold or named:
                items = [GradingItem(question, (ref,), masked, tuple(c.concepts)) for ref in targets[c.id].references]
                features[c.id] = [extract(item, self.memo) for item in items]
        rows = [f.vector for fs in features.values() for f in fs]
        grades, confidences = self.model.predict(np.stack(rows)) if rows else (np.zeros(0), np.zeros(0))
        results = []
        cursor = 0
        for c in chosen:
            if c.id not in features:
                results.append(_insufficient(c, f'nothing in the answer addresses "{c.name}".', flags, 0.8))
                continue
            n = len(features[c.id])
            best = cursor + int(np.argmax(grades[cursor : cursor + n]))
            feats = features[c.id][best - cursor]
            cursor += n
            results.append(
                self._result(
                    rubric,
                    c,
                    targets[c.id],
                    feats,
                    float(grades[best]),
                    float(confidences[best]),
                    sentences,
                    closeness[c.id],
                    masked,
                    answer,
                    flags,
                )
            )
        return results

    def _result(
        self,
        rubric: Rubric,
        c: Criterion,
        target: _Target,
        feats: ItemFeatures,
        grade: float,
        confidence: float,
        sentences: list[str],
        closeness: np.ndarray,
        masked: str,
        answer: str,
        flags: list[str],
    ) -> CriterionScore:
        low, high = rubric.scale.min, rubric.scale.max
        own_flags = list(flags)
        if not target.has_reference:
            own_flags.append("no_reference_answer")
            confidence *= NO_REFERENCE_CONFIDENCE
        level = round(low + grade * (high - low))
        negative = self._negative_signal(c, sentences, feats)
        if negative is not None:
            level = min(level, low + (high - low) // 2)
            own_flags.append("negative_signal")
        named = [k for k in c.concepts if _mentions(masked, k)]
        evidence = _evidence(sentences, closeness, tuple(c.concepts), self.model.coverage_threshold)
        v = dict(zip(FEATURE_NAMES, feats.vector.tolist(), strict=True))
        rationale = [
            f"Level {level}: the answer closely matches {v['reference_tokens_matched_60']:.0%} of the "
            + ("reference answer's" if target.has_reference else "top anchor's and signals'")
            + f" content words; grade {grade:.2f} of 1."
        ]
        if c.concepts:
            rationale.append(
                f"Concepts used: {len(named)} of {len(c.concepts)}" + (f" ({', '.join(named)})." if named else ".")
            )
        if negative:
            rationale.append(f'Matches a warning sign ("{_short(negative)}"), so the score is capped at mid-scale.')
        return CriterionScore(
            criterion_id=c.id,
            score=float(level),
            status="scored",
            confidence=confidence,
            rationale=" ".join(rationale),
            evidence=evidence,  # verified centrally (`verify_evidence`)
            flags=own_flags,
            engine=self.engine,
            weight=c.weight,
            normalized=grade,
        )

    def _negative_signal(self, c: Criterion, sentences: list[str], feats: ItemFeatures) -> str | None:
        """The warning sign an answer sentence matches more closely than it matches the reference, if any."""
        if not c.negative_signals or not feats.sentence_support:
            return None
        sims = self.memo.matrix(sentences) @ self.memo.matrix(list(c.negative_signals)).T
        row, col = np.unravel_index(int(sims.argmax()), sims.shape)
        support = feats.sentence_support[row] if row < len(feats.sentence_support) else 0.0
        if sims[row, col] >= NEGATIVE_MATCH and sims[row, col] > support:
            return c.negative_signals[col]
        return None


def _mentions(text: str, concept: str) -> bool:
    stems = set(content_stems(concept))
    return bool(stems) and stems <= set(content_stems(text))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _evidence(sentences: list[str], closeness: np.ndarray, concepts: tuple[str, ...], floor: float) -> list[str]:
    """The answer sentences behind the score: those closest to what the criterion asks for (a named concept counts)."""
    ranked = []
    for position, (sentence, close) in enumerate(zip(sentences, closeness.tolist(), strict=True)):
        if len(sentence.strip()) < EVIDENCE_MIN_CHARS:
            continue
        named = any(_mentions(sentence, k) for k in concepts)
        if close >= floor or named:
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
