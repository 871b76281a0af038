"""Contrast pairs are made by rules from graded rows, the same every run, each kind as documented."""

from __future__ import annotations

import random

from vetting.scoring.contrast import contrast_pairs, keyword_bag, negate, padded, reordered
from vetting.scoring.datasets import GradedAnswer
from vetting.scoring.text import STOP_WORDS, says_no_answer, words


def _rows() -> list[GradedAnswer]:
    out = []
    for q in range(4):
        ref = f"A stack stores item {q} last in, first out, and push adds to the top."
        for a, gold in ((f"Push and pop work at the top, last in first out {q}.", 5.0), ("It is a loop.", 1.0)):
            out.append(GradedAnswer("mohler", f"1.{q}", "1", f"What is a stack {q}?", ref, a, gold))
    return out


def test_pairs_are_reproducible_and_cover_every_kind() -> None:
    first, second = contrast_pairs(_rows(), seed=3), contrast_pairs(_rows(), seed=3)
    assert first == second
    kinds = {p.kind for p in first}
    assert {"negated", "keyword_bag", "copied_question", "shuffled", "off_topic", "padded", "identity"} <= kinds
    assert {"instructed", "reordered", "top_answer"} <= kinds
    for p in first:
        low = p.kind in {"negated", "keyword_bag", "copied_question", "shuffled", "off_topic", "padded"}
        assert (p.target <= 0.05) if low else (p.target >= 0.95 or p.kind == "instructed")
    assert all(p.answer.strip() for p in first)


def test_negation_flips_the_claim_both_ways() -> None:
    assert negate("A leaf is a node that has no children.") == "A leaf is not a node that has no children."
    assert negate("A leaf is not a node with children.") == "A leaf is a node with children."
    assert negate("Sorting puts items in order.") == "It is not true that sorting puts items in order."


def test_keyword_bags_and_padding_have_no_sentence() -> None:
    rng = random.Random(0)
    bag = keyword_bag("The stack stores the items last in, first out.", rng)
    assert bag and not set(words(bag)) & STOP_WORDS
    for _ in range(20):
        pad = padded("The stack stores the items last in, first out.", rng)
        assert any(says_no_answer(part + ".") or says_no_answer(part) for part in pad.replace("?", ".").split(". "))
        assert "stack stores the items" not in pad.lower()  # fragments of two to four content words, no claim
    assert reordered("It is fast, and it is small.") == "it is small, and It is fast."


def test_every_kind_trains_either_the_grade_or_the_gate_and_gamed_kinds_are_the_low_ones() -> None:
    from vetting.scoring.contrast import GAMED_KINDS, TRAINED_KINDS

    assert not TRAINED_KINDS & GAMED_KINDS
    for p in contrast_pairs(_rows(), seed=3):
        assert p.kind in TRAINED_KINDS | GAMED_KINDS, p.kind
        assert p.kind not in GAMED_KINDS or p.target <= 0.05, p  # gamed pairs are the low ones; the gate learns them
