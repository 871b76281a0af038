"""Report rendering: verdict first, every number in all three files, plots embedded, past reports listed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from eval.history import list_reports, read_report
from eval.plots import bars
from eval.report import Report, fmt, write_report
from eval.results import SectionResult, Table
from eval.thresholds import Bound, Thresholds


def _report(recall: float) -> Report:
    thresholds = Thresholds(
        retrieval={"recall_at_5": Bound(min=0.7)}, fairness={"fit_min_impact_ratio": Bound(min=0.95)}
    )
    retrieval = SectionResult(
        "retrieval",
        "Retrieval",
        metrics={"recall_at_5": recall, "mrr": 0.5},
        method=["Labels by string matching."],
        tables=[Table("By layout", ["layout", "recall@5"], [["pdf", recall], ["docx <b>", 1.0]])],
        figures=[bars("ir", "Impact ratios", ["A", "B"], [1.0, 0.9], ylabel="ratio", lines={"0.80": 0.8})],
        ragas_rows=[{"user_input": "q", "retrieved_context_ids": ["a"], "reference_context_ids": ["a"]}],
    ).check(thresholds)
    fairness = SectionResult("fairness", "Fairness", metrics={"fit_min_impact_ratio": None}).check(thresholds)
    skipped = SectionResult.skipped("llm_judged", "LLM-judged", "no endpoint configured").check(thresholds)
    return Report("2026-01-02 03:04:05 UTC", "vet eval report", [retrieval, fairness, skipped], {"code": "abc"})


def test_files_carry_the_same_verdict_and_numbers(tmp_path: Path) -> None:
    files = write_report(_report(0.8125), tmp_path)
    names = {f.relative_to(tmp_path).as_posix() for f in files}
    assert {"report.html", "report.md", "report.json", "figures/retrieval-ir.png", "ragas-retrieval.jsonl"} <= names
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["passed"] is False  # an unmeasured bounded metric counts as missing, not as a pass
    assert [(c["metric"], c["status"]) for c in data["summary"]] == [
        ("recall_at_5", "pass"),
        ("fit_min_impact_ratio", "missing"),
    ]
    assert data["skipped"] == {"llm_judged": "no endpoint configured"}
    markdown = (tmp_path / "report.md").read_text()
    assert markdown.startswith("# Evaluation report — FAIL")
    assert "| retrieval | recall_at_5 | 0.812 | ≥ 0.7 | PASS |" in markdown
    html = (tmp_path / "report.html").read_text()
    assert html.index("FAIL") < html.index("Retrieval")  # the verdict comes before the sections
    assert "data:image/png;base64," in html and not re.search(r"(src|href)=\"https?://", html)  # self-contained
    assert "docx &lt;b&gt;" in html  # table text is escaped
    assert json.loads((tmp_path / "ragas-retrieval.jsonl").read_text().splitlines()[0])["user_input"] == "q"


def test_a_passing_report_says_pass(tmp_path: Path) -> None:
    report = _report(0.9)
    report.sections = report.sections[:1]
    write_report(report, tmp_path)
    assert json.loads((tmp_path / "report.json").read_text())["passed"] is True
    assert (tmp_path / "report.md").read_text().startswith("# Evaluation report — PASS")


def test_numbers_are_formatted_for_reading() -> None:
    assert [fmt(0.81249), fmt(27.0), fmt(None), fmt(float("nan")), fmt(3), fmt(True)] == [
        "0.812", "27", "—", "—", "3", "yes"
    ]  # fmt: skip


def test_past_reports_are_listed_newest_first(tmp_path: Path) -> None:
    old, new = _report(0.9), _report(0.5)
    old.sections, new.sections = old.sections[:1], new.sections[:1]
    old.created, new.created = "2026-01-01 00:00:00 UTC", "2026-02-01 00:00:00 UTC"
    write_report(old, tmp_path / "20260101-000000")
    write_report(new, tmp_path / "20260201-000000")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "report.json").write_text("{not json")
    listed = list_reports(tmp_path)
    assert [r.folder.name for r in listed[:2]] == ["20260201-000000", "20260101-000000"]
    assert [r.verdict for r in listed] == ["FAIL", "PASS", "unreadable"]
    assert listed[0].failed == ["retrieval.recall_at_5"]
    assert read_report(tmp_path / "absent").error == "report.json is missing"
    assert list_reports(tmp_path / "nothing-here") == []
