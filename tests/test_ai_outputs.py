"""Every AI output is audited, the offline engine included: engine, versions, time and the acting user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cases import get_case
from rubrics import get_rubric
from tests.erasure.test_identity import _cli
from vetting.ai_outputs import AIOutputLog, content_version
from vetting.interviews import InterviewRunner
from vetting.kernel.domain import Plan, Question
from vetting.kernel.settings import Settings
from vetting.planning.planner import case_summary, rubric_summary
from vetting.services import Services


class _OfflinePlanner:
    """Stands in for the planner (what is tested is the audit, not the planning): an offline plan of one question."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def plan(self, candidate: Any, case_id: str, rubric_id: str | None = None) -> Plan:
        case = get_case(self.settings, case_id)
        rubric = get_rubric(self.settings, rubric_id or case.rubric)
        question = Question("q1", "case", case.prompt, None)
        return Plan(candidate, case_summary(case), rubric_summary(rubric), (question,), "offline")


def test_an_offline_plan_is_audited_with_versions_and_user(settings: Settings) -> None:
    services = Services(settings)
    candidate = services.registry.get_or_create("Audit Me")
    session = services.sessions.create(candidate.id, "rag-customer-support", "rag-case-study", "1.0")
    InterviewRunner(settings, services.sessions, _OfflinePlanner(settings), None).plan(session)  # type: ignore[arg-type]
    [entry] = AIOutputLog(services.db).entries()
    case = get_case(settings, "rag-customer-support")
    assert (entry.kind, entry.engine, entry.rubric, entry.session_id) == (
        "plan",
        "offline",
        "rag-case-study v1.0",
        session,
    )
    assert entry.actor == services.actor.name and entry.actor
    assert entry.detail["case_version"] == content_version(case) and entry.detail["case_id"] == case.id
    assert entry.detail["embedding_model"].startswith(settings.embedding_model) and entry.detail["program"]
    assert "Audit Me" not in str(entry.to_dict())  # ids only

    services.registry.erase(candidate.id, by="id")
    assert AIOutputLog(services.db).entries() == []  # the candidate's outputs go with them


def test_the_case_version_changes_with_the_case(settings: Settings) -> None:
    case = get_case(settings, "rag-customer-support")
    assert content_version(case) == content_version(get_case(settings, "rag-customer-support"))
    assert content_version(case) != content_version(case.model_copy(update={"prompt": case.prompt + " Why?"}))


@pytest.mark.slow
def test_an_offline_vet_score_lands_in_the_audit_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("VETTING_OPERATOR", "grace")
    code, _ = _cli(
        capsys,
        monkeypatch,
        data,
        "score",
        "--rubric",
        "rag-case-study",
        "--criterion",
        "data-quality",
        "--question",
        "How would you handle stale articles?",
        "--answer",
        "I would audit a sample for duplicates.",
    )
    assert code == 0
    code, out = _cli(capsys, monkeypatch, data, "audit", "list")
    assert code == 0 and "score" in out and "offline" in out
    [entry] = Services(Settings(_env_file=None, data_dir=data)).call_log.entries()  # type: ignore[call-arg]
    assert entry.engine == "offline" and entry.actor == "grace" and "grader.joblib@" in entry.model
    assert entry.template_version.startswith("rag-case-study v1.0")
