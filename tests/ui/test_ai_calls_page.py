"""AI call log page: every recorded language-model call listed, filterable, exportable; an empty log says so."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, app_services, assert_no_exception
from vetting.kernel.domain import AuditEntry

PAGE = "ui/pages/ai_calls.py"


def open_log() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page(PAGE).run()
    assert_no_exception(at)
    return at


def call(task: str, status: str, **extra: object) -> AuditEntry:
    values: dict[str, object] = {
        "task": task,
        "engine": "llm:gemma-3-270m" if status != "fallback" else "offline",
        "model": "gemma-3-270m",
        "endpoint": "http://127.0.0.1:8765/v1",
        "template_version": f"{task}@abc",
        "input_sha256": "0" * 64,
        "output": '{"score": 3}',
        "status": status,
        "latency_ms": 1500,
    }
    values.update(extra)
    return AuditEntry(**values)  # type: ignore[arg-type]


def test_an_empty_log_says_nothing_was_called(data_dir: Path) -> None:
    at = open_log()
    assert any("No language-model calls recorded yet" in i.value for i in at.info)
    assert any("nothing leaves this machine" in c.value for c in at.caption)


def test_calls_are_listed_filtered_and_exported(data_dir: Path) -> None:
    audit = app_services(data_dir).audit
    audit.record(call("question planning", "ok", prompt_tokens=900, completion_tokens=120))
    audit.record(call("scoring", "invalid", error="the reply was not valid JSON"))
    audit.record(call("scoring", "fallback", error="The language model at … could not be reached"))
    at = open_log()
    assert [m.value for m in at.metric] == ["3", "1", "1"]
    table = at.dataframe[0].value
    assert list(table["outcome"]) == ["fallback", "invalid", "ok"]  # newest first
    assert table["tokens in/out"].iloc[2] == "900/120"

    at.multiselect[0].set_value(["scoring"]).run()
    assert_no_exception(at)
    assert list(at.dataframe[0].value["task"]) == ["scoring", "scoring"]
    assert [b.label for b in at.download_button] == ["Export CSV", "Export JSON"]  # of the calls shown
