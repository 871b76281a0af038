"""Answers that only look right, recognised by their form against the reference and the question.

Each check names one family of gaming and fires only on what real answers almost never do (measured on the 3,020
graded answers of Mohler and SAF: see README, Scoring). A verdict sends the grade to the bottom of the scale and says
why; everything else is left to the grading model.
"""

from __future__ import annotations

from collections.abc import Sequence

from vetting.scoring.form import negations, order_agreement, pair_recall
from vetting.scoring.text import STOP_WORDS, content_stems, says_no_answer, words

NEAR_COPY = 0.75  # word overlap (negations aside) of an answer sentence with a reference sentence: a copy of it
BAG_MIN_WORDS = 5
BAG_FUNCTION_SHARE = 0.1  # a text of BAG_MIN_WORDS or more with fewer function words than this is a list of keywords
BAG_ORDER = 0.8  # ...in an order other than the reference's (terse answers listing its points in order are real)
SHUFFLE_MIN_WORDS = 5  # a reference this long at least, for its word order to mean anything
SHUFFLE_WORDS = 0.8  # the answer holds this share of the reference's words...
SHUFFLE_PAIRS = 0.2  # ...but keeps fewer of its word pairs than this share of what it keeps of its words
COPIED_NOVELTY = 0.15  # share of the answer's content words that are not the question's
COPIED_CLOSENESS = 0.85  # and the answer this close to the question (cosine): the question given back
PADDED_REST_WORDS = 20  # a non-answer sentence with fewer words than this beside it: phrases, not an answer


def _plain(text: str) -> set[str]:
    return {w for w in words(text) if not (negations(w) or w in {"is", "are", "does", "do", "can", "will"})}


def contradicts(answer_sentences: Sequence[str], reference_sentences: Sequence[str]) -> bool:
    """Some answer sentence copies a reference sentence with its negation flipped ("A leaf is NOT a node …")."""
    for sentence in answer_sentences:
        mine = _plain(sentence)
        for ref in reference_sentences:
            theirs = _plain(ref)
            union = mine | theirs
            if union and len(mine & theirs) / len(union) >= NEAR_COPY and negations(sentence) % 2 != negations(ref) % 2:
                return True
    return False


def is_keyword_bag(answer: str, references: Sequence[str]) -> bool:
    """Five words or more with (almost) no function word, out of the reference's order: keywords, not a claim."""
    tokens = words(answer)
    if len(tokens) < BAG_MIN_WORDS or sum(t in STOP_WORDS for t in tokens) / len(tokens) >= BAG_FUNCTION_SHARE:
        return False
    stems = content_stems(answer)
    return not references or all(order_agreement(stems, content_stems(r)) < BAG_ORDER for r in references)


def is_shuffled(answer: str, reference: str) -> bool:
    """Most of the reference's words, in an order that keeps few of its word pairs."""
    mine, theirs = words(answer), words(reference)
    if len(set(theirs)) < SHUFFLE_MIN_WORDS or len(mine) < SHUFFLE_MIN_WORDS:
        return False
    held = len(set(mine) & set(theirs)) / len(set(theirs))
    return held >= SHUFFLE_WORDS and pair_recall(mine, theirs) < SHUFFLE_PAIRS


def is_question_copy(answer: str, question: str, closeness: float) -> bool:
    """Nothing but the question's own words, close to it in meaning."""
    stems = set(content_stems(answer))
    if not stems or not question.strip():
        return False
    novelty = len(stems - set(content_stems(question))) / len(stems)
    return novelty < COPIED_NOVELTY and closeness >= COPIED_CLOSENESS


def is_padded_non_answer(sentences: Sequence[str]) -> bool:
    """A sentence saying the writer does not know, with only a few words of anything else beside it."""
    said = [s for s in sentences if says_no_answer(s)]
    rest = sum(len(words(s)) for s in sentences if not says_no_answer(s))
    return bool(said) and rest < PADDED_REST_WORDS


def verdict(
    answer: str,
    sentences: Sequence[str],
    question: str,
    question_closeness: float,
    references: Sequence[str],
    reference_sentences: Sequence[str],
) -> str | None:
    """Why the answer only looks right, or None."""
    if is_padded_non_answer(sentences):
        return "it says it does not know and adds only a few phrases"
    if is_question_copy(answer, question, question_closeness):
        return "it gives the question back"
    if is_keyword_bag(answer, references):
        return "it lists keywords without a sentence"
    if any(is_shuffled(answer, r) for r in references):
        return "it is the reference's words in another order"
    if contradicts(sentences, reference_sentences):
        return "it states the opposite of the reference"
    return None
