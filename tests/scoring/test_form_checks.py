"""Each form check catches its family of gaming and leaves answers real students write alone."""

from __future__ import annotations

import random

import pytest

from vetting.scoring.contrast import keyword_bag, negate, shuffled
from vetting.scoring.features import units
from vetting.scoring.form_checks import verdict

QUESTION = "What does a database index trade off?"
REFERENCE = (
    "An index makes reads that filter on the indexed column faster, but every insert and update must also write the "
    "index, so writes get slower and the index takes extra storage."
)


def _verdict(answer: str, question: str = QUESTION, closeness: float = 0.3) -> str | None:
    return verdict(answer, units(answer), question, closeness, [REFERENCE], units(REFERENCE))


@pytest.mark.parametrize("seed", range(5))
def test_reshuffled_words_and_keyword_bags_of_the_reference_are_caught(seed: int) -> None:
    rng = random.Random(seed)
    assert _verdict(shuffled(REFERENCE, rng)) == "it is the reference's words in another order"
    assert _verdict(keyword_bag(REFERENCE, rng)) == "it lists keywords without a sentence"


def test_the_reference_with_its_negation_flipped_is_caught() -> None:
    flipped = negate(REFERENCE)
    assert flipped and _verdict(flipped) == "it states the opposite of the reference"


def test_the_question_given_back_and_a_padded_non_answer_are_caught() -> None:
    assert _verdict("What does a database index trade off?", closeness=0.95) == "it gives the question back"
    padded = "Honestly, I can't recall this one. Something about index column and extra storage."
    assert _verdict(padded) == "it says it does not know and adds only a few phrases"


@pytest.mark.parametrize(
    ("reference", "answer"),
    [
        (
            "Chlorophyll absorbs light energy, mainly red and blue light, and uses it to drive the reactions that turn "
            "carbon dioxide and water into glucose.",
            "Chlorophyll does not absorb light energy; it plays no part in turning carbon dioxide and water into "
            "glucose.",
        ),
        (
            "Vaccines expose the immune system to a harmless form or part of a pathogen, so it builds antibodies and "
            "memory cells that recognise and fight the real pathogen quickly later.",
            "Vaccines do not expose the immune system to anything, and the body builds no antibodies or memory cells "
            "from them.",
        ),
        (
            "Higher interest rates make borrowing more expensive, which reduces spending and investment, lowering "
            "demand and so bringing inflation down.",
            "Higher interest rates do not make borrowing more expensive, and they do not reduce spending.",
        ),
        (
            "The Treaty of Versailles ended the First World War and imposed reparations on Germany.",
            "The Treaty of Versailles did not end the First World War, and Germany paid no reparations.",
        ),
    ],
)
def test_a_short_denial_of_part_of_a_longer_reference_is_caught(reference: str, answer: str) -> None:
    """Written in its own words, shorter than the reference, denying the claims it restates: not a near-copy."""
    got = verdict(answer, units(answer), "What does it do?", 0.3, [reference], units(reference))
    assert got == "it states the opposite of the reference"


@pytest.mark.parametrize(
    ("reference", "answer"),
    [
        (
            "A mutex ensures that only one thread at a time enters the critical section.",
            "No two threads can be in the critical section at the same time.",  # "no" bounds a count: agrees
        ),
        (
            "Chlorophyll absorbs light energy, mainly red and blue light, and uses it to drive the reactions that turn "
            "carbon dioxide and water into glucose.",
            "It absorbs red and blue light but not green, which it reflects, and that energy drives sugar production.",
        ),
        (
            "Caching reduces latency by serving repeated requests from memory instead of recomputing them.",
            "Repeated requests are served from memory, so they are not recomputed and latency drops.",
        ),
    ],
)
def test_correct_answers_that_contain_a_negation_pass(reference: str, answer: str) -> None:
    assert verdict(answer, units(answer), "What does it do?", 0.3, [reference], units(reference)) is None


def test_a_doubt_on_both_sides_of_a_few_phrases_is_a_padded_non_answer() -> None:
    padded = "I'm not sure, something about index column and storage maybe, I really don't know."
    assert _verdict(padded) == "it says it does not know and adds only a few phrases"


@pytest.mark.parametrize(
    "answer",
    [
        REFERENCE,
        "Reads on the indexed column get faster; inserts and updates get slower because the index is written too.",
        "Faster reads, slower writes, more disk.",  # terse, in the reference's order: a real answer
        "It does not make writes faster: each insert also updates the index, though lookups speed up.",
        "I'm not sure, but I think reads get faster while every write also has to maintain the index structure.",
    ],
)
def test_real_answers_pass(answer: str) -> None:
    assert _verdict(answer) is None


@pytest.mark.slow
def test_real_graded_answers_are_almost_never_flagged(shared_data, embedder) -> None:  # type: ignore[no-untyped-def]
    """Of the real answers of Mohler and SAF, at most 1% look like gaming to the form checks (README: 15 of 2,844)."""
    from vetting.scoring.datasets import read_grading_csv
    from vetting.scoring.relevance import is_non_answer

    root = shared_data / "grading"
    rows = [r for f in ("mohler_dev.csv", "saf_train.csv") for r in read_grading_csv(root / f).rows]
    real = [r for r in rows if not is_non_answer(r.answer)]
    texts = sorted({t for r in real for t in (r.answer, r.question)})
    vectors = dict(zip(texts, embedder.embed(texts), strict=True))
    flagged = [
        r
        for r in real
        if verdict(
            r.answer,
            units(r.answer),
            r.question,
            float(vectors[r.answer] @ vectors[r.question]),
            [r.reference],
            units(r.reference),
        )
    ]
    print(f"form checks flag {len(flagged)} of {len(real)} real answers")
    assert len(real) > 2800 and len(flagged) <= 0.01 * len(real)


# Rewrites of references this project never trained on, each turned around in another way than `negate` does.
TURNED = [
    (
        "Photosynthesis is the process by which plants use light energy to turn carbon dioxide and water into "
        "glucose, releasing oxygen.",
        "Photosynthesis is not the process by which plants use light energy to turn carbon dioxide and water into "
        "glucose, and no oxygen is released.",  # two negations: not a double negative, two claims negated
    ),
    (
        "Normalisation removes redundant data by splitting tables so that each fact is stored once, which prevents "
        "update, insertion and deletion anomalies.",
        "Normalisation adds redundant data by merging tables so that each fact is stored many times, which causes "
        "update, insertion and deletion anomalies.",  # opposites, no negation at all
    ),
    (
        "Overfitting is when a model learns the noise and details of the training data so closely that it performs "
        "well on training data but poorly on new, unseen data.",
        "Overfitting is when a model ignores the noise of the training data, so it performs poorly on training data "
        "but well on new, unseen data.",
    ),
    (
        "An index is a separate data structure, usually a B-tree, that lets the database find rows matching a "
        "condition without scanning the whole table, at the cost of extra storage and slower writes.",
        "An index never lets the database find rows without scanning the whole table, and it costs no extra storage "
        "and does not slow writes.",
    ),
]


TURNED.append(
    (
        "When the price of a normal good rises, the quantity demanded falls, because buyers can afford less and "
        "switch to substitutes.",
        "When the price of a normal good rises, the quantity demanded increases, because buyers can afford more and "
        "ignore substitutes.",  # the clause that repeats the reference ("the price rises") is not turned
    )
)

TURNED += [
    (
        "Passwords are stored as salted hashes so a stolen database exposes only hashes rather than plaintext. A "
        "unique random salt per user defeats precomputed rainbow tables and makes identical passwords produce "
        "different hashes.",
        "Passwords are stored as salted hashes so a stolen database exposes the plaintext rather than only hashes. A "
        "unique random salt per user assists precomputed rainbow tables and makes identical passwords produce "
        "identical hashes.",  # "identical" for "different" where the reference holds both words
    ),
    (
        "A catalyst increases the rate of a chemical reaction without being consumed, because it provides an "
        "alternative pathway with a lower activation energy.",
        "It is false that a catalyst increases the rate of a chemical reaction without being consumed, and it does "
        "not provide an alternative pathway with a lower activation energy.",
    ),
]


@pytest.mark.parametrize(("reference", "turned"), TURNED)
def test_a_reference_turned_around_by_negations_or_opposites_is_caught(reference: str, turned: str) -> None:
    got = verdict(turned, units(turned), "What is it?", 0.3, [reference], units(reference))
    assert got == "it states the opposite of the reference"


@pytest.mark.parametrize("reference", [r for r, _ in TURNED])
def test_the_references_words_stripped_of_function_words_are_a_keyword_list_in_any_order(reference: str) -> None:
    from vetting.scoring.text import STOP_WORDS

    kept = [w.strip(".,") for w in reference.split() if w.lower().strip(".,") not in STOP_WORDS]
    for bag in (" ".join(kept), ", ".join(kept) + ".", ", ".join(w.lower() for w in reference.split()[:8])):
        assert verdict(bag, units(bag), "What is it?", 0.3, [reference], units(reference)) == (
            "it lists keywords without a sentence"
        )


def test_the_question_restated_inside_praise_and_a_non_answer_clause_with_phrases_are_caught() -> None:
    question = "What is the purpose of an index in a database?"
    restated = "That is a good question about the purpose of an index in a database. It is an important topic."
    assert _verdict(restated, question=question) == "it gives the question back"
    padded = "I am not sure, I never studied index column or extra storage."
    assert _verdict(padded) == "it says it does not know and adds only a few phrases"


@pytest.mark.parametrize(
    "answer",
    [
        "Reads are not slow with an index: they get faster, while writes become slower and it takes more storage.",
        "An index makes filtered reads quick, but inserts and updates must also maintain it, so writes lose speed.",
        "Not sure, but I think an index speeds up reads and makes every write update it as well.",
        "- faster reads\n- slower writes\n- extra storage",  # a list of the points, laid out as one
        "A pointer to the index",  # terse, no filler: not the question given back
    ],
)
def test_real_answers_that_reword_or_list_the_reference_pass(answer: str) -> None:
    assert _verdict(answer) is None


def test_the_question_asked_back_in_other_words_is_caught_and_a_clarifying_question_is_not() -> None:
    question = "What is the role of ribosomes in a cell?"
    for asked in ("What role do ribosomes play in the cell?", "Good question. What do ribosomes do in a cell?"):
        assert _verdict(asked, question=question, closeness=0.9) == "it gives the question back"
    clarifying = "Do you mean ribosomes in bacteria, which are 70S, or the 80S ones of eukaryotic cells?"
    assert _verdict(clarifying, question=question, closeness=0.6) is None


ROMAN = (
    "Civil wars between powerful generals with personal armies, such as Caesar and Pompey, weakened the Senate; after "
    "Caesar's assassination Octavian defeated his rivals and concentrated power as Augustus."
)


def test_a_shuffle_that_keeps_some_word_pairs_and_a_bag_of_the_longer_words_are_caught() -> None:
    # a fifth of the reference's word pairs survive this shuffle ("Caesar's assassination", "Octavian defeated")
    kept_pairs = (
        "Caesar's assassination Octavian defeated armies between generals personal and Caesar the weakened his "
        "powerful such power as Augustus as wars rivals Civil Senate and Pompey after with concentrated"
    )
    longer_words = " ".join(sorted({w.strip(".,;") for w in ROMAN.split() if len(w.strip(".,;")) > 3}, key=str.lower))
    for answer in (kept_pairs, longer_words):  # function words and all ("after", "between", "with")
        found = verdict(answer, units(answer), "Why did Rome become an empire?", 0.4, [ROMAN], units(ROMAN))
        assert found == "it is the reference's words in another order", answer


@pytest.mark.parametrize("reference", [REFERENCE, ROMAN, "A leaf is a node of a tree that has no children at all."])
def test_random_shuffles_of_a_reference_are_caught_by_form_alone(reference: str) -> None:
    rng = random.Random(7)
    answers = [" ".join(rng.sample(reference.split(), len(reference.split()))) for _ in range(40)]
    caught = sum(verdict(a, units(a), QUESTION, 0.3, [reference], units(reference)) is not None for a in answers)
    assert caught >= 38, caught  # 40, 40 and 40 here; the pair rule alone caught 39, 40 and 33 (the rest: the gate)
