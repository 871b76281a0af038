"""Opted-out candidates get no AI plan or score; `vet retention run` erases, physically, those past retention."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from tests.erasure.test_identity import _cli
from vetting.consent import AIOptedOut, Consent, ConsentRegistry
from vetting.db.models import CandidateRow
from vetting.erasure import find_bytes
from vetting.interviews import CASE_AS_WRITTEN, InterviewRunner
from vetting.kernel.settings import Settings
from vetting.services import Services


class _NoAI:
    """Fails the test if anything asks it for an AI output."""

    def plan(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the planner was asked for an opted-out candidate")

    def score(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the scorer was asked for an opted-out candidate")


def test_an_opted_out_candidate_gets_the_case_as_written_and_no_ai_score(settings: Settings) -> None:
    services = Services(settings)
    candidate = services.registry.get_or_create("Opt Out")
    consent = ConsentRegistry(services.db)
    assert consent.of(candidate.id) == Consent(None, False)
    consent.record(candidate.id, notice_given_on=date(2026, 11, 2), ai_opt_out=True)
    session = services.sessions.create(candidate.id, "rag-customer-support", "rag-case-study", "1.0")
    runner = InterviewRunner(settings, services.sessions, _NoAI(), _NoAI())  # type: ignore[arg-type]
    assert runner.plan(session) >= 1
    stored = services.sessions.get(session)
    assert stored.plan_engine == CASE_AS_WRITTEN and {q.kind for q in stored.questions} <= {"case", "follow_up"}
    question = stored.questions[0].id
    services.sessions.save_answer(question, text="An answer.", notes="", expected_version=1)
    with pytest.raises(AIOptedOut, match="opted out of AI assessment"):
        runner.score(session, question)
    services.sessions.set_interviewer_score(question, "data-quality", 3, "the interviewer still scores")


def test_vet_plan_says_why_there_is_no_plan(
    settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    candidate = Services(settings).registry.get_or_create("Opt Out")
    ConsentRegistry(Services(settings).db).record(candidate.id, notice_given_on=None, ai_opt_out=True)
    code, out = _cli(
        capsys, monkeypatch, settings.data_dir, "plan", "--candidate", "Opt Out", "--case", "rag-customer-support"
    )
    assert code == 1 and "opted out of AI assessment" in out and "Traceback" not in out


def test_the_notice_counts_business_days() -> None:
    friday = date(2026, 11, 6)
    assert Consent(friday, False).business_days_since_notice(date(2026, 11, 9)) == 1  # the weekend does not count
    assert Consent(friday, False).notice_pending(date(2026, 11, 19))
    assert not Consent(friday, False).notice_pending(date(2026, 11, 20))
    assert Consent(None, False).notice_pending()


def _age(services: Services, candidate_id: str, days: int) -> None:
    with services.db.session() as s:
        old = datetime.now(UTC) - timedelta(days=days)
        s.execute(update(CandidateRow).where(CandidateRow.id == candidate_id).values(created_at=old))


def test_retention_erases_only_candidates_past_it_and_logs_each(
    settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = settings.data_dir
    code, out = _cli(capsys, monkeypatch, data, "retention", "run")
    assert code == 1 and "VETTING_RETENTION_DAYS is not set" in out

    services = Services(settings)
    old = services.registry.get_or_create("Ottoline Expiredsworth")
    recent = services.registry.get_or_create("Rita Recent")
    _age(services, old.id, 45)
    _age(services, recent.id, 5)
    monkeypatch.setenv("VETTING_RETENTION_DAYS", "30")
    code, out = _cli(capsys, monkeypatch, data, "retention", "run", "--dry-run", "--json")
    payload = json.loads(out)
    assert code == 0 and [d["id"] for d in payload["due"]] == [old.id] and payload["erased"] == 0
    assert {c.id for c, _, _ in Services(settings).registry.overview()} == {old.id, recent.id}

    code, out = _cli(capsys, monkeypatch, data, "retention", "run")
    assert code == 0 and f"erased Ottoline Expiredsworth ({old.id})" in out
    after = Services(settings)
    assert {c.id for c, _, _ in after.registry.overview()} == {recent.id}
    actions = [(a.action, a.candidate_id) for a in after.activity.entries()]
    assert ("erase", old.id) in actions and ("retention", old.id) in actions
    assert find_bytes([data], ["Ottoline Expiredsworth", "Expiredsworth"]) == []
    assert find_bytes([data], ["Rita Recent"])


def test_vet_consent_records_and_shows_the_notice_and_opt_out(
    settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    candidate = Services(settings).registry.get_or_create("Nora Notice")
    code, out = _cli(capsys, monkeypatch, settings.data_dir, "consent", "Nora Notice")
    assert code == 0 and "no AI-use notice recorded" in out and "AI assessment allowed" in out
    code, out = _cli(
        capsys,
        monkeypatch,
        settings.data_dir,
        "consent",
        candidate.id,
        "--id",
        "--notice-given",
        "2026-11-02",
        "--opt-out",
        "--json",
    )
    payload = json.loads(out)
    assert code == 0 and payload["notice_given_on"] == "2026-11-02" and payload["ai_opt_out"] is True
    assert ConsentRegistry(Services(settings).db).of(candidate.id) == Consent(date(2026, 11, 2), True)
    code, out = _cli(capsys, monkeypatch, settings.data_dir, "consent", "Nora Notice", "--notice-given", "02/11/2026")
    assert code == 2 and "YYYY-MM-DD" in out
