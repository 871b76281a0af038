"""Features of an answer against a reference answer: sentence and token embeddings, word and character overlap."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from vetting.embeddings import TokenEmbeddings
from vetting.kernel.text import sentence_spans
from vetting.scoring.fluency import active_fluency
from vetting.scoring.form import negations, order_agreement, pair_recall, polarity_mismatch, ratio
from vetting.scoring.memo import EmbeddingMemo
from vetting.scoring.text import STOP_WORDS, bigrams, content_stems, demote, says_no_answer, words

FEATURE_NAMES: tuple[str, ...] = (
    # whole texts and sentences (sentence embeddings)
    "cos_reference",  # answer vs the closest reference answer: the plain baseline
    "cos_question",  # answer vs question: parroting the question scores high here and low elsewhere
    "cos_reference_minus_question",
    "sentence_recall",  # how much of the reference some answer sentence covers
    "sentence_precision",  # how much of the answer some reference sentence backs
    "sentence_max",
    # words (stems; "demoted" = words of the question removed, repeating the question earns nothing)
    "word_recall",
    "word_precision",
    "word_recall_with_question",
    "bigram_recall",
    "answer_length",
    "length_ratio",
    "novelty",  # share of the answer's content words not already in the question
    "reference_length",
    # tokens (contextual token embeddings, aligned greedily as in BERTScore)
    "token_recall",
    "token_precision",
    "token_f1",
    "token_recall_demoted",
    "token_precision_demoted",
    "token_f1_demoted",
    "reference_tokens_matched_60",
    "reference_tokens_matched_75",
    "answer_tokens_matched_60",
    "token_mean_cos_demoted",
    "token_exact_recall_demoted",
    "answer_question_token_precision",
    "reference_over_question",  # answer tokens closer to the reference than to the question
    "reference_match_median",
    "reference_match_min",
    # characters (robust to misspellings)
    "char4_recall",
    "char4_precision",
    "char3_recall",
    "negations",
    # form, read against the reference (answers that only look right)
    "stop_word_share",  # a sentence needs function words; a bag of keywords has none
    "order_agreement",  # shared words in the reference's order (longest common subsequence); shuffled words lose it
    "polarity_mismatch",  # closeness of an answer sentence negated where the reference sentence it matches is not
    "non_answer_share",  # share of the answer's sentences that only say there is no answer ("I can't recall this.")
    "fluency",  # how much the answer reads like sentences (function-word bigrams, `fluency.py`)
    "fluency_minus_reference",
    "bigram_over_word_recall",  # the reference's word pairs kept, over its words kept: low when its words are shuffled
    # the question and its reference, the context a grade is read in: what the answer's closeness is measured against
    "cos_question_reference",  # question vs the closest reference: how much of a good answer restates the question
    "question_length",
    "reference_in_question",  # share of the reference's content words the question already holds
    "cos_question_over_reference",  # the answer's closeness to the question beyond the reference's own
)
# What the question and reference alone give: the same for every answer to a question, so the gate (telling answers
# that only look right from real ones to the same question) does without them.
CONTEXT_FEATURES = FEATURE_NAMES[FEATURE_NAMES.index("cos_question_reference") :]
# The token-embedding group, named by its first and last feature: a name inserted elsewhere cannot shift it.
TOKEN_FEATURES = FEATURE_NAMES[FEATURE_NAMES.index("token_recall") : FEATURE_NAMES.index("reference_match_min") + 1]


@dataclass(frozen=True)
class GradingItem:
    """What the scorer may see: the question, one or more reference answers, the answer, optional key concepts."""

    question: str
    references: tuple[str, ...]
    answer: str
    key_terms: tuple[str, ...] = ()


@dataclass
class ItemFeatures:
    """Feature vector of one answer plus, per answer sentence, its span and how strongly the reference backs it."""

    vector: np.ndarray
    sentence_spans: list[tuple[int, int]] = field(default_factory=list)
    sentence_support: list[float] = field(default_factory=list)
    content_words: int = 0
    words: int = 0


def units(text: str) -> list[str]:
    """Sentences of a text (each a verbatim slice), or the whole text when it has none."""
    parts = [text[a:b] for a, b in sentence_spans(text, min_chars=2)]
    return parts or ([text.strip()] if text.strip() else [])


def texts_to_embed(item: GradingItem) -> tuple[list[str], list[str]]:
    """(whole texts, sentence texts) an item needs embedded, so a batch can embed them in one call."""
    whole = [item.answer, item.question, *item.references]
    parts = units(item.answer) + [u for r in item.references for u in units(r)]
    return [t for t in whole if t.strip()], parts


def _content_tokens(encoded: TokenEmbeddings | None, exclude: set[str] = frozenset()) -> tuple[np.ndarray, list[str]]:  # type: ignore[assignment]
    """Token vectors of meaningful word pieces (no stop words or punctuation), minus the `exclude` pieces."""
    if encoded is None:
        return np.zeros((0, 1), dtype=np.float32), []
    keep = [
        i
        for i, t in enumerate(encoded.tokens)
        if any(c.isalnum() for c in t) and not t.startswith("[") and t not in STOP_WORDS and t not in exclude
    ]
    return encoded.token_vectors[keep], [encoded.tokens[i] for i in keep]


def _char_grams(text: str, exclude: set[str], n: int) -> set[str]:
    out: set[str] = set()
    for w in words(text):
        if w in STOP_WORDS or w in exclude:
            continue
        padded = f" {w} "
        out |= {padded[i : i + n] for i in range(max(1, len(padded) - n + 1))}
    return out


def _token_features(
    answer: TokenEmbeddings | None, refs: list[TokenEmbeddings], question: TokenEmbeddings | None
) -> dict[str, float]:
    """Greedy token alignment (BERTScore-like) between answer and reference, plain and with question tokens removed."""
    q_vecs, q_tokens = _content_tokens(question)
    q_set = set(q_tokens)
    a_all, _ = _content_tokens(answer)
    a_dem, a_dem_tokens = _content_tokens(answer, q_set)
    r_parts = [_content_tokens(r) for r in refs]
    r_dem_parts = [_content_tokens(r, q_set) for r in refs]
    r_all = np.vstack([v for v, _ in r_parts]) if r_parts else np.zeros((0, 1))
    r_dem = np.vstack([v for v, _ in r_dem_parts]) if r_dem_parts else np.zeros((0, 1))
    r_dem_tokens = [t for _, ts in r_dem_parts for t in ts]
    out = dict.fromkeys(TOKEN_FEATURES, 0.0)
    if len(a_all) and len(r_all):
        s = r_all @ a_all.T
        recall, precision = float(s.max(axis=1).mean()), float(s.max(axis=0).mean())
        out.update(token_recall=recall, token_precision=precision, token_f1=_f1(recall, precision))
    if len(q_vecs) and len(a_all):
        out["answer_question_token_precision"] = float((q_vecs @ a_all.T).max(axis=0).mean())
    if len(a_dem) and len(r_dem):
        s = r_dem @ a_dem.T
        ref_best, ans_best = s.max(axis=1), s.max(axis=0)
        recall, precision = float(ref_best.mean()), float(ans_best.mean())
        a_mean, r_mean = a_dem.mean(axis=0), r_dem.mean(axis=0)
        out.update(
            token_recall_demoted=recall,
            token_precision_demoted=precision,
            token_f1_demoted=_f1(recall, precision),
            reference_tokens_matched_60=float((ref_best > 0.6).mean()),
            reference_tokens_matched_75=float((ref_best > 0.75).mean()),
            answer_tokens_matched_60=float((ans_best > 0.6).mean()),
            token_mean_cos_demoted=float(a_mean @ r_mean / max(np.linalg.norm(a_mean) * np.linalg.norm(r_mean), 1e-12)),
            token_exact_recall_demoted=float(np.mean([t in set(a_dem_tokens) for t in r_dem_tokens])),
            reference_match_median=float(np.median(ref_best)),
            reference_match_min=float(ref_best.min()),
        )
        if len(q_vecs):
            out["reference_over_question"] = float((ans_best - (q_vecs @ a_dem.T).max(axis=0)).mean())
    return out


def _f1(recall: float, precision: float) -> float:
    return 2 * recall * precision / (recall + precision) if recall + precision > 0 else 0.0


def extract(item: GradingItem, memo: EmbeddingMemo) -> ItemFeatures:
    """The feature vector of one answer; an empty answer gets zero similarity features."""
    references = [r for r in item.references if r.strip()] or [item.question]
    spans = sentence_spans(item.answer, min_chars=2) or sentence_spans(item.answer)
    answer_sents = [item.answer[a:b] for a, b in spans]
    ref_units = [u for r in references for u in units(r)]
    ref_text = "\n".join([*references, *item.key_terms])

    q_words = set(words(item.question))
    q_stems = set(content_stems(item.question))
    a_stems = content_stems(item.answer)
    r_stems = content_stems(ref_text)
    a_set, r_set = set(a_stems), set(r_stems)
    a_dem, r_dem = set(demote(a_stems, q_stems)), set(demote(r_stems, q_stems))
    r_bigrams = bigrams(r_stems)
    a_words = len(item.answer.split())
    r_words = max(len(r.split()) for r in references)
    values = dict.fromkeys(FEATURE_NAMES, 0.0)
    values.update(reference_length=math.log1p(len(r_set)), length_ratio=math.log(1 / (1 + r_words)))
    if not answer_sents:
        return ItemFeatures(np.array([values[n] for n in FEATURE_NAMES], dtype=np.float32))

    memo.prime([item.answer, item.question, *references], [*answer_sents, *ref_units])
    answer_vec = memo.vectors[item.answer]
    cos_ref = float(max(memo.matrix(references) @ answer_vec))
    cos_q = float(memo.vectors[item.question] @ answer_vec) if item.question.strip() else 0.0
    sims = memo.matrix(answer_sents) @ memo.matrix(ref_units).T  # answer sentences x reference sentences
    support = sims.max(axis=1)
    a4, r4 = _char_grams(item.answer, q_words, 4), _char_grams(ref_text, q_words, 4)
    answer_words = words(item.answer)
    closest = references[int(np.argmax(memo.matrix(references) @ answer_vec))]
    cos_qr = float(memo.vectors[item.question] @ memo.vectors[closest]) if item.question.strip() else 0.0
    closest_stems = content_stems(closest)
    values.update(
        cos_reference=cos_ref,
        cos_question=cos_q,
        cos_reference_minus_question=cos_ref - cos_q,
        sentence_recall=float(sims.max(axis=0).mean()),
        sentence_precision=float(support.mean()),
        sentence_max=float(sims.max()),
        word_recall=ratio(len(a_dem & r_dem), len(r_dem)),
        word_precision=ratio(len(a_dem & r_dem), len(a_dem)),
        word_recall_with_question=ratio(len(a_set & r_set), len(r_set)),
        bigram_recall=ratio(len(bigrams(a_stems) & r_bigrams), len(r_bigrams)),
        answer_length=math.log1p(len(a_set)),
        length_ratio=math.log((1 + a_words) / (1 + r_words)),
        novelty=ratio(len(a_set - q_stems), len(a_set)),
        char4_recall=ratio(len(a4 & r4), len(r4)),
        char4_precision=ratio(len(a4 & r4), len(a4)),
        char3_recall=ratio(
            len(_char_grams(item.answer, q_words, 3) & (r3 := _char_grams(ref_text, q_words, 3))), len(r3)
        ),
        negations=float(negations(item.answer)),
        stop_word_share=ratio(sum(w in STOP_WORDS for w in answer_words), len(answer_words)),
        order_agreement=order_agreement(a_stems, closest_stems),
        polarity_mismatch=polarity_mismatch(answer_sents, ref_units, sims),
        non_answer_share=ratio(sum(says_no_answer(s) for s in answer_sents), len(answer_sents)),
        fluency=(fluent := active_fluency().score(item.answer)),
        fluency_minus_reference=fluent - active_fluency().score(closest),
        bigram_over_word_recall=pair_recall(answer_words, words(closest)),
        cos_question_reference=cos_qr,
        question_length=math.log1p(len(item.question.split())),
        reference_in_question=ratio(len((closest_set := set(closest_stems)) & q_stems), len(closest_set)),
        cos_question_over_reference=cos_q - cos_qr,
    )
    values.update(
        _token_features(
            memo.tokens.get(item.answer),
            [memo.tokens[r] for r in references if r in memo.tokens],
            memo.tokens.get(item.question),
        )
    )
    vector = np.array([values[name] for name in FEATURE_NAMES], dtype=np.float32)
    return ItemFeatures(vector, spans, [float(s) for s in support], len(a_stems), len(words(item.answer)))


def extract_many(
    items: Sequence[GradingItem],
    memo: EmbeddingMemo,
    *,
    batch: int = 256,
    progress: Callable[[int, int], None] | None = None,
) -> list[ItemFeatures]:
    """Features of many items: each batch's distinct texts are embedded in one call, answers' tokens then dropped."""
    out: list[ItemFeatures] = []
    for start in range(0, len(items), batch):
        chunk = items[start : start + batch]
        whole: list[str] = []
        parts: list[str] = []
        for item in chunk:
            w, p = texts_to_embed(item)
            whole += w
            parts += p
        memo.prime(whole, parts)
        out += [extract(item, memo) for item in chunk]
        memo.forget_tokens(item.answer for item in chunk)
        if progress is not None:
            progress(len(out), len(items))
    return out
