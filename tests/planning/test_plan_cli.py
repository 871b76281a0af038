"""`vet plan` as a user runs it: the JSON contract, the readable plan, and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.planning.cvs import PROJECT_CV, make_cv
from vetting.cli import main

pytestmark = pytest.mark.slow


def _vet(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from vetting.cli import common

    common.services.cache_clear()
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    common.services.cache_clear()
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


@pytest.fixture
def dana(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], embedder) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VETTING_DATA_DIR", str(tmp_path / "data"))
    cv = make_cv(tmp_path / "dana.pdf", PROJECT_CV)
    code, _, err = _vet(capsys, "ingest", str(cv), "--candidate", "Dana Example")
    assert code == 0, err
    return "Dana Example"


def test_plan_json_has_the_agreed_shape(dana: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _vet(capsys, "plan", "--candidate", dana, "--case", "rag-customer-support", "--json")
    plan = json.loads(out)
    assert code == 0
    assert {"candidate", "case", "rubric", "questions"} <= set(plan)
    assert plan["candidate"]["name"] == dana and plan["case"]["id"] == "rag-customer-support"
    assert plan["rubric"]["id"] == "project-deep-dive" and plan["dropped"] == 0 and plan["engine"] == "offline"
    assert plan["case_rubric"]["id"] == "rag-case-study"
    kinds = [q["kind"] for q in plan["questions"]]
    assert kinds.count("deep_dive") >= 3 and kinds.count("case") == 1 and kinds[-1] == "follow_up"
    for q in plan["questions"]:
        assert set(q) == {"id", "kind", "text", "criterion", "citation"}
        if q["kind"] == "deep_dive":
            assert set(q["citation"]) == {"quote", "chunk_id", "document", "page"}
            assert q["citation"]["document"] == "dana.pdf" and q["citation"]["page"] == 1
        else:
            assert q["citation"] is None


def test_plan_text_numbers_questions_with_the_citation_under_each(
    dana: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["plan", "-c", dana, "--case", "agentic-invoice-workflow", "--rubric", "project-deep-dive"]
    code, out, _ = _vet(capsys, *args)
    assert code == 0
    assert out.startswith(f"Interview plan for {dana}")
    assert "\n 1. [" in out and "cites “" in out and "(dana.pdf, page 1)" in out
    assert "Deep dives on the candidate's own work" in out and "\nCase\n" in out and "\nFollow-ups\n" in out
    assert "Design the system." in out  # the case prompt


def test_plan_errors_exit_1_with_a_message_and_usage_errors_exit_2(
    dana: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _vet(capsys, "plan", "--candidate", dana, "--case", "no-such-case")
    assert code == 1 and out == "" and "No case 'no-such-case'" in err and "Traceback" not in err
    code, _, err = _vet(capsys, "plan", "--candidate", "Nobody", "--case", "rag-customer-support")
    assert code == 1 and "No candidate 'Nobody'" in err
    code, _, err = _vet(capsys, "plan", "--candidate", dana, "--case", "rag-customer-support", "--rubric", "nope")
    assert code == 1 and "No rubric 'nope'" in err
    code, _, _ = _vet(capsys, "plan", "--candidate", dana)
    assert code == 2
