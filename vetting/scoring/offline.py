"""The offline scorer: key points checked against the answer and the grading model against the reference set the level.

Before any feature or model reads them, instructions aimed at the scorer are blanked and person names become "[NAME]";
evidence is always the answer's own sentences, verbatim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from rubrics import Criterion, Rubric
from vetting.kernel.domain import CriterionScore
from vetting.kernel.settings import Settings
from vetting.kernel.text import sentence_spans
from vetting.scoring.engine import EVIDENCE_MIN_CHARS
from vetting.scoring.examples import ExampleScale, build_scale
from vetting.scoring.explain import evidence_sentences, mentions, rationale
from vetting.scoring.features import GradingItem, extract
from vetting.scoring.form_checks import verdict
from vetting.scoring.guard import GRADE_REQUEST, instruction_hits
from vetting.scoring.keypoints import Check, check, clauses, coverage
from vetting.scoring.memo import EmbeddingMemo, TokenEncoder
from vetting.scoring.model import GradingModel, load_model
from vetting.scoring.names import mask_person_names, masked_view
from vetting.scoring.relevance import MIN_WORDS, is_non_answer
from vetting.scoring.text import content_stems, words

NO_REFERENCE_CONFIDENCE = 0.6  # without an ideal or reference answer the model reads the top anchor and signals instead
KEY_POINT_CONFIDENCE = 0.7  # confidence of a level set by key points alone
GATED = "the grading model recognises it as a negated, reshuffled, listed or padded form of the reference"
REWORDED_GRADE = 0.7  # an answer no sentence of which is close to the criterion counts as addressing it when the...
REWORDED_CONFIDENCE = 0.5  # ...model grades it this high against the reference, this confidently (off-topic: < 0.46)
WARNING_MET = 0.55  # a warning sign must be stated by a whole sentence, more closely than a key point
EXAMPLES_CONFIDENCE = 0.6  # confidence of a level read off the criterion's labelled examples


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
    """What one criterion is scored against (names masked)."""

    references: tuple[str, ...]  # the question's reference and the criterion's ideal answer: they grade
    key_points: tuple[str, ...]
    aims: tuple[str, ...]  # everything that shows the criterion is addressed at all
    own: tuple[str, ...]  # the criterion's own texts: a question's reference grades it only if it speaks to them
    top_examples: tuple[str, ...] = ()  # the criterion's top-level examples (forms of them only look right)


@dataclass(frozen=True)
class _Answer:
    """The answer as the models read it (instructions blanked, names masked) and its sentences, read and shown."""

    text: str
    question: str
    read: list[str]
    shown: list[str]
    flags: list[str]
    grade_request: bool
    parts: list[str]  # sentences and their clauses, as read: what key points are checked against
    parts_shown: list[str]  # the verbatim sentence each part comes from


def _target(criterion: Criterion, reference: str | None, names: Sequence[str]) -> _Target:
    """References grade a criterion without key points; with key points, only the question's own reference does."""
    ideal = criterion.ideal_answer if not criterion.key_points else None
    refs = tuple(mask_person_names(r, names) for r in (reference, ideal) if r and r.strip())
    extra = (criterion.name, criterion.description, *criterion.positive_signals, *criterion.levels.values())
    examples = _masked_examples(tuple(e.text for e in criterion.examples))
    aims = [u for r in refs for u in _units(r)] + list(criterion.key_points) + [t for t in extra if t.strip()]
    own = tuple(dict.fromkeys([*criterion.key_points, *(t for t in extra if t.strip())]))
    top = max((e.level for e in criterion.examples), default=None)
    best = tuple(t for t, e in zip(examples, criterion.examples, strict=True) if e.level == top)
    return _Target(refs, tuple(criterion.key_points), tuple(dict.fromkeys([*aims, *examples])), own, best)


@lru_cache(maxsize=256)
def _masked_examples(texts: tuple[str, ...]) -> tuple[str, ...]:
    """A criterion's example answers with person names masked, as answers are (once per set of examples)."""
    return tuple(mask_person_names(t, ()) for t in texts)


def _units(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text, min_chars=2)] or ([text.strip()] if text.strip() else [])


def _read(answer: str, question: str, names: Sequence[str]) -> _Answer:
    hits = instruction_hits(answer)
    blanked = answer
    for h in hits:
        blanked = blanked[: h.start] + " " * (h.end - h.start) + blanked[h.end :]
    view = masked_view(blanked, names)
    spans = sentence_spans(view.text, min_chars=2) or [(0, len(view.text))]
    read = [view.text[a:b] for a, b in spans]
    shown = [answer[slice(*view.to_original(a, b))] for a, b in spans]
    flags = ["instructions_ignored"] if hits else []
    asks = any(h.rule == GRADE_REQUEST for h in hits)
    parts = [(p, shown[i]) for i, sentence in enumerate(read) for p in [sentence, *clauses(sentence)]]
    return _Answer(
        view.text,
        mask_person_names(question, names),
        read,
        shown,
        flags + ["grade_request"] * asks,
        asks,
        [p for p, _ in parts],
        [s for _, s in parts],
    )


class OfflineScorer:
    """Scores an answer on each rubric criterion with the shipped model; no network, no language model."""

    engine = "offline"

    def __init__(self, encoder: TokenEncoder, model: GradingModel | None = None) -> None:
        self.memo = EmbeddingMemo(encoder)
        self.model = model if model is not None else load_model()
        self._scales: dict[tuple[tuple[str, int, str], ...], ExampleScale | None] = {}

    def score(
        self,
        rubric: Rubric,
        question: str,
        answer: str,
        *,
        reference: str | None = None,
        criteria: Sequence[Criterion] = (),
        names: Sequence[str] = (),
        candidate_id: str | None = None,
    ) -> list[CriterionScore]:
        """One CriterionScore per criterion (all of the rubric's by default); evidence is verified by the caller."""
        chosen = list(criteria) or list(rubric.criteria)
        a = _read(answer, question, names)
        if is_non_answer(a.text) or len(words(a.text)) < MIN_WORDS:
            why = "the answer is empty." if not a.text.strip() else "the answer gives no content to judge."
            return [_insufficient(c, why, a.flags, 0.95) for c in chosen]
        targets = {c.id: _target(c, reference, names) for c in chosen}
        whole = [a.text, a.question, *{r for t in targets.values() for r in t.references}]
        parts = [*a.parts, *{x for t in targets.values() for x in (*t.aims, *t.own)}]
        parts += [u for r in ([reference] if reference else []) for u in _units(mask_person_names(r, names))]
        parts += [x for c in chosen for x in (*c.negative_signals, *c.concepts)]
        self.memo.prime(whole, parts)
        try:
            return [self._criterion(rubric, c, targets[c.id], a) for c in chosen]
        finally:
            self.memo.forget([a.text, *a.parts])

    def _closeness(self, sentences: Sequence[str], texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((len(sentences), 0))
        return self.memo.matrix(list(sentences)) @ self.memo.matrix(list(texts)).T

    def example_scale(self, c: Criterion) -> ExampleScale | None:
        """The scale the criterion's labelled examples make (built once per set of examples), or None."""
        if not c.examples:
            return None
        texts = _masked_examples(tuple(e.text for e in c.examples))
        key = tuple(zip(texts, (e.level for e in c.examples), (e.group for e in c.examples), strict=True))
        if key not in self._scales:
            levels, groups = [e.level for e in c.examples], [e.group for e in c.examples]
            self._scales[key] = build_scale(self.memo.matrix(list(texts)), levels, groups)
        return self._scales[key]

    def _speaks_to(self, reference: str, target: _Target) -> bool:
        """Whether a question's reference is about this criterion (some sentence of it close to the criterion)."""
        return float(self._closeness(_units(reference), list(target.own)).max()) >= self.model.coverage_threshold

    def _criterion(self, rubric: Rubric, c: Criterion, target: _Target, a: _Answer) -> CriterionScore:
        low, high = rubric.scale.min, rubric.scale.max
        if target.key_points and target.references and not self._speaks_to(target.references[0], target):
            target = _target(c, None, ())  # a reference about another criterion does not grade this one
        to_question = self._closeness(a.read, [a.question]).max(axis=1) if a.question.strip() else np.zeros(len(a.read))
        near = self._closeness(a.read, list(target.aims)).max(axis=1)
        named = [k for k in c.concepts if mentions(a.text, k)]
        addressed = float(near.max()) >= self.model.coverage_threshold or bool(named)
        asked = float(to_question.max()) >= self.model.relevance_threshold or bool(  # the off-topic line
            set(content_stems(a.question)) & set(content_stems(a.text))
        )
        if not addressed and not asked:
            return _insufficient(c, f'nothing in the answer addresses "{c.name}" or the question.', a.flags, 0.8)
        to_question_parts = (
            self._closeness(a.parts, [a.question]).max(axis=1) if a.question.strip() else np.zeros(len(a.parts))
        )
        checks = check(
            target.key_points, a.parts, a.parts_shown, self._closeness(a.parts, target.key_points), to_question_parts
        )
        grades, confidences = [], []
        gamed = False
        if target.references:
            grade, confidence, gamed = self._model_grade(a, target.references)
            grades.append(grade)
            confidences.append(confidence)
            # the reference's claims put in other words: the model reads it as a confident strong answer
            addressed = addressed or (grade >= REWORDED_GRADE and confidence >= REWORDED_CONFIDENCE and not gamed)
        flags = list(a.flags)
        scale = self.example_scale(c)
        examples_level = scale.level(self.memo.vectors[a.text]) if scale is not None else None
        addressed = addressed or (examples_level is not None and asked)  # any reply to the question shows the quality
        if examples_level is not None:  # the author's graded answers place it; key points are still checked, shown
            grades.append(float(np.clip((examples_level - low) / (high - low), 0.0, 1.0)))
            confidences.append(EXAMPLES_CONFIDENCE)
            flags.append("graded_by_examples")
        elif checks:
            grades.append(coverage(checks))
            confidences.append(KEY_POINT_CONFIDENCE)
        if c.examples and scale is None:
            flags.append("examples_do_not_separate")
        if not grades:  # neither a reference nor key points: the top anchor and the signals stand in for them
            fallback = " ".join([c.levels[high], *c.positive_signals]).strip() or c.description
            grade, confidence, _ = self._model_grade(a, (fallback,))  # the gate reads answers against references
            grades, confidences = [grade], [confidence * NO_REFERENCE_CONFIDENCE]
            flags.append("no_reference_answer")
        grade = float(np.mean(grades)) if addressed else 0.0
        looks_only = self._looks_right_only(a, (*target.references, *target.top_examples)) or (GATED if gamed else None)
        if looks_only:
            grade = 0.0
            flags.append("looks_right_only")
        level = round(low + grade * (high - low))
        warnings = check(
            c.negative_signals,
            a.read,
            a.shown,
            self._closeness(a.read, c.negative_signals),
            to_question,
            threshold=WARNING_MET,
        )
        kp_closeness = self._closeness(a.read, target.key_points)
        warning = next((w for w in warnings if w.met and _beats_key_points(w, kp_closeness)), None)
        if warning is not None:
            level = min(level, low + (high - low) // 2)
            flags.append("negative_signal")
        if a.grade_request:
            level = low
        evidence = [k.evidence for k in checks if k.met and k.evidence]
        if not evidence and scale is not None and examples_level is not None:
            projections = self.memo.matrix(a.read) @ scale.direction
            evidence = _telling_sentences(a, projections, examples_level >= (low + high) / 2)
        if not evidence:
            evidence = evidence_sentences(a.shown, near, tuple(c.concepts), self.model.coverage_threshold, a.read)
        if not evidence and target.references and grade > 0:  # put in other words: the sentences nearest the reference
            to_reference = self._closeness(a.read, [u for r in target.references for u in _units(r)]).max(axis=1)
            evidence = evidence_sentences(a.shown, to_reference, (), float(to_reference.max()) - 0.15, a.read)
        shown_level = None if examples_level is None else float(np.clip(examples_level, low, high))
        why = rationale(
            level, c, checks, grade, named, addressed, target.references, warning, a.grade_request, shown_level
        )
        if looks_only:
            why += f" It only looks right: {looks_only}, so it gets the bottom level."
        return CriterionScore(
            criterion_id=c.id,
            score=float(level),
            status="scored",
            confidence=float(np.mean(confidences)),
            rationale=why,
            evidence=list(dict.fromkeys(evidence)),  # verified centrally (`verify_evidence`)
            flags=flags,
            engine=self.engine,
            weight=c.weight,
            normalized=(level - low) / (high - low) if a.grade_request or warning else grade,
            key_points=[k.to_dict() for k in checks],
        )

    def _looks_right_only(self, a: _Answer, references: Sequence[str]) -> str | None:
        """Why the answer only looks right (`form_checks`), or None."""
        ref_sentences = [u for r in references for u in _units(r)]
        closeness = float(self.memo.vectors[a.text] @ self.memo.vectors[a.question]) if a.question.strip() else 0.0
        return verdict(a.text, a.read, a.question, closeness, references, ref_sentences)

    def _model_grade(self, a: _Answer, references: Sequence[str]) -> tuple[float, float, bool]:
        """The grading model's 0-1 grade against the closest-grading reference, its confidence, and its gate."""
        rows = np.stack([extract(GradingItem(a.question, (ref,), a.text), self.memo).vector for ref in references])
        grades, confidences = self.model.predict(rows)
        best = int(np.argmax(grades))
        return float(grades[best]), float(confidences[best]), bool(self.model.looks_gamed(rows[best : best + 1])[0])


def _telling_sentences(a: _Answer, projections: np.ndarray, high: bool, most: int = 2) -> list[str]:
    """The answer's sentences (verbatim) that read most like the examples' top levels (or, for a low level, bottom)."""
    order = np.argsort(-projections if high else projections)
    return [a.shown[i].strip() for i in order[:most].tolist() if len(a.shown[i].strip()) >= EVIDENCE_MIN_CHARS]


def _beats_key_points(warning: Check, key_point_closeness: np.ndarray) -> bool:
    """A warning sign counts only where its sentence is closer to it than to any key point (it is about the warning)."""
    if warning.part is None or key_point_closeness.shape[1] == 0:
        return warning.part is not None
    return warning.closeness > float(key_point_closeness[warning.part].max())


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
