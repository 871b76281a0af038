"""Scorecards page: one session's scorecard with exports, two candidates side by side, and the calibration view."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from tests.ui.conftest import app_services, open_page
from tests.ui.hostile import raw_markup
from vetting.literal import escape_markdown
from vetting.sessions import Evidence, PlannedQuestion

CASE = "rag-customer-support"
ANSWER = "I would audit a sample of articles for duplicates first, then keep source and version metadata on chunks."


def _scored_session(data_dir: Path, name: str, ai: float, human: int, rubric: str = "rag-case-study") -> str:
    """A finished session scored by the AI and the interviewer, written through the same service the app uses."""
    services = app_services(data_dir)
    candidate = services.candidates.get_or_create(name)
    sessions = services.sessions
    session_id = sessions.create(candidate.id, CASE, rubric, "1.0", "Grace")
    sessions.store_plan(
        session_id,
        [PlannedQuestion("c1", "case", "Walk me through the case.", None, None)],
        engine="offline",
        model=None,
    )
    q = sessions.get(session_id).questions[0]
    sessions.save_answer(q.id, text=ANSWER, notes=f"notes on {name}", expected_version=q.answer_version)
    evidence = [Evidence("audit a sample of articles for duplicates", True, 8, 49)]
    sessions.store_ai_scores(q.id, [("data-quality", ai, "concrete steps", evidence)], engine="offline", model=None)
    sessions.set_interviewer_score(q.id, "data-quality", human, "agree")
    sessions.finish(session_id)
    return session_id


@pytest.mark.slow
def test_scorecard_shows_scores_chart_evidence_and_exports(data_dir: Path) -> None:
    session_id = _scored_session(data_dir, "Ada Lovelace", 3.0, 2)
    at = open_page("scorecards", session=session_id)
    title = escape_markdown("Internal Q&A over a messy support knowledge base")  # a case title is shown as text
    assert any(s.value == f"Ada Lovelace — {title}" for s in at.subheader)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["AI overall"] == "3.0" and metrics["Interviewer overall"] == "2.0"
    table = at.dataframe[0].value
    row = table[table["criterion"] == "Thinks about data quality first"].iloc[0]
    assert (row["AI"], row["interviewer"]) == ("3.0", "2.0")
    assert any("audit a sample of articles for duplicates" in m.value for m in at.markdown)
    assert any("notes on Ada Lovelace" in c.value for c in at.caption)
    exports = {b.label for b in at.get("download_button")}
    assert exports == {"Markdown", "JSON", "PDF"}


@pytest.mark.slow
def test_candidates_on_the_same_case_side_by_side_and_calibration(data_dir: Path) -> None:
    _scored_session(data_dir, "Ada Lovelace", 3.0, 2)
    _scored_session(data_dir, "Grace Hopper", 4.0, 4)
    at = open_page("scorecards")
    compare = at.tabs[1]
    assert len(compare.multiselect[0].value) == 2
    table = compare.dataframe[0].value
    columns = " ".join(table.columns)
    assert "Ada Lovelace" in columns and "Grace Hopper" in columns
    calibration = {m.label: m.value for m in at.tabs[2].metric}
    assert calibration["Scored pairs"] == "2"
    assert calibration["AI − interviewer"] == "+0.50"


@pytest.mark.slow
def test_no_sessions_yet_points_to_the_interview_page(data_dir: Path) -> None:
    at = open_page("scorecards")
    assert any("Interview" in i.value for i in at.info)


@pytest.mark.slow
def test_deep_dives_scored_alone_show_their_own_rubric_and_say_what_the_chart_covers(data_dir: Path) -> None:
    """Only the deep dives are scored: their rubric gets its own overall, and no caption claims there are no scores."""
    sessions = app_services(data_dir).sessions
    candidate = app_services(data_dir).candidates.get_or_create("Ada Lovelace")
    deep = "project-deep-dive"
    session_id = sessions.create(candidate.id, CASE, "rag-case-study", "1.0", "Grace", deep_dive_rubric_id=deep)
    sessions.store_plan(
        session_id,
        [
            PlannedQuestion("d1", "deep_dive", "Why Kafka?", "technical-tradeoffs", {"quote": "Kafka"}, deep),
            PlannedQuestion("d2", "deep_dive", "What did you own?", "ownership", {"quote": "led"}, deep),
            PlannedQuestion("c1", "case", "Walk me through the case.", None, None),
        ],
        engine="offline",
        model=None,
    )
    d1, d2, _ = sessions.get(session_id).questions
    quote = [Evidence("**we** chose [Kafka](http://x) over RabbitMQ", True, 0, 44)]
    sessions.store_ai_scores(d1.id, [("technical-tradeoffs", 3.0, "alternative", quote)], engine="offline", model=None)
    sessions.store_ai_scores(d2.id, [("ownership", 2.0, "vague", [])], engine="offline", model=None)
    at = open_page("scorecards", session=session_id)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["AI overall"] == "—"  # the case rubric: nothing scored, nothing invented
    assert metrics["AI overall · Project deep dive"] == f"{(1.5 * 3 + 1.0 * 2) / 2.5:.1f}"
    notes = " ".join(i.value for i in at.info).replace("\\", "")
    assert "case rubric, rag-case-study, which has no scored answer yet" in notes
    assert "2 deep-dive answers scored on project-deep-dive" in notes
    assert not any("No scores yet" in c.value for c in at.caption)
    tables = [d.value for d in at.dataframe]
    assert any("Technical trade-offs" in set(t["criterion"]) for t in tables if "weight" in t)
    assert set(next(t for t in tables if "gap" in t)["rubric"]) == {"project-deep-dive"}
    evidence = [m.value for m in at.markdown if "Kafka" in m.value]
    assert evidence and all("[Kafka](" not in m and "**we**" not in m for m in evidence)  # shown as text


@pytest.mark.slow
def test_a_criterion_name_from_a_user_rubric_is_shown_as_text(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rubric author's criterion name in the evidence expander makes no emphasis, tag, link or line break."""
    hostile = "Data **bold** <script>alert(1)</script> [link](http://x)\n# Injected"
    rubric = yaml.safe_load((REPO / "rubrics" / "rag-case-study.yaml").read_text(encoding="utf-8"))
    rubric["id"] = "hostile-rubric"
    rubric["criteria"][0]["name"] = hostile  # data-quality
    folder = tmp_path / "user-rubrics"
    folder.mkdir()
    (folder / "hostile.yaml").write_text(yaml.safe_dump(rubric), encoding="utf-8")
    monkeypatch.setenv("VETTING_RUBRICS_DIR", str(folder))
    at = open_page("scorecards", session=_scored_session(data_dir, "Ada Lovelace", 3.0, 2, "hostile-rubric"))
    [label] = [e.label for e in at.expander if e.label.startswith("Evidence")]
    assert "**bold**" not in label and "<script>" not in label and raw_markup(label) == [] and "\n" not in label
    assert label.replace("\\", "") == "Evidence — " + " ".join(hostile.split())  # every character still shown
