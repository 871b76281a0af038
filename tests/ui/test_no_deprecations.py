"""Every page runs without one Streamlit deprecation warning (a removal announced is a page broken later)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import deprecation_util
from streamlit.testing.v1 import AppTest

from eval.report import Report, write_report
from eval.results import SectionResult
from eval.thresholds import Bound, Thresholds
from tests.ui.conftest import app_services, assert_no_exception, open_page, seed_candidate
from vetting.sessions import Evidence, PlannedQuestion


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def deprecations() -> Iterator[list[str]]:
    """Deprecation messages Streamlit logs (and Python DeprecationWarnings raised from streamlit) while a test runs."""
    deprecation_util._shown_warnings.clear()  # a message shown earlier in this process is shown again
    handler = _Collect()
    logger = logging.getLogger(deprecation_util.__name__)
    logger.addHandler(handler)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield handler.messages
        handler.messages += [
            str(w.message) for w in caught if issubclass(w.category, DeprecationWarning) and "streamlit" in w.filename
        ]
    logger.removeHandler(handler)


def _old_html_call() -> None:
    import streamlit.components.v1 as components_v1

    components_v1.html("<p>old</p>", height=40)


def test_the_detector_sees_a_deprecated_call(deprecations: list[str]) -> None:
    at = AppTest.from_function(_old_html_call)
    at.run()
    assert any("components.v1.html" in m for m in deprecations), deprecations


def test_no_page_uses_a_deprecated_streamlit_call(data_dir: Path, deprecations: list[str]) -> None:
    candidate = seed_candidate(data_dir)
    services = app_services(data_dir)
    session_id = services.sessions.create(candidate.id, "rag-customer-support", "rag-case-study", "1.0")
    services.sessions.store_plan(
        session_id,
        [PlannedQuestion("c1", "case", "Walk me through it.", None, None, "rag-case-study")],
        engine="offline",
        model=None,
    )
    question = services.sessions.get(session_id).questions[0]
    services.sessions.save_answer(question.id, text="I would audit the data.", notes="", expected_version=1)
    evidence = [Evidence("audit the data", True, 8, 22)]
    services.sessions.store_ai_scores(
        question.id, [("data-quality", 3.0, "ok", evidence)], engine="offline", model=None
    )
    services.sessions.set_interviewer_score(question.id, "data-quality", 1, "")
    section = SectionResult("retrieval", "Retrieval", metrics={"mrr": 0.6})
    section.check(Thresholds(retrieval={"mrr": Bound(min=0.4)}))
    write_report(
        Report("2026-01-01 00:00:00 UTC", "vet eval report", [section], {"code": "abc"}), data_dir / "reports" / "r1"
    )

    at = open_page("interview", session=session_id)
    for page in ("candidates", "scorecards"):
        at = open_page(page, at)
    at.switch_page("ui/pages/reports.py").run()
    assert_no_exception(at)
    assert any("<mark" in h.value for h in open_page("interview", session=session_id).html)  # the pages did render
    assert deprecations == []
