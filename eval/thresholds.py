"""Pass/fail thresholds of the evaluation, read from a YAML file so a reviewer can tighten or relax them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from vetting.kernel.errors import VettingError
from vetting.kernel.yamlbank import load_model

DEFAULT_THRESHOLDS = Path(__file__).resolve().parent / "thresholds.yaml"


class InvalidThresholds(VettingError):
    """The thresholds file is missing, not valid YAML, or a bound is malformed."""


class Bound(BaseModel):
    """A metric must be at least `min` and/or at most `max`."""

    model_config = ConfigDict(extra="forbid")
    min: float | None = None
    max: float | None = None
    why: str = ""

    @model_validator(mode="after")
    def _some_bound(self) -> Bound:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        return self

    def describe(self) -> str:
        parts = ([f"≥ {self.min:g}"] if self.min is not None else []) + (
            [f"≤ {self.max:g}"] if self.max is not None else []
        )
        return " and ".join(parts)


class Thresholds(BaseModel):
    """Bounds per section (`retrieval`, `plans`, `grading`, `gaming`, `custom_criterion`, `fairness`, `llm_judged`)."""

    model_config = ConfigDict(extra="forbid")
    retrieval: dict[str, Bound] = {}
    plans: dict[str, Bound] = {}
    grading: dict[str, Bound] = {}
    gaming: dict[str, Bound] = {}
    custom_criterion: dict[str, Bound] = {}
    fairness: dict[str, Bound] = {}
    llm_judged: dict[str, Bound] = {}

    def for_section(self, section: str) -> dict[str, Bound]:
        return dict(getattr(self, section, {}) or {})


def load_thresholds(path: Path | None = None) -> Thresholds:
    """The thresholds in `path` (default: the file shipped with the harness); a bad file is a clear error."""
    path = path or DEFAULT_THRESHOLDS
    if not path.is_file():
        raise InvalidThresholds(f"Thresholds file '{path}' does not exist.")
    return load_model(path, Thresholds, InvalidThresholds)


@dataclass(frozen=True)
class Check:
    """One threshold applied to one measured value."""

    section: str
    metric: str
    value: float | None
    bound: Bound

    @property
    def status(self) -> str:
        """`pass`, `fail`, or `missing` (the metric was not measured: counts as a failure)."""
        if self.value is None or (isinstance(self.value, float) and math.isnan(self.value)):
            return "missing"
        low_ok = self.bound.min is None or self.value >= self.bound.min
        high_ok = self.bound.max is None or self.value <= self.bound.max
        return "pass" if low_ok and high_ok else "fail"

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "metric": self.metric,
            "value": self.value,
            "min": self.bound.min,
            "max": self.bound.max,
            "target": self.bound.describe(),
            "why": self.bound.why,
            "status": self.status,
        }


def apply_thresholds(section: str, metrics: dict[str, float | None], thresholds: Thresholds) -> list[Check]:
    """Every bound of `section` checked against the measured metrics, in the order of the thresholds file."""
    return [Check(section, name, metrics.get(name), bound) for name, bound in thresholds.for_section(section).items()]
