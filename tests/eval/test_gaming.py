"""The gaming suite's cases: reproducible, every kind made, paraphrases not copies, JSON in the agreed shape."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from eval.gaming import GAMING_KINDS, INSTRUCTIONS, KINDS, PARAPHRASE, gaming_cases, score_cases, summarize
from vetting.kernel.domain import CriterionScore, ScoreResult
from vetting.scoring.contrast import INSTRUCTIONS as TRAINING_INSTRUCTIONS
from vetting.scoring.datasets import GradedAnswer

REF = "A leaf is a node that has no children, so it ends a path of the tree."


def _rows() -> list[GradedAnswer]:
    rows = []
    for q, topic in (("1.1", "leaf"), ("1.2", "stack"), ("2.1", "queue")):
        assignment = q.split(".")[0]
        ref = REF if topic == "leaf" else f"A {topic} keeps its items in a defined order for insertion and removal."
        question = f"What is a {topic}?"
        rows += [
            GradedAnswer(
                "mohler", q, assignment, question, ref, f"The {topic} is where nodes without any child end up.", 5
            ),
            GradedAnswer("mohler", q, assignment, question, ref, f"I think a {topic} is a kind of loop.", 0.5),
            GradedAnswer("mohler", q, assignment, question, ref, ref, 5),  # a copy of the reference: no paraphrase
        ]
    return rows


def test_cases_are_reproducible_and_cover_every_kind() -> None:
    first, again = gaming_cases(_rows(), seed=3), gaming_cases(_rows(), seed=3)
    assert first == again
    assert {c.kind for c in first} == set(KINDS)
    assert gaming_cases(_rows(), seed=4) != first
    paraphrases = [c for c in first if c.kind == PARAPHRASE]
    assert paraphrases and all(c.answer != c.reference for c in paraphrases)


def test_each_kind_is_what_it_says() -> None:
    leaf = {c.kind: c for c in gaming_cases(_rows(), seed=1) if c.reference == REF}
    assert "not" in leaf["negated"].answer.lower()
    assert leaf["copied_question"].answer == "What is a leaf?"
    assert sorted(leaf["shuffled"].answer.split()) == sorted(REF.split())
    assert "." not in leaf["keyword_bag"].answer
    assert leaf["off_topic"].answer.startswith("A queue")  # from another group, never the same assignment
    instructed = [c for c in gaming_cases(_rows(), seed=1) if c.kind == "instructed"]
    assert all(any(i.lower() in c.answer.lower() for i in INSTRUCTIONS) for c in instructed)


def test_only_the_given_groups_are_used() -> None:
    cases = gaming_cases(_rows(), seed=1, groups={"mohler:2"})
    assert cases and {c.group for c in cases} == {"mohler:2"}


def test_suite_instructions_are_not_the_training_ones() -> None:
    assert not {i.lower() for i in INSTRUCTIONS} & {i.lower() for i in TRAINING_INSTRUCTIONS}


class _Scorer:
    def __init__(self, by_kind: dict[str, Any]) -> None:
        self.by_answer = by_kind

    def score(self, rubric: Any, question: str, answer: str, **kwargs: Any) -> ScoreResult:
        value = self.by_answer[answer]
        status = "insufficient_evidence" if value is None else "scored"
        c = CriterionScore("correctness", value, status, 0.5, "r")  # type: ignore[arg-type]
        return ScoreResult(rubric.id, "1", (0, 5), [c], "offline")


def test_summary_shape_and_insufficient_counts_as_the_bottom() -> None:
    cases = gaming_cases(_rows(), seed=2)
    values = {c.answer: (None if c.kind == "negated" else (5.0 if c.kind == PARAPHRASE else 1.0)) for c in cases}
    services = SimpleNamespace(scorer=_Scorer(values))
    kinds = summarize(score_cases(services, cases))  # type: ignore[arg-type]
    assert set(kinds) == set(KINDS)
    for values_ in kinds.values():
        assert set(values_) == {"n", "mean_normalized", "insufficient_share"}
    assert kinds["negated"] == {"n": kinds["negated"]["n"], "mean_normalized": 0.0, "insufficient_share": 1.0}
    assert kinds[PARAPHRASE]["mean_normalized"] == 1.0 and kinds["shuffled"]["mean_normalized"] == 0.2
    assert set(GAMING_KINDS) < set(kinds)


@pytest.mark.skipif(not Path("../shared/data/grading/mohler_dev.csv").is_file(), reason="needs ../shared/data/grading")
def test_cases_from_the_shared_data() -> None:
    from vetting.scoring.datasets import read_grading_csv

    root = Path("../shared/data/grading")
    rows = [r for f in ("mohler_dev.csv", "saf_train.csv") for r in read_grading_csv(root / f).rows]
    cases = gaming_cases(rows, seed=13, groups={"mohler:5", "saf:4.3_LM"})
    counts = {k: sum(c.kind == k for c in cases) for k in KINDS}
    assert all(n >= 2 for n in counts.values()), counts
