"""What each evaluation section hands to the report: headline metrics, tables, figures, method notes and raw data."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from eval.thresholds import Check, Thresholds, apply_thresholds

SectionStatus = Literal["ok", "skipped"]


@dataclass(frozen=True)
class Table:
    """A small table shown in the report (and kept in its JSON)."""

    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "columns": self.columns, "rows": [[clean(v) for v in r] for r in self.rows]}


@dataclass(frozen=True)
class Figure:
    """A PNG plot, embedded in the HTML report and written beside the Markdown one."""

    name: str
    title: str
    png: bytes
    caption: str = ""


@dataclass
class SectionResult:
    """One section of the report (retrieval, plans, grading, fairness, llm_judged)."""

    name: str
    title: str
    status: SectionStatus = "ok"
    reason: str = ""
    metrics: dict[str, float | None] = field(default_factory=dict)
    method: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
    ragas_rows: list[dict[str, Any]] = field(default_factory=list)
    inputs: list[Path] = field(default_factory=list)  # corpus files read, hashed into the report's versions
    judge_samples: list[dict[str, Any]] = field(default_factory=list)  # for LLM-judged metrics: kind + ragas fields
    seconds: float = 0.0

    @classmethod
    def skipped(cls, name: str, title: str, reason: str) -> SectionResult:
        return cls(name=name, title=title, status="skipped", reason=reason)

    def check(self, thresholds: Thresholds) -> SectionResult:
        """Apply the section's thresholds; a skipped section is not checked."""
        self.checks = [] if self.status == "skipped" else apply_thresholds(self.name, self.metrics, thresholds)
        return self

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.name,
            "title": self.title,
            "status": self.status,
            "reason": self.reason,
            "passed": self.passed,
            "metrics": {k: clean(v) for k, v in self.metrics.items()},
            "checks": [c.to_dict() for c in self.checks],
            "method": self.method,
            "tables": [t.to_dict() for t in self.tables],
            "figures": [f.name for f in self.figures],
            "details": clean(self.details),
            "seconds": round(self.seconds, 1),
        }


def clean(value: Any) -> Any:
    """JSON-safe copy: NaN and infinities become None, floats are rounded to 4 decimals, tuples become lists."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else round(value, 4)
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return clean(value.item())
    return value
