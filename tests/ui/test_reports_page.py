"""Evaluation reports page: past reports listed newest first, the chosen one shown with its verdict and downloads."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from eval.report import Report, write_report
from eval.results import SectionResult
from eval.thresholds import Bound, Thresholds
from tests.ui.conftest import assert_no_exception, signed_in_app

PAGE = "ui/pages/reports.py"


def open_reports() -> AppTest:
    at = signed_in_app("reviewer")
    at.switch_page(PAGE).run()
    assert_no_exception(at)
    return at


def _write(folder: Path, created: str, mrr: float) -> None:
    section = SectionResult("retrieval", "Retrieval", metrics={"mrr": mrr})
    section.check(Thresholds(retrieval={"mrr": Bound(min=0.4)}))
    write_report(Report(created, "vet eval report", [section], {"code": "abc"}), folder)


def test_no_reports_yet_says_how_to_make_one(data_dir: Path) -> None:
    at = open_reports()
    assert any("vet eval report" in i.value for i in at.info)


def test_reports_are_listed_and_the_newest_is_shown(data_dir: Path) -> None:
    _write(data_dir / "reports" / "20260101-000000", "2026-01-01 00:00:00 UTC", 0.6)
    _write(data_dir / "reports" / "20260201-000000", "2026-02-01 00:00:00 UTC", 0.2)
    at = open_reports()
    table = at.dataframe[0].value
    assert list(table["verdict"]) == ["FAIL", "PASS"]
    assert list(table["failed"]) == ["retrieval.mrr", "—"]
    assert at.error[0].value.startswith("FAIL: 0 of 1 thresholds met; missed: retrieval.mrr")
    assert [b.label for b in at.download_button] == ["Download HTML", "Download Markdown", "Download JSON"]

    at.selectbox[0].set_value("20260101-000000 — PASS").run()
    assert_no_exception(at)
    assert at.success[0].value.startswith("PASS: 1 of 1 thresholds met")
