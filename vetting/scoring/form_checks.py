"""Answers that only look right, recognised by their form against the reference and the question.

Each check names one family of gaming and fires only on what real answers almost never do (measured on the 3,020
graded answers of Mohler and SAF: see README, Scoring). A verdict sends the grade to the bottom of the scale and says
why; everything else is left to the grading model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vetting.kernel.text import sentence_spans
from vetting.scoring.fluency import active_fluency
from vetting.scoring.form import (
    OPPOSITE_SIDES,
    adds_negation,
    flips_polarity,
    negations,
    order_agreement,
    pair_recall,
)
from vetting.scoring.text import HEDGE, STOP_WORDS, content_stems, says_no_answer, stem, words

NEAR_COPY = 0.75  # word overlap (negations aside) of an answer sentence with a reference sentence: a copy of it
BAG_MIN_WORDS = 5
BAG_FUNCTION_SHARE = 0.1  # a text of BAG_MIN_WORDS or more with fewer function words than this is a list of keywords
BAG_ORDER = 0.8  # ...in an order other than the reference's (terse answers listing its points in order are real)
STRIPPED_MIN_WORDS = 6  # a reference's content words this many at least, kept with...
STRIPPED_FUNCTION_RATIO = 0.5  # ...under this share of the reference's share of function words: the reference stripped
WORD_LIST_SHARE = 0.8  # items between commas that are single words, in a list of BAG_MIN_WORDS items or more
LIST_LINES = 3  # lines of two words or more each: points laid out as a list, not a bag
SHUFFLE_MIN_WORDS = 5  # a reference this long at least, for its word order to mean anything
SHUFFLE_WORDS = 0.8  # the answer holds this share of the reference's words...
SHUFFLE_PAIRS = 0.2  # ...but keeps fewer of its word pairs than this share of what it keeps of its words
# Or, at most SHUFFLE_LENGTH times as long as the reference, keeping fewer pairs than SHUFFLE_PAIRS_LOOSE, and either
# reading this much less like sentences than it (`fluency.py`) or keeping less of its content words' order (longest
# common subsequence than SHUFFLE_ORDER): a random shuffle keeps a fifth of its pairs or more about a quarter of the
# time, more with repeated words ("pointer to" four times). On the shared grading data this catches no real answer
# the first rule does not, and 1,273 of 1,280 random shuffles of its references (1,008 by the first rule alone).
SHUFFLE_PAIRS_LOOSE = 0.6
SHUFFLE_LENGTH = 1.5
SHUFFLE_FLUENCY_DROP = 0.5
SHUFFLE_ORDER = 0.6
# Or a subset of them: this share of the answer's words are the reference's, covering this share of its content words
# (with this many content words at least), in an order that keeps few of its word pairs: the reference's longer words
# sorted or shuffled, function words and all ("after armies assassination between civil concentrated …").
SUBSET_INSIDE = 0.9
SUBSET_COVER = 0.5
SUBSET_MIN_WORDS = 6
COPIED_NOVELTY = 0.15  # share of the answer's content words that are not the question's
COPIED_CLOSENESS = 0.85  # and the answer this close to the question (cosine): the question given back
ASKED_BACK_NOVELTY = 0.5  # an answer that only asks, with at most this share of words the question lacks...
ASKED_BACK_CLOSENESS = 0.75  # ...and this close to the question: the question asked back in other words
RESTATED = 0.8  # share of the question's content words given back, with nothing but filler beside them
_FILLER_WORDS = (
    "question questions good great interesting important topic topics answer subject concept idea excellent "
    "fascinating relevant discuss discussion area field matter really thing things lot tricky asked ask"
)
_FILLER = frozenset(stem(w) for w in _FILLER_WORDS.split())
PADDED_REST_WORDS = 20  # a non-answer sentence with fewer words than this beside it: phrases, not an answer
CLAUSE_ALIGNED = 0.5  # content-word overlap (opposites and negations aside) at which two clauses say the same thing
CLAUSE_RESTATED = 0.6  # share of an answer clause's content words in one reference clause: it restates (part of) it
REWRITE_SHARE = 0.7  # share of what an answer is about that its reference is about too: a rewrite of the reference
# The finest of the three clause splitters (keypoints and contrast have their own, on purpose): polarity is compared
# clause against clause, so "X and not Y" must come apart at "and".
_CLAUSE = re.compile(
    r"\s*(?:[,;:()]|\s[-–—]\s"
    r"|\b(?:and|but|so that|so|which|while|whereas|because|although|though|then|thus|hence)\b)\s*",
    re.IGNORECASE,
)


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


def _about(text: str) -> frozenset[str]:
    """What a text is about: its content stems, a pair of opposites as one ("adds" and "removes" alike), no negation."""
    tokens = words(text)
    about = {s for s in content_stems(text) if not negations(s)} - {stem(w) for w in tokens if w in OPPOSITE_SIDES}
    return frozenset(about | {f"~{group}" for w in tokens for group, _ in OPPOSITE_SIDES.get(w, ())})


def _clauses(sentences: Sequence[str]) -> list[tuple[str, frozenset[str]]]:
    """Each clause of the sentences with what it is about (clauses about fewer than two things left out)."""
    out = []
    for sentence in sentences:
        for clause in _CLAUSE.split(sentence):
            about = _about(clause)
            if len(about) >= 2:
                out.append((clause, about))
    return out


def contradicts_by_clause(answer_sentences: Sequence[str], reference_sentences: Sequence[str]) -> bool:
    """A rewrite of the reference that turns most of the claims it restates around (negated or by opposites).

    "Normalisation adds redundant data by merging tables" against "… removes redundant data by splitting tables", or
    every claim of the reference negated, not only the first. Only a rewrite counts: most of what the answer is about
    is what the reference is about, and it restates most of the reference's clauses.
    """
    about_answer = _about(" ".join(answer_sentences))
    about_reference = _about(" ".join(reference_sentences))
    if not about_answer or len(about_answer & about_reference) < REWRITE_SHARE * len(about_answer):
        return False
    mine = _clauses(answer_sentences)
    theirs = _clauses(reference_sentences)
    aligned = flipped = 0
    for clause, about in theirs:
        best, overlap = None, 0.0
        for other, other_about in mine:
            shared = len(about & other_about)
            score = shared / len(about | other_about) if shared >= 2 else 0.0
            if score > overlap:
                best, overlap = other, score
        if best is None or overlap < CLAUSE_ALIGNED:
            continue
        aligned += 1
        flipped += flips_polarity(best, clause)
    return 2 * aligned >= len(theirs) and flipped > 0 and 2 * flipped >= aligned


def denies_what_it_restates(answer_sentences: Sequence[str], reference_sentences: Sequence[str]) -> bool:
    """A rewrite of part of the reference that adds a negation to the claims it restates.

    Read from the answer's side, so a short denial of a long reference counts ("Vaccines do not expose the immune
    system to anything, and the body builds no antibodies" against a reference of four claims): most of what the
    answer is about is the reference's, at least half its clauses each restate (most of) one reference clause, and at
    least half of those deny it. Only negations the answer adds count here, not opposites: the answer's clause is
    often about the other side of a comparison the reference draws ("higher rates" for synchronous beside "low rates"
    for asynchronous), which a real answer does all the time.
    """
    about_answer = _about(" ".join(answer_sentences))
    about_reference = _about(" ".join(reference_sentences))
    if not about_answer or len(about_answer & about_reference) < REWRITE_SHARE * len(about_answer):
        return False
    mine = _clauses(answer_sentences)
    theirs = _clauses(reference_sentences)
    aligned = denied = 0
    for clause, about in mine:
        best, held = None, 0.0
        for other, other_about in theirs:
            shared = len(about & other_about)
            share = shared / len(about) if shared >= 2 else 0.0
            if share > held:
                best, held = other, share
        if best is None or held < CLAUSE_RESTATED:
            continue
        aligned += 1
        denied += adds_negation(clause, best)
    return 2 * aligned >= len(mine) and denied > 0 and 2 * denied >= aligned


def _function_share(tokens: Sequence[str]) -> float:
    return sum(t in STOP_WORDS for t in tokens) / len(tokens) if tokens else 0.0


def is_keyword_bag(answer: str, references: Sequence[str]) -> bool:
    """A list of keywords, not a claim: five words or more with (almost) no function word, out of the reference's order;
    or the reference's own words stripped of most of its function words, in any order. Points laid out as a list of
    phrases (three lines or more of two words or more each) are how people list them, not a stripped sentence."""
    tokens = words(answer)
    if len(tokens) < BAG_MIN_WORDS or _is_phrase_list(answer):
        return False
    if _is_word_list(answer) or any(_is_stripped(tokens, answer, r) for r in references):
        return True
    if _function_share(tokens) >= BAG_FUNCTION_SHARE:
        return False
    stems = content_stems(answer)
    return not references or all(order_agreement(stems, content_stems(r)) < BAG_ORDER for r in references)


def _is_word_list(answer: str) -> bool:
    """Words one by one between commas ("price, normal, good, rises, quantity"): no phrase, let alone a claim."""
    items = [words(item) for item in re.split(r"[,;]", answer) if words(item)]
    return len(items) >= BAG_MIN_WORDS and sum(len(item) == 1 for item in items) >= WORD_LIST_SHARE * len(items)


def _is_phrase_list(answer: str) -> bool:
    lines = [line for line in answer.splitlines() if words(line)]
    return len(lines) >= LIST_LINES and all(len(words(line)) >= 2 for line in lines)


def _is_stripped(tokens: Sequence[str], answer: str, reference: str) -> bool:
    """The answer is the reference's content words with few of the function words that made them sentences."""
    about = _about(answer)
    if len(about) < STRIPPED_MIN_WORDS or len(about & _about(reference)) < REWRITE_SHARE * len(about):
        return False
    return _function_share(tokens) < STRIPPED_FUNCTION_RATIO * _function_share(words(reference))


def is_shuffled(answer: str, reference: str) -> bool:
    """Most of the reference's words, or a subset of them and little else, in an order that keeps few of its pairs."""
    mine, theirs = words(answer), words(reference)
    if len(set(theirs)) < SHUFFLE_MIN_WORDS or len(mine) < SHUFFLE_MIN_WORDS:
        return False
    held = len(set(mine) & set(theirs)) / len(set(theirs))
    pairs = pair_recall(mine, theirs)
    if held >= SHUFFLE_WORDS and pairs < SHUFFLE_PAIRS:
        return True
    if held >= SHUFFLE_WORDS and pairs < SHUFFLE_PAIRS_LOOSE and len(mine) <= SHUFFLE_LENGTH * len(theirs):
        if order_agreement(content_stems(answer), content_stems(reference)) < SHUFFLE_ORDER:
            return True
        fluency = active_fluency()
        return fluency.score(answer) - fluency.score(reference) <= -SHUFFLE_FLUENCY_DROP
    if pairs >= SHUFFLE_PAIRS:
        return False
    vocabulary = set(theirs)
    content = {w for w in vocabulary if w not in STOP_WORDS}
    own = {w for w in mine if w not in STOP_WORDS}
    inside = sum(w in vocabulary for w in mine) / len(mine)
    return (
        len(own) >= SUBSET_MIN_WORDS and inside >= SUBSET_INSIDE and len(content & own) >= SUBSET_COVER * len(content)
    )


def is_question_copy(answer: str, question: str, closeness: float) -> bool:
    """Nothing but the question's own words, close to it in meaning, or all of them with only praise of the question
    around them ("That is a good question about …; it is an important topic")."""
    stems = set(content_stems(answer))
    asked = set(content_stems(question))
    if not stems or not question.strip() or not asked:
        return False
    novelty = len(stems - asked) / len(stems)
    if novelty < COPIED_NOVELTY and closeness >= COPIED_CLOSENESS:
        return True
    said = stems - _FILLER
    asks_back = _only_asks(answer) and bool(said) and len(said - asked) / len(said) < ASKED_BACK_NOVELTY
    if asks_back and closeness >= ASKED_BACK_CLOSENESS:
        return True  # the question asked back in other words ("What role do ribosomes play in the cell?")
    if not said or said == stems:  # no filler: a terse answer may use the question's words ("a pointer to a function")
        return False
    return len(said - asked) / len(said) < COPIED_NOVELTY and len(asked & stems) >= RESTATED * len(asked)


def _only_asks(answer: str) -> bool:
    """Every sentence of the answer that says something is a question ("Good question." aside)."""
    sentences = [answer[a:b] for a, b in sentence_spans(answer)]
    parts = [p for p in sentences if set(content_stems(p)) - _FILLER]
    return bool(parts) and all(p.rstrip().endswith("?") for p in parts)


def is_padded_non_answer(sentences: Sequence[str]) -> bool:
    """A sentence (or a sentence's opening clause, or its opening and closing clauses both) saying the writer does not
    know, with only a few words of anything else beside it ("I am not sure, I never studied hash table key-value
    pairs"; "I'm not sure, something about light and glucose maybe, I really don't know")."""
    said, rest = False, 0
    for sentence in sentences:
        if says_no_answer(sentence):
            said = True
            continue
        first, _, after = sentence.partition(",")
        if after and says_no_answer(first) and not HEDGE.search(sentence):
            said = True
            rest += len(words(after))
            continue
        middle, _, last = after.rpartition(",")
        if middle and says_no_answer(first) and says_no_answer(last):  # a doubt on both sides: no answer in between
            said = True
            rest += len(words(middle))
            continue
        rest += len(words(sentence))
    return said and rest < PADDED_REST_WORDS


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
    if (
        contradicts(sentences, reference_sentences)
        or contradicts_by_clause(sentences, reference_sentences)
        or denies_what_it_restates(sentences, reference_sentences)
    ):
        return "it states the opposite of the reference"
    return None
