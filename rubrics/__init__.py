"""Scoring rubrics: YAML files in this folder (and an optional user folder), validated by pydantic."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from vetting.kernel.errors import InvalidRubric
from vetting.kernel.settings import Settings
from vetting.kernel.yamlbank import load_folder

BUILTIN_DIR = Path(__file__).resolve().parent

Facet = Literal[
    "tradeoffs", "business", "ownership", "depth", "measurement",
    "lessons", "data", "clarifying", "reliability", "security",
]  # fmt: skip
FACETS: tuple[str, ...] = Facet.__args__  # type: ignore[attr-defined]


class Scale(BaseModel):
    """Integer scale of a rubric, e.g. 1-4, with an optional label per level."""

    model_config = ConfigDict(extra="forbid")
    min: int = 1
    max: int = 4
    labels: dict[int, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.max <= self.min:
            raise ValueError("max must be greater than min")
        return self

    @property
    def levels(self) -> list[int]:
        return list(range(self.min, self.max + 1))


class Example(BaseModel):
    """An answer the rubric's author labelled with a level, and the question it answers (examples calibrate by it)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1)
    level: int
    question: str = Field("", description="The question it answers: examples are calibrated one question at a time.")

    @property
    def group(self) -> str:
        """The question as examples are grouped by it (spacing and case aside)."""
        return " ".join(self.question.split()).lower()


MIN_EXAMPLES = 4  # labelled examples a criterion needs (at least two levels, at least two questions)


class Criterion(BaseModel):
    """One thing the rubric scores, with a behavioural anchor per level and the signals an expert listens for."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    description: str
    weight: float = Field(1.0, gt=0)
    levels: dict[int, str] = Field(description="Behavioural anchor for each level of the scale.")
    positive_signals: list[str] = Field(default_factory=list)
    negative_signals: list[str] = Field(default_factory=list)
    concepts: list[str] = Field(default_factory=list, description="Key terms a strong answer tends to use.")
    ideal_answer: str | None = None
    key_points: tuple[str, ...] = Field(
        (), description="The few things a strong answer contains, as short declarative statements."
    )
    examples: list[Example] = Field(
        default_factory=list,
        description="Answers labelled with a level, to different questions: with them, a new answer is graded by how "
        "it compares with these (for qualities of tone or stance that key points cannot state).",
    )
    facet: Facet | None = Field(
        None,
        description="The angle deep-dive questions take for this criterion; inferred from its wording when absent.",
    )


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    version: str
    description: str = ""
    applies_to: list[str] = Field(default_factory=list, description="Roles or question kinds the rubric is meant for.")
    scale: Scale = Field(default_factory=Scale)
    criteria: list[Criterion] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: object) -> str:
        return str(value)

    @model_validator(mode="after")
    def _anchors_cover_scale(self) -> Rubric:
        ids = [c.id for c in self.criteria]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"field 'criteria': criterion ids must be unique; repeated: {', '.join(duplicates)}")
        for index, criterion in enumerate(self.criteria):
            missing = set(self.scale.levels) - set(criterion.levels)
            extra = set(criterion.levels) - set(self.scale.levels)
            if missing or extra:
                raise ValueError(
                    f"field 'criteria.{index}.levels' ({criterion.id}): give one anchor per scale level "
                    f"{self.scale.levels}"
                    + (f"; missing {sorted(missing)}" if missing else "")
                    + (f"; outside the scale {sorted(extra)}" if extra else "")
                )
            _check_examples(index, criterion, self.scale)
        return self

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise InvalidRubric(f"Rubric '{self.id}' has no criterion '{criterion_id}'.")

    @property
    def total_weight(self) -> float:
        return sum(c.weight for c in self.criteria)


def _check_examples(index: int, criterion: Criterion, scale: Scale) -> None:
    if not criterion.examples:
        return
    where = f"field 'criteria.{index}.examples' ({criterion.id})"
    outside = sorted({e.level for e in criterion.examples} - set(scale.levels))
    if outside:
        raise ValueError(f"{where}: levels {outside} are outside the scale {scale.levels}")
    if len(criterion.examples) < MIN_EXAMPLES:
        raise ValueError(f"{where}: give at least {MIN_EXAMPLES} labelled examples, or none")
    if len({e.level for e in criterion.examples}) < 2:
        raise ValueError(f"{where}: the examples need at least two different levels")
    if len({e.group for e in criterion.examples}) < 2:
        raise ValueError(
            f"{where}: the examples need answers to at least two different questions (give each its 'question'); "
            "they are calibrated on questions they were not drawn from"
        )


def rubric_folders(settings: Settings) -> list[Path]:
    return [BUILTIN_DIR] + ([settings.rubrics_dir] if settings.rubrics_dir else [])


def load_rubrics(settings: Settings) -> dict[str, Rubric]:
    """All rubrics, built-in first, then the user's folder; a bad file raises InvalidRubric naming file and field."""
    return load_folder(rubric_folders(settings), Rubric, InvalidRubric, "rubric")


def get_rubric(settings: Settings, rubric_id: str) -> Rubric:
    bank = load_rubrics(settings)
    if rubric_id not in bank:
        raise InvalidRubric(f"No rubric '{rubric_id}'. Available: {', '.join(sorted(bank)) or 'none'}.")
    return bank[rubric_id]
