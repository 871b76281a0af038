"""Scorecards show AI beside interviewer per criterion, export to Markdown/JSON/PDF, compare and calibrate sessions."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from rubrics import get_rubric, load_rubrics
from vetting.kernel.errors import VettingError
from vetting.kernel.settings import Settings
from vetting.literal import escape_markdown
from vetting.scorecard_comparison import calibration, compare
from vetting.scorecard_export import to_json, to_markdown
from vetting.scorecard_pdf import to_pdf
from vetting.scorecards import build_scorecard, scope_note
from vetting.services import Services
from vetting.sessions import Evidence, KeyPoint, PlannedQuestion, SessionService

ANSWER = "First I would audit a sample of articles for duplicates and stale versions, then keep source metadata."


def _scored_session(services: Services, name: str, ai: float, human: int, case: str = "rag-customer-support") -> str:
    sessions = SessionService(services.db)
    candidate = services.candidates.get_or_create(name)
    session_id = sessions.create(candidate.id, case, "rag-case-study", "1.0", "Grace")
    sessions.store_plan(
        session_id,
        [
            PlannedQuestion("d1", "deep_dive", "How did you clean the data?", "data-quality", {"quote": "cleaned"}),
            PlannedQuestion("c1", "case", "Walk me through the case.", None, None),
        ],
        engine="offline",
        model=None,
    )
    q = sessions.get(session_id).questions[0]
    sessions.save_answer(q.id, text=ANSWER, notes="clear and concrete", expected_version=q.answer_version)
    sessions.set_signals(q.id, ["Asked to see a sample first"])
    quote = Evidence("audit a sample of articles for duplicates", True, 17, 58)
    sessions.store_ai_scores(
        q.id,
        [("data-quality", ai, "names concrete data problems", [quote]), ("reliable-system", 1.0, "not covered", [])],
        engine="offline",
        model=None,
    )
    sessions.set_interviewer_score(q.id, "data-quality", human, "would like more on ownership")
    return session_id


@pytest.fixture
def services(settings: Settings) -> Services:
    return Services(settings)


def _card(services: Services, settings: Settings, session_id: str):  # type: ignore[no-untyped-def]
    session = SessionService(services.db).get(session_id)
    return build_scorecard(session, get_rubric(settings, "rag-case-study"), "Internal Q&A")


def test_scorecard_puts_ai_beside_interviewer_per_criterion(services: Services, settings: Settings) -> None:
    card = _card(services, settings, _scored_session(services, "Ada Lovelace", ai=3.0, human=2))
    lines = {line.id: line for line in card.lines}
    assert (lines["data-quality"].ai, lines["data-quality"].interviewer) == (3.0, 2.0)
    assert lines["data-quality"].gap == 1.0
    assert (lines["reliable-system"].ai, lines["reliable-system"].interviewer) == (1.0, None)
    assert lines["retrieval-tradeoffs"].ai is None  # never scored: no invented number
    assert [e.quote for e in lines["data-quality"].evidence] == ["audit a sample of articles for duplicates"]
    # weighted: data-quality 1.5 x 3 + reliable-system 1.0 x 1 over weight 2.5
    assert card.overall("ai") == pytest.approx((1.5 * 3 + 1.0 * 1) / 2.5)
    assert card.overall("interviewer") == 2.0
    assert card.engines == ("offline",)


def test_markdown_and_json_exports_carry_scores_evidence_and_notes(services: Services, settings: Settings) -> None:
    card = _card(services, settings, _scored_session(services, "Ada Lovelace", ai=3.0, human=2))
    markdown = to_markdown(card)
    assert markdown.startswith("# Scorecard — Ada Lovelace")
    assert "| Thinks about data quality first | 1.5 | 3.0 | 2.0 |" in markdown
    assert "“audit a sample of articles for duplicates”" in markdown
    assert "clear and concrete" in markdown and "Asked to see a sample first" in markdown
    assert "would like more on ownership" in markdown

    data = json.loads(to_json(card))
    assert data["candidate"]["name"] == "Ada Lovelace"
    assert data["rubric"] == {"id": "rag-case-study", "title": card.rubric_title, "version": "1.0", "scale": [1, 4]}
    dq = next(c for c in data["criteria"] if c["id"] == "data-quality")
    assert (dq["ai"], dq["interviewer"]) == (3.0, 2.0)
    assert data["questions"][0]["answer"] == ANSWER
    assert data["questions"][0]["ai_scores"][0]["engine"] == "offline"


def test_pdf_export_is_a_readable_pdf_with_the_scores(services: Services, settings: Settings) -> None:
    card = _card(services, settings, _scored_session(services, "Zoë Ångström", ai=3.0, human=2))
    pdf = to_pdf(card)
    assert pdf.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Zoë Ångström" in text
    assert "Thinks about data quality first" in text
    assert "audit a sample of articles for duplicates" in " ".join(text.split())


def test_exports_show_which_key_points_the_answer_met_as_text(services: Services, settings: Settings) -> None:
    session_id = _scored_session(services, "Ada Lovelace", ai=3.0, human=2)
    sessions = SessionService(services.db)
    q = sessions.get(session_id).questions[0]
    met = KeyPoint("Audit *the* articles", True, "First I would [audit](http://x) a sample.")
    points = [met, KeyPoint("Version the index", False)]
    sessions.store_ai_scores(q.id, [("data-quality", 3.0, "names a step", [], points)], engine="offline", model=None)
    card = _card(services, settings, session_id)

    markdown = to_markdown(card)
    shown = f"✓ {escape_markdown(met.text)} — “{escape_markdown(met.evidence)}”; ✗ Version the index"
    assert f"- Q1: Key points: {shown}" in markdown  # rubric and answer text stay literal: no emphasis, no link
    data = json.loads(to_json(card))
    dq = next(c for c in data["criteria"] if c["id"] == "data-quality")
    assert dq["key_points"][0] == {"question": 1, **met.to_dict()}
    assert data["questions"][0]["ai_scores"][0]["key_points"] == [k.to_dict() for k in points]
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(to_pdf(card))).pages).split())
    assert "Key points: ✓ Audit *the* articles" in text and "✗ Version the index" in text


HOSTILE = "Data **bold** <script>alert(1)</script> [link](http://x)\n# Injected heading"


def test_a_criterion_name_from_a_rubric_file_is_exported_as_text(services: Services, settings: Settings) -> None:
    """A rubric author's criterion name makes no emphasis, tag, link or extra heading in the Markdown export."""
    rubric = get_rubric(settings, "rag-case-study")
    renamed = [c.model_copy(update={"name": HOSTILE}) if c.id == "data-quality" else c for c in rubric.criteria]
    session = SessionService(services.db).get(_scored_session(services, "Ada Lovelace", ai=3.0, human=2))
    markdown = to_markdown(build_scorecard(session, rubric.model_copy(update={"criteria": renamed}), "Internal Q&A"))
    name = escape_markdown(HOSTILE)
    assert f"\n### {name}\n" in markdown  # the evidence heading, on one line
    assert f"| {name} | 1.5 | 3.0 | 2.0 |" in markdown and f"| Q1 | {name} | 3.0 | 2 |" in markdown
    assert "**bold**" not in markdown and "<script>" not in markdown and "[link](http" not in markdown
    assert "# Injected heading" not in markdown.splitlines()


def test_rubric_and_case_titles_are_exported_as_text(services: Services, settings: Settings) -> None:
    """The rubric's and the case's titles, from files a user may write, are text in the export's header lines."""
    rubric = get_rubric(settings, "rag-case-study").model_copy(update={"title": HOSTILE})
    session = SessionService(services.db).get(_scored_session(services, "Ada Lovelace", ai=3.0, human=2))
    markdown = to_markdown(build_scorecard(session, rubric, HOSTILE))
    name = escape_markdown(HOSTILE)
    assert f"- **Case:** {name}\n" in markdown and f"- **Rubric:** {name} (version" in markdown
    assert "**bold**" not in markdown and "<script>" not in markdown and "[link](http" not in markdown
    assert "# Injected heading" not in markdown.splitlines()


def test_compare_puts_candidates_of_one_case_side_by_side(services: Services, settings: Settings) -> None:
    a = _card(services, settings, _scored_session(services, "Ada Lovelace", ai=3.0, human=2))
    b = _card(services, settings, _scored_session(services, "Grace Hopper", ai=4.0, human=4))
    table = compare([a, b])
    assert [name.split(" (")[0] for name in table.candidates] == ["Ada Lovelace", "Grace Hopper"]
    row = dict(table.rows)["Thinks about data quality first"]
    assert row == ((3.0, 2.0), (4.0, 4.0))
    with pytest.raises(VettingError, match="at least two"):
        compare([a])
    other = _card(services, settings, _scored_session(services, "Alan Turing", 2.0, 2, case="genai-claims-pilot"))
    with pytest.raises(VettingError, match="same case"):
        compare([a, other])


def test_calibration_measures_how_far_ai_and_interviewers_agree(services: Services, settings: Settings) -> None:
    cards = [
        _card(services, settings, _scored_session(services, name, ai, human))
        for name, ai, human in [("A One", 3.0, 2), ("B Two", 4.0, 4), ("C Three", 3.0, 1)]
    ]
    result = calibration(cards, load_rubrics(settings))
    assert sorted(p[2:] for p in result.points) == [(3.0, 1.0), (3.0, 2.0), (4.0, 4.0)]
    assert result.mean_gap == pytest.approx(1.0)  # the AI is more generous than the interviewers here
    assert result.mean_abs_gap == pytest.approx(1.0)
    assert result.within_one == pytest.approx(2 / 3)  # gaps 1 and 0 are within one point; the gap of 2 is not
    assert result.correlation is not None and result.correlation > 0.9
    assert calibration([], {}).mean_gap is None


def test_a_criterion_without_evidence_gets_no_ai_number(services: Services, settings: Settings) -> None:
    session_id = _scored_session(services, "Ada Lovelace", ai=3.0, human=2)
    sessions = SessionService(services.db)
    q = sessions.get(session_id).questions[0]
    sessions.store_ai_scores(
        q.id, [("data-quality", None, "the answer says nothing about the data", [])], engine="offline", model=None
    )
    card = _card(services, settings, session_id)
    line = next(line for line in card.lines if line.id == "data-quality")
    assert (line.ai, line.interviewer) == (None, 2.0)  # the interviewer's score stays; the AI's is honestly absent
    assert calibration([card], load_rubrics(settings)).points == ()
    assert "| Thinks about data quality first | 1.5 | — | 2.0 |" in to_markdown(card)


def test_each_answer_shows_ai_beside_interviewer_and_a_gap_of_two_is_flagged(
    services: Services, settings: Settings
) -> None:
    """Two answers on one criterion, 3 vs 1 and 2 vs 3: the averages agree (2.5 / 2) but the first gap shows."""
    sessions = SessionService(services.db)
    session_id = _scored_session(services, "Ada Lovelace", ai=3.0, human=1)
    case_q = sessions.get(session_id).questions[1]
    sessions.save_answer(case_q.id, text=ANSWER, notes="", expected_version=case_q.answer_version)
    sessions.store_ai_scores(case_q.id, [("data-quality", 2.0, "some", [])], engine="offline", model=None)
    sessions.set_interviewer_score(case_q.id, "data-quality", 3, "")
    sessions.edit_question(case_q.id, "Walk me through the first week.")
    card = _card(services, settings, session_id)
    rows = [(a.position, a.criterion, a.ai, a.interviewer, a.disagreement) for a in card.answers]
    assert (1, "Thinks about data quality first", 3.0, 1, True) in rows
    assert (2, "Thinks about data quality first", 2.0, 3, False) in rows
    markdown = to_markdown(card)
    assert "| Q1 | Thinks about data quality first | 3.0 | 1 | +2.0 **⚠ disagreement** |" in markdown
    assert f"The planner's original: {escape_markdown('Walk me through the case.')}" in markdown
    exported = json.loads(to_json(card))
    assert exported["questions"][1]["original_text"] == "Walk me through the case."
    assert [a["disagreement"] for a in exported["answers"] if a["criterion"] == "Thinks about data quality first"] == [
        True,
        False,
    ]


def _deep_dives_only(services: Services) -> str:
    """Two deep dives scored on their own rubric, the case question (case rubric) not scored yet."""
    sessions = SessionService(services.db)
    candidate = services.candidates.get_or_create("Ada Lovelace")
    session_id = sessions.create(
        candidate.id, "rag-customer-support", "rag-case-study", "1.0", "Grace", deep_dive_rubric_id="project-deep-dive"
    )
    deep = "project-deep-dive"
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
    quote = Evidence("*we* chose [Kafka](http://x) over RabbitMQ", True, 0, 40)
    sessions.store_ai_scores(
        d1.id, [("technical-tradeoffs", 3.0, "names the alternative", [quote])], engine="offline", model=None
    )
    sessions.set_interviewer_score(d1.id, "technical-tradeoffs", 2, "")
    sessions.store_ai_scores(d2.id, [("ownership", 2.0, "vague", [])], engine="offline", model=None)
    return session_id


def test_deep_dives_scored_on_their_own_rubric_get_their_own_section_and_overall(
    services: Services, settings: Settings
) -> None:
    session = SessionService(services.db).get(_deep_dives_only(services))
    card = build_scorecard(session, get_rubric(settings, "rag-case-study"), "Internal Q&A", load_rubrics(settings))
    assert card.overall("ai") is None and card.scored == 0  # the case rubric has nothing scored: no invented number
    [deep] = card.sections
    assert (deep.rubric_id, deep.title, deep.questions, deep.scored) == (
        "project-deep-dive",
        "Project deep dive",
        (1, 2),
        2,
    )
    # weighted: technical-tradeoffs 1.5 x 3 + ownership 1.0 x 2 over weight 2.5
    assert deep.overall("ai") == pytest.approx((1.5 * 3 + 1.0 * 2) / 2.5)
    assert deep.overall("interviewer") == 2.0
    note = scope_note(card)
    assert "case rubric, rag-case-study, which has no scored answer yet" in note
    assert "2 deep-dive answers scored on project-deep-dive" in note
    markdown = to_markdown(card)
    assert "## Criteria — Project deep dive (project-deep-dive), scoring Q1, Q2" in markdown
    assert f"| {escape_markdown('Technical trade-offs')} | 1.5 | 3.0 | 2.0 |" in markdown  # shown as written
    assert escape_markdown("*we* chose [Kafka](http://x) over RabbitMQ") in markdown  # the quote stays text
    [section] = json.loads(to_json(card))["rubric_sections"]
    assert section["overall"]["ai"] == pytest.approx(2.6) and section["scored_answers"] == 2
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(to_pdf(card))).pages)
    assert "Project deep dive (project-deep-dive), scoring Q1, Q2" in " ".join(text.split())


def test_a_session_on_one_rubric_needs_no_note(services: Services, settings: Settings) -> None:
    card = _card(services, settings, _scored_session(services, "Ada Lovelace", ai=3.0, human=2))
    assert card.sections == () and scope_note(card) == ""
    assert json.loads(to_json(card))["rubric_sections"] == []
