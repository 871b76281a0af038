"""A custom, non-technical criterion written as a user would, scored on hand-labelled messages: does it separate?"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from eval.results import SectionResult, Table
from rubrics import Rubric
from vetting.services import Services

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "empathy.yaml"
# A second criterion, written after the way examples grade was settled and measured once: a check that it carries over.
SECOND_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "accountability.yaml"


@dataclass(frozen=True)
class LabelledAnswer:
    situation: str
    question: str
    text: str
    label: int  # 1: shows the quality the criterion describes, 0: does not


def load_fixture(path: Path = FIXTURE) -> tuple[Rubric, list[LabelledAnswer]]:
    """The fixture's one-criterion rubric and its labelled answers."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rubric = Rubric.model_validate(data["rubric"])
    situations = data["situations"]
    answers = [
        LabelledAnswer(a["situation"], " ".join(situations[a["situation"]].split()), a["text"], int(a["label"]))
        for a in data["answers"]
    ]
    return rubric, answers


def roc_auc(labels: list[int], scores: list[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    positives = [s for s, y in zip(scores, labels, strict=True) if y == 1]
    negatives = [s for s, y in zip(scores, labels, strict=True) if y == 0]
    if not positives or not negatives:
        raise ValueError("need both labels")
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def evaluate_custom_criterion(services: Services, path: Path = FIXTURE) -> dict[str, Any]:
    """The fixture's criterion as written, and again without its labelled examples (key points, anchors, signals)."""
    rubric, answers = load_fixture(path)
    out = _evaluate(services, rubric, answers)
    bare = rubric.model_copy(update={"criteria": [c.model_copy(update={"examples": []}) for c in rubric.criteria]})
    out["without_examples"] = _evaluate(services, bare, answers)
    out["examples"] = sum(len(c.examples) for c in rubric.criteria)
    return out


def _evaluate(services: Services, rubric: Rubric, answers: list[LabelledAnswer]) -> dict[str, Any]:
    """Score every labelled answer on the criterion; AUC of its level on 0-1 (insufficient evidence = 0)."""
    low, high = rubric.scale.min, rubric.scale.max
    scores, levels, insufficient = [], [], 0
    for a in answers:
        [c] = services.scorer.score(rubric, a.question, a.text).criteria
        if c.status == "insufficient_evidence" or c.score is None:
            insufficient += 1
            scores.append(0.0)
        else:
            scores.append((float(c.score) - low) / (high - low))
        levels.append(c.score)
    labels = [a.label for a in answers]
    return {
        "n": len(answers),
        "auc": roc_auc(labels, scores),
        "distinct_levels": len(set(levels)),
        "insufficient": insufficient,
        "mean_good": sum(s for s, y in zip(scores, labels, strict=True) if y) / max(1, sum(labels)),
        "mean_poor": sum(s for s, y in zip(scores, labels, strict=True) if not y) / max(1, len(labels) - sum(labels)),
    }


def evaluate_custom_section(
    services: Services, path: Path = FIXTURE, second: Path | None = SECOND_FIXTURE
) -> SectionResult:
    """The `custom_criterion` section of the report: the fixture scored, its AUC gated in eval/thresholds.yaml; the
    second criterion's AUC is reported beside it."""
    custom = evaluate_custom_criterion(services, path)
    other = evaluate_custom_criterion(services, second) if second is not None else None
    rows = []
    for name, result in [("empathy", custom), ("accountability", other)]:
        if result is None:
            continue
        for label, r in [
            (f"{name}, as written ({result['examples']} graded examples)", result),
            (f"{name}, without its examples", result["without_examples"]),
        ]:
            rows.append(
                [label, r["n"], r["auc"], r["mean_good"], r["mean_poor"], r["distinct_levels"], r["insufficient"]]
            )
    table = Table(
        "Custom criteria (hand-labelled workplace replies)",
        ["criterion", "n", "ROC AUC", "mean score, shows it", "mean score, not", "distinct levels", "insufficient"],
        rows,
    )  # fmt: skip
    method = [
        "A criterion a user might write for a non-technical quality (empathy; description, anchors, signals, key "
        "points and 20 example replies to four other situations graded 1-4 by the author, in "
        "eval/fixtures/empathy.yaml), scored offline as `vet score` would on 64 workplace replies labelled by hand "
        "(32 empathic, 32 not, with task-only replies and sympathy phrases followed by demands among the negatives). "
        "ROC AUC of the level on 0-1 ('insufficient evidence' counts as 0); the threshold is on the criterion as "
        "written. The rows without examples drop them: key points that describe a reply's tone are not met by any "
        "sentence, so without examples such a criterion does not separate.",
        "A second criterion (accountability after a mistake, eval/fixtures/accountability.yaml: 20 graded examples, "
        "32 labelled replies, with ownership words followed by blame among the negatives) was written after the "
        "method was settled and is reported, not gated: it checks that the method carries over to a quality it was "
        "not built on.",
    ]
    metrics = {"auc": custom["auc"], "auc_without_examples": custom["without_examples"]["auc"]}
    if other is not None:
        metrics["second_criterion_auc"] = other["auc"]
    return SectionResult(
        "custom_criterion", "Custom criterion", metrics=metrics, method=method, tables=[table],
        details={**custom, "second": other}, inputs=[p for p in (path, second) if p is not None],
    )  # fmt: skip
