"""A finished evaluation run and its three renderings: self-contained HTML (plots embedded), Markdown and JSON."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.results import SectionResult, Table, clean
from eval.thresholds import Check

TEMPLATE = Path(__file__).resolve().parent / "report.html.j2"
REPORT_FILES = ("report.html", "report.md", "report.json")


@dataclass
class Report:
    """Sections in order, the versions that produced them, and when and how the run was made."""

    created: str
    command: str
    sections: list[SectionResult]
    versions: dict[str, Any]
    run: dict[str, Any] = field(default_factory=dict)

    @property
    def checks(self) -> list[Check]:
        return [c for s in self.sections for c in s.checks]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "command": self.command,
            "passed": self.passed,
            "summary": [c.to_dict() for c in self.checks],
            "skipped": {s.name: s.reason for s in self.sections if s.status == "skipped"},
            "run": clean(self.run),
            "sections": {s.name: s.to_dict() for s in self.sections},
            "versions": self.versions,
        }


def fmt(value: Any) -> str:
    """Numbers as a reviewer reads them: 3 decimals for fractions, integers plain, None as an em dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return "—"
        return str(int(value)) if value.is_integer() and abs(value) >= 2 else f"{value:.3f}"
    return str(value)


def write_report(report: Report, out_dir: Path) -> list[Path]:
    """Write report.html, report.md, report.json, the figures and the ragas datasets into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    figures_dir = out_dir / "figures"
    written: list[Path] = []
    for section in report.sections:
        for figure in section.figures:
            figures_dir.mkdir(exist_ok=True)
            path = figures_dir / f"{section.name}-{figure.name}.png"
            path.write_bytes(figure.png)
            written.append(path)
        if section.ragas_rows:
            path = out_dir / f"ragas-{section.name}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in section.ragas_rows), "utf-8")
            written.append(path)
    data = report.to_dict()
    (out_dir / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), "utf-8")
    (out_dir / "report.md").write_text(render_markdown(report), "utf-8")
    (out_dir / "report.html").write_text(render_html(report), "utf-8")
    return [out_dir / name for name in REPORT_FILES] + written


def _md_table(columns: list[str], rows: list[list[Any]]) -> list[str]:
    def cell(v: Any) -> str:
        return fmt(v).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return lines


def summary_rows(report: Report) -> list[list[Any]]:
    return [[c.section, c.metric, c.value, c.bound.describe(), c.status.upper()] for c in report.checks]


def render_markdown(report: Report) -> str:
    verdict = "PASS" if report.passed else "FAIL"
    lines = [f"# Evaluation report — {verdict}", "", f"Created {report.created} by `{report.command}`.", ""]
    lines += ["## Summary", ""]
    lines += _md_table(["section", "metric", "value", "target", "status"], summary_rows(report))
    lines.append("")
    for section in report.sections:
        if section.status == "skipped":
            lines.append(f"- **{section.title}** skipped: {section.reason}")
    for section in report.sections:
        lines += ["", f"## {section.title}", ""]
        if section.status == "skipped":
            lines += [f"Skipped: {section.reason}"]
            continue
        lines += [f"- {m}" for m in section.method] + [""]
        lines += _md_table(["metric", "value"], [[k, v] for k, v in section.metrics.items()])
        for figure in section.figures:
            lines += ["", f"![{figure.title}](figures/{section.name}-{figure.name}.png)"]
            if figure.caption:
                lines += ["", f"*{figure.caption}*"]
        for table in section.tables:
            lines += _table_md(table)
    lines += ["", "## Versions", "", "```json", json.dumps(report.versions, indent=2), "```", ""]
    return "\n".join(lines)


def _table_md(table: Table) -> list[str]:
    lines = ["", f"### {table.title}", ""]
    if not table.rows:
        return [*lines, "None."]
    lines += _md_table(table.columns, table.rows)
    if table.note:
        lines += ["", table.note]
    return lines


def render_html(report: Report) -> str:
    """One self-contained HTML page: styles inline, plots as base64 PNG, no external requests."""
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
    env.filters["fmt"] = fmt
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(
        report=report,
        summary=summary_rows(report),
        versions_json=json.dumps(report.versions, indent=2),
    )
