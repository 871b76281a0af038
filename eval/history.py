"""Past evaluation reports under a folder (by default `reports/` in the data directory), newest first."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vetting.kernel.settings import Settings


@dataclass(frozen=True)
class PastReport:
    """One report folder: when it was made, its verdict and the checks it failed (or why it cannot be read)."""

    folder: Path
    created: str
    passed: bool | None
    command: str
    checks: int
    failed: list[str]
    skipped: list[str]
    error: str | None = None

    @property
    def html(self) -> Path:
        return self.folder / "report.html"

    @property
    def markdown(self) -> Path:
        return self.folder / "report.md"

    @property
    def json(self) -> Path:
        return self.folder / "report.json"

    @property
    def verdict(self) -> str:
        return "unreadable" if self.passed is None else ("PASS" if self.passed else "FAIL")


def reports_dir(settings: Settings) -> Path:
    return settings.data_dir / "reports"


def read_report(folder: Path) -> PastReport:
    """The summary of the report in `folder`; a missing or damaged report.json is described, never raised."""
    try:
        data: dict[str, Any] = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        summary = data.get("summary") or []
        return PastReport(
            folder=folder,
            created=str(data.get("created", "")),
            passed=bool(data.get("passed")),
            command=str(data.get("command", "")),
            checks=len(summary),
            failed=[f"{c['section']}.{c['metric']}" for c in summary if c.get("status") != "pass"],
            skipped=sorted((data.get("skipped") or {}).keys()),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        reason = "report.json is missing" if isinstance(exc, FileNotFoundError) else "report.json cannot be read"
        return PastReport(folder, "", None, "", 0, [], [], error=reason)


def list_reports(folder: Path) -> list[PastReport]:
    """Every report folder directly under `folder`, newest first; unreadable ones last."""
    if not folder.is_dir():
        return []
    found = [read_report(p) for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    readable = sorted((r for r in found if r.error is None), key=lambda r: (r.created, r.folder.name), reverse=True)
    return readable + sorted((r for r in found if r.error is not None), key=lambda r: r.folder.name)
