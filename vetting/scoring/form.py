"""Form read against the reference: negation, word order, word pairs kept (answers that only look right)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from vetting.scoring.text import words

_NEGATIONS = frozenset({"not", "no", "never", "cannot", "none", "nothing", "neither", "nor", "nobody", "nowhere"})


def ratio(part: float, whole: float) -> float:
    """part / whole, 0 when there is no whole."""
    return part / whole if whole else 0.0


def negations(text: str) -> int:
    """Negation words in a text ("not", "never", any "n't" contraction)."""
    return sum(w in _NEGATIONS or w.endswith("n't") for w in words(text))


def order_agreement(answer_stems: Sequence[str], reference_stems: Sequence[str]) -> float:
    """Longest run of shared words in the same order in both texts, as a share of the shared words (1 below three)."""
    shared = set(answer_stems) & set(reference_stems)
    a = list(dict.fromkeys(s for s in answer_stems if s in shared))
    r = list(dict.fromkeys(s for s in reference_stems if s in shared))
    if len(shared) < 3:
        return 1.0
    previous = [0] * (len(r) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(r):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1] / len(shared)


def polarity_mismatch(answer_sents: Sequence[str], ref_units: Sequence[str], sims: np.ndarray) -> float:
    """Highest closeness of an answer sentence to the reference sentence it matches when one is negated, one not."""
    worst = 0.0
    for i, sentence in enumerate(answer_sents):
        j = int(sims[i].argmax())
        if negations(sentence) % 2 != negations(ref_units[j]) % 2:
            worst = max(worst, float(sims[i, j]))
    return worst


def pair_recall(answer: Sequence[str], reference: Sequence[str]) -> float:
    """Share of the reference's word pairs in the answer over the share of its words there (0 with no word shared)."""
    word_recall = ratio(len(set(answer) & set(reference)), len(set(reference)))
    pairs, answer_pairs = set(pairwise(reference)), set(pairwise(answer))
    return ratio(ratio(len(pairs & answer_pairs), len(pairs)), word_recall)


# Words that say the opposite of each other, read as a polarity flip like a negation ("adds" for "removes", "poorly"
# for "well"). A word may belong to more than one pair ("keep" against "drop" and against "remove"); a pair flips a
# clause when it holds more of one side's words and fewer of the other's than the clause it is read against.
_OPPOSITES = (
    ("add adds added adding", "remove removes removed removing delete deletes deleted"),
    (
        "increase increases increased increasing raise raises raised grow grows grew rise rises rose rising",
        "decrease decreases decreased decreasing reduce reduces reduced reducing shrink shrinks shrank fall falls fell "
        "falling",
    ),
    ("more", "less fewer"),
    ("fast faster fastest quick quicker quickly", "slow slower slowest slowly"),
    ("well", "poorly badly"),
    ("good better best", "bad worse worst"),
    ("high higher highest", "low lower lowest"),
    ("large larger largest big bigger biggest", "small smaller smallest"),
    ("prevent prevents prevented preventing avoid avoids avoided", "cause causes caused causing"),
    ("allow allows allowed allowing permit permits", "forbid forbids forbidden prohibit prohibits"),
    ("include includes included including", "exclude excludes excluded excluding"),
    ("accept accepts accepted", "reject rejects rejected"),
    ("enable enables enabled", "disable disables disabled"),
    ("before", "after"),
    ("correct correctly", "incorrect incorrectly wrong wrongly"),
    ("same identical", "different"),
    ("once", "many multiple repeatedly"),
    ("stateless", "stateful"),
    ("synchronous synchronously", "asynchronous asynchronously"),
    ("public", "private"),
    ("inside", "outside"),
    ("minimum", "maximum"),
    ("strong stronger", "weak weaker"),
    ("safe safely", "unsafe"),
    ("valid", "invalid"),
    ("possible", "impossible"),
    ("explicit explicitly", "implicit implicitly"),
    ("static statically", "dynamic dynamically"),
    ("success succeed succeeds successful", "failure fail fails failed unsuccessful"),
    ("gain gains", "loss lose loses"),
    ("keep keeps kept retain retains retained", "drop drops dropped discard discards discarded"),
    ("required mandatory", "optional"),
    ("expensive costly", "cheap inexpensive"),
    ("easy easier", "hard harder difficult"),
    ("simple simpler", "complex complicated"),
    ("mutable", "immutable"),
    ("finite", "infinite"),
    ("above", "below"),
    (
        "merge merges merged merging combine combines combined combining",
        "split splits splitting separate separates separated separating",
    ),
    ("always", "sometimes rarely"),
    ("improve improves improved improving", "worsen worsens worsened degrade degrades degraded"),
    ("learn learns learned learning", "ignore ignores ignored ignoring"),
    ("encrypt encrypts encrypted", "decrypt decrypts decrypted"),
    ("compress compresses compressed", "decompress decompresses decompressed"),
    ("start starts started begin begins", "stop stops stopped"),
    ("with", "without"),
    ("keep keeps kept", "remove removes removed removing"),
    ("save saves saved saving", "discard discards discarded waste wastes wasted"),
    ("load loads loaded loading", "unload unloads unloaded unloading"),
    ("create creates created creating", "eliminate eliminates eliminated destroy destroys destroyed"),
    ("surplus", "shortage"),
    ("expose exposes exposed", "protect protects protected"),
    (
        "help helps helped assist assists assisted",
        "hinder hinders hindered resist resists resisted defeat defeats defeated",
    ),
    ("synthesis", "breakdown"),
    ("build builds built", "break breaks broke"),
    ("attach attaches attached", "detach detaches detached"),
    ("connect connects connected", "disconnect disconnects disconnected"),
    ("encode encodes encoded", "decode decodes decoded"),
    ("absorb absorbs absorbed", "emit emits emitted"),
    ("attract attracts attracted", "repel repels repelled"),
    ("positive", "negative"),
    ("local", "global"),
    ("centralised centralized central", "decentralised decentralized distributed"),
    ("hierarchical", "flat"),
    ("short shorter shortest", "long longer longest"),
    ("early earlier earliest", "late later latest"),
    ("narrow narrower", "wide wider broad"),
    ("accelerate accelerates accelerated", "decelerate decelerates decelerated"),
    ("heat heats heated warm", "cool cools cooled"),
    ("strengthen strengthens strengthened", "weaken weakens weakened"),
    ("likely", "unlikely"),
    ("against", "supporting support supports favour favor"),
    ("common commoner", "rare rarer uncommon"),
    ("catch catches caught", "miss misses missed"),
)
OPPOSITE_SIDES: dict[str, frozenset[tuple[int, int]]] = {}
for _group, _sides in enumerate(_OPPOSITES):
    for _side, _words in enumerate(_sides):
        for _word in _words.split():
            OPPOSITE_SIDES[_word] = OPPOSITE_SIDES.get(_word, frozenset()) | {(_group, _side)}


def opposite_flips(mine: Sequence[str], theirs: Sequence[str]) -> int:
    """How many pairs of opposite words one word list swaps against the other: more of one side's words and fewer of
    the other's ("adds" for "removes"; "identical … identical" for "identical … different")."""
    count_mine = Counter(s for w in mine for s in OPPOSITE_SIDES.get(w, ()))
    count_theirs = Counter(s for w in theirs for s in OPPOSITE_SIDES.get(w, ()))
    flips = 0
    for group, side in {key for key in count_mine if count_mine[key] > count_theirs[key]}:
        other = (group, 1 - side)
        if count_theirs[other] > count_mine[other]:
            flips += 1
    return flips


# Words that deny what follows them ("skip filtering", "it is false that …"), counted as a negation.
_NEGATING_VERBS = frozenset(
    {"skip", "skips", "skipped", "skipping", "omit", "omits", "omitted", "lack", "lacks", "false", "untrue"}
)


# "no" before a count bounds a number rather than denying: "no two threads at once" says "only one thread at a time".
_COUNTED = frozenset({"one", "two", "three", "four", "more", "fewer", "less", "other", "single"})


def _negating(text: str) -> int:
    """Negation words, and verbs that deny what follows them ("skip filtering"); "no" before a count aside."""
    tokens = words(text)
    counted = sum(w == "no" and after in _COUNTED for w, after in pairwise(tokens))
    return negations(text) - counted + sum(w in _NEGATING_VERBS for w in tokens)


def adds_negation(clause: str, other: str) -> bool:
    """The clause denies (an odd count of negations) where the clause it restates does not."""
    return _negating(clause) % 2 == 1 and _negating(other) % 2 == 0


def flips_polarity(clause: str, other: str) -> bool:
    """Whether one clause says the opposite of the other: a negation more or less, or words of opposite meaning.

    The two together cancel ("is not slow" for "is fast"); opposites alone flip however many there are ("adds … by
    merging" for "removes … by splitting").
    """
    negated = (_negating(clause) + _negating(other)) % 2 == 1
    opposed = opposite_flips(words(clause), words(other)) > 0
    return negated != opposed
