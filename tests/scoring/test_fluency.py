"""The fluency table tells sentences from shuffled words and keyword bags, whatever the topic."""

from __future__ import annotations

import random

import pytest

from vetting.scoring.fluency import Fluency, classes, load_fluency
from vetting.scoring.text import says_no_answer

SENTENCES = [
    "A leaf is a node of the tree that has no children.",
    "The compiler checks the type of each argument before the call is made.",
    "We cached the results of the query so the page loads in under a second.",
    "A stack keeps its elements in the order they were pushed, and pop removes the newest one.",
]


def test_classes_keep_function_words_and_fold_the_rest() -> None:
    assert classes("The cache of 3 pages.") == ["<s>", "the", "<w>", "of", "<n>", "<w>", ".", "</s>"]


def test_shuffled_words_read_worse_than_the_sentence() -> None:
    table = load_fluency()  # the shipped table
    rng = random.Random(4)
    for sentence in SENTENCES:
        words = sentence.rstrip(".").split()
        rng.shuffle(words)
        assert table.score(sentence) > table.score(" ".join(words)), sentence


def test_a_table_fitted_on_text_prefers_that_text_to_its_reversal() -> None:
    table = Fluency.fit(SENTENCES * 3)
    assert all(table.score(s) > table.score(" ".join(reversed(s.split()))) for s in SENTENCES)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Honestly, I can't recall this one.", True),
        ("I'm not sure what the answer is.", True),
        ("No clue, to be honest.", True),
        ("I am not sure, but a leaf has no children.", False),
        ("We did not know the load, so we measured it first.", False),
        ('The bot should answer "I don\'t know" when retrieval finds nothing.', False),
    ],
)
def test_a_sentence_that_only_says_it_does_not_know(sentence: str, expected: bool) -> None:
    assert says_no_answer(sentence) is expected
