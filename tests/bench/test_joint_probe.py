"""The cross-encoder probe trains on nothing it scores: held-out rows and every text of them stay out of training."""

from __future__ import annotations

from bench.joint_probe import split
from vetting.scoring.contrast import Pair
from vetting.scoring.datasets import GradedAnswer


def _row(qid: str, assignment: str, answer: str, reference: str = "A stack is last in, first out.") -> GradedAnswer:
    return GradedAnswer("mohler", qid, assignment, f"Question {qid}?", reference, answer, 4.0)


def test_held_out_rows_and_their_texts_stay_out_of_training() -> None:
    seen = _row("1.1", "1", "Last in, first out.")
    hidden = _row("5.1", "5", "The newest item leaves first.", reference="Pop removes the newest item.")
    pairs = [
        Pair(seen.reference, seen.reference, 1.0, "identity", "mohler:1.1"),
        Pair(hidden.reference, hidden.reference, 1.0, "identity", "mohler:5.1"),  # made for a held-out question
        Pair("Some other reference.", hidden.answer, 0.95, "top_answer", "mohler:1.1"),  # holds a held-out answer
        Pair(seen.reference, "A stack is not last in, first out.", 0.0, "negated", "mohler:1.1"),  # gamed: not graded
    ]
    items, scored = split([seen, hidden], pairs, {"mohler:5"})
    assert scored == [hidden]
    assert items == [(seen.reference, seen.answer, 0.8), (seen.reference, seen.reference, 1.0)]
    assert all(hidden.answer not in (a, b) and hidden.reference not in (a, b) for a, b, _ in items)
