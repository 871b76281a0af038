"""Plan audit on hand-built plans: criteria coverage reads each question against the rubric that scores it."""

from __future__ import annotations

from types import SimpleNamespace

from eval.plans import criteria_coverage


def _rubric(rubric_id: str, *criteria: str) -> dict[str, object]:
    return {"id": rubric_id, "criteria": [{"id": c} for c in criteria]}


def _question(kind: str, criterion: str | None, rubric: str) -> SimpleNamespace:
    return SimpleNamespace(kind=kind, criterion=criterion, rubric=rubric)


def test_coverage_counts_each_rubrics_criteria_apart() -> None:
    plan = SimpleNamespace(
        rubric=_rubric("deep", "ownership", "measurement"),
        case_rubric=_rubric("case", "scoping", "risk"),
        questions=[
            _question("deep_dive", "ownership", "deep"),
            _question("case", None, "case"),
            _question("follow_up", "scoping", "case"),
            _question("follow_up", "risk", "case"),
        ],
    )
    assert criteria_coverage(plan) == 3 / 4


def test_a_follow_up_does_not_cover_a_deep_dive_criterion_of_the_same_name() -> None:
    plan = SimpleNamespace(
        rubric=_rubric("deep", "ownership"),
        case_rubric=_rubric("case", "ownership"),
        questions=[_question("follow_up", "ownership", "case")],
    )
    assert criteria_coverage(plan) == 1 / 2


def test_one_rubric_for_every_question_is_counted_once() -> None:
    plan = SimpleNamespace(
        rubric=_rubric("case", "scoping", "risk"),
        case_rubric=_rubric("case", "scoping", "risk"),
        questions=[_question("deep_dive", "scoping", "case"), _question("follow_up", "scoping", "case")],
    )
    assert criteria_coverage(plan) == 1 / 2
