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
    """Of the real answers of Mohler and SAF, at most 1% look like gaming to the form checks (README: 13 of 2,844)."""
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
